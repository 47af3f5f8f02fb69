"""Opening hours: parsing the supported subset, open/closed at a moment, and the screen text."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from kiosk.domain.hours import (
    DAY_CODES,
    HoursFormatError,
    OpenState,
    Span,
    describe,
    parse_hours,
    status,
)
from kiosk.domain.imdf import demo_venue_path, load_venue

# 2026-05-01 is a Friday.
FRI = dt.date(2026, 5, 1)


def at(day: int, clock: str) -> dt.datetime:
    """A moment `day` days after Friday 2026-05-01 (0 = Friday, 3 = Monday)."""
    hours, minutes = map(int, clock.split(":"))
    return dt.datetime.combine(FRI + dt.timedelta(days=day), dt.time(hours, minutes))


def clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


# --- parsing ------------------------------------------------------------------------------------

EVERY_DAY = tuple(range(7))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mo-Su 10:00-22:00", {EVERY_DAY: (Span(600, 1320),)}),
        ("Mo-Su 11:00-21:30", {EVERY_DAY: (Span(660, 1290),)}),
        ("Mo-Su 10:00-24:00", {EVERY_DAY: (Span(600, 1440),)}),
        ("Mo-Su 00:00-24:00", {EVERY_DAY: (Span(0, 1440),)}),
        ("24/7", {EVERY_DAY: (Span(0, 1440),)}),
        ("10:00-20:00", {EVERY_DAY: (Span(600, 1200),)}),
        ("Mo-Su 18:00-02:00", {EVERY_DAY: (Span(1080, 1560),)}),
        ("Fr,Sa 22:00-26:00", {(4, 5): (Span(1320, 1560),), (0, 1, 2, 3, 6): ()}),
        (
            "Mo-Fr 09:00-17:00; Sa-Su 10:00-16:00",
            {(0, 1, 2, 3, 4): (Span(540, 1020),), (5, 6): (Span(600, 960),)},
        ),
        (
            "Mo-Th 10:00-22:00; Fr-Su 10:00-22:30",
            {(0, 1, 2, 3): (Span(600, 1320),), (4, 5, 6): (Span(600, 1350),)},
        ),
        ("Mo-Su 10:00-22:00; Tu off", {(0, 2, 3, 4, 5, 6): (Span(600, 1320),), (1,): ()}),
        ("Mo-Su 10:00-22:00; We closed", {(2,): (), (0, 1, 3, 4, 5, 6): (Span(600, 1320),)}),
        ("Su off; Mo-Su 10:00-22:00", {EVERY_DAY: (Span(600, 1320),)}),
        ("Fr-Mo 10:00-14:00", {(4, 5, 6, 0): (Span(600, 840),), (1, 2, 3): ()}),
        (
            "Mo,We,Fr 10:00-14:00,17:00-22:00",
            {(0, 2, 4): (Span(600, 840), Span(1020, 1320)), (1, 3, 5, 6): ()},
        ),
        ("Mo-We,Sa 10:00-12:00,11:00-13:00", {(0, 1, 2, 5): (Span(600, 780),), (3, 4, 6): ()}),
        ("  mo - fr   9:00 - 17:00 ;  sa  off ", {(0, 1, 2, 3, 4): (Span(540, 1020),)}),
        ("24/7; Su 10:00-18:00", {(0, 1, 2, 3, 4, 5): (Span(0, 1440),), (6,): (Span(600, 1080),)}),
    ],
)
def test_parse(text: str, expected: dict[tuple[int, ...], tuple[Span, ...]]) -> None:
    hours = parse_hours(text)
    assert hours.text == text
    for days, spans in expected.items():
        for day in days:
            assert hours.week[day] == spans, DAY_CODES[day]


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        ("", "is empty"),
        ("   ", "is empty"),
        ("Mo-Fr", 'cannot read "Mo-Fr"'),
        ("Mo-Fr 10:00", 'cannot read "Mo-Fr 10:00"'),
        ("Mo-Fr 10:00+", "cannot read"),
        ("PH off", 'cannot read "PH off"'),
        ("Mo-Su 10:00-22:00; PH off", 'cannot read "PH off"'),
        ("Dec 25 off", "cannot read"),
        ("sunrise-sunset", "cannot read"),
        ("Xx 10:00-20:00", "cannot read"),
        ("Mo-Fr 10:00-20:00, Sa 10:00-14:00", "cannot read"),
        ("Mo-Fr 10:00-20:00;", "empty rule"),
        ("Mo-Fr 10:61-20:00", '"10:61" is not a time'),
        ("Mo-Fr 24:00-26:00", "starts at or after 24:00"),
        ("Mo-Fr 10:00-10:00", "starts and ends at the same time"),
        ("Mo-Fr 10:00-49:00", "ends after 48:00"),
    ],
)
def test_unsupported_strings_are_refused(text: str, complaint: str) -> None:
    with pytest.raises(HoursFormatError, match=complaint) as info:
        parse_hours(text)
    assert isinstance(info.value, ValueError)
    assert info.value.text == text
    assert text in str(info.value)


def test_every_hours_string_of_the_demo_mall_parses() -> None:
    demo = load_venue(demo_venue_path())
    texts = {
        h
        for h in (
            demo.venue.hours,
            *(o.hours for o in demo.occupants),
            *(a.hours for a in demo.amenities),
        )
        if h is not None
    }
    assert len(texts) >= 5
    for text in texts:
        parse_hours(text)


# --- status and description ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "now", "zh", "en"),
    [
        ("Mo-Su 10:00-22:00", at(0, "12:00"), "营业中 · 22:00 打烊", "Open · closes 22:00"),
        ("Mo-Su 10:00-22:00", at(0, "10:00"), "营业中 · 22:00 打烊", "Open · closes 22:00"),
        ("Mo-Su 10:00-22:00", at(0, "09:59"), "未营业 · 10:00 营业", "Closed · opens 10:00"),
        (
            "Mo-Su 10:00-22:00",
            at(0, "22:00"),
            "已打烊 · 明天 10:00 营业",
            "Closed · opens tomorrow 10:00",
        ),
        ("Mo-Su 10:00-24:00", at(0, "23:59"), "营业中 · 24:00 打烊", "Open · closes 24:00"),
        ("Mo-Su 00:00-24:00", at(0, "03:00"), "营业中 · 24 小时营业", "Open 24 hours"),
        ("24/7", at(2, "23:59"), "营业中 · 24 小时营业", "Open 24 hours"),
        (
            "Mo-Su 18:00-02:00",
            at(0, "23:00"),
            "营业中 · 次日 02:00 打烊",
            "Open · closes tomorrow 02:00",
        ),
        ("Mo-Su 18:00-02:00", at(1, "01:30"), "营业中 · 02:00 打烊", "Open · closes 02:00"),
        ("Mo-Su 18:00-02:00", at(1, "02:00"), "未营业 · 18:00 营业", "Closed · opens 18:00"),
        # Friday's late span still runs into Saturday although Saturday itself is off.
        ("Fr 20:00-02:00; Sa off", at(1, "01:00"), "营业中 · 02:00 打烊", "Open · closes 02:00"),
        (
            "Mo-Fr 09:00-17:00; Sa-Su 10:00-16:00",
            at(0, "18:00"),
            "已打烊 · 明天 10:00 营业",
            "Closed · opens tomorrow 10:00",
        ),
        (
            "Mo-Fr 09:00-17:00; Sa-Su off",
            at(0, "18:00"),
            "已打烊 · 周一 09:00 营业",
            "Closed · opens Mon 09:00",
        ),
        (
            "Mo-Sa 00:00-24:00; Su off",
            at(3, "12:00"),
            "营业中 · 周日 00:00 打烊",
            "Open · closes Sun 00:00",
        ),
        ("Mo-Su off", at(0, "12:00"), "暂停营业", "Closed"),
        (
            "Mo-Fr 10:00-14:00,17:00-22:00",
            at(0, "15:00"),
            "未营业 · 17:00 营业",
            "Closed · opens 17:00",
        ),
        ("PH off", at(0, "12:00"), "营业时间：PH off", "Hours: PH off"),
    ],
)
def test_status_described(text: str, now: dt.datetime, zh: str, en: str) -> None:
    current = status(text, now)
    assert describe(current, "zh_CN") == zh
    assert describe(current, "en_US") == en


def test_open_status_fields() -> None:
    current = status(parse_hours("Mo-Su 18:00-02:00"), at(0, "23:00"))
    assert current.state is OpenState.OPEN
    assert current.is_open
    assert current.closes_at == at(1, "02:00")
    assert current.opens_at is None
    assert current.at == at(0, "23:00")
    assert current.text == "Mo-Su 18:00-02:00"


def test_closed_status_fields() -> None:
    current = status("Mo-Fr 09:00-17:00; Sa-Su off", at(1, "12:00"))
    assert current.state is OpenState.CLOSED
    assert not current.is_open
    assert current.opens_at == at(3, "09:00")
    assert current.closes_at is None


def test_no_hours_or_unreadable_hours_are_unknown_not_guessed() -> None:
    none = status(None, at(0, "12:00"))
    assert none.state is OpenState.UNKNOWN
    assert (none.opens_at, none.closes_at, none.text) == (None, None, None)
    assert describe(none, "zh_CN") == ""
    assert describe(none, "en") == ""
    bad = status("Mo-Fr 10:00-20:00 PH off", at(0, "12:00"))
    assert bad.state is OpenState.UNKNOWN
    assert not bad.is_open
    assert bad.text == "Mo-Fr 10:00-20:00 PH off"


def test_time_zone_of_now_is_kept() -> None:
    shanghai = dt.timezone(dt.timedelta(hours=8))
    now = dt.datetime(2026, 5, 1, 21, 0, tzinfo=shanghai)
    current = status("Mo-Su 10:00-22:00", now)
    assert current.closes_at == dt.datetime(2026, 5, 1, 22, 0, tzinfo=shanghai)
    # Hours are wall-clock times of whatever zone `now` is in.
    in_utc = status("Mo-Su 10:00-22:00", now.astimezone(dt.UTC))
    assert in_utc.closes_at == dt.datetime(2026, 5, 1, 22, 0, tzinfo=dt.UTC)


# --- properties ---------------------------------------------------------------------------------

moments = st.datetimes(min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2099, 12, 31))


@given(start=st.integers(0, 1439), end=st.integers(0, 1440), now=moments)
def test_simple_rule_is_open_iff_now_is_within_the_range(
    start: int, end: int, now: dt.datetime
) -> None:
    assume(end != start)
    text = f"Mo-Su {clock(start)}-{'24:00' if end == 1440 else clock(end)}"
    current = status(text, now)
    seconds = (now - dt.datetime.combine(now.date(), dt.time())).total_seconds()
    if end > start:
        expected = start * 60 <= seconds < end * 60
    else:  # crosses midnight
        expected = seconds >= start * 60 or seconds < end * 60
    assert current.is_open == expected, (text, now)
    if not current.is_open:
        assert current.opens_at is not None
        assert dt.timedelta(0) < current.opens_at - now <= dt.timedelta(days=1)
        assert current.opens_at.time() == dt.time(start // 60, start % 60)
    elif start == 0 and end in (0, 1440):
        assert current.closes_at is None
    else:
        assert current.closes_at is not None
        assert dt.timedelta(0) < current.closes_at - now <= dt.timedelta(days=1)
        assert current.closes_at.time() == dt.time((end // 60) % 24, end % 60)


day_ranges = st.lists(st.tuples(st.integers(0, 6), st.integers(0, 6)), min_size=1, max_size=3)
# Ends before the start cross midnight; ends past 24:00 are extended hours.
spans = st.lists(
    st.tuples(st.integers(0, 1439), st.integers(0, 2880)).filter(lambda s: s[0] != s[1]),
    min_size=1,
    max_size=3,
)
rules = st.lists(st.tuples(day_ranges, st.none() | spans), min_size=1, max_size=4)
Rule = tuple[list[tuple[int, int]], list[tuple[int, int]] | None]


def rule_text(days: list[tuple[int, int]], times: list[tuple[int, int]] | None) -> str:
    names = [d.capitalize() for d in DAY_CODES]
    selector = ",".join(names[a] if a == b else f"{names[a]}-{names[b]}" for a, b in days)
    if times is None:
        return f"{selector} off"
    return f"{selector} " + ",".join(f"{clock(s)}-{clock(e)}" for s, e in times)


def reference_open(rule_list: list[Rule], now: dt.datetime) -> bool:
    """Straight from the rules: the last rule naming a day decides it; spans may spill over."""
    week: list[list[tuple[int, int]]] = [[] for _ in range(7)]
    for days, times in rule_list:
        for a, b in days:
            for i in range((b - a) % 7 + 1):
                week[(a + i) % 7] = [] if times is None else _normalized(times)
    minute = now.hour * 60 + now.minute + (now.second + now.microsecond / 1e6) / 60
    today, yesterday = week[now.weekday()], week[(now.weekday() - 1) % 7]
    return any(s <= minute < e for s, e in today) or any(
        s <= minute + 1440 < e for s, e in yesterday
    )


def _normalized(times: list[tuple[int, int]]) -> list[tuple[int, int]]:
    return [(s, e if e > s else e + 1440) for s, e in times]


@given(rule_list=rules, now=moments)
def test_any_schedule_agrees_with_a_reference_and_its_change_times_are_exact(
    rule_list: list[Rule], now: dt.datetime
) -> None:
    text = "; ".join(rule_text(days, times) for days, times in rule_list)
    hours = parse_hours(text)
    current = status(hours, now)
    assert current.is_open == reference_open(rule_list, now), text
    tick = dt.timedelta(microseconds=1)
    if current.closes_at is not None:
        assert not status(hours, current.closes_at).is_open
        assert status(hours, current.closes_at - tick).is_open
    if current.opens_at is not None:
        assert status(hours, current.opens_at).is_open
        assert not status(hours, current.opens_at - tick).is_open
        assert current.opens_at - now <= dt.timedelta(days=7)
    assert describe(current, "zh_CN")
    assert describe(current, "en")
