"""Loading member data from a JSON file: tiers, members with their cards and app codes, points
ledgers and coupons (`mall-central load-members`).

A member in the file replaces the member with the same mobile number, ledger and coupons
included, so loading a file again gives the same result. Tiers are added or updated by code.
Coupons belong to one venue (`venue_id` in the file, --venue, or the only venue loaded) and
name its stores by occupant id; an id the venue does not have is refused.

Dates may be written relative to the day of loading, in the mall's time zone, so that a demo
file never goes stale: "today", "today+25", "today-40"; a moment adds a time, "today-40 14:30".
Absolute ones are ISO 8601 ("2026-03-01", "2026-03-01T14:30:00+08:00").
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from sync.schemas import MemberScanCode, MobileNo
from sync.server import points
from sync.server.catalog import read_json_document, resolve_venue
from sync.server.db import Database
from sync.server.errors import CentralError
from sync.server.masking import mask_phone
from sync.server.members import CHINA_TIME
from sync.server.models import (
    Coupon,
    Member,
    MemberIdentifier,
    PointsEntry,
    Tier,
    Venue,
    utcnow,
)

DEMO_FILE = "demo_members.json"
_RELATIVE = re.compile(r"today(?:([+-])([0-9]{1,5}))?")

Line = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Bilingual(_Model):
    zh: Line
    en: Line


class BilingualList(_Model):
    zh: list[Line]
    en: list[Line]


class TierIn(_Model):
    code: Annotated[str, StringConstraints(pattern=r"^[a-z0-9_]{1,20}$")]
    rank: Annotated[int, Field(ge=1)]
    name: Bilingual
    min_points: Annotated[int, Field(ge=0)]
    benefits: BilingualList


class PointsIn(_Model):
    at: str
    points: int
    description: Bilingual
    store_id: str | None = None
    expires_on: str | None = None


class CouponIn(_Model):
    code: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9\-]{4,64}$")]
    title: Bilingual
    terms: Bilingual
    valid_from: str
    valid_until: str
    store_ids: list[str] = []
    used_at: str | None = None


class MemberIn(_Model):
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
    mobile: MobileNo
    tier: str
    joined: str = "today"
    cards: list[MemberScanCode] = []
    app_codes: list[MemberScanCode] = []
    points: list[PointsIn] = []
    coupons: list[CouponIn] = []


class MembersFile(_Model):
    venue_id: str | None = None
    tiers: list[TierIn] = []
    members: list[MemberIn] = []


@dataclass(frozen=True, slots=True)
class MembersLoad:
    tiers: int
    members: int
    entries: int
    coupons: int
    warnings: tuple[str, ...]


def demo_members() -> dict[str, Any]:
    """The demo members shipped with the service (for the demo mall's stores)."""
    text = resources.files("sync.server").joinpath(DEMO_FILE).read_text(encoding="utf-8")
    doc: dict[str, Any] = json.loads(text)
    return doc


def read_members_file(path: Path) -> dict[str, Any]:
    return read_json_document(path)


def parse_day(text: str, today: dt.date) -> dt.date:
    """ "today", "today+25", "today-40" or an ISO date."""
    relative = _RELATIVE.fullmatch(text.strip())
    if relative is not None:
        sign, days = relative.groups()
        offset = int(days or 0) * (-1 if sign == "-" else 1)
        return today + dt.timedelta(days=offset)
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise CentralError(f'"{text}" is not a date ("2026-03-01", "today", "today-40")') from None


def parse_moment(text: str, today: dt.date, zone: dt.tzinfo) -> dt.datetime:
    """A day as parse_day() reads it, with an optional time ("today-40 14:30"), in the mall's
    zone unless an ISO datetime gives its offset."""
    day_text, _, time_text = text.strip().partition(" ")
    if _RELATIVE.fullmatch(day_text) or (not time_text and "T" not in day_text):
        try:
            clock = dt.time.fromisoformat(time_text) if time_text else dt.time()
        except ValueError:
            raise CentralError(f'"{text}" has no valid time ("today-40 14:30")') from None
        return dt.datetime.combine(parse_day(day_text, today), clock, tzinfo=zone)
    try:
        moment = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise CentralError(f'"{text}" is not a moment ("today-40 14:30" or ISO 8601)') from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=zone)


def _parse(doc: dict[str, Any]) -> MembersFile:
    try:
        return MembersFile.model_validate(doc)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "file"
        more = f" (and {exc.error_count() - 1} more problems)" if exc.error_count() > 1 else ""
        raise CentralError(f"member data: {where}: {first['msg']}{more}") from None


def _store_ids(venue: Venue) -> set[str]:
    features = (venue.files.get("occupant.geojson") or {}).get("features") or []
    return {str(f["id"]) for f in features if isinstance(f, dict) and "id" in f}


def _duplicates(values: list[str]) -> list[str]:
    return sorted(value for value, count in Counter(values).items() if count > 1)


def load_members(
    db: Database,
    doc: dict[str, Any],
    *,
    venue_id: str | None = None,
    today: dt.date | None = None,
    zone: dt.tzinfo = CHINA_TIME,
) -> MembersLoad:
    """Store the tiers and members of `doc` (see the module docstring); `today` is the day
    relative dates count from (default: today in `zone`)."""
    data = _parse(doc)
    today = today or utcnow().astimezone(zone).date()
    for what, values in (
        ("mobile number", [m.mobile for m in data.members]),
        ("card or app code", [c for m in data.members for c in (*m.cards, *m.app_codes)]),
        ("coupon code", [c.code for m in data.members for c in m.coupons]),
        ("tier code", [t.code for t in data.tiers]),
        ("tier rank", [str(t.rank) for t in data.tiers]),
    ):
        if dupes := _duplicates(values):
            raise CentralError(f"member data: the {what} {dupes[0]} is given twice")
    with db.write() as session:
        _store_tiers(session, data)
        venue: Venue | None = None
        if any(m.coupons for m in data.members):
            venue = resolve_venue(session, venue_id or data.venue_id)
        mobiles = [m.mobile for m in data.members]
        session.execute(delete(Member).where(Member.mobile.in_(mobiles)))
        _refuse_taken(session, data)
        tiers = set(session.scalars(select(Tier.code)))
        known_stores = _store_ids(venue) if venue is not None else set()
        dates = _Dates(today, zone)
        entries = coupons = 0
        warnings: list[str] = []
        for m in data.members:
            if m.tier not in tiers:
                raise CentralError(f"member data: {mask_phone(m.mobile)}: no tier {m.tier!r}")
            joined = dates.moment(m.joined)
            member = Member(name=m.name, mobile=m.mobile, tier_code=m.tier, created_at=joined)
            session.add(member)
            session.flush()
            session.add_all(
                MemberIdentifier(code=code, kind=kind, member_id=member.id, created_at=joined)
                for kind, codes in (("card", m.cards), ("app", m.app_codes))
                for code in codes
            )
            ledger = [_entry(m, p, dates) for p in m.points]
            session.add_all(
                PointsEntry(
                    member_id=member.id,
                    at=e.at,
                    points=e.points,
                    description_zh=e.description_zh,
                    description_en=e.description_en,
                    store_id=e.store_id,
                    expires_on=e.expires_on,
                )
                for e in ledger
            )
            entries += len(ledger)
            last = max((e.at for e in ledger), default=None)
            if last is not None and (debt := points.statement(ledger, last, zone).debt):
                warnings.append(
                    f"{mask_phone(m.mobile)} spends {debt} points more than they earned"
                )
            if venue is not None:  # there is one whenever a member has coupons
                session.add_all(
                    _coupon(
                        c,
                        owner=m,
                        member_id=member.id,
                        venue_id=venue.id,
                        stores=known_stores,
                        dates=dates,
                    )
                    for c in m.coupons
                )
            coupons += len(m.coupons)
    return MembersLoad(len(data.tiers), len(data.members), entries, coupons, tuple(warnings))


def _store_tiers(session: Session, data: MembersFile) -> None:
    existing = {tier.code: tier for tier in session.scalars(select(Tier))}
    given = {t.code for t in data.tiers}
    for other in existing.values():
        if other.code not in given and other.rank in {t.rank for t in data.tiers}:
            raise CentralError(f"member data: the tier {other.code} already has rank {other.rank}")
    # Ranks are unique: move the tiers being updated out of the way first.
    for t in data.tiers:
        if t.code in existing:
            existing[t.code].rank = -existing[t.code].rank
    session.flush()
    for t in data.tiers:
        tier = existing.get(t.code) or Tier(code=t.code)
        tier.rank = t.rank
        tier.name_zh, tier.name_en = t.name.zh, t.name.en
        tier.benefits_zh, tier.benefits_en = list(t.benefits.zh), list(t.benefits.en)
        tier.min_points = t.min_points
        session.add(tier)
    session.flush()


def _refuse_taken(session: Session, data: MembersFile) -> None:
    """Codes that belong to members not in the file are not taken from them."""
    codes = [c for m in data.members for c in (*m.cards, *m.app_codes)]
    if taken := session.scalar(
        select(MemberIdentifier.code).where(MemberIdentifier.code.in_(codes))
    ):
        raise CentralError(f"member data: the card or app code {taken} is another member's")
    coupon_codes = [c.code for m in data.members for c in m.coupons]
    if taken := session.scalar(select(Coupon.code).where(Coupon.code.in_(coupon_codes))):
        raise CentralError(f"member data: the coupon code {taken} is another member's")


@dataclass(frozen=True, slots=True)
class _Dates:
    """Reads the file's dates relative to `today` in `zone`."""

    today: dt.date
    zone: dt.tzinfo

    def day(self, text: str) -> dt.date:
        return parse_day(text, self.today)

    def moment(self, text: str) -> dt.datetime:
        return parse_moment(text, self.today, self.zone)


def _entry(m: MemberIn, p: PointsIn, dates: _Dates) -> points.Entry:
    where = f"member data: {mask_phone(m.mobile)}: points entry at {p.at}"
    at = dates.moment(p.at)
    expires_on = dates.day(p.expires_on) if p.expires_on is not None else None
    if p.points == 0:
        raise CentralError(f"{where}: points must not be 0")
    if expires_on is not None and p.points < 0:
        raise CentralError(f"{where}: only earned points expire")
    if expires_on is not None and expires_on < at.astimezone(dates.zone).date():
        raise CentralError(f"{where}: the points expire before they are earned")
    return points.Entry(
        at.astimezone(dt.UTC),
        p.points,
        p.description.zh,
        p.description.en,
        p.store_id,
        expires_on,
    )


def _coupon(
    c: CouponIn, *, owner: MemberIn, member_id: int, venue_id: str, stores: set[str], dates: _Dates
) -> Coupon:
    where = f"member data: {mask_phone(owner.mobile)}: coupon {c.code}"
    if unknown := [s for s in c.store_ids if s not in stores]:
        raise CentralError(f"{where}: venue {venue_id} has no store {unknown[0]}")
    valid_from, valid_until = dates.day(c.valid_from), dates.day(c.valid_until)
    if valid_from > valid_until:
        raise CentralError(f"{where}: valid_until is before valid_from")
    return Coupon(
        code=c.code,
        member_id=member_id,
        venue_id=venue_id,
        title_zh=c.title.zh,
        title_en=c.title.en,
        terms_zh=c.terms.zh,
        terms_en=c.terms.en,
        valid_from=valid_from,
        valid_until=valid_until,
        store_ids=list(c.store_ids),
        used_at=dates.moment(c.used_at) if c.used_at is not None else None,
    )
