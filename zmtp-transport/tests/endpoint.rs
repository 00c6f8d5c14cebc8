//! Endpoint parsing, display and connect/bind checks.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::path::PathBuf;

use zmtp_transport::{Endpoint, EndpointError, Host, IpcAddr, Port};

fn parse(s: &str) -> Endpoint {
    match s.parse::<Endpoint>() {
        Ok(ep) => ep,
        Err(e) => panic!("{s:?} should parse: {e}"),
    }
}

fn parse_err(s: &str) -> EndpointError {
    match s.parse::<Endpoint>() {
        Ok(ep) => panic!("{s:?} should not parse, got {ep:?}"),
        Err(e) => e,
    }
}

fn tcp(host: Host, port: Port) -> Endpoint {
    Endpoint::Tcp {
        host,
        port,
        source: None,
    }
}

fn v4(a: u8, b: u8, c: u8, d: u8) -> Host {
    Host::Ip(IpAddr::V4(Ipv4Addr::new(a, b, c, d)))
}

#[test]
fn valid_forms() {
    let cases: Vec<(&str, Endpoint, &str)> = vec![
        (
            "tcp://127.0.0.1:5555",
            tcp(v4(127, 0, 0, 1), Port::Num(5555)),
            "tcp://127.0.0.1:5555",
        ),
        (
            "tcp://127.0.0.1:*",
            tcp(v4(127, 0, 0, 1), Port::Any),
            "tcp://127.0.0.1:*",
        ),
        (
            "tcp://127.0.0.1:0",
            tcp(v4(127, 0, 0, 1), Port::Any),
            "tcp://127.0.0.1:*",
        ),
        (
            "tcp://*:5555",
            tcp(Host::Any, Port::Num(5555)),
            "tcp://*:5555",
        ),
        ("tcp://*:*", tcp(Host::Any, Port::Any), "tcp://*:*"),
        (
            "tcp://0.0.0.0:1",
            tcp(v4(0, 0, 0, 0), Port::Num(1)),
            "tcp://0.0.0.0:1",
        ),
        (
            "tcp://1.2.3.4:65535",
            tcp(v4(1, 2, 3, 4), Port::Num(65535)),
            "tcp://1.2.3.4:65535",
        ),
        (
            "tcp://[::1]:5555",
            tcp(Host::Ip(IpAddr::V6(Ipv6Addr::LOCALHOST)), Port::Num(5555)),
            "tcp://[::1]:5555",
        ),
        (
            "tcp://[::]:*",
            tcp(Host::Ip(IpAddr::V6(Ipv6Addr::UNSPECIFIED)), Port::Any),
            "tcp://[::]:*",
        ),
        (
            "tcp://[0:0:0:0:0:0:0:1]:7",
            tcp(Host::Ip(IpAddr::V6(Ipv6Addr::LOCALHOST)), Port::Num(7)),
            "tcp://[::1]:7",
        ),
        (
            "tcp://localhost:5555",
            tcp(Host::Name("localhost".into()), Port::Num(5555)),
            "tcp://localhost:5555",
        ),
        (
            "tcp://localhost:*",
            tcp(Host::Name("localhost".into()), Port::Any),
            "tcp://localhost:*",
        ),
        (
            "tcp://my-host.example_1.com:80",
            tcp(Host::Name("my-host.example_1.com".into()), Port::Num(80)),
            "tcp://my-host.example_1.com:80",
        ),
        (
            "tcp://eth0:5555",
            tcp(Host::Name("eth0".into()), Port::Num(5555)),
            "tcp://eth0:5555",
        ),
        (
            "ipc:///tmp/x",
            Endpoint::Ipc(IpcAddr::Path("/tmp/x".into())),
            "ipc:///tmp/x",
        ),
        (
            "ipc://relative/sock",
            Endpoint::Ipc(IpcAddr::Path("relative/sock".into())),
            "ipc://relative/sock",
        ),
        (
            "ipc://@name",
            Endpoint::Ipc(IpcAddr::Abstract(b"name".to_vec())),
            "ipc://@name",
        ),
        (
            "inproc://name",
            Endpoint::Inproc("name".into()),
            "inproc://name",
        ),
        (
            "inproc://a:b/c*",
            Endpoint::Inproc("a:b/c*".into()),
            "inproc://a:b/c*",
        ),
    ];
    for (input, want, canonical) in cases {
        let got = parse(input);
        assert_eq!(got, want, "{input}");
        assert_eq!(got.to_string(), canonical, "{input}");
        assert_eq!(parse(canonical), got, "round trip of {canonical}");
    }
}

#[test]
fn length_limits() {
    let path_107 = format!("/{}", "a".repeat(106));
    assert_eq!(
        parse(&format!("ipc://{path_107}")),
        Endpoint::Ipc(IpcAddr::Path(PathBuf::from(&path_107)))
    );
    let path_108 = format!("/{}", "a".repeat(107));
    assert!(matches!(
        parse_err(&format!("ipc://{path_108}")),
        EndpointError::PathTooLong(_)
    ));
    parse(&format!("ipc://@{}", "b".repeat(107)));
    assert!(matches!(
        parse_err(&format!("ipc://@{}", "b".repeat(108))),
        EndpointError::PathTooLong(_)
    ));
    let name_256 = "n".repeat(256);
    assert_eq!(
        parse(&format!("inproc://{name_256}")),
        Endpoint::Inproc(name_256)
    );
    assert!(matches!(
        parse_err(&format!("inproc://{}", "n".repeat(257))),
        EndpointError::Invalid { .. }
    ));
}

#[test]
fn invalid_forms() {
    let invalid = [
        "tcp://host",
        "tcp://127.0.0.1",
        "tcp://127.0.0.1:",
        "tcp://:5555",
        "tcp://",
        "tcp://127.0.0.1:99999",
        "tcp://127.0.0.1:65536",
        "tcp://127.0.0.1:-1",
        "tcp://127.0.0.1:+80",
        "tcp://127.0.0.1:8o",
        "tcp://[::1]",
        "tcp://[::1:5555",
        "tcp://::1:5555",
        "tcp://[fe80::1%]:5555",
        "tcp://[fe80::1%a/b]:5555",
        "tcp://[not-v6]:5555",
        "tcp://a b:5555",
        "tcp://a/b:5555",
        "tcp://;127.0.0.1:6666",
        "tcp://127.0.0.1:x;127.0.0.1:6666",
        "ipc://",
        "ipc://@",
        "inproc://",
        "127.0.0.1:5555",
        "tcp:/127.0.0.1:5555",
        "",
    ];
    for input in invalid {
        match parse_err(input) {
            EndpointError::Invalid { endpoint, reason } => {
                assert_eq!(endpoint, input);
                assert!(!reason.is_empty());
            }
            other => panic!("{input:?}: expected Invalid, got {other:?}"),
        }
    }
}

#[test]
fn unsupported_transports() {
    for (input, scheme) in [
        ("foo://x", "foo"),
        ("ws://127.0.0.1:80", "ws"),
        ("TCP://1.2.3.4:5", "TCP"),
    ] {
        match parse_err(input) {
            EndpointError::UnsupportedTransport(s) => assert_eq!(s, scheme),
            other => panic!("{input:?}: expected UnsupportedTransport, got {other:?}"),
        }
    }
}

#[test]
fn wildcard_and_connect_checks() {
    for s in [
        "tcp://*:5555",
        "tcp://127.0.0.1:*",
        "tcp://*:*",
        "tcp://localhost:0",
    ] {
        let ep = parse(s);
        assert!(ep.is_wildcard_bind(), "{s}");
        assert!(
            matches!(ep.for_connect(), Err(EndpointError::Invalid { .. })),
            "{s}"
        );
    }
    for s in [
        "tcp://127.0.0.1:5555",
        "tcp://localhost:1",
        "tcp://[::1]:2",
        "ipc:///tmp/x",
        "ipc://@x",
        "inproc://x",
    ] {
        let ep = parse(s);
        assert!(!ep.is_wildcard_bind(), "{s}");
        assert_eq!(ep.for_connect().ok(), Some(&ep), "{s}");
    }
}

#[test]
fn transport_names_and_error_display() {
    assert_eq!(parse("tcp://1.2.3.4:5").transport(), "tcp");
    assert_eq!(parse("ipc://@a").transport(), "ipc");
    assert_eq!(parse("inproc://a").transport(), "inproc");
    let msg = parse_err("tcp://host").to_string();
    assert!(msg.contains("tcp://host"), "{msg}");
}
