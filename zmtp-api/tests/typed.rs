//! Parsed endpoints through the facade, error source chains and option effect classes.

use std::error::Error as _;

use zmtp_api::{
    Effect, Endpoint, EndpointMode, Error, SockOpt, Socket, SocketType, TransportError,
};

#[tokio::test]
async fn parsed_endpoints_are_accepted_everywhere() {
    let pull = Socket::new(SocketType::Pull).unwrap();
    let ep: Endpoint = "inproc://typed-a".parse().unwrap();
    pull.bind(&ep).unwrap();
    let push = Socket::new(SocketType::Push).unwrap();
    push.connect(vec![ep.clone()]).unwrap();
    assert_eq!(
        push.endpoints(EndpointMode::Connect).unwrap(),
        ["inproc://typed-a"]
    );
    push.send("x").await.unwrap();
    assert_eq!(pull.recv().await.unwrap(), "x");
    push.disconnect(ep.clone()).unwrap();
    pull.unbind([ep]).unwrap();
    assert!(pull.endpoints(EndpointMode::Bind).unwrap().is_empty());
}

#[tokio::test]
async fn errors_keep_their_source() {
    let s = Socket::new(SocketType::Pull).unwrap();
    let e = s.bind("ws://x:1").unwrap_err();
    assert!(matches!(e, Error::InvalidEndpoint(_)));
    let source = e.source().and_then(|s| s.downcast_ref::<TransportError>());
    assert!(matches!(
        source,
        Some(TransportError::UnsupportedTransport(_))
    ));
}

#[test]
fn every_stored_option_has_an_effect_class() {
    assert_eq!(SockOpt::SndHwm.effect(), Some(Effect::NewConnections));
    assert_eq!(SockOpt::RcvTimeo.effect(), Some(Effect::NextCall));
    assert_eq!(SockOpt::Linger.effect(), Some(Effect::AtClose));
    assert_eq!(SockOpt::Type.effect(), None);
    assert_eq!(SockOpt::Affinity.effect(), None);
    assert_eq!(SockOpt::Backlog.effect(), Some(Effect::NewConnections));
}
