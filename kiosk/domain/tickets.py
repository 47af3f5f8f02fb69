"""Public ticket numbers and tracking tokens.

A ticket number is what a shopper reads off the receipt and types back in: short, not secret,
unique without the network. Shape: `C-K07-0042-X` = kind letter, kiosk code, per-kiosk counter
(at least 4 digits, more once it passes 9999) and one check character.

Alphabet. Tickets use the 33 symbols `0-9` and `A-Z` without `I`, `L` and `O`; on input `I` and
`L` are read as `1` and `O` as `0` (as in Crockford's base32). A kiosk code is printed in this
folded form, so kiosk "KIO5" prints as "K105" — codes that fold to the same text must not be used
in one mall (see `fold_kiosk_code`). Folding is what lets the check character avoid look-alikes:
one check character must take as many values as a kiosk-code character can (else two codes
differing in one character would share it), and the wire format (`sync.schemas.TicketNo`) allows
only `A-Z0-9`, so without folding the check would need `O`, `0`, `I` and `1` all at once.

Check. In the style of ISO 7064 MOD 37-2, but modulo 33: for body values v_1..v_n and check c,
sum(v_i * 2^(n-i+1)) + c ≡ 1 (mod 33). 33 = 3 * 11 and both 2 and 2 - 1 are units modulo 33,
and any two symbol values differ by less than 33, so every single substitution and every
transposition of adjacent characters (check character included) changes the sum: each is
detected. The body is the kind letter, a virtual digit for the kiosk code's length, the kiosk
code and the counter; the length digit makes every way of splitting a dash-less "CK0700427" into
code and counter differ in exactly one symbol, so at most one split can be valid.

The guarantee holds for input whose fields are separated (dashes or spaces, as printed). Without
separators the check also decides where the kiosk code ends, and an error that happens to suit
another split can then go unnoticed (about one in 33 of the errors that allow another split).
"""

from __future__ import annotations

import enum
import hashlib
import re
import secrets
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from kiosk.domain.returns import Line

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTUVWXYZ"
MODULUS = len(ALPHABET)  # 33
_VALUE = {symbol: value for value, symbol in enumerate(ALPHABET)}
# Look-alikes read as the digit they resemble.
_FOLD = str.maketrans({"I": "1", "L": "1", "O": "0"})
_KIOSK_CODE = re.compile(r"[A-Z0-9]{2,6}")
MIN_COUNTER_DIGITS = 4
# "C-" + 6 + "-" + counter + "-X" must fit the wire's 30 characters.
MAX_COUNTER = 10**12 - 1
# Longest input worth looking at; anything longer is not a ticket number.
MAX_INPUT = 40
# Dashes of every width, the minus sign and the katakana middle dot shoppers' keyboards produce.
_SEPARATORS = re.compile(r"[\s\-_\u2010-\u2015\u2212\u30fb\u00b7]+")


class TicketKind(enum.StrEnum):
    """The letter that starts a ticket number."""

    COMPLAINT = "C"
    FEEDBACK = "S"  # suggestion, praise or consultation
    RETURN = "R"  # return or exchange request
    REPAIR = "W"  # repair work order


class TicketFormatError(ValueError):
    """Typed text is not a valid ticket number. str(err) is the English reason; `zh` and `en`
    are sentences for the shopper, `code` is stable for programs."""

    def __init__(self, code: str, en: str, zh: str) -> None:
        super().__init__(en)
        self.code = code
        self.en = en
        self.zh = zh


@dataclass(frozen=True, slots=True)
class Ticket:
    """A ticket number taken apart. `kiosk_code` is in its printed (folded) form."""

    kind: TicketKind
    kiosk_code: str
    counter: int
    check: str

    @property
    def text(self) -> str:
        return f"{self.kind}-{self.kiosk_code}-{self.counter:0{MIN_COUNTER_DIGITS}d}-{self.check}"

    def __str__(self) -> str:
        return self.text


def fold_kiosk_code(code: str) -> str:
    """A kiosk code as tickets print it: uppercase, `I`/`L` as `1`, `O` as `0`.

    Two kiosks of one mall whose codes fold to the same text would share ticket numbers; the
    configuration (or the central service, at enrollment) should refuse that.
    """
    upper = code.strip().upper()
    if not _KIOSK_CODE.fullmatch(upper):
        raise ValueError(f"kiosk code {code!r} must be 2 to 6 letters A-Z or digits 0-9")
    return upper.translate(_FOLD)


def make_ticket(kind: TicketKind | str, kiosk_code: str, counter: int) -> str:
    """The printed ticket number for the `counter`-th submission of a kiosk."""
    kind = TicketKind(kind)
    code = fold_kiosk_code(kiosk_code)
    if isinstance(counter, bool) or not 0 <= counter <= MAX_COUNTER:
        raise ValueError(f"ticket counter {counter!r} must be 0 to {MAX_COUNTER}")
    digits = f"{counter:0{MIN_COUNTER_DIGITS}d}"
    return Ticket(kind, code, counter, _check(kind, code, digits)).text


def parse_ticket(text: str) -> Ticket:
    """Read a ticket number as a shopper may type it.

    Tolerated: lower case, full-width characters, spaces or other dashes instead of "-", missing
    dashes, `O` for `0` and `I`/`L` for `1`. Raises `TicketFormatError` with a readable reason.
    """
    cleaned = unicodedata.normalize("NFKC", text).strip().upper()
    if not cleaned:
        raise TicketFormatError("empty", "Please enter the ticket number.", "请输入单号。")
    if len(cleaned) > MAX_INPUT:
        raise TicketFormatError(
            "too_long",
            "That is too long for a ticket number — please check it.",
            "单号太长了，请核对。",
        )
    parts = [part.translate(_FOLD) for part in _SEPARATORS.split(cleaned) if part]
    for part in parts:
        if any(symbol not in _VALUE for symbol in part):
            raise TicketFormatError(
                "bad_character",
                "A ticket number has only letters, digits and dashes.",
                "单号只包含字母、数字和短横线。",
            )
    if len(parts) == 4:  # kind, kiosk code, counter, check
        kind_text, code, digits, check = parts
        kind = _kind(kind_text)
        _require_code(code)
        _require_counter(digits)
        _require_check(check)
        if _check(kind, code, digits) != check:
            raise _mismatch()
        return Ticket(kind, code, int(digits), check)
    return _parse_compact("".join(parts))


def _parse_compact(compact: str) -> Ticket:
    """Without (all) the dashes: find the split into kiosk code and counter the check confirms."""
    if len(compact) < 1 + 2 + MIN_COUNTER_DIGITS + 1:
        raise TicketFormatError(
            "too_short",
            "That is too short for a ticket number — it looks like C-K07-0042-X.",
            "单号太短了，格式如 C-K07-0042-X。",
        )
    kind = _kind(compact[0])
    middle, check = compact[1:-1], compact[-1]
    splits = [
        (middle[:length], middle[length:])
        for length in range(2, 7)
        if length < len(middle) and _is_counter(middle[length:])
    ]
    if not splits:
        raise TicketFormatError(
            "shape",
            "Please type the number as printed, like C-K07-0042-X.",
            "请按回执上的格式输入单号，例如 C-K07-0042-X。",
        )
    valid = [(code, digits) for code, digits in splits if _check(kind, code, digits) == check]
    # Splits differ only in the virtual length digit, so at most one can be valid.
    if len(valid) != 1:
        raise _mismatch()
    code, digits = valid[0]
    return Ticket(kind, code, int(digits), check)


def _check(kind: TicketKind, code: str, digits: str) -> str:
    total = 0
    for symbol in (kind.value, str(len(code)), *code, *digits):
        total = (total + _VALUE[symbol]) * 2 % MODULUS
    return ALPHABET[(1 - total) % MODULUS]


def _kind(text: str) -> TicketKind:
    try:
        return TicketKind(text)
    except ValueError:
        raise TicketFormatError(
            "kind",
            "A ticket number starts with C, S, R or W.",
            "单号以 C、S、R 或 W 开头。",
        ) from None


def _require_code(code: str) -> None:
    if not 2 <= len(code) <= 6:
        raise TicketFormatError(
            "kiosk_code",
            "The second part (the kiosk code) has 2 to 6 letters or digits.",
            "第二段（服务机编号）为 2 到 6 位字母或数字。",
        )


def _is_counter(digits: str) -> bool:
    return (
        digits.isascii()
        and digits.isdigit()
        and (
            len(digits) == MIN_COUNTER_DIGITS
            or (len(digits) > MIN_COUNTER_DIGITS and digits[0] != "0")
        )
    )


def _require_counter(digits: str) -> None:
    if not (digits.isascii() and digits.isdigit()):
        raise TicketFormatError(
            "counter",
            "The third part of the ticket number has only digits.",
            "单号第三段只有数字。",
        )
    if not _is_counter(digits):
        raise TicketFormatError(
            "counter",
            "The third part has 4 digits, or more without a leading 0 — please check it.",
            "单号第三段为 4 位数字（超过 4 位时不以 0 开头），请核对。",
        )


def _require_check(check: str) -> None:
    if len(check) != 1:
        raise TicketFormatError(
            "check",
            "The last part of the ticket number is a single letter or digit.",
            "单号最后一段只有一个字母或数字。",
        )


def _mismatch() -> TicketFormatError:
    return TicketFormatError(
        "check_mismatch",
        "The check character does not match — please check the number.",
        "校验位不符，请核对单号。",
    )


def new_tracking_token() -> str:
    """The secret that only the receipt's QR code carries (43 URL-safe characters)."""
    return secrets.token_urlsafe(32)


def token_sha256(token: str) -> str:
    """What the server stores instead of the token: its SHA-256, lowercase hex."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


# --- status in words ------------------------------------------------------------------------------

STATUS_NAMES: Mapping[str, Line] = {
    "submitted": Line(
        "已提交，等待发送到服务中心", "Submitted, waiting to reach the service centre"
    ),
    "received": Line("服务中心已收到", "Received by the service centre"),
    "acknowledged": Line("已受理", "Accepted for handling"),
    "in_progress": Line("处理中", "In progress"),
    "escalated": Line("已升级处理", "Passed to a senior team"),
    "resolved": Line("已解决", "Resolved"),
    "closed": Line("已结案", "Closed"),
    "not_accepted": Line("未予受理", "Not accepted"),
    "withdrawn": Line("已撤回", "Withdrawn"),
    "duplicate": Line("重复提交", "Duplicate"),
    "reopened": Line("重新处理中", "Reopened"),
    "checked_in": Line("服务台已登记", "Checked in at the service desk"),
    "inspected": Line("已检验", "Inspected"),
    "approved": Line("已批准", "Approved"),
    "rejected": Line("未通过", "Declined"),
    "refunded": Line("已退款", "Refunded"),
    "exchanged": Line("已换货", "Exchanged"),
    "repair_in_progress": Line("维修中", "Being repaired"),
    "ready_for_pickup": Line("可取件", "Ready for pickup"),
    "completed": Line("已完成", "Completed"),
    "cancelled": Line("已取消", "Cancelled"),
    "expired": Line("已过期", "Expired"),
}
"""A ticket's status (DESIGN §7; sync.schemas.TicketStatus) in plain words: the same on the
kiosk's 查询单号 screen and on the phone's tracking page."""

_STATUS_UPDATED = Line("状态已更新", "Status updated")


def status_name(status: str) -> Line:
    """`status` in words; one this kiosk does not know yet reads "status updated"."""
    return STATUS_NAMES.get(status, _STATUS_UPDATED)
