"""What a printed receipt says, and its layout as device-independent blocks.

Every shopper submission (complaint, suggestion, return/exchange or repair request) gets a
receipt: the ticket number, what happens next and a QR code with the tracking link
`<base>/<TICKET>?t=<token>`. `layout(receipt)` runs once; `kiosk.printing.image` draws the
blocks and `kiosk.printing.escpos_out` sends them to a printer (as that image, or as text).

Both languages are printed where a line is short (at most `SHORT_COLUMNS` columns, a 58 mm
line), the shopper's language first; a longer line is printed in the shopper's language only.

Personal data (PIPL): a receipt carries no personal data except a contact already masked by the
caller (138****5678, 王*明; `Receipt` refuses one without a "*"). Mobile numbers, e-mail addresses
and ID card numbers in any other text (a shopper may type them into a description) are masked by
`layout` (`mask_personal_data`). Names in free text cannot be recognised: keep them out.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal
from urllib.parse import parse_qs, urlsplit

from kiosk.domain.venue import Names

__all__ = [
    "KIND_LABELS",
    "QR",
    "SHORT_COLUMNS",
    "Align",
    "Block",
    "Checklist",
    "ChecklistItem",
    "Language",
    "Receipt",
    "ReceiptKind",
    "Rule",
    "Spacer",
    "Text",
    "TextSize",
    "Title",
    "both_languages",
    "display_columns",
    "label",
    "language_pair",
    "layout",
    "mask_personal_data",
    "new_tracking_token",
    "tracking_url",
]

Language = Literal["zh_CN", "en"]
# The submission kinds of the sync protocol (sync.schemas.SubmissionKind).
ReceiptKind = Literal["complaint", "feedback", "return_request", "repair_request"]
TextSize = Literal["small", "normal", "large", "huge"]
Align = Literal["left", "center", "right"]

# A 58 mm printer's line in its 12x24 font: 32 columns, a Chinese character taking two.
SHORT_COLUMNS = 32

KIND_LABELS: dict[ReceiptKind, Names] = {
    "complaint": Names("投诉回执", "Complaint receipt"),
    "feedback": Names("建议回执", "Suggestion receipt"),
    "return_request": Names("退换货申请单", "Return / exchange slip"),
    "repair_request": Names("维修申请单", "Repair request slip"),
}
_SMALLER: dict[TextSize, TextSize] = {
    "huge": "large",
    "large": "normal",
    "normal": "small",
    "small": "small",
}
# Kinds for which the shopper brings goods to a service desk, so a "please bring" list applies.
_BRING_GOODS: frozenset[ReceiptKind] = frozenset({"return_request", "repair_request"})

_TICKET = Names("单号", "Ticket No.")
_TIME = Names("时间", "Time")
_KIOSK = Names("自助机", "Kiosk")
_STORE = Names("商户", "Store")
_CONTACT = Names("联系方式", "Contact")
_DETAILS = Names("内容摘要", "Summary")
_NEXT = Names("后续处理", "What happens next")
_BRING = Names("请携带", "Please bring")
_SCAN = Names("扫码查看处理进度", "Scan to follow your request")
_KEEP = Names("请保留本回执，查询时请提供单号", "Keep this receipt and quote the ticket number")

_TICKET_NO = re.compile(r"[A-Z0-9-]{6,30}")
_KIOSK_CODE = re.compile(r"[A-Z0-9]{2,6}")
_TOKEN = re.compile(r"[A-Za-z0-9_-]{43,}")
# Unmasked personal data: a mainland mobile number, an e-mail address, an 18-digit ID number.
_MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+")
_ID_CANDIDATE = re.compile(r"(?<![0-9])\d{17}[0-9Xx](?![0-9])")


# --- blocks --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Title:
    """The heading at the top: large, bold, centred."""

    text: str


@dataclass(frozen=True, slots=True)
class Text:
    """A paragraph, wrapped to the paper width when drawn."""

    text: str
    size: TextSize = "normal"
    bold: bool = False
    align: Align = "left"


@dataclass(frozen=True, slots=True)
class Rule:
    """A dashed line across the paper."""


@dataclass(frozen=True, slots=True)
class QR:
    """A QR code of `url`, centred, at least 25 mm wide, with a 4-module quiet zone."""

    url: str


@dataclass(frozen=True, slots=True)
class ChecklistItem:
    """One thing to tick off; `translation` (may be empty) is drawn smaller beneath."""

    text: str
    translation: str = ""


@dataclass(frozen=True, slots=True)
class Checklist:
    """A heading and items, each with an empty box to tick."""

    title: str
    items: tuple[ChecklistItem, ...]


@dataclass(frozen=True, slots=True)
class Spacer:
    """Blank paper, `mm` millimetres high."""

    mm: float = 3.0


Block = Title | Text | Rule | QR | Checklist | Spacer


# --- the receipt ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Receipt:
    """Everything a receipt shows. Text comes in both languages as `Names` (en may be empty).

    `issued_at` must be timezone-aware and is printed in its own zone (the kiosk's local time).
    `contact` must already be masked. `checklist` (what to bring) is only for return and repair
    requests. `kind_label` defaults to `KIND_LABELS[kind]`.
    """

    mall_name: Names
    kind: ReceiptKind
    ticket_no: str
    issued_at: datetime
    kiosk_code: str
    tracking_url: str
    language: Language = "zh_CN"
    kind_label: Names | None = None
    store_name: Names | None = None
    contact: str | None = None
    summary: tuple[Names, ...] = ()
    next_steps: tuple[Names, ...] = ()
    checklist: tuple[Names, ...] = ()

    def __post_init__(self) -> None:
        if self.kind not in KIND_LABELS:
            raise ValueError(f"unknown receipt kind {self.kind!r}")
        if not _TICKET_NO.fullmatch(self.ticket_no):
            raise ValueError(f"ticket number {self.ticket_no!r} is not 6-30 of A-Z, 0-9 and -")
        if not _KIOSK_CODE.fullmatch(self.kiosk_code):
            raise ValueError(f"kiosk code {self.kiosk_code!r} is not 2-6 of A-Z and 0-9")
        if self.issued_at.tzinfo is None or self.issued_at.utcoffset() is None:
            raise ValueError("issued_at must be timezone-aware")
        if self.language not in ("zh_CN", "en"):
            raise ValueError(f"language {self.language!r} is not zh_CN or en")
        if self.checklist and self.kind not in _BRING_GOODS:
            raise ValueError(f"a {self.kind} receipt has no checklist (nothing to bring)")
        _check_tracking_url(self.tracking_url, self.ticket_no)
        if self.contact is not None and (
            "*" not in self.contact or mask_personal_data(self.contact) != self.contact
        ):
            raise ValueError("contact must be masked (138****5678, 王*明) before printing")

    def blocks(self) -> tuple[Block, ...]:
        """What the printer draws (`layout`)."""
        return layout(self)


def new_tracking_token() -> str:
    """A fresh secret for a ticket's tracking link (the server keeps only its SHA-256)."""
    return secrets.token_urlsafe(32)


def tracking_url(base: str, ticket_no: str, token: str) -> str:
    """`<base>/<TICKET>?t=<token>`; `base` is the configured http(s) URL of the tracking page."""
    parts = urlsplit(base.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ValueError(f"tracking link base {base!r} must be an http(s) URL")
    if parts.query or parts.fragment or parts.username or parts.password:
        raise ValueError(f"tracking link base {base!r} must not have a query, fragment or user")
    if not _TICKET_NO.fullmatch(ticket_no):
        raise ValueError(f"ticket number {ticket_no!r} is not 6-30 of A-Z, 0-9 and -")
    if not _TOKEN.fullmatch(token):
        raise ValueError("the tracking token must be secrets.token_urlsafe(32) or longer")
    return f"{base.strip().rstrip('/')}/{ticket_no}?t={token}"


def display_columns(text: str) -> int:
    """Width in printer columns: two for a wide (Chinese, full-width) character, else one."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


# --- layout --------------------------------------------------------------------------------------


def layout(receipt: Receipt) -> tuple[Block, ...]:
    """The receipt as blocks, top to bottom."""
    lang = receipt.language
    blocks: list[Block] = []
    first, other = language_pair(receipt.mall_name, lang)
    blocks.append(Title(first))
    if other:
        blocks.append(Text(other, "small", align="center"))
    blocks.append(Rule())
    kind_label = receipt.kind_label or KIND_LABELS[receipt.kind]
    blocks += both_languages(kind_label, lang, "large", bold=True, align="center")
    blocks.append(Spacer(2))
    blocks.append(Text(label(_TICKET, lang), "small", align="center"))
    blocks.append(Text(receipt.ticket_no, "huge", bold=True, align="center"))
    blocks.append(Spacer(2))

    fields = [
        (_TIME, receipt.issued_at.strftime("%Y-%m-%d %H:%M")),
        (_KIOSK, receipt.kiosk_code),
    ]
    if receipt.store_name is not None:
        fields.append((_STORE, " ".join(t for t in language_pair(receipt.store_name, lang) if t)))
    if receipt.contact is not None:
        fields.append((_CONTACT, receipt.contact))
    blocks += [Text(f"{label(name, lang)}: {value}") for name, value in fields]

    if receipt.summary:
        blocks += [Rule(), Text(label(_DETAILS, lang), bold=True)]
        for line in receipt.summary:
            blocks += both_languages(line, lang)
    if receipt.next_steps:
        blocks += [Rule(), Text(label(_NEXT, lang), bold=True)]
        for line in receipt.next_steps:
            blocks += both_languages(line, lang)
    if receipt.checklist:
        items = []
        for item in receipt.checklist:
            text, translation = language_pair(item, lang)
            items.append(ChecklistItem(text, translation if _short(text, translation) else ""))
        blocks += [Spacer(2), Checklist(label(_BRING, lang), tuple(items))]

    blocks += [Rule(), QR(receipt.tracking_url)]
    blocks += both_languages(_SCAN, lang, "small", align="center")
    blocks += both_languages(_KEEP, lang, "small", align="center")
    blocks.append(Spacer(4))
    return tuple(blocks)


def language_pair(names: Names, lang: Language) -> tuple[str, str]:
    """The text in `lang` (the other if that one is empty), then the other language or ""."""
    first, second = (names.zh, names.en) if lang == "zh_CN" else (names.en, names.zh)
    first, second = mask_personal_data(first.strip()), mask_personal_data(second.strip())
    if not first:
        return second, ""
    return first, "" if second == first else second


def _short(*texts: str) -> bool:
    return all(display_columns(t) <= SHORT_COLUMNS for t in texts)


def both_languages(
    names: Names,
    lang: Language,
    size: TextSize = "normal",
    *,
    bold: bool = False,
    align: Align = "left",
) -> list[Block]:
    """The shopper's language, then the other one a size smaller when both are short."""
    first, other = language_pair(names, lang)
    blocks: list[Block] = [Text(first, size, bold, align)]
    if other and _short(first, other):
        blocks.append(Text(other, _SMALLER[size], False, align))
    return blocks


def label(names: Names, lang: Language) -> str:
    """A field label in both languages ("时间 Time"), the shopper's first."""
    return " ".join(t for t in language_pair(names, lang) if t)


def _check_tracking_url(url: str, ticket_no: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("tracking_url must be an http(s) URL")
    if not parts.path.endswith(f"/{ticket_no}") or not parse_qs(parts.query).get("t"):
        raise ValueError(f"tracking_url must be <base>/{ticket_no}?t=<token>")


def mask_personal_data(text: str) -> str:
    """`text` with mobile numbers (138****5678), e-mail addresses (w***@example.com) and ID card
    numbers (110105********002X) masked."""
    text = _MOBILE.sub(lambda m: m[0][:3] + "****" + m[0][-4:], text)
    text = _EMAIL.sub(lambda m: m[0][0] + "***" + m[0][m[0].index("@") :], text)
    return _ID_CANDIDATE.sub(
        lambda m: m[0][:6] + "*" * 8 + m[0][-4:] if _is_id_number(m[0]) else m[0], text
    )


def _is_id_number(digits: str) -> bool:
    """A resident ID number: a real birth date and the ISO 7064 MOD 11-2 check character.

    Checking both keeps an 18-digit order or receipt number from being mistaken for one.
    """
    try:
        date(int(digits[6:10]), int(digits[10:12]), int(digits[12:14]))
    except ValueError:
        return False
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(int(d) * w for d, w in zip(digits[:17], weights, strict=True))
    return "10X98765432"[total % 11] == digits[17].upper()
