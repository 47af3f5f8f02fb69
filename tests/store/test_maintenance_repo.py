"""Maintenance tables in the cache: the append-only audit log and the PIN lockout row."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from kiosk.store import maintenance_repo
from kiosk.store.db import alembic_config, create_cache_engine, migrate, open_cache

WHEN = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)


@pytest.fixture
def sessions(tmp_path: Path) -> Iterator[sessionmaker[Session]]:
    engine, factory = open_cache(tmp_path / "cache.sqlite3")
    yield factory
    engine.dispose()


def test_audit_rows_are_appended_and_read_newest_first(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as s:
        first = maintenance_repo.append_audit(
            s, at=WHEN, who="Wang Li", action="pin_ok", details={}
        )
        maintenance_repo.append_audit(
            s,
            at=WHEN + dt.timedelta(minutes=1),
            who="Wang Li",
            action="config_set",
            details={"key": "display.language", "old": '"zh_CN"', "new": '"en"'},
        )
    with sessions() as s:
        rows = maintenance_repo.recent_audit(s, 10)
        assert [r.action for r in rows] == ["config_set", "pin_ok"]
        assert rows[1] == first
        assert rows[0].details["new"] == '"en"'
        assert rows[0].at.tzinfo is not None
        assert maintenance_repo.recent_audit(s, 1, "pin_ok") == [first]
        assert maintenance_repo.recent_audit(s, 0) == []


def test_audit_times_must_be_aware(sessions: sessionmaker[Session]) -> None:
    with pytest.raises(ValueError, match="timezone-aware"), sessions.begin() as s:
        maintenance_repo.append_audit(
            s, at=dt.datetime(2026, 3, 2, 9, 30), who="x", action="pin_ok", details={}
        )


@pytest.mark.parametrize(
    "statement", ["UPDATE audit_log SET action = 'nothing'", "DELETE FROM audit_log"]
)
def test_audit_rows_cannot_be_changed_or_removed(
    sessions: sessionmaker[Session], statement: str
) -> None:
    with sessions.begin() as s:
        maintenance_repo.append_audit(s, at=WHEN, who="x", action="pin_ok", details={})
    with pytest.raises(IntegrityError, match="append-only"), sessions.begin() as s:
        s.execute(text(statement))
    with sessions() as s:
        assert [r.action for r in maintenance_repo.recent_audit(s, 5)] == ["pin_ok"]


def test_lockout_row_round_trip(sessions: sessionmaker[Session]) -> None:
    with sessions() as s:
        assert maintenance_repo.get_lockout(s) == maintenance_repo.LockoutRow(0, None)
    beijing = dt.timezone(dt.timedelta(hours=8))
    with sessions.begin() as s:
        maintenance_repo.set_lockout(s, 3, None)
    with sessions.begin() as s:
        assert maintenance_repo.get_lockout(s).failures == 3
        maintenance_repo.set_lockout(s, 0, dt.datetime(2026, 3, 2, 17, 35, tzinfo=beijing))
    with sessions() as s:
        row = maintenance_repo.get_lockout(s)
    assert row == maintenance_repo.LockoutRow(0, dt.datetime(2026, 3, 2, 9, 35, tzinfo=dt.UTC))
    with pytest.raises(ValueError, match="timezone-aware"), sessions.begin() as s:
        maintenance_repo.set_lockout(s, 0, dt.datetime(2026, 3, 2, 9, 35))


def test_migration_0004_goes_down_and_up(tmp_path: Path) -> None:
    engine = create_cache_engine(tmp_path / "cache.sqlite3")
    migrate(engine)
    new = {"audit_log", "pin_lockout"}

    def triggers() -> set[str]:
        with engine.connect() as con:
            rows = con.execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger'"))
            return {row[0] for row in rows}

    assert new <= set(inspect(engine).get_table_names())
    assert triggers() == {"audit_log_no_update", "audit_log_no_delete"}
    command.downgrade(alembic_config(engine), "0003")
    assert not new & set(inspect(engine).get_table_names())
    assert triggers() == set()
    migrate(engine)
    assert new <= set(inspect(engine).get_table_names())
    assert triggers() == {"audit_log_no_update", "audit_log_no_delete"}
    engine.dispose()
