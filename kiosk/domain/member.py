"""Member card rules that need no network: reading what a scanner or the number pad typed,
checking a one-time code, the expiring-points windows, and a last guard that nothing unmasked
reaches the screen.

The central service owns member data and sends it already masked; these rules only shape what
the kiosk sends and shows.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from kiosk.domain.validation import Problem

SCAN_CODE = re.compile(r"[A-Za-z0-9:_.\-]{4,128}")
"""What the service accepts as a scanned member code (sync.schemas.MemberScanCode)."""
_GROUPED_DIGITS = re.compile(r"[0-9][0-9 \-]*")
_SMS_CODE = re.compile(r"[0-9]{6}")
_MOBILE = re.compile(r"(?<![0-9])(1[3-9][0-9])([0-9]{4})([0-9]{4})(?![0-9])")
_LONG_NUMBER = re.compile(r"[0-9]{8,}")

EXPIRY_WINDOWS = (30, 60, 90)
"""Days ahead a shopper is told about points that lapse."""


def read_scan(raw: str) -> str | None:
    """The member code in what a scanner (keyboard wedge) or the number pad typed, or None.

    Full-width characters become ASCII, surrounding white space and a trailing Enter go, and
    a card number typed in groups ("8860 0000 0001", "8860-0000-0001") loses its separators.
    """
    text = unicodedata.normalize("NFKC", raw).strip()
    if _GROUPED_DIGITS.fullmatch(text):
        text = text.replace(" ", "").replace("-", "")
    return text if SCAN_CODE.fullmatch(text) else None


def check_sms_code(raw: str) -> str | Problem:
    """The six digits of a one-time code, spaces and full-width digits allowed."""
    code = "".join(unicodedata.normalize("NFKC", raw).split())
    if _SMS_CODE.fullmatch(code):
        return code
    return Problem(
        "code",
        "code_invalid",
        "验证码是短信里的 6 位数字。",
        "The code is the 6 digits in the text message.",
    )


@dataclass(frozen=True, slots=True)
class ExpiryWindow:
    """Points lapsing within `days` from today (inclusive of the last day), and the first date
    among them (None when nothing lapses)."""

    days: int
    points: int
    first: dt.date | None


def expiry_windows(
    lots: Iterable[tuple[dt.date, int]],
    today: dt.date,
    windows: Sequence[int] = EXPIRY_WINDOWS,
) -> list[ExpiryWindow]:
    """For each window, the points lapsing from today up to `today + days`.

    Windows are cumulative (the 60-day figure includes the 30-day one), as shoppers read
    "within 60 days". Lots already past or with no points are ignored.
    """
    upcoming = sorted((on, points) for on, points in lots if on >= today and points > 0)
    result = []
    for days in windows:
        last = today + dt.timedelta(days=days)
        inside = [(on, points) for on, points in upcoming if on <= last]
        result.append(
            ExpiryWindow(
                days, sum(points for _, points in inside), inside[0][0] if inside else None
            )
        )
    return result


def mask_numbers(text: str) -> str:
    """`text` with any mobile number masked (138****5678) and any other run of 8 or more
    digits cut to its last four (****5678): a guard in case a reply carried one unmasked."""
    text = _MOBILE.sub(lambda m: f"{m.group(1)}****{m.group(3)}", text)
    return _LONG_NUMBER.sub(lambda m: f"****{m.group(0)[-4:]}", text)


def private_channel(url: str) -> bool:
    """Whether member data sent to `url` stays private on the way: HTTPS, or this machine
    itself (the demo and tests). Plain HTTP across the mall's network is not."""
    parts = urlsplit(url)
    if parts.scheme == "https":
        return True
    if parts.scheme != "http" or not parts.hostname:
        return False
    if parts.hostname == "localhost":
        return True
    try:
        return ipaddress.ip_address(parts.hostname).is_loopback
    except ValueError:
        return False
