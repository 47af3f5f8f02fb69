"""Points ledger maths: spending takes the soonest-lapsing lot first, lots lapse at the end of
their day in the mall's time zone, an overspend is a debt, and no point is created or lost."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sync.server.points import (
    LAPSED_EN,
    Entry,
    expiring,
    history,
    lapse_moment,
    statement,
)

ZONE = dt.timezone(dt.timedelta(hours=8))
DAY0 = dt.date(2026, 3, 1)


def day(n: int) -> dt.date:
    return DAY0 + dt.timedelta(days=n)


def at(n: int, hour: int = 12, minute: int = 0) -> dt.datetime:
    """Day `n` at hour:minute, mall time."""
    return dt.datetime.combine(day(n), dt.time(hour, minute), tzinfo=ZONE)


def earn(n: int, points: int, expires: int | None, hour: int = 12) -> Entry:
    return Entry(at(n, hour), points, "积", "earned", None, day(expires) if expires else None)


def spend(n: int, points: int, hour: int = 12) -> Entry:
    return Entry(at(n, hour), -points, "用", "spent")


def test_points_lapse_at_the_midnight_ending_their_day_in_the_mall() -> None:
    # Midnight in Shanghai is 16:00 UTC the day before.
    assert lapse_moment(dt.date(2026, 3, 1), ZONE) == dt.datetime(2026, 3, 1, 16, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("entries", "now", "balance", "lots", "lapses", "debt"),
    [
        pytest.param(
            [earn(0, 100, 300), earn(10, 50, 30), spend(20, 70)],
            at(25),
            80,
            [(day(300), 80)],
            [],
            0,
            id="a spending takes the lot lapsing first, not the oldest",
        ),
        pytest.param(
            [earn(0, 100, 50), earn(5, 100, 50), spend(10, 150)],
            at(20),
            50,
            [(day(50), 50)],
            [],
            0,
            id="lots lapsing the same day: the oldest first",
        ),
        pytest.param(
            [earn(0, 100, None), earn(1, 100, 200), spend(2, 150)],
            at(3),
            50,
            [(None, 50)],
            [],
            0,
            id="a lot that never lapses is used last",
        ),
        pytest.param(
            [earn(0, 100, 10)],
            at(10, 23, 59),
            100,
            [(day(10), 100)],
            [],
            0,
            id="a lot is still there on its last evening",
        ),
        pytest.param(
            [earn(0, 100, 10)],
            at(11, 0),
            0,
            [],
            [(day(10), 100)],
            0,
            id="and gone at midnight",
        ),
        pytest.param(
            [earn(0, 100, 10), spend(10, 60, hour=23)],
            at(20),
            0,
            [],
            [(day(10), 40)],
            0,
            id="a spending on the last day uses the lot; the rest lapses",
        ),
        pytest.param(
            [earn(0, 100, 10), spend(11, 60)],
            at(11, 13),
            -60,
            [],
            [(day(10), 100)],
            60,
            id="a spending after the lapse cannot use it: a debt",
        ),
        pytest.param(
            [earn(0, 100, 10), spend(11, 60), earn(12, 100, 100)],
            at(13),
            40,
            [(day(100), 40)],
            [(day(10), 100)],
            0,
            id="the next earning pays the debt first",
        ),
        pytest.param(
            [earn(0, 100, None), earn(30, 50, None), spend(40, 20)],
            at(10),
            100,
            [(None, 100)],
            [],
            0,
            id="entries after now do not count yet",
        ),
        pytest.param(
            [spend(0, 30), earn(0, 100, 5)],
            at(1),
            70,
            [(day(5), 70)],
            [],
            0,
            id="entries at the same moment keep their order",
        ),
    ],
)
def test_a_statement(  # noqa: PLR0917 - the table's columns
    entries: list[Entry],
    now: dt.datetime,
    balance: int,
    lots: list[tuple[dt.date | None, int]],
    lapses: list[tuple[dt.date, int]],
    debt: int,
) -> None:
    state = statement(entries, now, ZONE)
    assert state.balance == balance
    assert [(lot.expires_on, lot.left) for lot in state.lots] == lots
    assert [(lapse.on, lapse.points) for lapse in state.lapses] == lapses
    assert state.debt == debt


def test_lots_lapsing_the_same_day_keep_their_age_order() -> None:
    state = statement([earn(0, 100, 50), earn(5, 100, 50), spend(10, 150)], at(20), ZONE)
    (lot,) = state.lots
    assert lot.earned_at == at(5)


def test_expiring_groups_points_by_day_within_the_window() -> None:
    entries = [
        earn(0, 100, 30),
        earn(1, 40, 30),
        earn(2, 70, 60),
        earn(3, 500, 100),  # beyond the window
        earn(4, 900, None),  # never lapses
        earn(5, 10, 9),  # lapses first, so the spending takes it, then 10 of the first lot
        spend(6, 20),
    ]
    state = statement(entries, at(10), ZONE)
    assert expiring(state, day(10), 80) == [(day(30), 130), (day(60), 70)]
    # The window includes its last day and today.
    assert expiring(state, day(10), 50) == [(day(30), 130), (day(60), 70)]
    assert expiring(state, day(10), 49) == [(day(30), 130)]
    assert expiring(state, day(30), 0) == [(day(30), 130)]
    assert expiring(state, day(31), 90) == [(day(60), 70), (day(100), 500)]


def test_history_is_newest_first_with_lapses_at_their_midnight() -> None:
    entries = [earn(0, 100, 10), earn(1, 50, None, hour=9), spend(20, 30), earn(30, 5, None)]
    state = statement(entries, at(25), ZONE)
    moves = history(entries, state, at(25), limit=10)
    assert [(e.at, e.points) for e in moves] == [
        (at(20), -30),
        (dt.datetime.combine(day(11), dt.time(), tzinfo=ZONE), -100),
        (at(1, 9), 50),
        (at(0), 100),
    ]
    assert moves[1].description_en == LAPSED_EN
    assert [e.points for e in history(entries, state, at(25), limit=2)] == [-30, -100]


def test_history_lists_the_later_of_two_entries_at_the_same_moment_first() -> None:
    entries = [earn(0, 100, None), spend(0, 30)]
    moves = history(entries, statement(entries, at(1), ZONE), at(1), limit=5)
    assert [e.points for e in moves] == [-30, 100]


# --- properties -------------------------------------------------------------------------------

_entries = st.lists(
    st.tuples(
        st.integers(0, 400),  # day
        st.integers(0, 23),  # hour
        st.integers(-400, 400).filter(bool),  # points
        st.one_of(st.none(), st.integers(0, 200)),  # days until an earning lapses
    ),
    max_size=40,
)


def _ledger(raw: list[tuple[int, int, int, int | None]]) -> list[Entry]:
    return [
        Entry(
            at(n, hour),
            points,
            expires_on=day(n + life) if points > 0 and life is not None else None,
        )
        for n, hour, points, life in raw
    ]


@given(_entries, st.integers(0, 700))
def test_no_point_is_created_or_lost(raw: list[tuple[int, int, int, int | None]], now: int) -> None:
    entries = _ledger(raw)
    moment = at(now, 6)
    state = statement(entries, moment, ZONE)
    counted = [e for e in entries if e.at <= moment]
    assert state.earned == sum(e.points for e in counted if e.points > 0)
    assert state.spent == -sum(e.points for e in counted if e.points < 0)
    assert state.balance == state.earned - state.spent - state.lapsed
    assert all(0 < lot.left <= lot.points for lot in state.lots)
    assert all(lapse.points > 0 for lapse in state.lapses)
    assert state.debt >= 0
    # A debt is only left when nothing else is.
    assert state.debt == 0 or not state.lots
    assert all(
        lot.expires_on is None or lapse_moment(lot.expires_on, ZONE) > moment for lot in state.lots
    )
    assert sum(n for _, n in expiring(state, moment.date(), 1000)) <= max(state.balance, 0)


@given(_entries, st.integers(0, 700), st.randoms(use_true_random=False))
def test_the_order_entries_are_given_in_does_not_matter(
    raw: list[tuple[int, int, int, int | None]], now: int, rng: random.Random
) -> None:
    # Distinct moments: entries at the same moment are ordered as given, by design.
    entries = list({e.at: e for e in _ledger(raw)}.values())
    shuffled = entries[:]
    rng.shuffle(shuffled)
    assert statement(shuffled, at(now), ZONE) == statement(entries, at(now), ZONE)
