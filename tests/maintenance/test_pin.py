"""The maintenance PIN: rules, hash format, constant-time check, and the lockout that survives a
restart, on a real SQLite file with a clock the tests move."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.orm import Session, sessionmaker

from kiosk.config import KioskConfig, MaintenanceConfig
from kiosk.maintenance.audit import AuditAction, AuditLog
from kiosk.maintenance.pin import (
    PIN_MAX,
    PIN_MIN,
    PinGuard,
    PinHashError,
    PinRuleError,
    check_pin_rules,
    hash_pin,
    pin_problem,
    verify_pin,
)
from kiosk.store.db import open_cache
from tests.maintenance.conftest import FakeClock

PIN = "246810"
# Cheap costs keep the many attempts below fast; verify_pin reads them from the hash.
CHEAP = {"n": 2**10, "r": 8, "p": 1}


def cheap_hash(pin: str = PIN) -> str:
    return hash_pin(pin, **CHEAP)


# --- rules ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("pin", ["246810", "135792", "0000001", "902741", "112233445566"])
def test_acceptable_pins(pin: str) -> None:
    assert pin_problem(pin) is None
    check_pin_rules(pin)


@pytest.mark.parametrize(
    ("pin", "why"),
    [
        ("12345", "6 to 12 digits"),
        ("1234567890123", "6 to 12 digits"),
        ("24681a", "6 to 12 digits"),
        ("２４６８１０", "6 to 12 digits"),  # full-width digits are not 0-9
        ("", "6 to 12 digits"),
        ("246 810", "6 to 12 digits"),
        ("777777", "one digit repeated"),
        ("123456", "consecutive"),
        ("987654", "consecutive"),
        ("890123", "consecutive"),
        ("3456789012", "consecutive"),
    ],
)
def test_pins_that_break_the_rules_say_which_rule(pin: str, why: str) -> None:
    problem = pin_problem(pin)
    assert problem is not None
    assert why in problem
    with pytest.raises(PinRuleError, match=why):
        check_pin_rules(pin)


@given(
    start=st.integers(0, 9),
    step=st.sampled_from([1, -1]),
    length=st.integers(PIN_MIN, PIN_MAX),
)
def test_every_run_of_consecutive_digits_is_refused(start: int, step: int, length: int) -> None:
    pin = "".join(str((start + step * i) % 10) for i in range(length))
    assert "consecutive" in str(pin_problem(pin))


@given(digit=st.sampled_from("0123456789"), length=st.integers(PIN_MIN, PIN_MAX))
def test_every_repeated_digit_is_refused(digit: str, length: int) -> None:
    assert "repeated" in str(pin_problem(digit * length))


@given(st.text(alphabet="0123456789", min_size=PIN_MIN, max_size=PIN_MAX))
def test_a_refused_pin_of_digits_is_a_repeat_or_a_run(pin: str) -> None:
    problem = pin_problem(pin)
    if problem is not None:
        assert "repeated" in problem or "consecutive" in problem


# --- hashing --------------------------------------------------------------------------------------


def test_hash_is_self_describing_salted_and_never_contains_the_pin() -> None:
    first, second = hash_pin(PIN), hash_pin(PIN)
    form = r"scrypt\$n=32768,r=8,p=1\$[A-Za-z0-9+/]+={0,2}\$[A-Za-z0-9+/]+={0,2}"
    assert re.fullmatch(form, first)
    assert first != second  # a fresh salt each time
    assert PIN not in first
    assert verify_pin(PIN, first)
    assert verify_pin(PIN, second)


def test_the_stored_form_passes_the_config_pattern() -> None:
    cfg = KioskConfig.model_validate({"maintenance": {"pin_hash": hash_pin(PIN)}})
    assert verify_pin(PIN, cfg.maintenance.pin_hash)


def test_verify_rejects_other_pins() -> None:
    stored = cheap_hash()
    assert not verify_pin("246811", stored)
    assert not verify_pin("", stored)
    assert not verify_pin(PIN + "0", stored)
    assert not verify_pin("9" * 1000, stored)


def test_hash_pin_refuses_a_bad_pin() -> None:
    with pytest.raises(PinRuleError):
        hash_pin("123456")


@pytest.mark.parametrize(
    "stored",
    [
        "246810",  # the PIN itself pasted into the file
        "scrypt$n=1024,r=8,p=1$c2FsdA==",  # no key part
        "bcrypt$n=1024,r=8,p=1$c2FsdA==$a2V5",
        "scrypt$n=1000,r=8,p=1$c2FsdA==$a2V5",  # n not a power of two
        "scrypt$n=1048576,r=8,p=1$c2FsdA==$a2V5",  # costs meant to stall the kiosk
        "scrypt$n=1024,r=8,p=1$c2FsdA=$a2V5",  # bad padding
    ],
)
def test_an_unusable_stored_hash_is_a_known_error(stored: str) -> None:
    with pytest.raises(PinHashError, match="set-pin"):
        verify_pin(PIN, stored)


# --- the pad and its lockout ---------------------------------------------------------------------


def guard(
    sessions: sessionmaker[Session],
    audit: AuditLog,
    clock: FakeClock,
    stored: str | None = None,
    **options: object,
) -> PinGuard:
    return PinGuard(
        sessions,
        audit,
        cheap_hash() if stored is None else stored,
        clock=clock,
        **options,  # type: ignore[arg-type]
    )


def test_right_pin_opens_and_is_audited(
    sessions: sessionmaker[Session], audit: AuditLog, clock: FakeClock
) -> None:
    pad = guard(sessions, audit, clock)
    outcome = pad.attempt(PIN, who="Wang Li")
    assert outcome.result == "ok"
    assert outcome.state.attempts_left == 5
    assert not outcome.state.locked
    [entry] = audit.recent()
    assert (entry.who, entry.action, entry.at) == ("Wang Li", AuditAction.PIN_OK, clock.now)


def test_five_wrong_pins_lock_the_pad_for_five_minutes(
    sessions: sessionmaker[Session], audit: AuditLog, clock: FakeClock
) -> None:
    pad = guard(sessions, audit, clock)
    lefts = [pad.attempt("111222").state.attempts_left for _ in range(4)]
    assert lefts == [4, 3, 2, 1]
    fifth = pad.attempt("111222")
    assert fifth.result == "locked"
    assert fifth.state.locked_until == clock.now + dt.timedelta(minutes=5)
    assert fifth.state.retry_in_s == 300

    # Locked: even the right PIN is refused, and not checked.
    clock.advance(minutes=4, seconds=59)
    again = pad.attempt(PIN)
    assert again.result == "locked"
    assert again.state.retry_in_s == 1

    clock.advance(seconds=1)
    assert not pad.state().locked
    assert pad.state().attempts_left == 5
    assert pad.attempt(PIN).result == "ok"

    actions = [e.action for e in reversed(audit.recent())]
    assert actions == [
        *[AuditAction.PIN_FAILED] * 5,
        AuditAction.PIN_LOCKED,
        AuditAction.PIN_REFUSED_LOCKED,
        AuditAction.PIN_OK,
    ]


def test_a_right_pin_resets_the_count(
    sessions: sessionmaker[Session], audit: AuditLog, clock: FakeClock
) -> None:
    pad = guard(sessions, audit, clock)
    for _ in range(4):
        pad.attempt("111222")
    assert pad.attempt(PIN).result == "ok"
    assert pad.attempt("111222").state.attempts_left == 4


def test_the_lockout_survives_a_restart(
    database: Path, sessions: sessionmaker[Session], clock: FakeClock
) -> None:
    stored = cheap_hash()
    pad = guard(sessions, AuditLog(sessions, clock=clock), clock, stored)
    for _ in range(5):
        pad.attempt("111222")

    # A new process: a new engine on the same file, a new guard.
    engine, reopened = open_cache(database)
    try:
        restarted = guard(reopened, AuditLog(reopened, clock=clock), clock, stored)
        assert restarted.state().locked
        assert restarted.attempt(PIN).result == "locked"
        clock.advance(minutes=5)
        assert restarted.attempt(PIN).result == "ok"
    finally:
        engine.dispose()


def test_wrong_pins_count_across_a_restart(
    database: Path, sessions: sessionmaker[Session], clock: FakeClock
) -> None:
    stored = cheap_hash()
    for _ in range(4):
        guard(sessions, AuditLog(sessions, clock=clock), clock, stored).attempt("111222")
    engine, reopened = open_cache(database)
    try:
        outcome = guard(reopened, AuditLog(reopened, clock=clock), clock, stored).attempt("0")
        assert outcome.result == "locked"
    finally:
        engine.dispose()


def test_a_clock_set_back_does_not_lengthen_the_lock(
    sessions: sessionmaker[Session], audit: AuditLog, clock: FakeClock
) -> None:
    pad = guard(sessions, audit, clock)
    for _ in range(5):
        pad.attempt("111222")
    clock.advance(days=-30)  # the real-time clock lost its battery
    state = pad.state()
    assert state.locked
    assert state.locked_until == clock.now + dt.timedelta(minutes=5)
    assert pad.attempt(PIN).result == "locked"
    clock.advance(minutes=5)
    assert pad.attempt(PIN).result == "ok"


def test_attempts_and_lock_length_come_from_the_config(
    sessions: sessionmaker[Session], audit: AuditLog, clock: FakeClock
) -> None:
    config = MaintenanceConfig(pin_hash=cheap_hash(), lockout_attempts=3, lockout_minutes=1)
    pad = PinGuard.from_config(sessions, audit, config, clock=clock)
    assert [pad.attempt("111222").result for _ in range(3)] == ["wrong", "wrong", "locked"]
    assert pad.state().retry_in_s == 60


def test_no_pin_set_means_maintenance_cannot_be_opened(
    sessions: sessionmaker[Session], audit: AuditLog, clock: FakeClock
) -> None:
    pad = guard(sessions, audit, clock, stored="")
    outcome = pad.attempt("")
    assert outcome.result == "not_set"
    assert not outcome.state.pin_set
    assert audit.recent()[0].details == {"reason": "no PIN is set"}


def test_a_new_pin_applies_at_once(
    sessions: sessionmaker[Session], audit: AuditLog, clock: FakeClock
) -> None:
    pad = guard(sessions, audit, clock)
    pad.set_pin_hash(cheap_hash("135792"))
    assert pad.attempt(PIN).result == "wrong"
    assert pad.attempt("135792").result == "ok"


def test_the_audit_log_never_holds_a_typed_pin(
    sessions: sessionmaker[Session], audit: AuditLog, clock: FakeClock
) -> None:
    pad = guard(sessions, audit, clock)
    for typed in ("864209", "531975", PIN):
        pad.attempt(typed, who="staff")
    text = repr([(e.who, e.details) for e in audit.recent()])
    for typed in ("864209", "531975", PIN):
        assert typed not in text


def test_an_unusable_stored_hash_is_audited_and_raised(
    sessions: sessionmaker[Session], audit: AuditLog, clock: FakeClock
) -> None:
    pad = guard(sessions, audit, clock, stored="scrypt$n=3,r=8,p=1$c2FsdA==$a2V5")
    with pytest.raises(PinHashError):
        pad.attempt(PIN)
    assert audit.recent()[0].details == {"reason": "the PIN hash is unusable"}
