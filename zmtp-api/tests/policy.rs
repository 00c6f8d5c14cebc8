//! Endpoint policies: per context, per task, per thread and per socket; all must allow.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use zmtp_api::policy::{self, AllowAll, AllowList, DenyAll, EndpointRequest, Transport};
use zmtp_api::{Context, EndpointMode, Error, Socket, SocketType, blocking};

/// What a policy saw: (mode, transport, host, port, path, name).
type Seen = (
    EndpointMode,
    Transport,
    Option<String>,
    Option<u16>,
    Option<PathBuf>,
    Option<String>,
);

type Log = Arc<Mutex<Vec<Seen>>>;

fn recorder() -> (impl policy::EndpointPolicy, Log) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    let policy = move |r: &EndpointRequest<'_>| {
        log.lock().unwrap().push((
            r.mode,
            r.transport,
            r.host.map(str::to_owned),
            r.port,
            r.path.map(|p| p.to_path_buf()),
            r.name.map(str::to_owned),
        ));
        Ok(())
    };
    (policy, seen)
}

fn denied(r: zmtp_api::Result<()>) -> bool {
    matches!(r, Err(Error::PolicyDenied { .. }))
}

#[tokio::test]
async fn the_policy_sees_wildcards_ipv6_ipc_and_inproc() {
    let (policy, seen) = recorder();
    let s = Socket::builder(SocketType::Pull)
        .policy(policy)
        .build()
        .unwrap();
    s.bind("tcp://*:*").unwrap();
    let _ = s.bind("tcp://[::1]:*"); // the check runs even if the host has no IPv6
    s.connect("tcp://localhost:5999").unwrap();
    s.connect("inproc://pol-a").unwrap();
    let ipc = format!("ipc://pol-{}.sock", std::process::id());
    let _ = s.connect(ipc.as_str());
    s.connect("ipc://@pol-abstract").unwrap();
    let seen = seen.lock().unwrap().clone();
    use EndpointMode::{Bind, Connect};
    assert_eq!(seen[0], (Bind, Transport::Tcp, None, None, None, None));
    assert_eq!(
        seen[1],
        (Bind, Transport::Tcp, Some("::1".into()), None, None, None)
    );
    assert_eq!(
        seen[2],
        (
            Connect,
            Transport::Tcp,
            Some("localhost".into()),
            Some(5999),
            None,
            None
        )
    );
    assert_eq!(
        seen[3],
        (
            Connect,
            Transport::Inproc,
            None,
            None,
            None,
            Some("pol-a".into())
        )
    );
    let path = seen[4].4.clone().unwrap();
    assert!(path.is_absolute() && path.ends_with(format!("pol-{}.sock", std::process::id())));
    assert_eq!(
        seen[5],
        (
            Connect,
            Transport::Ipc,
            None,
            None,
            None,
            Some("pol-abstract".into())
        )
    );
    assert_eq!(seen.len(), 6);
}

#[tokio::test]
async fn denial_is_typed_and_unchecked_calls_bypass() {
    let s = Socket::builder(SocketType::Pull)
        .policy(DenyAll)
        .build()
        .unwrap();
    match s.connect("tcp://127.0.0.1:5999") {
        Err(Error::PolicyDenied {
            endpoint,
            mode,
            reason,
        }) => {
            assert_eq!(endpoint, "tcp://127.0.0.1:5999");
            assert_eq!(mode, EndpointMode::Connect);
            assert!(!reason.is_empty());
        }
        other => panic!("{other:?}"),
    }
    assert!(s.endpoints(EndpointMode::Connect).unwrap().is_empty());
    s.connect_unchecked("tcp://127.0.0.1:5999").unwrap();
    s.bind_unchecked("inproc://pol-unchecked").unwrap();
    // Unbind and disconnect are never checked.
    s.unbind("inproc://pol-unchecked").unwrap();
    s.disconnect("tcp://127.0.0.1:5999").unwrap();
    // Unparseable endpoints fail before the policy.
    assert!(matches!(s.bind("ws://x:1"), Err(Error::InvalidEndpoint(_))));
}

#[tokio::test]
async fn allow_list_rules() {
    let dir = std::env::temp_dir().join("zmtp-pol");
    let p = AllowList::new()
        .inproc()
        .tcp_host("127.0.0.1")
        .tcp("*", 0)
        .tcp("[::1]", 7000)
        .ipc_dir(&dir)
        .ipc_abstract();
    let s = Socket::builder(SocketType::Push).policy(p).build().unwrap();
    s.connect("inproc://pol-list").unwrap();
    s.connect("tcp://127.0.0.1:1234").unwrap();
    assert!(denied(s.connect("tcp://127.0.0.2:1234")));
    assert!(denied(s.connect("tcp://localhost:1234")));
    assert!(denied(s.bind("tcp://*:4321")));
    s.connect("tcp://[::1]:7000").unwrap();
    assert!(denied(s.connect("tcp://[::1]:7001")));
    s.connect(format!("ipc://{}/a.sock", dir.display()).as_str())
        .unwrap();
    assert!(denied(
        s.connect(format!("ipc://{}/../a.sock", dir.display()).as_str())
    ));
    assert!(denied(s.connect("ipc:///tmp/elsewhere.sock")));
    s.connect("ipc://@pol-abs").unwrap();
    assert!(denied(
        Socket::builder(SocketType::Push)
            .policy(AllowList::new())
            .build()
            .unwrap()
            .connect("inproc://x")
    ));
}

#[tokio::test]
async fn context_policy_applies_to_its_sockets_now_and_later() {
    let ctx = Context::new();
    let early = ctx.socket(SocketType::Pub).unwrap();
    ctx.set_policy(AllowList::new().inproc());
    let late = ctx.socket(SocketType::Pub).unwrap();
    for s in [&early, &late] {
        assert!(denied(s.bind("tcp://127.0.0.1:*")));
    }
    early.bind("inproc://pol-ctx").unwrap();
    // Other contexts are unaffected.
    Socket::new(SocketType::Pub)
        .unwrap()
        .bind("tcp://127.0.0.1:*")
        .unwrap();
    ctx.clear_policy();
    late.bind("tcp://127.0.0.1:*").unwrap();
}

#[tokio::test]
async fn all_policies_must_allow() {
    let ctx = Context::new();
    ctx.set_policy(AllowList::new().inproc().tcp_host("127.0.0.1"));
    // The socket allows tcp only: together nothing but tcp on 127.0.0.1 passes.
    let s = Socket::builder(SocketType::Pub)
        .context(&ctx)
        .policy(|r: &EndpointRequest<'_>| match r.transport {
            Transport::Tcp => Ok(()),
            _ => Err("tcp only".to_string()),
        })
        .build()
        .unwrap();
    assert!(denied(s.bind("inproc://pol-both")));
    assert!(denied(s.bind("tcp://*:*")));
    s.bind("tcp://127.0.0.1:*").unwrap();
    // A task scope narrows further; it cannot widen.
    let r = policy::scope(AllowAll, async { s.bind("inproc://pol-both") }).await;
    assert!(denied(r));
    let r = policy::scope(DenyAll, async { s.bind("tcp://127.0.0.1:*") }).await;
    assert!(denied(r));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn task_scope_is_per_task_and_nests() {
    let s = Socket::new(SocketType::Pub).unwrap();
    let s2 = s.clone();
    let inside = policy::scope(AllowList::new().inproc(), async move {
        // Another task started here does not inherit the scope.
        let other = tokio::spawn(async move { s2.bind("tcp://127.0.0.1:*") })
            .await
            .unwrap();
        assert!(other.is_ok());
        assert!(denied(s.bind("tcp://127.0.0.1:*")));
        s.bind("inproc://pol-scope").unwrap();
        // Nested: both the outer and the inner scope apply.
        let nested = policy::scope(AllowList::new().tcp_host("127.0.0.1"), async {
            (s.bind("inproc://pol-scope-2"), s.bind("tcp://127.0.0.1:*"))
        })
        .await;
        assert!(denied(nested.0) && denied(nested.1));
        s
    })
    .await;
    inside.bind("tcp://127.0.0.1:*").unwrap();
}

#[test]
fn thread_scope_for_blocking_code() {
    let s = blocking::Socket::new(SocketType::Pub).unwrap();
    policy::scope_blocking(AllowList::new().inproc(), || {
        assert!(denied(s.bind("tcp://127.0.0.1:*")));
        s.bind("inproc://pol-thread").unwrap();
        // Other threads are unaffected.
        let s2 = s.clone();
        std::thread::spawn(move || s2.bind("tcp://127.0.0.1:*").unwrap())
            .join()
            .unwrap();
    });
    s.bind("tcp://127.0.0.1:*").unwrap();
    // The scope is restored even when the closure panics.
    let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        policy::scope_blocking(DenyAll, || panic!("boom"))
    }));
    assert!(r.is_err());
    s.bind("inproc://pol-thread-after").unwrap();
}
