"""Fixtures for maintenance tests: a real cache per test, an audit log on it, a clock that tests
move by hand, and (from the sync tests) a real central service on 127.0.0.1."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from kiosk.maintenance.audit import AuditLog
from kiosk.store.db import open_cache


class FakeClock:
    """An aware UTC clock that only moves when a test says so."""

    def __init__(self) -> None:
        self.now = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def database(tmp_path: Path) -> Path:
    return tmp_path / "data" / "cache.sqlite3"


@pytest.fixture
def sessions(database: Path) -> Iterator[sessionmaker[Session]]:
    engine, factory = open_cache(database)
    yield factory
    engine.dispose()


@pytest.fixture
def audit(sessions: sessionmaker[Session], clock: FakeClock) -> AuditLog:
    return AuditLog(sessions, clock=clock)
