"""Helpers for tests and benchmarks: a real central service on 127.0.0.1, seeded and stoppable.

    with run_server(db_url, sms_gateway=sms, clock=clock) as server:
        code = mint_code(db_url, seed_demo(db_url))
        seed_members(db_url)
        requests.post(f"{server.base_url}/v1/enroll", json={...})

`stop()` and `start()` take the server down and bring it back on the same port, so a kiosk's
client can be tested against an outage. A `MemoryGateway` (sync.server.sms) keeps the member
codes the server texts; a `ManualClock` is the member service's time, moved by the test.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import uvicorn
from fastapi import FastAPI

from kiosk.domain.imdf import demo_venue_path
from sync.server import devices, submissions
from sync.server.app import KEEP_ALIVE_S, create_app
from sync.server.catalog import load_venue
from sync.server.db import Database, open_database
from sync.server.member_data import MembersLoad, demo_members, load_members
from sync.server.members import MemberPolicy
from sync.server.models import utcnow
from sync.server.sms import SmsGateway

HOST = "127.0.0.1"
START_TIMEOUT = 10.0
STOP_TIMEOUT = 10.0


class ServerHandle:
    """A uvicorn server on 127.0.0.1 in a background thread.

    `port` and `base_url` ("http://127.0.0.1:PORT") stay the same across stop() and start().
    """

    def __init__(self, app: FastAPI, port: int = 0) -> None:
        self.app = app
        self.port = port
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.port}"

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        """Start answering (a no-op when running); returns once the server accepts requests."""
        if self.running:
            return
        # IPPROTO_TCP spelled out: asyncio sets TCP_NODELAY only on sockets that say so, and
        # without it every reply whose body follows its headers waits out a delayed ACK.
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((HOST, self.port))
        except OSError:
            sock.close()
            raise
        self.port = sock.getsockname()[1]
        config = uvicorn.Config(
            self.app,
            log_level="warning",
            access_log=False,
            lifespan="on",
            timeout_graceful_shutdown=2,
            timeout_keep_alive=KEEP_ALIVE_S,
        )
        server = uvicorn.Server(config)
        failure: list[BaseException] = []

        async def main() -> None:
            self._loop = asyncio.get_running_loop()
            await server.serve(sockets=[sock])

        def serve() -> None:
            try:
                asyncio.run(main())
            except BaseException as exc:  # reported to the caller of start()
                failure.append(exc)
            finally:
                sock.close()

        thread = threading.Thread(target=serve, name=f"central-{self.port}", daemon=True)
        self._server, self._thread = server, thread
        thread.start()
        deadline = time.monotonic() + START_TIMEOUT
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"the central service did not start: {failure or 'timeout'}")
            time.sleep(0.01)

    def stop(self) -> None:
        """Stop answering and wait for the server thread to end (a no-op when stopped)."""
        server, thread = self._server, self._thread
        if server is None or thread is None:
            return
        server.should_exit = True
        thread.join(STOP_TIMEOUT)
        if thread.is_alive():
            server.force_exit = True
            thread.join(STOP_TIMEOUT)
        if thread.is_alive():
            raise RuntimeError("the central service thread did not stop")
        # The worker threads that ran the endpoints were told to stop when the loop ended.
        for worker in threading.enumerate():
            if getattr(worker, "loop", None) is self._loop:
                worker.join(STOP_TIMEOUT)
        self._server = self._thread = None
        self._loop = None


class ManualClock:
    """A clock that moves only when told: the member service's time in tests, so that codes
    expire and locks end without waiting. Starts at `start` (default: now)."""

    def __init__(self, start: dt.datetime | None = None) -> None:
        self._now = start or utcnow()
        self._lock = threading.Lock()

    def __call__(self) -> dt.datetime:
        with self._lock:
            return self._now

    def advance(
        self, *, days: float = 0, hours: float = 0, minutes: float = 0, seconds: float = 0
    ) -> dt.datetime:
        """Move forward; returns the new time."""
        step = dt.timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds)
        if step < dt.timedelta():
            raise ValueError("a clock does not go back")
        with self._lock:
            self._now += step
            return self._now


@contextmanager
def run_server(
    db_url: str,
    *,
    port: int = 0,
    rate: float | None = None,
    burst: int | None = None,
    sms_gateway: SmsGateway | None = None,
    member_policy: MemberPolicy | None = None,
    clock: Callable[[], dt.datetime] = utcnow,
) -> Iterator[ServerHandle]:
    """A running central service on `db_url` (migrated first) for the duration of the block.

    `port` 0 picks a free port; `rate` and `burst` are the per-device rate limit (requests per
    second regained, requests at once; `rate` None: unlimited). `sms_gateway` (default: none,
    so sign-in by SMS is refused), `member_policy` and `clock` (a ManualClock in tests) go to
    the member service.
    """
    app = create_app(
        db_url,
        rate=rate,
        burst=burst,
        sms_gateway=sms_gateway,
        member_policy=member_policy,
        clock=clock,
    )
    handle = ServerHandle(app, port)
    try:
        handle.start()
        yield handle
    finally:
        handle.stop()
        database: Database = app.state.db
        database.dispose()


@contextmanager
def _database(db_url: str) -> Iterator[Database]:
    db = open_database(db_url)
    try:
        yield db
    finally:
        db.dispose()


def seed_demo(db_url: str) -> str:
    """Load the embedded demo mall (and its promotions) into `db_url`; returns its venue id."""
    with _database(db_url) as db:
        return load_venue(db, demo_venue_path()).venue_id


def seed_members(
    db_url: str, doc: dict[str, Any] | None = None, *, today: dt.date | None = None
) -> MembersLoad:
    """Load member data `doc` (default: the demo members, for the demo mall, which must be
    loaded first) into `db_url`; relative dates count from `today` (default: today)."""
    with _database(db_url) as db:
        return load_members(db, doc if doc is not None else demo_members(), today=today)


def mint_code(db_url: str, venue_id: str, *, hours: float = 24) -> str:
    """A fresh one-time enrollment code for `venue_id`."""
    with _database(db_url) as db:
        return devices.mint_enrollment_code(db, venue_id, hours=hours)


def set_status(db_url: str, ticket_no: str, status: str, *, note: str | None = None) -> None:
    """Record a status change of a submission, as staff would."""
    with _database(db_url) as db:
        submissions.set_status(db, ticket_no, status, note=note)


def revoke(db_url: str, kiosk_code: str) -> int:
    """Revoke the kiosk's device token; returns how many tokens were revoked."""
    with _database(db_url) as db:
        return devices.revoke(db, kiosk_code)
