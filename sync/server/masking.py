"""What of a member's identity may be shown on a kiosk's screen, or written to a log.

A kiosk's screen is in a public place: it shows enough for the shopper to recognise their own
card (王*明, 138****5678, **** 0001) and never enough to learn someone else's name or number.
"""

from __future__ import annotations

import re

_MOBILE = re.compile(r"(?<![0-9])1[3-9][0-9]{9}(?![0-9])")


def mask_name(name: str) -> str:
    """王小明 -> 王*明, 李娜 -> 李*, Alice Wong -> A*** W***.

    A Chinese name keeps its first and last character (its first alone when it has two); a
    name in Latin letters keeps each word's initial. The stars never tell the length.
    """
    words = name.split()
    if not words:
        return "*"
    if any(ch.isascii() and ch.isalpha() for ch in name):
        return " ".join(f"{word[0]}***" for word in words)
    joined = "".join(words)
    if len(joined) <= 1:
        return "*"
    if len(joined) == 2:
        return f"{joined[0]}*"
    return f"{joined[0]}*{joined[-1]}"


def mask_phone(phone: str) -> str:
    """13812345678 -> 138****5678: the carrier prefix and the last four digits."""
    if len(phone) < 8:
        return "****"
    return f"{phone[:3]}****{phone[-4:]}"


def mask_card(number: str) -> str:
    """886000000001 -> **** 0001; "" when there is no card."""
    if not number:
        return ""
    return f"**** {number[-4:]}" if len(number) > 4 else "****"


def scrub_phones(text: str) -> str:
    """`text` with every mobile number in it masked: for messages from elsewhere (an SMS
    gateway's error) on their way to the log."""
    return _MOBILE.sub(lambda m: mask_phone(m.group(0)), text)
