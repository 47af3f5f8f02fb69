"""Points ledger maths: earned lots that lapse, and spending that uses the soonest-lapsing first.

A member's ledger is a list of signed entries. Each earning (> 0) is a lot that lapses at the end
of its `expires_on` (a day in the mall's time zone) unless spent; one without `expires_on` never
lapses. A spending (< 0) takes from the lots still valid at that moment, the one lapsing first
first, so a shopper never loses points that a spending could have used. A spending larger than
what the lots hold (a refund reversing points already spent) leaves a debt that the next
earnings pay first: no lot ever goes negative, and the balance is what the lots hold less the
debt.

Pure functions over plain values; sync.server.members reads the rows and builds the card.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

LAPSED_ZH = "积分到期"
LAPSED_EN = "Points expired"


@dataclass(frozen=True, slots=True)
class Entry:
    """One ledger line; `expires_on` only on earnings."""

    at: dt.datetime
    points: int
    description_zh: str = ""
    description_en: str = ""
    store_id: str | None = None
    expires_on: dt.date | None = None


@dataclass(frozen=True, slots=True)
class Lot:
    """An earning and what is left of it."""

    earned_at: dt.datetime
    expires_on: dt.date | None
    points: int
    left: int


@dataclass(frozen=True, slots=True)
class Lapse:
    """Points of a lot that lapsed unspent, `at` the midnight that ended `on` (mall time)."""

    at: dt.datetime
    on: dt.date
    points: int


@dataclass(frozen=True, slots=True)
class Statement:
    """Where a ledger stands at a moment.

    `lots` are the valid lots with points left, the one lapsing first first; `lapses` the lots
    that lapsed with points left, oldest first; `earned` and `spent` (a positive number) the
    totals of the entries up to the moment.
    """

    lots: tuple[Lot, ...]
    lapses: tuple[Lapse, ...]
    earned: int
    spent: int
    debt: int

    @property
    def balance(self) -> int:
        return sum(lot.left for lot in self.lots) - self.debt

    @property
    def lapsed(self) -> int:
        return sum(lapse.points for lapse in self.lapses)


@dataclass(slots=True)
class _OpenLot:
    earned_at: dt.datetime
    expires_on: dt.date | None
    points: int
    left: int
    lapses_at: dt.datetime | None


def lapse_moment(on: dt.date, zone: dt.tzinfo) -> dt.datetime:
    """The moment points lapsing `on` are gone: the following midnight in the mall's zone."""
    return dt.datetime.combine(on + dt.timedelta(days=1), dt.time(), tzinfo=zone).astimezone(dt.UTC)


def statement(entries: Iterable[Entry], now: dt.datetime, zone: dt.tzinfo) -> Statement:
    """The ledger `entries` (in any order; ties keep their order) as they stand at `now`.

    Entries after `now` are not counted yet.
    """
    due = sorted((e for e in entries if e.at <= now), key=lambda e: e.at)
    open_lots: list[_OpenLot] = []
    lapses: list[Lapse] = []
    earned = spent = debt = 0

    def lapse_until(moment: dt.datetime) -> None:
        gone = [lot for lot in open_lots if lot.lapses_at is not None and lot.lapses_at <= moment]
        for lot in sorted(gone, key=_fifo):
            open_lots.remove(lot)
            if lot.left > 0 and lot.expires_on is not None and lot.lapses_at is not None:
                lapses.append(Lapse(lot.lapses_at, lot.expires_on, lot.left))

    for entry in due:
        lapse_until(entry.at)
        if entry.points > 0:
            earned += entry.points
            paid = min(debt, entry.points)
            debt -= paid
            lapses_at = (
                lapse_moment(entry.expires_on, zone) if entry.expires_on is not None else None
            )
            open_lots.append(
                _OpenLot(entry.at, entry.expires_on, entry.points, entry.points - paid, lapses_at)
            )
            continue
        wanted = -entry.points
        spent += wanted
        for lot in sorted(open_lots, key=_fifo):
            taken = min(lot.left, wanted)
            lot.left -= taken
            wanted -= taken
            if wanted == 0:
                break
        debt += wanted
    lapse_until(now)
    lots = tuple(
        Lot(lot.earned_at, lot.expires_on, lot.points, lot.left)
        for lot in sorted(open_lots, key=_fifo)
        if lot.left > 0
    )
    return Statement(lots, tuple(lapses), earned, spent, debt)


def _fifo(lot: _OpenLot) -> tuple[dt.date, dt.datetime]:
    # Lots that never lapse go last; among lots lapsing the same day, the oldest first.
    return (lot.expires_on or dt.date.max, lot.earned_at)


def expiring(state: Statement, today: dt.date, days: int) -> list[tuple[dt.date, int]]:
    """(day, points) lapsing at the end of each day from `today` to `today + days`, in order."""
    last = today + dt.timedelta(days=days)
    by_day: dict[dt.date, int] = {}
    for lot in state.lots:
        if lot.expires_on is not None and today <= lot.expires_on <= last:
            by_day[lot.expires_on] = by_day.get(lot.expires_on, 0) + lot.left
    return sorted(by_day.items())


def history(
    entries: Sequence[Entry], state: Statement, now: dt.datetime, limit: int
) -> list[Entry]:
    """The `limit` most recent movements up to `now`, newest first: the ledger's entries and
    the lapses of `state` (as negative entries), later entries first among equal times."""
    moves = [e for e in entries if e.at <= now]
    moves += [Entry(lapse.at, -lapse.points, LAPSED_ZH, LAPSED_EN) for lapse in state.lapses]
    # Reversed, then a stable sort: among equal times the one listed later comes first.
    return sorted(reversed(moves), key=lambda e: e.at, reverse=True)[:limit]
