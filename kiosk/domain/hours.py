"""Opening hours: the common subset of OSM `opening_hours` strings, and "open now?" in zh and en.

Supported: "24/7"; rules like "Mo-Fr 09:00-17:00", "Mo,We,Fr 10:00-14:00,17:00-22:00", "Su off"
joined by ";" where a later rule replaces earlier ones on the days it names; a rule without days
applies to every day. A span that ends before it starts ("18:00-02:00") or past 24:00
("18:00-26:00") runs into the next morning and belongs to the day it starts on. Anything else
(public holidays, months, "sunrise", open ends) is refused rather than guessed.
Times are wall-clock times of the `now` given to `status`.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from dataclasses import dataclass

DAY_CODES = ("mo", "tu", "we", "th", "fr", "sa", "su")
MINUTES_PER_DAY = 24 * 60
# OSM allows extended hours up to 48:00 ("Fr 22:00-26:00").
MAX_END = 2 * MINUTES_PER_DAY

_DAY = r"(?:mo|tu|we|th|fr|sa|su)"
_DAYS = rf"{_DAY}(?:\s*-\s*{_DAY})?(?:\s*,\s*{_DAY}(?:\s*-\s*{_DAY})?)*"
_TIME = r"\d{1,2}:\d{2}"
_SPAN = rf"{_TIME}\s*-\s*{_TIME}"
_SPANS = rf"{_SPAN}(?:\s*,\s*{_SPAN})*"
_RULE = re.compile(
    rf"\s*(?:(?P<days>{_DAYS})\s+)?(?:(?P<spans>{_SPANS})|(?P<off>off|closed))\s*",
    re.IGNORECASE,
)
_SUPPORTED = 'expected rules like "Mo-Fr 09:00-17:00", "Sa,Su 10:00-16:00", "Su off" or "24/7"'


class HoursFormatError(ValueError):
    """An opening-hours string outside the supported subset; says which part and why."""

    def __init__(self, text: str, message: str) -> None:
        super().__init__(f'opening hours "{text}": {message}')
        self.text = text


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """Open from `start` to `end`, in minutes after the day's midnight; `end` may pass 1440."""

    start: int
    end: int


@dataclass(frozen=True, slots=True)
class OpeningHours:
    """A parsed weekly schedule: `week[0]` is Monday; each day's spans are sorted and disjoint."""

    text: str
    week: tuple[tuple[Span, ...], ...]


class OpenState(enum.StrEnum):
    OPEN = "open"
    CLOSED = "closed"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class HoursStatus:
    """Whether a place is open at `at`, and when that changes.

    `closes_at` is set when open (None: open round the clock); `opens_at` is set when closed
    (None: the schedule never opens). `text` is the original hours string, if any.
    """

    state: OpenState
    at: dt.datetime
    closes_at: dt.datetime | None
    opens_at: dt.datetime | None
    text: str | None

    @property
    def is_open(self) -> bool:
        return self.state is OpenState.OPEN


def parse_hours(text: str) -> OpeningHours:
    """Parse `text`; raises HoursFormatError when it is outside the supported subset."""
    if not text.strip():
        raise HoursFormatError(text, "is empty")
    week: list[tuple[Span, ...]] = [()] * 7
    for rule in text.split(";"):
        days, spans = _rule(text, rule)
        for day in days:
            week[day] = spans
    return OpeningHours(text, tuple(week))


def _rule(text: str, rule: str) -> tuple[list[int], tuple[Span, ...]]:
    if not rule.strip():
        raise HoursFormatError(text, 'has an empty rule (between or after ";")')
    if rule.strip() == "24/7":
        return list(range(7)), (Span(0, MINUTES_PER_DAY),)
    match = _RULE.fullmatch(rule)
    if match is None:
        raise HoursFormatError(text, f'cannot read "{rule.strip()}"; {_SUPPORTED}')
    days = _days(match["days"]) if match["days"] else list(range(7))
    if match["off"]:
        return days, ()
    spans = sorted(_span(text, part) for part in match["spans"].split(","))
    merged: list[Span] = []
    for span in spans:
        if merged and span.start <= merged[-1].end:
            merged[-1] = Span(merged[-1].start, max(merged[-1].end, span.end))
        else:
            merged.append(span)
    return days, tuple(merged)


def _days(selector: str) -> list[int]:
    days: list[int] = []
    for part in selector.split(","):
        first, _, last = (p.strip().lower() for p in part.partition("-"))
        start = DAY_CODES.index(first)
        stop = DAY_CODES.index(last) if last else start
        # "Fr-Mo" wraps over the weekend.
        days.extend((start + i) % 7 for i in range((stop - start) % 7 + 1))
    return days


def _span(text: str, part: str) -> Span:
    first, _, last = (p.strip() for p in part.partition("-"))
    start, end = _minutes(text, first), _minutes(text, last)
    if start >= MINUTES_PER_DAY:
        raise HoursFormatError(text, f'"{part.strip()}" starts at or after 24:00')
    if end == start:
        raise HoursFormatError(text, f'"{part.strip()}" starts and ends at the same time')
    if end < start:
        end += MINUTES_PER_DAY
    if end > MAX_END:
        raise HoursFormatError(text, f'"{part.strip()}" ends after 48:00')
    return Span(start, end)


def _minutes(text: str, clock: str) -> int:
    hours, _, minutes = clock.partition(":")
    if int(minutes) > 59:
        raise HoursFormatError(text, f'"{clock}" is not a time')
    return int(hours) * 60 + int(minutes)


def status(hours: OpeningHours | str | None, now: dt.datetime) -> HoursStatus:
    """Open or closed at `now`; unknown when there are no hours or they cannot be read."""
    if isinstance(hours, str):
        try:
            hours = parse_hours(hours)
        except HoursFormatError as exc:
            return HoursStatus(OpenState.UNKNOWN, now, None, None, exc.text)
    if hours is None:
        return HoursStatus(OpenState.UNKNOWN, now, None, None, None)
    midnight = dt.datetime.combine(now.date(), dt.time(), tzinfo=now.tzinfo)
    intervals: list[tuple[dt.datetime, dt.datetime]] = []
    # Two days back catch spans running into today; a week ahead finds the next opening.
    for offset in range(-2, 8):
        day = midnight + dt.timedelta(days=offset)
        intervals.extend(
            (day + dt.timedelta(minutes=s.start), day + dt.timedelta(minutes=s.end))
            for s in hours.week[day.weekday()]
        )
    merged: list[tuple[dt.datetime, dt.datetime]] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    for start, end in merged:
        if start <= now < end:
            # Open for a whole week without a break means open round the clock.
            closes = None if end - now >= dt.timedelta(days=7) else end
            return HoursStatus(OpenState.OPEN, now, closes, None, hours.text)
        if start > now:
            return HoursStatus(OpenState.CLOSED, now, None, start, hours.text)
    return HoursStatus(OpenState.CLOSED, now, None, None, hours.text)


_WEEKDAYS = {
    "zh": ("周一", "周二", "周三", "周四", "周五", "周六", "周日"),
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
}


def describe(current: HoursStatus, lang: str) -> str:
    """One line for the screen, e.g. "营业中 · 22:00 打烊" / "Open · closes 22:00".

    `lang` is a locale name such as "zh_CN" or "en_US"; anything not Chinese is English. An
    unknown status shows the hours as written, or nothing when there are none.
    """
    zh = lang.lower().startswith("zh")
    if current.state is OpenState.OPEN:
        return _describe_open(current.at, current.closes_at, zh)
    if current.state is OpenState.CLOSED:
        return _describe_closed(current.at, current.opens_at, zh)
    if current.text is None:
        return ""
    return f"营业时间：{current.text}" if zh else f"Hours: {current.text}"


def _describe_open(at: dt.datetime, closes_at: dt.datetime | None, zh: bool) -> str:
    if closes_at is None:
        return "营业中 · 24 小时营业" if zh else "Open 24 hours"
    days = (closes_at.date() - at.date()).days
    clock = closes_at.strftime("%H:%M")
    if days == 1 and clock == "00:00":
        day, clock = "", "24:00"
    elif days == 0:
        day = ""
    elif days == 1:
        day = "次日 " if zh else "tomorrow "
    else:
        day = _weekday(closes_at, zh) + " "
    return f"营业中 · {day}{clock} 打烊" if zh else f"Open · closes {day}{clock}"


def _describe_closed(at: dt.datetime, opens_at: dt.datetime | None, zh: bool) -> str:
    if opens_at is None:
        return "暂停营业" if zh else "Closed"
    days = (opens_at.date() - at.date()).days
    clock = opens_at.strftime("%H:%M")
    if days == 0:
        return f"未营业 · {clock} 营业" if zh else f"Closed · opens {clock}"
    day = ("明天" if zh else "tomorrow") if days == 1 else _weekday(opens_at, zh)
    return f"已打烊 · {day} {clock} 营业" if zh else f"Closed · opens {day} {clock}"


def _weekday(moment: dt.datetime, zh: bool) -> str:
    return _WEEKDAYS["zh" if zh else "en"][moment.weekday()]
