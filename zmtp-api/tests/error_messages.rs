//! Error messages read as Racket's, with the detail after the phrase and no stutter
//! when printed with their sources.

use std::error::Error as _;

use zmtp_api::{Error, Socket, SocketType};

/// The error and its sources, joined as error reporters print them.
fn chain(e: &Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

#[tokio::test]
async fn a_malformed_endpoint_reads_as_racket_with_the_detail() {
    let s = Socket::new(SocketType::Pull).unwrap();
    let e = s.bind("nonsense").unwrap_err();
    assert!(matches!(e, Error::InvalidEndpoint(_)));
    assert_eq!(
        chain(&e),
        "invalid endpoint or unsupported endpoint format: cannot parse \"nonsense\": missing `scheme://`"
    );
    let e = s.connect_unchecked("ws://127.0.0.1:1").unwrap_err();
    let text = chain(&e);
    assert!(
        text.starts_with("invalid endpoint or unsupported endpoint format: "),
        "{text}"
    );
    assert_eq!(text.matches("invalid endpoint").count(), 1, "{text}");
}
