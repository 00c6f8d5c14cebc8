//! PAIR.

use super::*;

#[test]
fn pair_talks_to_its_single_peer() {
    let mut f = Fake::default();
    let mut r = routing(SocketType::Pair, &[]);
    assert!(matches!(
        r.send(m(&["x"]), &mut f),
        Err(SendError::WouldBlock(_))
    ));
    let a = join(&mut r, &mut f, 1, 1);
    r.send(m(&["x", "y"]), &mut f).unwrap();
    assert!(matches!(
        r.send(m(&["z"]), &mut f),
        Err(SendError::WouldBlock(_))
    ));
    assert_eq!(f.take(a), vec![m(&["x", "y"])]);
    assert_eq!(delivered(r.on_recv(a, m(&["in"]))), m(&["in"]));
}

#[test]
fn pair_does_not_serve_a_second_peer_while_the_first_lives() {
    let mut f = Fake::default();
    let mut r = routing(SocketType::Pair, &[]);
    let a = join(&mut r, &mut f, 1, 10);
    let b = join(&mut r, &mut f, 2, 10);
    assert!(!f.was_killed(b) && !f.was_killed(a));
    assert!(matches!(r.on_recv(b, m(&["intruder"])), RecvAction::Drop));
    r.send(m(&["x"]), &mut f).unwrap();
    assert_eq!(f.take(a).len(), 1);
    assert!(f.take(b).is_empty());
    r.detach(b, 0);
    // After the first goes away, a new peer is accepted.
    r.detach(a, 0);
    let c = join(&mut r, &mut f, 3, 10);
    assert!(!f.was_killed(c));
    r.send(m(&["y"]), &mut f).unwrap();
    assert_eq!(f.take(c), vec![m(&["y"])]);
}

#[test]
fn pair_connect_side_pipe_queues_before_connection_and_survives_reconnect() {
    let mut f = Fake::default();
    let mut r = routing(SocketType::Pair, &[]);
    let a = f.add(1, 10);
    r.attach(a);
    r.send(m(&["early"]), &mut f).unwrap();
    r.connected(a, &PeerMeta::default(), &mut f);
    r.disconnected(a, 0);
    r.connected(a, &PeerMeta::default(), &mut f);
    assert!(f.killed.is_empty());
    assert_eq!(f.take(a), vec![m(&["early"])]);
}

#[test]
fn pair_delivers_what_a_departed_peer_sent_before_it_left() {
    let mut f = Fake::default();
    let mut r = routing(SocketType::Pair, &[]);
    let a = join(&mut r, &mut f, 1, 10);
    let b = join(&mut r, &mut f, 2, 10);
    // Two of a's messages still wait in the incoming queue when it goes.
    r.detach(a, 2);
    r.detach(b, 1);
    assert_eq!(delivered(r.on_recv(a, m(&["1"]))), m(&["1"]));
    assert!(
        matches!(r.on_recv(b, m(&["intruder"])), RecvAction::Drop),
        "never the peer"
    );
    assert_eq!(delivered(r.on_recv(a, m(&["2"]))), m(&["2"]));
    assert!(matches!(r.on_recv(a, m(&["3"])), RecvAction::Drop));
}
