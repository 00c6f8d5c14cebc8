//! Helpers for the `types_*.rs` socket-type tests: wiring one of ours to a libzmq socket
//! with either side binding, bounded receives on both sides, "keep sending until it
//! arrives" loops for slow joiners, and libzmq monitor event counting.

use std::time::Duration;

use super::*;

/// How long a negative check ("nothing else arrives") listens. Only used after a
/// positive barrier already proved the path works, so a short window suffices.
pub const QUIET: Duration = Duration::from_millis(300);

/// Connects `ours` and `z` with the chosen side binding; the guard keeps an ipc path alive.
pub fn wire(ours: &Socket, z: &Zmq, binder: Binder, transport: Transport, tag: &str) -> BindAddr {
    let addr = BindAddr::new(transport, tag);
    match binder {
        Binder::Ours => {
            let ep = bind_ours(ours, &addr.endpoint);
            z.connect(&ep);
        }
        Binder::Libzmq => {
            let ep = z.bind(&addr.endpoint);
            ours.connect(&ep).unwrap();
        }
    }
    addr
}

/// Frames as `Bytes` for our send calls.
pub fn frames(parts: &[&[u8]]) -> Vec<Bytes> {
    parts.iter().map(|p| Bytes::copy_from_slice(p)).collect()
}

// libzmq's own setsockopt, for options the `zmq` crate has no setter for (the symbol is
// linked in through `zmq-sys`).
unsafe extern "C" {
    fn zmq_setsockopt(
        socket: *mut std::ffi::c_void,
        option: std::ffi::c_int,
        optval: *const std::ffi::c_void,
        optvallen: usize,
    ) -> std::ffi::c_int;
}

unsafe extern "C" {
    fn zmq_socket_monitor(
        socket: *mut std::ffi::c_void,
        addr: *const std::ffi::c_char,
        events: std::ffi::c_int,
    ) -> std::ffi::c_int;
}

/// A monitored libzmq socket emits events from libzmq's I/O thread with a *blocking*
/// send to the monitor's PAIR; once the reading PAIR is closed that send blocks forever
/// and wedges the whole context (every later test step times out). So a `Zmq` stops its
/// monitor before it closes, and tests declare the monitor reader *before* the monitored
/// socket (`let mut mon; let z = ..; mon = z.monitor(..)`) so that it is dropped after it.
impl Drop for Zmq {
    fn drop(&mut self) {
        self.stop_monitor();
    }
}

/// libzmq option numbers the `zmq` crate has no setter for.
pub mod zopt {
    pub const CONNECT_ROUTING_ID: i32 = 61;
    pub const XPUB_NODROP: i32 = 69;
    pub const XPUB_MANUAL: i32 = 71;
    pub const STREAM_NOTIFY: i32 = 73;
    pub const INVERT_MATCHING: i32 = 74;
    pub const XPUB_VERBOSER: i32 = 78;
}

impl Zmq {
    /// Sets a libzmq option by number with a raw byte value.
    pub fn set_raw_option(&mut self, option: i32, value: &[u8]) {
        let s = self
            .sock
            .as_mut()
            .expect("libzmq socket lost in a cancelled call");
        // SAFETY: a live socket pointer and a valid buffer of the given length.
        let rc =
            unsafe { zmq_setsockopt(s.as_mut_ptr(), option, value.as_ptr().cast(), value.len()) };
        assert_eq!(rc, 0, "libzmq setsockopt({option}) failed");
    }

    /// Stops the socket monitor, if any (no more events are emitted after this returns).
    pub fn stop_monitor(&mut self) {
        if let Some(s) = self.sock.as_mut() {
            // SAFETY: a live socket; a null address deregisters the monitor.
            unsafe { zmq_socket_monitor(s.as_mut_ptr(), std::ptr::null(), 0) };
        }
    }

    /// Sets an int-valued libzmq option by number.
    pub fn set_int_option(&mut self, option: i32, value: i32) {
        self.set_raw_option(option, &value.to_ne_bytes());
    }

    /// Receives within `within`; `None` on timeout (EAGAIN).
    pub async fn recv_within(&mut self, within: Duration) -> Option<Vec<Vec<u8>>> {
        let ms = within.as_millis().max(1) as i32;
        self.run(move |s| {
            s.set_rcvtimeo(ms).unwrap();
            let r = s.recv_multipart(0);
            s.set_rcvtimeo(T.as_millis() as i32).unwrap();
            r.ok()
        })
        .await
    }

    /// Receives within the standard deadline; panics with `what` on timeout.
    pub async fn recv_or(&mut self, what: &str) -> Vec<Vec<u8>> {
        self.recv_within(T)
            .await
            .unwrap_or_else(|| panic!("libzmq never received: {what}"))
    }

    /// Lets libzmq process pending commands (new pipes, subscriptions, terminations):
    /// libzmq only does that when its application thread calls into the socket.
    pub fn poke(&self) {
        let _ = self.raw().get_events();
    }

    /// On a monitor PAIR: counts the events of kind `ev` seen during `window`.
    pub async fn count_events(&mut self, ev: zmq::SocketEvent, window: Duration) -> usize {
        let want = ev.to_raw();
        self.run(move |s| {
            let deadline = std::time::Instant::now() + window;
            let mut n = 0;
            loop {
                let left = deadline.saturating_duration_since(std::time::Instant::now());
                if left.is_zero() {
                    break;
                }
                s.set_rcvtimeo(left.as_millis().max(1) as i32).unwrap();
                match s.recv_multipart(0) {
                    Ok(frames) if frames.first().is_some_and(|f| f.len() >= 2) => {
                        if u16::from_le_bytes([frames[0][0], frames[0][1]]) == want {
                            n += 1;
                        }
                    }
                    Ok(_) => {}
                    Err(_) => break,
                }
            }
            s.set_rcvtimeo(T.as_millis() as i32).unwrap();
            n
        })
        .await
    }

    /// On a monitor PAIR: the first event among `events` (raw values) within the deadline.
    pub async fn first_event_of(&mut self, events: &'static [zmq::SocketEvent]) -> Option<u16> {
        self.run(move |s| {
            let deadline = std::time::Instant::now() + T;
            while std::time::Instant::now() < deadline {
                match s.recv_multipart(0) {
                    Ok(frames) if frames.first().is_some_and(|f| f.len() >= 2) => {
                        let ev = u16::from_le_bytes([frames[0][0], frames[0][1]]);
                        if events.iter().any(|e| e.to_raw() == ev) {
                            return Some(ev);
                        }
                    }
                    Ok(_) => {}
                    Err(_) => return None,
                }
            }
            None
        })
        .await
    }
}

/// Waits for a message on ours while poking the libzmq sockets (so they process new
/// connections and send their subscriptions).
pub async fn recv_ours_poking(ours: &Socket, pokes: &[&Zmq], what: &str) -> Vec<Vec<u8>> {
    let deadline = tokio::time::Instant::now() + T;
    loop {
        for z in pokes {
            z.poke();
        }
        if let Some(m) = recv_ours_within(ours, Duration::from_millis(20)).await {
            return m;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "our socket never received: {what}"
        );
    }
}

/// Sends from ours (non-blocking, repeatedly) until libzmq gets something: for sends that
/// may be dropped before the path exists (PUB-like slow joiners, ROUTER before the
/// peer's id is known). Returns what libzmq received first.
pub async fn ours_send_until_libzmq_gets(
    ours: &Socket,
    z: &mut Zmq,
    parts: &[&[u8]],
) -> Vec<Vec<u8>> {
    let deadline = tokio::time::Instant::now() + T;
    loop {
        let _ = ours.try_send(frames(parts));
        if let Some(m) = z.recv_within(Duration::from_millis(30)).await {
            return m;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "libzmq never received {}",
            describe(&msg(parts))
        );
    }
}

/// Sends from libzmq (non-blocking, repeatedly) until ours gets something; returns it.
pub async fn libzmq_send_until_ours_gets(z: &Zmq, ours: &Socket, parts: &[&[u8]]) -> Vec<Vec<u8>> {
    let deadline = tokio::time::Instant::now() + T;
    loop {
        let _ = z.raw().send_multipart(parts.iter(), zmq::DONTWAIT);
        if let Some(m) = recv_ours_within(ours, Duration::from_millis(30)).await {
            return m;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "our socket never received {}",
            describe(&msg(parts))
        );
    }
}

/// Polls until `f` returns `Some` or the deadline passes.
pub async fn poll_for<R>(what: &str, mut f: impl FnMut() -> Option<R>) -> R {
    let deadline = tokio::time::Instant::now() + T;
    loop {
        if let Some(r) = f() {
            return r;
        }
        assert!(tokio::time::Instant::now() < deadline, "timed out: {what}");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

/// Generates one test per (binder, transport): `ours_binds_tcp`, `libzmq_binds_tcp`,
/// `ours_binds_ipc`, `libzmq_binds_ipc`, each inside a module named after the case.
#[macro_export]
macro_rules! each_binder_and_transport {
    ($($name:ident => $f:path;)*) => {$(
        mod $name {
            use super::*;
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn ours_binds_tcp() { $f(Binder::Ours, Transport::Tcp).await }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn libzmq_binds_tcp() { $f(Binder::Libzmq, Transport::Tcp).await }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn ours_binds_ipc() { $f(Binder::Ours, Transport::Ipc).await }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn libzmq_binds_ipc() { $f(Binder::Libzmq, Transport::Ipc).await }
        }
    )*};
}

/// Generates one test per transport: `tcp` and `ipc`.
#[macro_export]
macro_rules! each_transport {
    ($($name:ident => $f:path;)*) => {$(
        mod $name {
            use super::*;
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn tcp() { $f(Transport::Tcp).await }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn ipc() { $f(Transport::Ipc).await }
        }
    )*};
}
