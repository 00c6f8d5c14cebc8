//! CURVE between our sockets and pyzmq (libzmq 4.3.5 with CURVE): DEALER/ROUTER,
//! REQ/REP and PUB/SUB over tcp and ipc, ours as the security server and as the client,
//! each socket type on the binding and on the connecting side (the matrix is in
//! `interop_tests::security::matrix`): messages both ways where the pattern allows,
//! multipart with an empty frame and a large frame, `User-Id` on pyzmq's messages where
//! its ZAP authenticator set one, the mechanism option on ours.

use interop_tests::security::Transport;
use interop_tests::security::matrix::{Mechanism, Role, cases, run};

fn run_all(transport: Transport, role: Role) {
    for case in cases(Mechanism::Curve, transport, role) {
        run(case);
    }
}

#[test]
fn curve_tcp_ours_server() {
    run_all(Transport::Tcp, Role::OursServer);
}

#[test]
fn curve_tcp_ours_client() {
    run_all(Transport::Tcp, Role::OursClient);
}

#[test]
fn curve_ipc_ours_server() {
    run_all(Transport::Ipc, Role::OursServer);
}

#[test]
fn curve_ipc_ours_client() {
    run_all(Transport::Ipc, Role::OursClient);
}
