"""A pyzmq peer that a Rust interop test drives over stdin/stdout.

Started as `python peer.py '<config json>'` (or with the config as the first line of
stdin when no argument is given). It sets up one socket as configured, prints one hello
line, then answers one JSON line on stdout for each JSON command line on stdin. It exits
on a `close` command, on stdin EOF (so a test that dies never leaves it behind) and
when stdout is gone.

Config (every key but "socket_type" optional):
    {"socket_type": "PUSH", "bind": ["tcp://127.0.0.1:*"], "connect": [...],
     "options": {"linger": 0, "routing_id_hex": "..", "subscribe_hex": [".."],
                 "sndhwm": 1000, "rcvhwm": 1000, "rcvtimeo": -1,
                 "plain_server": true, "plain_username": "..", "plain_password": "..",
                 "curve_server": true, "curve_secretkey": "<z85>",
                 "curve_publickey": "<z85>", "curve_serverkey": "<z85>",
                 "zap_domain": ".."},
     "monitor": true,
     "zap": {"kind": "handler", "status_code": "200", "status_text": "OK",
             "user_id": "alice"}
         or {"kind": "authenticator", "allow": ["127.0.0.1"], "deny": [],
             "plain_passwords": {"user": "pass"}, "curve_allow_any": false,
             "curve_keys": ["<z85>"], "domain": "*"}}

Hello: {"ok": true, "hello": {"pyzmq": "..", "libzmq": "..", "curve": true,
        "endpoints": ["tcp://127.0.0.1:40000"]}}  or  {"ok": false, "error": ".."}

Commands (each may carry "seq", echoed in its reply):
    {"cmd": "send", "frames_hex": [..]} or "frames_b64": [..], "timeout_ms": 10000
        -> {"ok": true}
    {"cmd": "recv", "timeout_ms": 1000}
        -> {"ok": true, "frames": [{"hex": "..", "properties": {"User-Id": ..}}]}
           or {"ok": true, "timeout": true}
    {"cmd": "events"}        -> {"ok": true, "events": [{"event": "CONNECTED",
                                  "code": 1, "value": 12, "endpoint": ".."}]}
    {"cmd": "zap_requests"}  -> {"ok": true, "requests": [{"frames_hex": [..],
                                  "reply": {"status_code": "200", ...}}]}
    {"cmd": "zap_reply", "status_code": "400", "status_text": "..", "user_id": ".."}
        -> {"ok": true}  (the hand-written handler's answer from now on)
    {"cmd": "bind" | "connect" | "unbind" | "disconnect", "endpoint": ".."}
        -> {"ok": true, "endpoint": "<resolved>"}
    {"cmd": "subscribe", "topic_hex": ".."} -> {"ok": true}
    {"cmd": "curve_keypair"} -> {"ok": true, "public": "<z85>", "secret": "<z85>"}
    {"cmd": "close"}         -> {"ok": true}, then exit
Failures: {"ok": false, "error": "..", "errno": "EAGAIN"}.
"""

import base64
import errno
import json
import os
import queue
import sys
import threading
import time

import zmq

ZAP_ENDPOINT = "inproc://zeromq.zap.01"
PROPERTIES = ("User-Id", "Socket-Type", "Peer-Address", "Routing-Id", "Identity")


def emit(obj):
    """Writes one JSON line; exits when nobody reads stdout any more."""
    try:
        sys.stdout.write(json.dumps(obj) + "\n")
        sys.stdout.flush()
    except (BrokenPipeError, OSError):
        os._exit(0)


def errno_name(e):
    try:
        return zmq.Errno(e.errno).name
    except ValueError:
        return errno.errorcode.get(e.errno, str(e.errno))


class Record:
    """A list shared between a background thread and the command loop."""

    def __init__(self):
        self.lock = threading.Lock()
        self.items = []

    def add(self, item):
        with self.lock:
            self.items.append(item)

    def all(self):
        with self.lock:
            return list(self.items)


class ZapHandler(threading.Thread):
    """A hand-written ZAP handler: answers every request the same configured way."""

    def __init__(self, ctx, conf, record):
        super().__init__(daemon=True)
        self.record = record
        self.lock = threading.Lock()
        self.set_reply(conf)
        self.stopping = False
        self.sock = ctx.socket(zmq.REP)
        self.sock.linger = 0
        self.sock.bind(ZAP_ENDPOINT)

    def set_reply(self, conf):
        with self.lock:
            self.reply = {
                "status_code": str(conf.get("status_code", "200")),
                "status_text": conf.get("status_text", "OK"),
                "user_id": conf.get("user_id", ""),
                "metadata_hex": conf.get("metadata_hex", ""),
            }

    def run(self):
        while not self.stopping:
            if not self.sock.poll(50):
                continue
            frames = self.sock.recv_multipart()
            with self.lock:
                reply = dict(self.reply)
            request_id = frames[1] if len(frames) > 1 else b""
            # Recorded before answering: once the answer is out, a test may look.
            self.record.add({"frames_hex": [f.hex() for f in frames], "reply": reply})
            self.sock.send_multipart(
                [
                    b"1.0",
                    request_id,
                    reply["status_code"].encode(),
                    reply["status_text"].encode(),
                    reply["user_id"].encode(),
                    bytes.fromhex(reply["metadata_hex"]),
                ]
            )
        self.sock.close(0)

    def stop(self):
        self.stopping = True
        self.join(2)


class CurveKeys:
    """Credentials provider for ThreadAuthenticator: a fixed set of Z85 client keys."""

    def __init__(self, keys):
        self.keys = {k.encode() if isinstance(k, str) else k for k in keys}

    def callback(self, domain, key):
        return key in self.keys


def start_authenticator(ctx, conf, record):
    from zmq.auth.thread import ThreadAuthenticator

    auth = ThreadAuthenticator(ctx)
    # Record what it is asked and what it answers (one request at a time, in its thread),
    # before the answer goes out: once it has, a test may look.
    current = []
    handle, send_reply = auth.handle_zap_message, auth._send_zap_reply

    async def handle_zap_message(msg):
        current[:] = [bytes(f) for f in msg]
        await handle(msg)

    def _send_zap_reply(request_id, status_code, status_text, user_id="anonymous"):
        # As pyzmq sends it: the user id only with a 200.
        if status_code != b"200":
            user_id = b""
        reply = {
            "status_code": status_code.decode(),
            "status_text": status_text.decode(errors="replace"),
            "user_id": user_id if isinstance(user_id, str) else user_id.decode(errors="replace"),
        }
        record.add({"frames_hex": [f.hex() for f in current], "reply": reply})
        send_reply(request_id, status_code, status_text, user_id)

    auth.handle_zap_message = handle_zap_message
    auth._send_zap_reply = _send_zap_reply
    auth.start()
    if conf.get("allow"):
        auth.allow(*conf["allow"])
    if conf.get("deny"):
        auth.deny(*conf["deny"])
    domain = conf.get("domain", "*")
    if conf.get("plain_passwords"):
        auth.configure_plain(domain=domain, passwords=conf["plain_passwords"])
    if conf.get("curve_allow_any"):
        auth.configure_curve(domain=domain, location=zmq.auth.CURVE_ALLOW_ANY)
    elif conf.get("curve_keys"):
        auth.configure_curve_callback(domain=domain, credentials_provider=CurveKeys(conf["curve_keys"]))
    return auth


class Monitor(threading.Thread):
    """Collects the socket's monitor events."""

    def __init__(self, sock, record):
        super().__init__(daemon=True)
        self.record = record
        self.stopping = False
        self.pair = sock.get_monitor_socket()

    def run(self):
        from zmq.utils.monitor import recv_monitor_message

        while not self.stopping:
            try:
                if not self.pair.poll(50):
                    continue
                ev = recv_monitor_message(self.pair)
            except zmq.ZMQError:
                break
            endpoint = ev["endpoint"]
            if isinstance(endpoint, bytes):
                endpoint = endpoint.decode(errors="replace")
            self.record.add(
                {
                    "event": zmq.Event(ev["event"]).name,
                    "code": int(ev["event"]),
                    "value": ev["value"],
                    "endpoint": endpoint,
                }
            )

    def stop(self):
        self.stopping = True
        self.join(2)


def set_options(sock, opts):
    # Security options first: the mechanism is chosen per connection at bind/connect.
    simple = {
        "linger": zmq.LINGER,
        "sndhwm": zmq.SNDHWM,
        "rcvhwm": zmq.RCVHWM,
        "rcvtimeo": zmq.RCVTIMEO,
        "sndtimeo": zmq.SNDTIMEO,
        "plain_server": zmq.PLAIN_SERVER,
        "curve_server": zmq.CURVE_SERVER,
        "router_mandatory": zmq.ROUTER_MANDATORY,
        "handshake_ivl": zmq.HANDSHAKE_IVL,
    }
    text = {
        "plain_username": zmq.PLAIN_USERNAME,
        "plain_password": zmq.PLAIN_PASSWORD,
        "curve_secretkey": zmq.CURVE_SECRETKEY,
        "curve_publickey": zmq.CURVE_PUBLICKEY,
        "curve_serverkey": zmq.CURVE_SERVERKEY,
        "zap_domain": zmq.ZAP_DOMAIN,
    }
    for name, value in opts.items():
        if value is None:
            continue
        if name in simple:
            sock.setsockopt(simple[name], int(value))
        elif name in text:
            sock.setsockopt(text[name], value.encode())
        elif name == "routing_id_hex":
            sock.setsockopt(zmq.ROUTING_ID, bytes.fromhex(value))
        elif name == "subscribe_hex":
            for topic in value:
                sock.setsockopt(zmq.SUBSCRIBE, bytes.fromhex(topic))
        else:
            raise ValueError(f"unknown option {name!r}")


def resolved(sock, endpoint):
    if "*" in endpoint or endpoint.endswith(":0"):
        return sock.getsockopt(zmq.LAST_ENDPOINT).decode()
    return endpoint


def decode_frames(cmd):
    if "frames_hex" in cmd:
        return [bytes.fromhex(f) for f in cmd["frames_hex"]]
    return [base64.b64decode(f) for f in cmd["frames_b64"]]


def frame_properties(frame):
    props = {}
    for name in PROPERTIES:
        try:
            value = frame.get(name)
        except (zmq.ZMQError, ValueError, TypeError):
            continue
        if isinstance(value, bytes):
            value = value.decode(errors="replace")
        props[name] = value
    return props


class Peer:
    def __init__(self, config):
        self.ctx = zmq.Context()
        self.zap_record = Record()
        self.events = Record()
        self.zap_handler = None
        self.auth = None
        self.monitor = None
        zap = config.get("zap")
        # The ZAP handler must be there before any handshake asks it.
        if zap and zap.get("kind") == "handler":
            self.zap_handler = ZapHandler(self.ctx, zap, self.zap_record)
            self.zap_handler.start()
        elif zap and zap.get("kind") == "authenticator":
            self.auth = start_authenticator(self.ctx, zap, self.zap_record)
        elif zap:
            raise ValueError(f"unknown zap kind {zap.get('kind')!r}")
        self.sock = self.ctx.socket(zmq.SocketType[config["socket_type"].upper()])
        self.sock.linger = 0
        set_options(self.sock, config.get("options", {}))
        if config.get("monitor"):
            self.monitor = Monitor(self.sock, self.events)
            self.monitor.start()
        self.endpoints = []
        for ep in config.get("bind", []):
            self.sock.bind(ep)
            self.endpoints.append(resolved(self.sock, ep))
        for ep in config.get("connect", []):
            self.sock.connect(ep)

    def hello(self):
        return {
            "pyzmq": zmq.pyzmq_version(),
            "libzmq": zmq.zmq_version(),
            "curve": bool(zmq.has("curve")),
            "endpoints": self.endpoints,
            "pid": os.getpid(),
        }

    def send(self, cmd):
        frames = decode_frames(cmd)
        deadline = time.monotonic() + cmd.get("timeout_ms", 10000) / 1000
        while True:
            try:
                self.sock.send_multipart(frames, flags=zmq.NOBLOCK)
                return {}
            except zmq.Again:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise
                self.sock.poll(int(min(left, 0.05) * 1000) + 1, zmq.POLLOUT)

    def recv(self, cmd):
        if not self.sock.poll(int(cmd.get("timeout_ms", 1000)), zmq.POLLIN):
            return {"timeout": True}
        frames = self.sock.recv_multipart(flags=zmq.NOBLOCK, copy=False)
        return {"frames": [{"hex": f.bytes.hex(), "properties": frame_properties(f)} for f in frames]}

    def handle(self, cmd):
        name = cmd.get("cmd")
        if name == "send":
            return self.send(cmd)
        if name == "recv":
            return self.recv(cmd)
        if name == "events":
            return {"events": self.events.all()}
        if name == "zap_requests":
            return {"requests": self.zap_record.all()}
        if name == "zap_reply":
            if self.zap_handler is None:
                raise ValueError("zap_reply needs the hand-written handler")
            self.zap_handler.set_reply(cmd)
            return {}
        if name in ("bind", "connect", "unbind", "disconnect"):
            getattr(self.sock, name)(cmd["endpoint"])
            ep = resolved(self.sock, cmd["endpoint"]) if name == "bind" else cmd["endpoint"]
            return {"endpoint": ep}
        if name == "curve_keypair":
            public, secret = zmq.curve_keypair()
            return {"public": public.decode(), "secret": secret.decode()}
        if name == "subscribe":
            self.sock.setsockopt(zmq.SUBSCRIBE, bytes.fromhex(cmd.get("topic_hex", "")))
            return {}
        raise ValueError(f"unknown command {name!r}")

    def close(self):
        self.sock.close()
        for part in (self.monitor, self.zap_handler):
            if part is not None:
                part.stop()
        if self.auth is not None:
            self.auth.stop()


def watch_stdin(lines):
    """Queues stdin's lines; exits the whole process at EOF, even while the command
    loop waits in a recv or send (the test is done with us, or gone)."""
    for line in sys.stdin:
        lines.put(line)
    os._exit(0)


def main():
    raw = sys.argv[1] if len(sys.argv) > 1 else sys.stdin.readline()
    lines = queue.Queue()
    threading.Thread(target=watch_stdin, args=(lines,), daemon=True).start()
    try:
        peer = Peer(json.loads(raw))
    except Exception as e:  # report the setup failure instead of a traceback
        emit({"ok": False, "error": f"{type(e).__name__}: {e}",
              "errno": errno_name(e) if isinstance(e, zmq.ZMQError) else None})
        os._exit(1)
    emit({"ok": True, "hello": peer.hello()})
    while True:
        line = lines.get()
        if not line.strip():
            continue
        seq = None
        try:
            cmd = json.loads(line)
            seq = cmd.get("seq")
            if cmd.get("cmd") == "close":
                peer.close()
                emit({"ok": True, "seq": seq})
                break
            reply = {"ok": True, **peer.handle(cmd)}
        except zmq.ZMQError as e:
            reply = {"ok": False, "error": str(e), "errno": errno_name(e)}
        except Exception as e:
            reply = {"ok": False, "error": f"{type(e).__name__}: {e}", "errno": None}
        reply["seq"] = seq
        emit(reply)
    # Closed: never wait on lingering sockets or helper threads.
    os._exit(0)


if __name__ == "__main__":
    main()
