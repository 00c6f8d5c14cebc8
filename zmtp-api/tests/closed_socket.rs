//! A closed socket: every operation of both APIs fails with `Error::Closed` (Racket:
//! "socket is closed"), apart from the documented exemptions (see `Socket::close`), and
//! in `blocking::select` a closed socket is never ready.

use std::time::Duration;

use zmtp_api::{
    EndpointMode, Error, OptionValue, ProxyEnd, SockOpt, Socket, SocketOption, SocketType, blocking,
};

const T: Duration = Duration::from_secs(10);

/// Collects the operations that did not fail with `Closed`, to report them all at once.
#[derive(Default)]
struct Table {
    wrong: Vec<String>,
}

impl Table {
    fn check<T: std::fmt::Debug>(&mut self, name: &str, r: zmtp_api::Result<T>) {
        if !matches!(r, Err(Error::Closed)) {
            self.wrong.push(format!("{name}: {r:?}"));
        }
    }

    fn assert_all_closed(self) {
        assert!(
            self.wrong.is_empty(),
            "operations on a closed socket that did not fail with Closed:\n{}",
            self.wrong.join("\n")
        );
    }
}

/// A SUB socket with a bound and a connected endpoint of each kind, then closed, and
/// the endpoints it had (so unbind/disconnect name endpoints it really had).
fn closed_sub(tag: &str) -> (Socket, String, String, String) {
    let s = Socket::new(SocketType::Sub).unwrap();
    let tcp = s.bind_one("tcp://127.0.0.1:*").unwrap();
    let inproc = format!("inproc://closed-{tag}-bound");
    s.bind(inproc.as_str()).unwrap();
    let connected = format!("inproc://closed-{tag}-connected");
    s.connect(connected.as_str()).unwrap();
    s.close();
    (s, tcp, inproc, connected)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_async_operation_fails_with_closed() {
    let (s, tcp, inproc, connected) = closed_sub("async");
    let mut t = Table::default();
    t.check("send", s.send("x").await);
    t.check("send_multipart", s.send_multipart(["a", "b"]).await);
    t.check("try_send", s.try_send("x"));
    t.check("recv_message", s.recv_message().await);
    t.check("recv", s.recv().await);
    t.check("recv_multipart", s.recv_multipart().await);
    t.check("recv_string", s.recv_string().await);
    t.check("try_recv_message", s.try_recv_message());
    t.check("bind", s.bind("inproc://closed-async-new"));
    t.check("bind_one", s.bind_one("tcp://127.0.0.1:*"));
    t.check(
        "bind_unchecked",
        s.bind_unchecked("inproc://closed-async-new"),
    );
    t.check("connect", s.connect("tcp://127.0.0.1:5999"));
    t.check("connect_unchecked", s.connect_unchecked("inproc://x"));
    t.check("unbind tcp", s.unbind(tcp.as_str()));
    t.check("unbind inproc", s.unbind(inproc.as_str()));
    t.check("unbind unknown", s.unbind("inproc://never-bound"));
    t.check("disconnect", s.disconnect(connected.as_str()));
    t.check(
        "disconnect unknown",
        s.disconnect("inproc://never-connected"),
    );
    t.check("subscribe", s.subscribe("a"));
    t.check("unsubscribe", s.unsubscribe("a"));
    t.check("get_option", s.get_option(SockOpt::RcvHwm));
    t.check(
        "get_option last_endpoint",
        s.get_option(SockOpt::LastEndpoint),
    );
    t.check("get_option unreadable", s.get_option(SockOpt::Subscribe));
    t.check("get_option_named", s.get_option_named("rcvhwm"));
    t.check("get_option_named unknown", s.get_option_named("nonsense"));
    t.check("last_endpoint", s.last_endpoint());
    t.check("last_endpoint_parsed", s.last_endpoint_parsed());
    t.check("endpoints bind", s.endpoints(EndpointMode::Bind));
    t.check("endpoints connect", s.endpoints(EndpointMode::Connect));
    t.check("set_option", s.set_option(SocketOption::RcvHwm(5)));
    t.check("set_option_value", s.set_option_value(SockOpt::RcvHwm, 5));
    t.check("set_option_named", s.set_option_named("rcvhwm", 5));
    // Closed comes before the policy's refusal (libzmq: ENOTSOCK before anything else).
    s.set_policy(zmtp_api::policy::DenyAll);
    t.check("bind policy-denied", s.bind("inproc://closed-async-denied"));
    t.check(
        "connect policy-denied",
        s.connect("inproc://closed-async-denied"),
    );
    t.assert_all_closed();
}

#[test]
fn every_blocking_operation_fails_with_closed() {
    let (s, tcp, inproc, connected) = closed_sub("blocking");
    let s = s.blocking();
    let mut t = Table::default();
    t.check("send", s.send("x"));
    t.check("send_multipart", s.send_multipart(["a", "b"]));
    t.check("try_send", s.try_send("x"));
    t.check("recv_message", s.recv_message());
    t.check("recv", s.recv());
    t.check("recv_multipart", s.recv_multipart());
    t.check("recv_string", s.recv_string());
    t.check("recv_timeout", s.recv_timeout(T));
    t.check("try_recv_message", s.try_recv_message());
    t.check("bind", s.bind("inproc://closed-blocking-new"));
    t.check("bind_one", s.bind_one("tcp://127.0.0.1:*"));
    t.check("bind_unchecked", s.bind_unchecked("inproc://closed-b-new"));
    t.check("connect", s.connect("tcp://127.0.0.1:5999"));
    t.check("connect_unchecked", s.connect_unchecked("inproc://x"));
    t.check("unbind tcp", s.unbind(tcp.as_str()));
    t.check("unbind inproc", s.unbind(inproc.as_str()));
    t.check("disconnect", s.disconnect(connected.as_str()));
    t.check("subscribe", s.subscribe("a"));
    t.check("unsubscribe", s.unsubscribe("a"));
    t.check("get_option", s.get_option(SockOpt::RcvHwm));
    t.check("get_option_named", s.get_option_named("rcvhwm"));
    t.check("last_endpoint", s.last_endpoint());
    t.check("endpoints", s.endpoints(EndpointMode::Bind));
    t.check("set_option", s.set_option(SocketOption::RcvHwm(5)));
    t.check("set_option_value", s.set_option_value(SockOpt::RcvHwm, 5));
    t.check(
        "set_option_named",
        s.set_option_named("rcvhwm", OptionValue::Int(5)),
    );
    t.assert_all_closed();
}

#[test]
fn exempt_operations_behave_as_documented() {
    let s = blocking::Socket::new(SocketType::Pull).unwrap();
    let _ep = s.bind_one("tcp://127.0.0.1:*").unwrap();
    s.close();
    // close is idempotent; the closing is reported, not refused.
    s.close();
    assert!(s.is_closed());
    assert!(s.wait_closed(Some(T)).unwrap());
    assert!(s.messages().next().is_none());
    let other = blocking::Socket::new(SocketType::Push).unwrap();
    assert_eq!(blocking::proxy(&s, &other).run().unwrap(), ProxyEnd::Closed);
    // Local facts stay readable.
    assert_eq!(s.socket_type(), SocketType::Pull);
}

#[test]
fn select_skips_a_closed_socket() {
    let closed = blocking::Socket::new(SocketType::Pull).unwrap();
    closed.close();
    let open = blocking::Socket::builder(SocketType::Pull)
        .bind("inproc://select-closed-open")
        .build()
        .unwrap();
    let push = blocking::Socket::builder(SocketType::Push)
        .connect("inproc://select-closed-open")
        .build()
        .unwrap();
    push.send("for the open one").unwrap();
    let (i, m) = blocking::select(&[&closed, &open], Some(T))
        .unwrap()
        .expect("the open socket's message");
    assert_eq!(i, 1);
    assert_eq!(m.frames(), ["for the open one"]);
    // Nothing ready: the closed socket does not end the wait early.
    assert!(
        blocking::select(&[&closed, &open], Some(Duration::from_millis(20)))
            .unwrap()
            .is_none()
    );
}

#[test]
fn select_skips_a_socket_closed_while_waiting() {
    let a = blocking::Socket::new(SocketType::Pull).unwrap();
    let b = blocking::Socket::builder(SocketType::Pull)
        .bind("inproc://select-closing-b")
        .build()
        .unwrap();
    let push = blocking::Socket::builder(SocketType::Push)
        .connect("inproc://select-closing-b")
        .build()
        .unwrap();
    let (a2, push2) = (a.clone(), push.clone());
    let helper = std::thread::spawn(move || {
        a2.close();
        push2.send("after the close").unwrap();
    });
    let got = blocking::select(&[&a, &b], Some(T)).unwrap();
    helper.join().unwrap();
    let (i, m) = got.expect("b's message");
    assert_eq!(i, 1);
    assert_eq!(m.frames(), ["after the close"]);
}

#[test]
fn select_over_only_closed_sockets_fails_with_closed() {
    let a = blocking::Socket::new(SocketType::Pull).unwrap();
    let b = blocking::Socket::new(SocketType::Pull).unwrap();
    a.close();
    b.close();
    assert!(matches!(
        blocking::select(&[&a, &b], None),
        Err(Error::Closed)
    ));
}
