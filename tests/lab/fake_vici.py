# SPDX-License-Identifier: GPL-2.0-or-later
"""A scripted VICI peer: strongSwan's control protocol without charon.

Speaks the real wire protocol (strongswan/src/libcharon/plugins/vici/
README.md): 32-bit big-endian length, packet type, optional name, message
of sections, key/values and lists.  Tests use it to drive a VICI client
(zebra's) through situations a real charon produces rarely or never:

    with FakeVici(path) as peer:          # listening on the UNIX socket
        peer.sas.append(ike_sa("gre1", 1, children=[child_sa("gre1", 2, 1)]))
        ... start the client, wait for peer.wait_connections(1) ...
        peer.emit("ike-updown", ike_updown_event(True, ike_sa("x", 3)))
        peer.emit_many(event_frames([(name, msg), ...]))  # one write, pre-encoded
        peer.responses["load-conn"] = {"success": "no", "errmsg": "bad"}
        peer.requests("load-conn")         # messages the client sent
        peer.stop(); peer.start()           # charon "killed" and back
        peer.send_raw(b"\\xff\\xff\\xff\\xff")  # garbage to every client

Messages are Python dicts (insertion ordered, as on the wire): a str or
bytes value is a key/value, a list is a list, a dict is a section.
Received messages decode the same way, values as str where they are UTF-8.

Plain python3 standard library; one thread accepts, one thread serves each
connection.  Run as a script for manual use: ``fake_vici.py SOCKET``.
"""

import os
import select
import socket
import struct
import sys
import threading
import time

# packet types
CMD_REQUEST = 0
CMD_RESPONSE = 1
CMD_UNKNOWN = 2
EVENT_REGISTER = 3
EVENT_UNREGISTER = 4
EVENT_CONFIRM = 5
EVENT_UNKNOWN = 6
EVENT = 7
NAMED_TYPES = (CMD_REQUEST, EVENT_REGISTER, EVENT_UNREGISTER, EVENT)
PACKET_NAMES = {
    CMD_REQUEST: "CMD_REQUEST", CMD_RESPONSE: "CMD_RESPONSE",
    CMD_UNKNOWN: "CMD_UNKNOWN", EVENT_REGISTER: "EVENT_REGISTER",
    EVENT_UNREGISTER: "EVENT_UNREGISTER", EVENT_CONFIRM: "EVENT_CONFIRM",
    EVENT_UNKNOWN: "EVENT_UNKNOWN", EVENT: "EVENT",
}

# message element types
SECTION_START = 1
SECTION_END = 2
KEY_VALUE = 3
LIST_START = 4
LIST_ITEM = 5
LIST_END = 6

FRAME_MAX = 512 * 1024


class ProtocolError(Exception):
    """Malformed input from the peer."""


# --------------------------------------------------------------------------
# encoding


def _bytes(value):
    return value if isinstance(value, bytes) else str(value).encode()


def _name(name):
    data = _bytes(name)
    if len(data) > 255:
        raise ValueError(f"name too long: {name!r}")
    return bytes([len(data)]) + data


def _value(value):
    data = _bytes(value)
    if len(data) > 0xFFFF:
        raise ValueError("value too long")
    return struct.pack(">H", len(data)) + data


def encode_message(msg):
    """Encode a dict (see module doc) as VICI message bytes."""
    out = bytearray()
    for key, value in (msg or {}).items():
        if isinstance(value, dict):
            out += bytes([SECTION_START]) + _name(key)
            out += encode_message(value)
            out.append(SECTION_END)
        elif isinstance(value, (list, tuple)):
            out += bytes([LIST_START]) + _name(key)
            for item in value:
                out += bytes([LIST_ITEM]) + _value(item)
            out.append(LIST_END)
        else:
            out += bytes([KEY_VALUE]) + _name(key) + _value(value)
    return bytes(out)


def encode_packet(ptype, name=None, msg=None):
    """A whole frame: length header, packet type, name, message."""
    payload = bytes([ptype])
    if ptype in NAMED_TYPES:
        payload += _name(name)
    payload += encode_message(msg)
    return struct.pack(">I", len(payload)) + payload


# --------------------------------------------------------------------------
# decoding


def _text(data):
    try:
        return data.decode()
    except UnicodeDecodeError:
        return data


def decode_message(data):
    """Decode message bytes strictly; raises ProtocolError."""
    root = {}
    stack = [root]
    current_list = None
    pos = 0

    def take(count):
        nonlocal pos
        if count > len(data) - pos:
            raise ProtocolError(f"truncated at byte {pos}")
        chunk = data[pos:pos + count]
        pos += count
        return chunk

    def name():
        return take(take(1)[0]).decode(errors="replace")

    def value():
        return _text(take(struct.unpack(">H", take(2))[0]))

    while pos < len(data):
        etype = take(1)[0]
        if current_list is not None and etype not in (LIST_ITEM, LIST_END):
            raise ProtocolError(f"element {etype} inside a list")
        if etype == SECTION_START:
            section = {}
            stack[-1][name()] = section
            stack.append(section)
        elif etype == SECTION_END:
            if len(stack) == 1:
                raise ProtocolError("section end without start")
            stack.pop()
        elif etype == KEY_VALUE:
            key = name()
            stack[-1][key] = value()
        elif etype == LIST_START:
            current_list = []
            stack[-1][name()] = current_list
        elif etype == LIST_ITEM:
            if current_list is None:
                raise ProtocolError("list item outside a list")
            current_list.append(value())
        elif etype == LIST_END:
            if current_list is None:
                raise ProtocolError("list end outside a list")
            current_list = None
        else:
            raise ProtocolError(f"unknown element type {etype}")
    if len(stack) != 1 or current_list is not None:
        raise ProtocolError("unbalanced message")
    return root


def decode_packet(payload):
    """(type, name, message dict) of a frame payload."""
    if not payload:
        raise ProtocolError("empty frame")
    ptype, pos, name = payload[0], 1, None
    if ptype > EVENT:
        raise ProtocolError(f"unknown packet type {ptype}")
    if ptype in NAMED_TYPES:
        if len(payload) < 2 or payload[1] > len(payload) - 2:
            raise ProtocolError("truncated name")
        name = payload[2:2 + payload[1]].decode(errors="replace")
        pos = 2 + payload[1]
    return ptype, name, decode_message(payload[pos:])


class Packet:
    """A packet received from the client."""

    def __init__(self, connection, ptype, name, msg):
        self.connection = connection      # 1 for the first client, ...
        self.type = ptype
        self.name = name
        self.msg = msg
        self.time = time.monotonic()

    def __repr__(self):
        return (f"<Packet #{self.connection} {PACKET_NAMES.get(self.type, self.type)}"
                f" {self.name or ''} {self.msg}>")


# --------------------------------------------------------------------------
# charon-like message contents


def ike_sa(name, uniqueid, local="20.1.1.1", remote="20.1.1.2",
           state="ESTABLISHED", version=1, children=(), **extra):
    """One IKE SA as charon lists it: {name: {...}} (list-sa format)."""
    sa = {
        "uniqueid": str(uniqueid), "version": str(version), "state": state,
        "local-host": local, "local-port": "500", "local-id": local,
        "remote-host": remote, "remote-port": "500", "remote-id": remote,
        "initiator": "yes",
        "initiator-spi": f"{uniqueid:016x}", "responder-spi": f"{uniqueid + 1:016x}",
        "encr-alg": "DES_CBC", "integ-alg": "HMAC_SHA1_96",
        "prf-alg": "PRF_HMAC_SHA1", "dh-group": "MODP_768",
        "established": "1", "reauth-time": "10000",
    }
    sa.update({k.replace("_", "-"): str(v) for k, v in extra.items()})
    sa["child-sas"] = {}
    for child in children:
        sa["child-sas"].update(child)
    return {name: sa}


def child_sa(name, uniqueid, reqid, local_ts=("20.1.1.1/32[gre]",),
             remote_ts=("20.1.1.2/32[gre]",), state="INSTALLED",
             mode="TRANSPORT", spi_in=None, spi_out=None,
             bytes_in=0, packets_in=0, bytes_out=0, packets_out=0):
    """One CHILD SA as charon lists it: {"<name>-<uniqueid>": {...}}.

    The counters are the kernel's (vici_query.c list_child()); a counter
    given as None is left out, like an older charon would.
    """
    counters = {"bytes-in": bytes_in, "packets-in": packets_in,
                "bytes-out": bytes_out, "packets-out": packets_out}
    return {f"{name}-{uniqueid}": {
        "name": name, "uniqueid": str(uniqueid), "reqid": str(reqid),
        "state": state, "mode": mode, "protocol": "ESP",
        "spi-in": spi_in or f"c{uniqueid:07x}",
        "spi-out": spi_out or f"d{uniqueid:07x}",
        "encr-alg": "DES_CBC", "integ-alg": "HMAC_SHA1_96",
        **{k: str(v) for k, v in counters.items() if v is not None},
        "rekey-time": "3000", "life-time": "3600", "install-time": "1",
        "local-ts": list(local_ts), "remote-ts": list(remote_ts),
    }}


def _without_children(sa):
    name, body = next(iter(sa.items()))
    return name, {k: v for k, v in body.items() if k != "child-sas"}


def ike_updown_event(up, sa):
    """ike-updown: 'up = yes' only when up, the IKE SA without children."""
    name, body = _without_children(sa)
    msg = {"up": "yes"} if up else {}
    msg[name] = body
    return msg


def child_updown_event(up, sa, child):
    """child-updown: the IKE SA with only the affected CHILD SA."""
    name, body = _without_children(sa)
    msg = {"up": "yes"} if up else {}
    msg[name] = dict(body, **{"child-sas": dict(child)})
    return msg


def child_rekey_event(sa, old_child, new_child):
    name, body = _without_children(sa)
    old_key, old = next(iter(old_child.items()))
    _, new = next(iter(new_child.items()))
    return {name: dict(body, **{"child-sas": {old_key: {"old": old, "new": new}}})}


def ike_rekey_event(old_sa, new_sa):
    name, old = _without_children(old_sa)
    _, new = _without_children(new_sa)
    return {name: {"old": old, "new": new}}


def event_frames(events):
    """(event, whole EVENT frame) for each (event, msg): see emit_many()."""
    return [(event, encode_packet(EVENT, event, msg)) for event, msg in events]


# --------------------------------------------------------------------------
# the peer


class _Connection:
    def __init__(self, peer, sock, number):
        self.peer = peer
        self.sock = sock
        self.number = number
        self.events = set()
        self.send_lock = threading.Lock()
        self.closed = False

    def send(self, frame):
        with self.send_lock:
            if self.closed:
                return False
            try:
                self.sock.sendall(frame)
                return True
            except OSError:
                return False

    def close(self):
        with self.send_lock:
            if self.closed:
                return
            self.closed = True
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.sock.close()

    def recv_exact(self, count):
        data = b""
        while len(data) < count:
            chunk = self.sock.recv(count - len(data))
            if not chunk:
                raise EOFError
            data += chunk
        return data

    def serve(self):
        try:
            while not self.closed:
                length = struct.unpack(">I", self.recv_exact(4))[0]
                if length == 0 or length > FRAME_MAX:
                    raise ProtocolError(f"frame length {length}")
                self.peer._handle(self, self.recv_exact(length))
        except (EOFError, OSError):
            pass
        except ProtocolError as exc:
            self.peer.violations.append(f"#{self.number}: {exc}")
        finally:
            self.close()


class FakeVici:
    """A VICI peer on a UNIX socket; see the module doc.

    Script it with:
      sas              IKE SAs (ike_sa() dicts) streamed by list-sas
      responses        command -> response dict, or callable(request msg)
                       returning one, or None for CMD_UNKNOWN; commands not
                       listed answer {"success": "yes"} (list-sas: {})
      unknown_events   event names answered with EVENT_UNKNOWN
      delays           command -> seconds to wait before answering
    and read back:
      received         every Packet, in order
      violations       protocol errors of the client (e.g. a second request
                       sent before the first was answered)
      connections      how many clients have connected so far
    """

    def __init__(self, path):
        self.path = str(path)
        self.sas = []
        self.responses = {}
        self.unknown_events = set()
        self.delays = {}
        self.received = []
        self.violations = []
        self.connections = 0
        self._lock = threading.Lock()
        self._clients = []
        self._listener = None
        self._thread = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
        return False

    # -- lifecycle ----------------------------------------------------------

    def start(self):
        """Listen (again) on the socket path."""
        if self._listener:
            return self
        try:
            os.unlink(self.path)
        except FileNotFoundError:
            pass
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        listener.bind(self.path)
        listener.listen(8)
        self._listener = listener
        self._thread = threading.Thread(target=self._accept_loop, args=(listener,),
                                        daemon=True)
        self._thread.start()
        return self

    def stop(self):
        """Like a killed charon: close everything, remove the socket."""
        listener, self._listener = self._listener, None
        if listener:
            try:
                listener.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            listener.close()
        with self._lock:
            clients, self._clients = self._clients, []
        for conn in clients:
            conn.close()
        if self._thread:
            self._thread.join(5)
            self._thread = None
        try:
            os.unlink(self.path)
        except FileNotFoundError:
            pass

    def restart(self):
        self.stop()
        return self.start()

    @property
    def running(self):
        return self._listener is not None

    def _accept_loop(self, listener):
        while True:
            try:
                sock, _ = listener.accept()
            except OSError:
                return
            with self._lock:
                if listener is not self._listener:
                    sock.close()
                    return
                self.connections += 1
                conn = _Connection(self, sock, self.connections)
                self._clients.append(conn)
            threading.Thread(target=conn.serve, daemon=True).start()

    # -- protocol -----------------------------------------------------------

    def _handle(self, conn, payload):
        ptype, name, msg = decode_packet(payload)
        with self._lock:
            self.received.append(Packet(conn.number, ptype, name, msg))
        if ptype == EVENT_REGISTER:
            if name in self.unknown_events:
                conn.send(encode_packet(EVENT_UNKNOWN))
            else:
                conn.events.add(name)
                conn.send(encode_packet(EVENT_CONFIRM))
        elif ptype == EVENT_UNREGISTER:
            conn.events.discard(name)
            conn.send(encode_packet(EVENT_CONFIRM))
        elif ptype == CMD_REQUEST:
            self._command(conn, name, msg)
        else:
            raise ProtocolError(f"client sent {PACKET_NAMES[ptype]}")

    def _command(self, conn, name, msg):
        delay = self.delays.get(name, 0)
        if delay:
            time.sleep(delay)
            if conn.closed:
                return
            # VICI allows one request at a time: nothing may be waiting
            ready, _, _ = select.select([conn.sock], [], [], 0)
            if ready:
                self.violations.append(
                    f"#{conn.number}: data sent while {name} was unanswered")
        if name == "list-sas" and name not in self.responses:
            if "list-sa" in conn.events:
                for sa in list(self.sas):
                    conn.send(encode_packet(EVENT, "list-sa", sa))
            conn.send(encode_packet(CMD_RESPONSE, msg={}))
            return
        response = self.responses.get(name, {"success": "yes"})
        if callable(response):
            response = response(msg)
        if response is None:
            conn.send(encode_packet(CMD_UNKNOWN))
        else:
            conn.send(encode_packet(CMD_RESPONSE, msg=response))

    # -- what tests call ----------------------------------------------------

    def clients(self):
        with self._lock:
            return [c for c in self._clients if not c.closed]

    def emit(self, event, msg):
        """Send an event to every client registered for it; returns how many."""
        frame = encode_packet(EVENT, event, msg)
        return sum(conn.send(frame) for conn in self.clients() if event in conn.events)

    def emit_many(self, events):
        """Send a batch of events in one write to every client, each client
        getting those it registered for; returns how many clients got at
        least one. ``events`` are (event, msg) or the (event, frame) pairs
        of event_frames(), so a benchmark can encode before it times."""
        frames = [(event, body if isinstance(body, bytes)
                   else encode_packet(EVENT, event, body)) for event, body in events]
        sent = 0
        for conn in self.clients():
            data = b"".join(frame for event, frame in frames if event in conn.events)
            if data and conn.send(data):
                sent += 1
        return sent

    def send_raw(self, data):
        """Send raw bytes to every connected client; returns how many."""
        return sum(conn.send(data) for conn in self.clients())

    def requests(self, name=None, connection=None):
        """Messages of the CMD_REQUESTs received (optionally by name/connection)."""
        with self._lock:
            return [p.msg for p in self.received
                    if p.type == CMD_REQUEST and (name is None or p.name == name)
                    and (connection is None or p.connection == connection)]

    def packets(self, connection=None):
        with self._lock:
            return [p for p in self.received
                    if connection is None or p.connection == connection]

    def registered(self, connection=None):
        """Event names the client (last one by default) registered for."""
        clients = self.clients()
        if connection is None:
            return set(clients[-1].events) if clients else set()
        return next((set(c.events) for c in clients if c.number == connection), set())

    def wait_connections(self, count, timeout=20.0):
        """Wait until ``count`` clients have connected in total."""
        deadline = time.monotonic() + timeout
        while self.connections < count:
            if time.monotonic() > deadline:
                raise TimeoutError(f"{self.connections} of {count} connections")
            time.sleep(0.05)

    def wait_for(self, predicate, timeout=20.0, what="condition"):
        deadline = time.monotonic() + timeout
        while True:
            result = predicate()
            if result:
                return result
            if time.monotonic() > deadline:
                raise TimeoutError(f"timed out waiting for {what}")
            time.sleep(0.05)


def main(argv):
    """Serve on a socket, print what arrives; one established IKE SA listed."""
    if len(argv) != 2:
        print(f"usage: {argv[0]} SOCKET", file=sys.stderr)
        return 2
    peer = FakeVici(argv[1])
    peer.sas.append(ike_sa("demo", 1, children=[child_sa("demo", 1, 1)]))
    peer.start()
    seen = 0
    try:
        while True:
            time.sleep(0.2)
            for packet in peer.packets()[seen:]:
                print(packet, flush=True)
            seen = len(peer.packets())
    except KeyboardInterrupt:
        pass
    finally:
        peer.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
