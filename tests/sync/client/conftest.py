"""Fixtures for the kiosk's sync client and agent, run against the real central service.

Each test gets its own kiosk cache and data directory; agents built here are stopped at the end
of the test, and a test that leaves any sync, proxy or server thread running fails.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import itertools
import secrets
import threading
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from kiosk.services.sync_agent import SyncAgent
from kiosk.store import outbox_repo
from kiosk.store.db import open_cache
from sync.client import RetryPolicy, SyncClient
from sync.server.db import open_database
from sync.server.models import Submission
from tests.central import Central
from tests.sync.client.faults import FaultProxy, fault_proxy

KIOSK = "K07"
APP_VERSION = "1.2.3"
# Quick retries so fault tests take seconds, not minutes.
FAST = RetryPolicy(attempts=3, base_s=0.02, cap_s=0.1, total_s=3.0)
TIMEOUT = (1.0, 2.0)


def fast_client(base_url: str, token: str | None = None, **kwargs: Any) -> SyncClient:
    options: dict[str, Any] = {"timeout": TIMEOUT, "retries": FAST, **kwargs}
    return SyncClient(base_url, token, **options)


def client_factory(**kwargs: Any) -> Callable[[str, str | None], SyncClient]:
    return functools.partial(fast_client, **kwargs)


@pytest.fixture(autouse=True)
def _no_thread_left() -> Iterator[None]:
    before = set(threading.enumerate())
    yield
    left = [t for t in threading.enumerate() if t not in before and t.is_alive()]
    assert not left, f"threads left running: {left}"


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[sessionmaker[Session]]:
    engine, sessions = open_cache(tmp_path / "kiosk" / "cache.sqlite3")
    yield sessions
    engine.dispose()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    path = tmp_path / "kiosk"
    path.mkdir(exist_ok=True)
    return path


AgentFactory = Callable[..., SyncAgent]


@pytest.fixture
def make_agent(
    cache: sessionmaker[Session], data_dir: Path, central: Central
) -> Iterator[AgentFactory]:
    """SyncAgent(cache, data_dir, base_url or the central service, K07, …) with fast retries."""
    agents: list[SyncAgent] = []

    def make(base_url: str | None = None, **kwargs: Any) -> SyncAgent:
        options: dict[str, Any] = {
            "client_factory": client_factory(),
            "interval_s": 60.0,
            **kwargs,
        }
        agent = SyncAgent(
            cache, data_dir, base_url or central.base_url, KIOSK, APP_VERSION, **options
        )
        agents.append(agent)
        return agent

    yield make
    for agent in agents:
        assert agent.stop(timeout=15), "the sync worker did not stop"


@pytest.fixture
def proxy(central: Central) -> Iterator[FaultProxy]:
    with fault_proxy(central.base_url) as p:
        yield p


_tickets = itertools.count(1)


def submit(sessions: sessionmaker[Session], n: int = 1, **payload: Any) -> list[str]:
    """Create `n` submissions the way the kiosk does: each with its outbox row, one
    transaction; returns their uuids in creation order."""
    made = []
    now = dt.datetime.now(dt.UTC)
    with sessions.begin() as session:
        for i in range(n):
            key = str(uuid.uuid4())
            outbox_repo.add(
                session,
                uuid=key,
                kind="complaint",
                ticket_no=f"C-{KIOSK}-{next(_tickets):06d}",
                payload={"text": "the escalator near gate 3 is noisy", **payload},
                token_sha256=hashlib.sha256(secrets.token_urlsafe(32).encode()).hexdigest(),
                created_at=now + dt.timedelta(microseconds=i),
            )
            made.append(key)
    return made


def server_submissions(central: Central) -> list[Submission]:
    db = open_database(central.db_url, upgrade=False)
    try:
        with db.reads() as session:
            return list(session.scalars(select(Submission).order_by(Submission.received_at)))
    finally:
        db.dispose()


def server_uuids(central: Central) -> list[str]:
    return [str(s.uuid) for s in server_submissions(central)]
