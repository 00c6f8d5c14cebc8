//! REQ/REP between our sockets and libzmq: ours on either side, either side
//! binding, tcp and ipc; single-part, multipart and 4 MiB messages.

mod common;

use common::*;

/// The reply the REP side sends for a request: a marker frame, then the request.
fn reply_for(req: &[Vec<u8>]) -> Vec<Vec<u8>> {
    let mut r = vec![b"reply".to_vec()];
    r.extend(req.iter().cloned());
    r
}

async fn reqrep(ours_kind: SocketType, binder: Binder, transport: Transport) {
    let ctx = zmq::Context::new();
    let ours = ours(ours_kind);
    let zkind = match ours_kind {
        SocketType::Req => zmq::REP,
        SocketType::Rep => zmq::REQ,
        other => unreachable!("{other:?}"),
    };
    let mut z = Zmq::new(&ctx, zkind);
    let addr = BindAddr::new(transport, "reqrep");
    match binder {
        Binder::Ours => {
            let ep = bind_ours(&ours, &addr.endpoint);
            z.connect(&ep);
        }
        Binder::Libzmq => {
            let ep = z.bind(&addr.endpoint);
            ours.connect(&ep).unwrap();
        }
    }

    let messages = standard_messages("req");
    let n = messages.len();
    if ours_kind == SocketType::Req {
        // libzmq REP echoes every request with a prefix frame.
        let serving = z.run(move |s| -> Result<(), zmq::Error> {
            for _ in 0..n {
                let req = s.recv_multipart(0)?;
                s.send_multipart(reply_for(&req), 0)?;
            }
            Ok(())
        });
        let asking = async {
            for m in &messages {
                send_ours(&ours, m).await;
                let rep = recv_ours(&ours).await;
                assert_msg_eq(&rep, &reply_for(m));
            }
        };
        let (served, ()) = tokio::join!(serving, asking);
        served.expect("libzmq REP");
    } else {
        // libzmq REQ asks; our REP answers.
        let to_send = messages.clone();
        let asking = z.run(move |s| -> Result<Vec<Vec<Vec<u8>>>, zmq::Error> {
            let mut replies = Vec::new();
            for m in to_send {
                s.send_multipart(m, 0)?;
                replies.push(s.recv_multipart(0)?);
            }
            Ok(replies)
        });
        let serving = async {
            for m in &messages {
                let req = recv_ours(&ours).await;
                assert_msg_eq(&req, m);
                send_ours(&ours, &reply_for(&req)).await;
            }
        };
        let (replies, ()) = tokio::join!(asking, serving);
        let replies = replies.expect("libzmq REQ");
        for (r, m) in replies.iter().zip(&messages) {
            assert_msg_eq(r, &reply_for(m));
        }
    }
    ours.close();
}

macro_rules! cases {
    ($($name:ident => $kind:expr, $binder:expr, $transport:expr;)*) => {$(
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn $name() {
            reqrep($kind, $binder, $transport).await;
        }
    )*};
}

cases! {
    our_req_binds_tcp => SocketType::Req, Binder::Ours, Transport::Tcp;
    our_req_binds_ipc => SocketType::Req, Binder::Ours, Transport::Ipc;
    our_req_connects_tcp => SocketType::Req, Binder::Libzmq, Transport::Tcp;
    our_req_connects_ipc => SocketType::Req, Binder::Libzmq, Transport::Ipc;
    our_rep_binds_tcp => SocketType::Rep, Binder::Ours, Transport::Tcp;
    our_rep_binds_ipc => SocketType::Rep, Binder::Ours, Transport::Ipc;
    our_rep_connects_tcp => SocketType::Rep, Binder::Libzmq, Transport::Tcp;
    our_rep_connects_ipc => SocketType::Rep, Binder::Libzmq, Transport::Ipc;
}

/// Our REP serves several libzmq REQ clients, replying to the right one each time.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn our_rep_serves_several_libzmq_reqs() {
    let ctx = zmq::Context::new();
    let rep = ours(SocketType::Rep);
    let ep = bind_ours(&rep, "tcp://127.0.0.1:*");
    let mut clients: Vec<Zmq> = (0..3)
        .map(|_| {
            let z = Zmq::new(&ctx, zmq::REQ);
            z.connect(&ep);
            z
        })
        .collect();
    let server = async {
        for _ in 0..6 {
            let req = recv_ours(&rep).await;
            send_ours(&rep, &reply_for(&req)).await;
        }
    };
    let clients_fut = async {
        let mut handles = Vec::new();
        for (i, mut c) in clients.drain(..).enumerate() {
            handles.push(tokio::spawn(async move {
                for round in 0..2 {
                    let m = vec![format!("client {i} round {round}").into_bytes()];
                    c.send(m.clone()).await.expect("libzmq REQ send");
                    let r = c.recv().await.expect("libzmq REQ recv");
                    assert_msg_eq(&r, &reply_for(&m));
                }
            }));
        }
        for h in handles {
            h.await.unwrap();
        }
    };
    tokio::join!(server, clients_fut);
}
