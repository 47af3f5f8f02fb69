"""A fault-injecting HTTP proxy in front of the real central service, for the client tests.

Every request is forwarded to the real server unless a rule for its path says otherwise: answer
with an error status (500, 429 + Retry-After) a number of times, answer late, answer with bytes
of our own (malformed replies), or forward the request and then drop the connection without the
reply (the server committed, the kiosk never heard). The proxy records what it saw.
"""

from __future__ import annotations

import http.client
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

HOP_BY_HOP = frozenset(
    {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade", "host"}
)


@dataclass
class Rule:
    """What to do with requests whose path starts with `path` (the first matching rule wins).

    kind: "status" answers `status` with `headers` and `body` (also how malformed replies are
    made); "delay" waits `delay_s` before forwarding and again before replying; "trickle"
    forwards, then sends the reply a byte every `delay_s`; "drop" forwards, lets the server
    answer, then closes the connection without a reply. `times` is how many requests the rule
    takes (None: all of them).
    """

    path: str
    kind: str
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    delay_s: float = 0.0
    times: int | None = None
    method: str | None = None
    used: int = 0


@dataclass(frozen=True)
class Seen:
    method: str
    path: str
    at: float
    outcome: str
    status: int | None
    body: bytes


class FaultProxy:
    def __init__(self, upstream: str) -> None:
        parts = urlsplit(upstream)
        self.upstream_host = parts.hostname or "127.0.0.1"
        self.upstream_port = parts.port or 80
        self.rules: list[Rule] = []
        self.seen: list[Seen] = []
        self._lock = threading.Lock()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                proxy._handle(self)

            def do_POST(self) -> None:
                proxy._handle(self)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = False
        self._server.block_on_close = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="fault-proxy", kwargs={"poll_interval": 0.05}
        )

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def add(self, rule: Rule) -> Rule:
        with self._lock:
            self.rules.append(rule)
        return rule

    def clear(self) -> None:
        with self._lock:
            self.rules.clear()

    def requests(self, path: str, method: str | None = None) -> list[Seen]:
        with self._lock:
            return [
                s
                for s in self.seen
                if s.path.startswith(path) and (method is None or s.method == method)
            ]

    def _rule_for(self, method: str, path: str) -> Rule | None:
        with self._lock:
            for rule in self.rules:
                if not path.startswith(rule.path) or rule.method not in (None, method):
                    continue
                if rule.times is not None and rule.used >= rule.times:
                    continue
                rule.used += 1
                return rule
        return None

    def _record(
        self, h: BaseHTTPRequestHandler, body: bytes, outcome: str, status: int | None
    ) -> None:
        with self._lock:
            self.seen.append(Seen(h.command, h.path, time.monotonic(), outcome, status, body))

    def _handle(self, h: BaseHTTPRequestHandler) -> None:
        length = int(h.headers.get("Content-Length") or 0)
        body = h.rfile.read(length) if length else b""
        rule = self._rule_for(h.command, h.path)
        if rule is None or rule.kind == "delay":
            if rule is not None:
                time.sleep(rule.delay_s)
            status, headers, reply = self._forward(h, body)
            self._record(h, body, "delayed" if rule else "forwarded", status)
            if rule is not None:
                time.sleep(rule.delay_s)
            self._reply(h, status, headers, reply)
        elif rule.kind == "trickle":
            status, headers, reply = self._forward(h, body)
            self._record(h, body, "trickled", status)
            self._reply(h, status, headers, reply, byte_delay=rule.delay_s)
        elif rule.kind == "drop":
            status, _, _ = self._forward(h, body)
            self._record(h, body, "dropped", status)
            h.close_connection = True  # the socket closes with no reply at all
        elif rule.kind == "status":
            self._record(h, body, "answered", rule.status)
            fixed = {"Content-Type": "application/json", **rule.headers}
            self._reply(h, rule.status, list(fixed.items()), rule.body)
        else:
            raise ValueError(rule.kind)

    def _forward(
        self, h: BaseHTTPRequestHandler, body: bytes
    ) -> tuple[int, list[tuple[str, str]], bytes]:
        conn = http.client.HTTPConnection(self.upstream_host, self.upstream_port, timeout=30)
        try:
            headers = {k: v for k, v in h.headers.items() if k.lower() not in HOP_BY_HOP}
            conn.request(h.command, h.path, body=body or None, headers=headers)
            response = conn.getresponse()
            reply = response.read()
            kept = [(k, v) for k, v in response.getheaders() if k.lower() not in HOP_BY_HOP]
            return response.status, kept, reply
        finally:
            conn.close()

    @staticmethod
    def _reply(
        h: BaseHTTPRequestHandler,
        status: int,
        headers: list[tuple[str, str]],
        body: bytes,
        byte_delay: float = 0.0,
    ) -> None:
        h.send_response(status)
        for key, value in headers:
            if key.lower() != "content-length":
                h.send_header(key, value)
        h.send_header("Content-Length", str(len(body)))
        h.send_header("Connection", "close")
        h.end_headers()
        try:
            if not byte_delay:
                h.wfile.write(body)
                return
            for i in range(len(body)):
                h.wfile.write(body[i : i + 1])
                h.wfile.flush()
                time.sleep(byte_delay)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up on us, as it should

    def start(self) -> None:
        self._thread.start()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()


@contextmanager
def fault_proxy(upstream: str) -> Iterator[FaultProxy]:
    proxy = FaultProxy(upstream)
    proxy.start()
    try:
        yield proxy
    finally:
        proxy.close()
