"""The audit log: records in order, kept across restarts, secrets never written, append-only."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

import pytest
import sqlalchemy
from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from kiosk.maintenance.audit import HIDDEN, AuditAction, AuditError, AuditLog, clean_name
from kiosk.store.db import open_cache
from tests.maintenance.conftest import FakeClock


def test_records_come_back_newest_first_with_who_when_and_what(
    audit: AuditLog, clock: FakeClock
) -> None:
    first = audit.record("Wang Li", AuditAction.PIN_OK)
    clock.advance(minutes=2)
    audit.record(
        "Wang Li",
        AuditAction.CONFIG_SET,
        {"key": "session.idle_timeout_s", "old": 60, "new": 90},
    )
    clock.advance(minutes=1)
    audit.record("pin", AuditAction.TEST_PRINT)
    entries = audit.recent()
    assert [e.action for e in entries] == ["test_print", "config_set", "pin_ok"]
    assert entries[1].details == {"key": "session.idle_timeout_s", "old": "60", "new": "90"}
    assert entries[2] == first
    assert entries[2].at == dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)
    assert audit.recent(2) == entries[:2]
    assert audit.recent(action=AuditAction.PIN_OK) == [first]
    assert "session.idle_timeout_s" in entries[1].summary()
    assert "2026-03-02 09:32:00 UTC" in entries[1].summary()


def test_order_is_insertion_order_even_when_the_clock_goes_back(
    audit: AuditLog, clock: FakeClock
) -> None:
    audit.record("a", AuditAction.PIN_OK)
    clock.advance(hours=-5)
    audit.record("b", AuditAction.RESTART)
    assert [e.who for e in audit.recent()] == ["b", "a"]


def test_times_are_stored_as_utc(sessions: sessionmaker[Session]) -> None:
    beijing = dt.timezone(dt.timedelta(hours=8))
    log = AuditLog(sessions, clock=lambda: dt.datetime(2026, 3, 2, 17, 30, tzinfo=beijing))
    entry = log.record("x", AuditAction.EXPORT)
    assert entry.at == dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)
    assert entry.at.tzinfo == dt.UTC


def test_the_log_survives_a_restart(database: Path, audit: AuditLog) -> None:
    audit.record("Wang Li", AuditAction.ENROLL, {"kiosk": "K07"})
    engine, reopened = open_cache(database)
    try:
        [entry] = AuditLog(reopened).recent()
    finally:
        engine.dispose()
    assert (entry.who, entry.action, entry.details) == ("Wang Li", "enroll", {"kiosk": "K07"})


@pytest.mark.parametrize("name", ["pin", "pin_hash", "token", "device_token", "code", "password"])
def test_secret_details_are_never_written(audit: AuditLog, name: str) -> None:
    audit.record("x", AuditAction.ENROLL, {name: "s3cret-value", "kiosk": "K07"})
    [entry] = audit.recent()
    assert entry.details == {name: HIDDEN, "kiosk": "K07"}


def test_who_and_details_are_one_short_line(audit: AuditLog) -> None:
    entry = audit.record("  Wang\nLi\t ", AuditAction.EXPORT, {"path": "a\nb", "long": "x" * 900})
    assert entry.who == "Wang Li"
    assert entry.details["path"] == "a b"
    assert len(entry.details["long"]) == 500
    assert clean_name("") == "unknown"
    assert len(clean_name("z" * 300)) == 80


def test_records_also_go_to_the_log_file(audit: AuditLog, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="kiosk.maintenance.audit"):
        audit.record("Wang Li", AuditAction.RESTART)
    assert "Wang Li" in caplog.text
    assert "restart" in caplog.text


def test_the_database_refuses_to_change_or_remove_records(
    sessions: sessionmaker[Session], audit: AuditLog
) -> None:
    audit.record("Wang Li", AuditAction.PIN_OK)
    for statement in ("UPDATE audit_log SET who = 'someone else'", "DELETE FROM audit_log"):
        with (
            pytest.raises(sqlalchemy.exc.IntegrityError, match="append-only"),
            sessions.begin() as session,
        ):
            session.execute(text(statement))
    assert [e.who for e in audit.recent()] == ["Wang Li"]


def test_a_database_that_cannot_be_written_is_a_known_error(tmp_path: Path) -> None:
    engine, sessions = open_cache(tmp_path / "cache.sqlite3")
    try:
        with engine.begin() as con:
            con.execute(text("DROP TRIGGER audit_log_no_update"))
            con.execute(text("DROP TABLE audit_log"))
        log = AuditLog(sessions)
        with pytest.raises(AuditError, match="audit log"):
            log.record("x", AuditAction.PIN_OK)
        with pytest.raises(AuditError, match="audit log"):
            log.recent()
    finally:
        engine.dispose()
