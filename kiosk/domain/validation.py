"""Checks of what shoppers type, with messages they can read, and masking of personal data.

Every `check_*` function returns the normalised value, or a `Problem` (field, stable code and a
sentence in zh and en) to show beside the field; optional fields that were left empty give None.
Nothing here raises for bad input, so a form can collect all its problems at once:

    phone = check_phone(form.phone, extra_patterns=patterns)
    if isinstance(phone, Problem): ...

Lengths of free text are counted in user-perceived characters (grapheme clusters, approximated
by `graphemes`), so an emoji, a flag or a letter with an accent counts once.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal, overload

# The server refuses any text longer than this many code points (sync.schemas.MAX_TEXT).
MAX_TEXT_CODE_POINTS = 4000
MAX_AMOUNT = Decimal("1000000.00")
CENT = Decimal("0.01")
# Purchases older than this are surely outside every window and warranty; likely a typo.
MAX_PURCHASE_AGE_DAYS = 6 * 366
EARLIEST_DATE = dt.date(2000, 1, 1)
MAX_NAME_CHARS = 40
MAX_QUANTITY = 99
SLIP_MIN, SLIP_MAX = 4, 32

_MAINLAND_MOBILE = re.compile(r"1[3-9]\d{9}", re.ASCII)
_COUNTRY_PREFIX = re.compile(r"(?:\+86|0086|86)(?=1[3-9]\d{9}$)", re.ASCII)
_PHONE_SEPARATORS = re.compile(r"[\s\-().·/]+")
# Characters dropped from free text: controls other than newline, lone surrogates, and format
# characters other than the joiners and tags that emoji sequences need (bidi overrides can
# make a complaint read backwards on the staff screen).
_KEEP_FORMAT = {"\u200c", "\u200d"}
_BLANK_LINES = re.compile(r"\n{3,}")
_AIM_PREFIX = re.compile(r"^\][A-Za-z][0-9A-Za-z]")
_SLIP_SEPARATORS = re.compile(r"[\s\-_/.]+")
_AMOUNT = re.compile(r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d*))?", re.ASCII)
_CURRENCY = re.compile(r"^(?:¥|CNY|RMB)|(?:元|圆|CNY|RMB)$", re.IGNORECASE)
_DATE_FORMATS = (
    re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?", re.ASCII),
    re.compile(r"(\d{4})(\d{2})(\d{2})", re.ASCII),
)


@dataclass(frozen=True, slots=True)
class Problem:
    """Why one field's input cannot be used: `code` for programs, `zh`/`en` for people."""

    field: str
    code: str
    zh: str
    en: str

    def text(self, lang: str) -> str:
        return self.zh if lang.lower().startswith("zh") else self.en


def problems(*results: object) -> list[Problem]:
    """The problems among several check results, in order."""
    return [result for result in results if isinstance(result, Problem)]


def _required(field: str) -> Problem:
    return Problem(field, "required", "此项必填。", "Please fill this in.")


# --- characters -----------------------------------------------------------------------------------


def _extends(char: str) -> bool:
    """Whether `char` continues the grapheme cluster before it (approximation of UAX #29)."""
    code = ord(char)
    return (
        unicodedata.category(char) in ("Mn", "Me", "Mc")
        or 0xFE00 <= code <= 0xFE0F  # variation selectors
        or 0xE0100 <= code <= 0xE01EF
        or 0x1F3FB <= code <= 0x1F3FF  # skin tones
        or 0xE0020 <= code <= 0xE007F  # tags (subdivision flags)
        or 0x1160 <= code <= 0x11FF  # Hangul medial vowels and final consonants
        or char == "\u200d"
    )


def _regional(char: str) -> bool:
    return 0x1F1E6 <= ord(char) <= 0x1F1FF


def graphemes(text: str) -> list[str]:
    """`text` split into user-perceived characters.

    A simple approximation of Unicode's extended grapheme clusters (UAX #29): combining marks,
    variation selectors, skin tones and tags join the character before them, a zero-width joiner
    joins the characters on both sides, regional indicators pair into flags, CR LF is one.
    """
    clusters: list[str] = []
    joined = False
    for char in text:
        if clusters and (
            joined
            or _extends(char)
            or (char == "\n" and clusters[-1] == "\r")
            or (_regional(char) and len(clusters[-1]) == 1 and _regional(clusters[-1]))
        ):
            clusters[-1] += char
        else:
            clusters.append(char)
        joined = char == "\u200d"
    return clusters


def char_count(text: str) -> int:
    """How many characters a person would say `text` has (see `graphemes`)."""
    return len(graphemes(text))


def _allowed(char: str) -> bool:
    if char == "\n":
        return True
    category = unicodedata.category(char)
    if category in ("Cc", "Cs"):
        return False
    if category == "Cf":
        return char in _KEEP_FORMAT or 0xE0020 <= ord(char) <= 0xE007F
    return True


def clean_text(text: str) -> str:
    """`text` made safe to store and print.

    NFC-normalised; line breaks as "\\n"; tabs as spaces; other control and format characters
    removed (joiners kept for emoji); more than one blank line in a row reduced to one;
    surrounding whitespace stripped.
    """
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = "".join(char for char in text.replace("\t", " ") if _allowed(char))
    return _BLANK_LINES.sub("\n\n", text).strip()


@overload
def check_text(
    text: str,
    *,
    field: str,
    max_chars: int,
    required: Literal[True] = ...,
    min_chars: int = ...,
) -> str | Problem: ...
@overload
def check_text(
    text: str,
    *,
    field: str,
    max_chars: int,
    required: bool,
    min_chars: int = ...,
) -> str | Problem | None: ...
def check_text(
    text: str,
    *,
    field: str,
    max_chars: int,
    required: bool = True,
    min_chars: int = 0,
) -> str | Problem | None:
    """Free text (a description, a store name): cleaned by `clean_text`, then its length in
    characters checked. Emoji and mixed scripts are welcome; text of only spaces is empty."""
    cleaned = clean_text(text)
    if not cleaned:
        return _required(field) if required else None
    count = char_count(cleaned)
    if count > max_chars or len(cleaned) > MAX_TEXT_CODE_POINTS:
        return Problem(
            field,
            "too_long",
            f"最多 {max_chars} 个字，现在有 {count} 个。",
            f"At most {max_chars} characters, please; this has {count}.",
        )
    if count < min_chars:
        return Problem(
            field,
            "too_short",
            f"请至少写 {min_chars} 个字。",
            f"Please write at least {min_chars} characters.",
        )
    return cleaned


# --- names and phone numbers ----------------------------------------------------------------------


@overload
def check_name(
    text: str, *, field: str = ..., required: Literal[False] = ...
) -> str | Problem | None: ...
@overload
def check_name(text: str, *, field: str = ..., required: Literal[True]) -> str | Problem: ...
def check_name(text: str, *, field: str = "name", required: bool = False) -> str | Problem | None:
    """A person's name or how to address them ("王先生"): cleaned, one line, at most 40
    characters, with at least one letter."""
    cleaned = " ".join(clean_text(text).split())
    if not cleaned:
        return _required(field) if required else None
    if char_count(cleaned) > MAX_NAME_CHARS:
        return Problem(
            field,
            "too_long",
            f"姓名最多 {MAX_NAME_CHARS} 个字。",
            f"A name has at most {MAX_NAME_CHARS} characters.",
        )
    if not any(char.isalpha() for char in cleaned):
        return Problem(field, "name_invalid", "请填写姓名或称呼。", "Please enter a name.")
    return cleaned


def compile_phone_patterns(patterns: Iterable[str]) -> tuple[re.Pattern[str], ...]:
    """Compile the configured extra phone formats; ValueError names a pattern that is not a
    valid regular expression. Patterns must match the whole number as `check_phone` sees it:
    without spaces, dashes, dots or brackets, a leading "+" kept (e.g. Hong Kong mobiles
    `\\+852[5-9]\\d{7}`, mainland landlines `0\\d{2,3}\\d{7,8}`)."""
    compiled = []
    for pattern in patterns:
        try:
            compiled.append(re.compile(pattern))
        except re.error as err:
            raise ValueError(
                f"phone pattern {pattern!r} is not a regular expression: {err}"
            ) from None
    return tuple(compiled)


def normalise_phone(text: str) -> str:
    """`text` without spaces, dashes, dots and brackets, full-width digits made ASCII, and a
    +86 / 0086 / 86 prefix before a mainland mobile number removed."""
    cleaned = _PHONE_SEPARATORS.sub("", unicodedata.normalize("NFKC", text))
    return _COUNTRY_PREFIX.sub("", cleaned, count=1)


@overload
def check_phone(
    text: str,
    *,
    field: str = ...,
    required: Literal[False] = ...,
    extra_patterns: Sequence[re.Pattern[str]] = ...,
) -> str | Problem | None: ...
@overload
def check_phone(
    text: str,
    *,
    field: str = ...,
    required: Literal[True],
    extra_patterns: Sequence[re.Pattern[str]] = ...,
) -> str | Problem: ...
def check_phone(
    text: str,
    *,
    field: str = "phone",
    required: bool = False,
    extra_patterns: Sequence[re.Pattern[str]] = (),
) -> str | Problem | None:
    """A mainland China mobile number (11 digits, 1[3-9]…), or one of `extra_patterns`
    (see `compile_phone_patterns`). Returns it normalised by `normalise_phone`."""
    number = normalise_phone(text)
    if not number:
        return _required(field) if required else None
    if _MAINLAND_MOBILE.fullmatch(number) or any(p.fullmatch(number) for p in extra_patterns):
        return number
    if extra_patterns:
        return Problem(
            field,
            "phone_invalid",
            "电话号码格式不对，请核对。",
            "That phone number does not look right — please check it.",
        )
    return Problem(
        field,
        "phone_invalid",
        "请输入 11 位手机号码，例如 138 1234 5678。",
        "Please enter an 11-digit mobile number, e.g. 138 1234 5678.",
    )


def mask_phone(phone: str) -> str:
    """A phone number as shown on screen and paper: "13812345678" -> "138****5678"; shorter
    numbers keep less (at most their first 2 and last 2 characters)."""
    number = _PHONE_SEPARATORS.sub("", phone)
    size = len(number)
    if not size:
        return ""
    if size >= 11:  # a mainland mobile's length
        head, tail = (4 if number.startswith("+") else 3), 4
    elif size >= 7:
        head, tail = 2, 2
    else:
        head, tail = 0, min(2, size // 2)
    return number[:head] + "*" * max(4, size - head - tail) + number[size - tail :]


def _is_wide(cluster: str) -> bool:
    return unicodedata.east_asian_width(cluster[0]) in ("W", "F")


def mask_name(name: str) -> str:
    """A name as shown on screen and paper (PIPL): Chinese and other wide-script names keep
    their first and last character ("王小明" -> "王*明", "王明" -> "王*", "欧阳小明" ->
    "欧**明"); names written with spaces keep the first letter of each word ("John Smith" ->
    "J*** S****"). Dots, hyphens and the middle dot (·) stay visible."""
    words = " ".join(name.split())
    if not words:
        return ""
    clusters = graphemes(words)
    if " " not in words and _is_wide(clusters[0]):
        letters = [i for i, cluster in enumerate(clusters) if cluster[0].isalnum()]
        if len(letters) <= 1:
            keep = set()
        elif len(letters) == 2:
            keep = {letters[0]}
        else:
            keep = {letters[0], letters[-1]}
        return "".join(
            c if i in keep or not c[0].isalnum() else "*" for i, c in enumerate(clusters)
        )
    out: list[str] = []
    first = True
    for cluster in clusters:
        if cluster in (" ", "-"):
            first = True
            out.append(cluster)
        elif not cluster[0].isalnum():
            out.append(cluster)
        else:
            out.append(cluster if first else "*")
            first = False
    return "".join(out)


# --- slips, amounts, dates ------------------------------------------------------------------------


def check_slip_number(text: str, *, field: str = "slip_no") -> str | Problem:
    """A sales slip (receipt) number, typed or read by a keyboard-wedge barcode scanner.

    The scanner's trailing Enter, any control characters, an AIM symbology prefix ("]C1"),
    spaces and dashes are dropped; letters are upper-cased. What remains must be 4 to 32
    letters and digits.
    """
    cleaned = "".join(
        char for char in unicodedata.normalize("NFKC", text) if unicodedata.category(char)[0] != "C"
    ).strip()
    cleaned = _SLIP_SEPARATORS.sub("", _AIM_PREFIX.sub("", cleaned)).upper()
    if not cleaned:
        return _required(field)
    if not (cleaned.isascii() and cleaned.isalnum()):
        return Problem(
            field,
            "slip_invalid",
            "小票号只包含字母和数字，请核对。",
            "A slip number has only letters and digits — please check it.",
        )
    if not SLIP_MIN <= len(cleaned) <= SLIP_MAX:
        return Problem(
            field,
            "slip_length",
            f"小票号应为 {SLIP_MIN} 到 {SLIP_MAX} 位，请核对。",
            f"A slip number has {SLIP_MIN} to {SLIP_MAX} letters and digits — please check it.",
        )
    return cleaned


def check_amount(
    value: str | Decimal | int,
    *,
    field: str = "amount",
    max_amount: Decimal = MAX_AMOUNT,
) -> Decimal | Problem:
    """An amount in yuan (CNY): more than 0, at most 2 decimal places (fen), at most
    `max_amount`. Text may carry "¥", "RMB", "元" and thousands separators ("1,299.00")."""
    amount = _parse_amount(value)
    if amount is None:
        return Problem(
            field,
            "amount_invalid",
            "请输入金额，例如 199.00。",
            "Please enter an amount in yuan, e.g. 199.00.",
        )
    if amount != amount.quantize(CENT):
        return Problem(
            field,
            "amount_decimals",
            "金额最多两位小数。",
            "An amount has at most 2 decimal places.",
        )
    if amount <= 0:
        return Problem(
            field, "amount_not_positive", "金额应大于 0。", "The amount must be more than 0."
        )
    if amount > max_amount:
        return Problem(
            field,
            "amount_too_large",
            f"金额不能超过 ¥{max_amount:,.2f}，请核对。",
            f"The amount cannot be more than ¥{max_amount:,.2f} — please check it.",
        )
    return amount.quantize(CENT)


def _parse_amount(value: str | Decimal | int) -> Decimal | None:
    if isinstance(value, str):
        text = _CURRENCY.sub("", "".join(unicodedata.normalize("NFKC", value).split()))
        if text.startswith("-"):
            return Decimal(-1)  # reported as "must be more than 0"
        if len(text) > 20 or not _AMOUNT.fullmatch(text):
            return None
        # The pattern admits only well-formed numbers.
        value = Decimal(text.replace(",", "").rstrip(".") or "0")
    elif isinstance(value, bool):
        return None
    elif isinstance(value, int):
        value = Decimal(value)
    return value if value.is_finite() else None


def parse_date(text: str) -> dt.date | None:
    """A date as shoppers write it: 2026-05-01, 2026/5/1, 2026.5.1, 2026年5月1日, 20260501."""
    text = "".join(unicodedata.normalize("NFKC", text).split())
    for pattern in _DATE_FORMATS:
        if match := pattern.fullmatch(text):
            year, month, day = (int(part) for part in match.groups())
            try:
                return dt.date(year, month, day)
            except ValueError:
                return None
    return None


def check_purchase_date(
    value: dt.date | str,
    *,
    today: dt.date,
    field: str = "purchase_date",
    earliest: dt.date | None = None,
) -> dt.date | Problem:
    """The day of purchase: not after `today`, not before `earliest` (default: 6 years ago,
    older than any warranty — most likely a typo)."""
    if isinstance(value, dt.datetime):
        value = value.date()
    day = parse_date(value) if isinstance(value, str) else value
    if day is None:
        return Problem(
            field,
            "date_invalid",
            "请输入日期，例如 2026-05-01。",
            "Please enter a date, e.g. 2026-05-01.",
        )
    if day > today:
        return Problem(
            field, "date_future", "日期不能晚于今天。", "The date cannot be after today."
        )
    floor = earliest or max(EARLIEST_DATE, today - dt.timedelta(days=MAX_PURCHASE_AGE_DAYS))
    if day < floor:
        return Problem(
            field,
            "date_too_old",
            f"日期不能早于 {floor.isoformat()}，请核对。",
            f"The date cannot be before {floor.isoformat()} — please check it.",
        )
    return day


def check_occurred_at(
    value: dt.datetime,
    *,
    now: dt.datetime,
    field: str = "occurred_at",
    max_age_days: int = 366,
) -> dt.datetime | Problem:
    """When something happened (a complaint): not in the future (5 minutes of clock skew
    allowed), not more than `max_age_days` ago. `value` and `now` are both naive or both aware."""
    if value > now + dt.timedelta(minutes=5):
        return Problem(
            field, "time_future", "时间不能晚于现在。", "The time cannot be later than now."
        )
    if value < now - dt.timedelta(days=max_age_days):
        return Problem(
            field,
            "time_too_old",
            f"只能反映 {max_age_days} 天内发生的事。",
            f"Please tell us about something from the last {max_age_days} days.",
        )
    return value


def check_quantity(value: int | str, *, field: str = "quantity") -> int | Problem:
    """How many pieces: a whole number from 1 to 99."""
    text = unicodedata.normalize("NFKC", value).strip() if isinstance(value, str) else None
    number = int(text) if text is not None and text.isascii() and text.isdigit() else value
    if isinstance(number, bool) or not isinstance(number, int) or not 1 <= number <= MAX_QUANTITY:
        return Problem(
            field,
            "quantity_invalid",
            f"数量应为 1 到 {MAX_QUANTITY}。",
            f"The quantity is a whole number from 1 to {MAX_QUANTITY}.",
        )
    return number
