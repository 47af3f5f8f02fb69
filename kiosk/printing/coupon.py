"""A member's coupon on paper, to hand over at a store's till.

A shopper who looked up their card on the kiosk (by phone and text code, without the mall's app)
has nothing to show at the till but the code on the kiosk's screen: the slip carries the coupon's
title, terms, validity, the stores that take it, and its code as text and as a QR code.

Personal data: none. No name, mobile number or card number is printed: the coupon's code is all
a till needs, and a slip left behind says nothing about who it belonged to.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date, datetime

from kiosk.domain.venue import Names
from kiosk.printing.receipt import (
    QR,
    Block,
    Language,
    Rule,
    Spacer,
    Text,
    Title,
    both_languages,
    label,
    language_pair,
)

__all__ = ["CouponSlip", "coupon_layout"]

MAX_CODE = 64  # longer than any till's coupon code; the QR code stays small
MAX_STORES_LISTED = 8

_COUPON = Names("优惠券", "Coupon")
_VALID_UNTIL = Names("有效期至", "Valid until")
_VALID_AT = Names("适用商户", "Valid at")
_EVERY_STORE = Names("全场通用", "Every store of the mall")
_MORE_STORES = Names("等 {n} 家商户", "and {n} more")
_PRESENT = Names("结账时请出示本券，使用一次后失效", "Show this slip at the till; it works once")
_PRINTED = Names("打印时间", "Printed")
_KIOSK = Names("自助机", "Kiosk")


@dataclass(frozen=True, slots=True, kw_only=True)
class CouponSlip:
    """A coupon to print. `stores` are the names of the stores that take it (empty: every store
    of the mall). `issued_at` must be timezone-aware (the kiosk's local time)."""

    mall_name: Names
    code: str
    title: Names
    terms: Names
    valid_until: date
    stores: tuple[Names, ...]
    issued_at: datetime
    kiosk_code: str
    language: Language = "zh_CN"
    job_id: str = field(default_factory=lambda: secrets.token_hex(3))

    def __post_init__(self) -> None:
        code = self.code.strip()
        if not code or len(code) > MAX_CODE or not code.isprintable():
            raise ValueError("a coupon code is 1-64 printable characters")
        if self.issued_at.tzinfo is None or self.issued_at.utcoffset() is None:
            raise ValueError("issued_at must be timezone-aware")
        if self.language not in ("zh_CN", "en"):
            raise ValueError(f"language {self.language!r} is not zh_CN or en")

    @property
    def ticket_no(self) -> str:
        """What the printer calls this job (a file backend's file name): never the code, and
        unique, so two slips printed within a second do not overwrite each other's file."""
        return f"COUPON-{self.issued_at:%Y%m%d-%H%M%S}-{self.job_id}"

    def blocks(self) -> tuple[Block, ...]:
        return coupon_layout(self)


def coupon_layout(slip: CouponSlip) -> tuple[Block, ...]:
    """The slip as blocks, top to bottom."""
    lang = slip.language
    first, other = language_pair(slip.mall_name, lang)
    blocks: list[Block] = [Title(first)]
    if other:
        blocks.append(Text(other, "small", align="center"))
    blocks.append(Rule())
    blocks += both_languages(_COUPON, lang, "normal", align="center")
    blocks += both_languages(slip.title, lang, "large", bold=True, align="center")
    if slip.terms.zh or slip.terms.en:
        blocks += both_languages(slip.terms, lang, align="center")
    blocks.append(Rule())
    blocks.append(Text(f"{label(_VALID_UNTIL, lang)}: {slip.valid_until.isoformat()}"))
    blocks.append(Text(f"{label(_VALID_AT, lang)}: {_stores(slip.stores, lang)}"))
    blocks += [Spacer(2), QR(slip.code.strip())]
    blocks.append(Text(slip.code.strip(), "large", bold=True, align="center"))
    blocks += both_languages(_PRESENT, lang, "small", align="center")
    blocks.append(Rule())
    blocks.append(
        Text(
            f"{label(_PRINTED, lang)}: {slip.issued_at:%Y-%m-%d %H:%M}  "
            f"{label(_KIOSK, lang)}: {slip.kiosk_code}",
            "small",
        )
    )
    blocks.append(Spacer(4))
    return tuple(blocks)


def _stores(stores: tuple[Names, ...], lang: Language) -> str:
    if not stores:
        return language_pair(_EVERY_STORE, lang)[0]
    names = [language_pair(s, lang)[0] for s in stores[:MAX_STORES_LISTED]]
    separator = "、" if lang == "zh_CN" else ", "
    text = separator.join(n for n in names if n)
    if len(stores) > MAX_STORES_LISTED:
        more = language_pair(_MORE_STORES, lang)[0].format(n=len(stores) - MAX_STORES_LISTED)
        text += f" {more}"
    return text
