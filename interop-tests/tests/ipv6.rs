//! ZMQ_IPV6 against libzmq in the same run: which binds succeed, what a wildcard bind
//! reports, and that a connect to an IPv6 address needs the option on both.

mod common;

use common::*;
use zmtp_api::{SockOpt, SocketType};

/// The endpoint without its port, e.g. `tcp://[::]`.
fn without_port(ep: &str) -> &str {
    ep.rsplit_once(':').map_or(ep, |(host, _)| host)
}

#[tokio::test]
async fn binds_follow_the_ipv6_option_as_in_libzmq() {
    let ctx = zmq::Context::new();
    for ipv6 in [false, true] {
        for ep in ["tcp://[::1]:*", "tcp://*:*", "tcp://127.0.0.1:*"] {
            let z = ctx.socket(zmq::PULL).unwrap();
            z.set_ipv6(ipv6).unwrap();
            let theirs = z.bind(ep).is_ok();
            let s = ours(SocketType::Pull);
            s.set_option_value(SockOpt::Ipv6, i64::from(ipv6)).unwrap();
            let mine = s.bind(ep).is_ok();
            assert_eq!(mine, theirs, "ipv6={ipv6} bind {ep}");
            // One difference on purpose: with IPV6 libzmq binds an IPv4 address on an
            // IPv6 socket and reports it v4-mapped (`tcp://[::ffff:127.0.0.1]:port`);
            // ours binds an IPv4 socket and reports `tcp://127.0.0.1:port`.
            let mapped = ipv6 && ep.starts_with("tcp://127.");
            if theirs && !mapped {
                let z_last = z.get_last_endpoint().unwrap().unwrap();
                let s_last = s.last_endpoint().unwrap().unwrap();
                assert_eq!(
                    without_port(&s_last),
                    without_port(&z_last),
                    "ipv6={ipv6} {ep}"
                );
            }
            s.close();
        }
    }
}

#[tokio::test]
async fn an_ipv6_connect_needs_the_option() {
    // libzmq binds [::1] with IPV6 set; ours connects to it only with IPV6 set too.
    let ctx = zmq::Context::new();
    let mut z = Zmq::new(&ctx, zmq::PULL);
    z.raw().set_ipv6(true).unwrap();
    let ep = z.bind("tcp://[::1]:*");
    for ipv6 in [false, true] {
        let s = ours(SocketType::Push);
        s.set_option_value(SockOpt::Ipv6, i64::from(ipv6)).unwrap();
        s.connect(ep.as_str()).unwrap();
        s.send(if ipv6 { "with" } else { "without" }).await.unwrap();
        if ipv6 {
            let got = z.recv_within(T).await.expect("delivered over IPv6");
            assert_eq!(got, [b"with".to_vec()]);
        }
        s.close();
    }
}
