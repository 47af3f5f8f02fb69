"""Reading and replacing the venue reference data in the local cache."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from kiosk.domain.categories import STORE_CATEGORIES
from kiosk.domain.venue import (
    Amenity,
    Anchor,
    Kiosk,
    Level,
    Names,
    Occupant,
    Opening,
    Point,
    Promotion,
    Unit,
    Venue,
    VenueData,
)
from kiosk.store import models as m

# Children before parents so foreign keys hold while the old venue is removed.
_VENUE_TABLES: tuple[type[m.Base], ...] = (
    m.Promotion,
    m.KioskPosition,
    m.Facility,
    m.Store,
    m.Opening,
    m.Unit,
    m.Level,
    m.Category,
    m.VenueMeta,
)


def current_version(session: Session) -> str | None:
    return session.scalar(select(m.VenueMeta.version).limit(1))


def replace_venue(session: Session, data: VenueData, source: str) -> None:
    """Swap the cached venue for `data`. The caller's transaction makes it all or nothing."""
    for table in _VENUE_TABLES:
        session.execute(delete(table))
    v = data.venue
    session.add(
        m.VenueMeta(
            id=v.id,
            version=data.version,
            name_zh=v.name.zh,
            name_en=v.name.en,
            source=source,
            display_lon=v.display_point[0],
            display_lat=v.display_point[1],
        )
    )
    session.add_all(
        m.Category(code=c.code, name_zh=c.name_zh, name_en=c.name_en, sort_order=i)
        for i, c in enumerate(STORE_CATEGORIES)
    )
    session.add_all(
        m.Level(
            id=lv.id,
            ordinal=lv.ordinal,
            name_zh=lv.name.zh,
            name_en=lv.name.en,
            short_zh=lv.short_name.zh,
            short_en=lv.short_name.en,
            category=lv.category,
            outdoor=lv.outdoor,
        )
        for lv in data.levels
    )
    session.flush()
    session.add_all(
        m.Unit(
            id=u.id,
            level_id=u.level_id,
            category=u.category,
            name_zh=u.name.zh if u.name else None,
            name_en=u.name.en if u.name else None,
            rings=[[list(p) for p in ring] for ring in u.polygon],
            display_lon=u.display_point[0] if u.display_point else None,
            display_lat=u.display_point[1] if u.display_point else None,
            accessibility=list(u.accessibility),
        )
        for u in data.units
    )
    session.add_all(
        m.Opening(
            id=o.id,
            level_id=o.level_id,
            category=o.category,
            line=[list(p) for p in o.line],
            accessibility=list(o.accessibility),
        )
        for o in data.openings
    )
    session.flush()
    unit_level = {u.id: u.level_id for u in data.units}
    anchors = {a.id: a for a in data.anchors}
    for occ in data.occupants:
        anchor = anchors[occ.anchor_id]
        session.add(
            m.Store(
                id=occ.id,
                unit_id=anchor.unit_id,
                level_id=unit_level[anchor.unit_id],
                category=occ.category,
                name_zh=occ.name.zh,
                name_en=occ.name.en,
                hours=occ.hours,
                phone=occ.phone,
                website=occ.website,
                keywords=list(occ.keywords),
                popularity=occ.popularity,
                pinyin=occ.pinyin,
                lon=anchor.point[0],
                lat=anchor.point[1],
            )
        )
    session.add_all(
        m.Facility(
            id=a.id,
            category=a.category,
            level_id=unit_level[a.unit_ids[0]],
            unit_ids=list(a.unit_ids),
            name_zh=a.name.zh if a.name else None,
            name_en=a.name.en if a.name else None,
            hours=a.hours,
            phone=a.phone,
            accessibility=list(a.accessibility),
            lon=a.point[0],
            lat=a.point[1],
        )
        for a in data.amenities
    )
    session.add_all(
        m.KioskPosition(
            id=k.id,
            code=k.code,
            level_id=k.level_id,
            lon=k.point[0],
            lat=k.point[1],
            heading_deg=k.heading_deg,
            name_zh=k.name.zh if k.name else None,
            name_en=k.name.en if k.name else None,
        )
        for k in data.kiosks
    )
    session.add_all(
        m.Promotion(
            id=p.id,
            title_zh=p.title.zh,
            title_en=p.title.en,
            body_zh=p.body.zh,
            body_en=p.body.en,
            store_id=p.occupant_id,
            starts=p.starts,
            ends=p.ends,
        )
        for p in data.promotions
    )


@dataclass(frozen=True, slots=True)
class VenueSummary:
    id: str
    version: str
    source: str
    name_zh: str
    name_en: str
    levels: int
    stores: int
    facilities: int
    promotions: int


def summary(session: Session) -> VenueSummary | None:
    meta = session.scalar(select(m.VenueMeta).limit(1))
    if meta is None:
        return None

    def count(model: type[m.Base]) -> int:
        return session.scalar(select(func.count()).select_from(model)) or 0

    return VenueSummary(
        id=meta.id,
        version=meta.version,
        source=meta.source,
        name_zh=meta.name_zh,
        name_en=meta.name_en,
        levels=count(m.Level),
        stores=count(m.Store),
        facilities=count(m.Facility),
        promotions=count(m.Promotion),
    )


def current_promotions(session: Session, today: dt.date) -> Sequence[m.Promotion]:
    stmt = (
        select(m.Promotion)
        .where(m.Promotion.starts <= today, m.Promotion.ends >= today)
        .order_by(m.Promotion.starts, m.Promotion.id)
    )
    return session.scalars(stmt).all()


def load_venue_data(session: Session) -> VenueData | None:
    """The cached venue as domain objects (what search, maps and routes are built from).

    The cache keeps a store's anchor as its position, so each store gets one anchor back.
    """
    meta = session.scalar(select(m.VenueMeta).limit(1))
    if meta is None:
        return None
    levels = session.scalars(select(m.Level).order_by(m.Level.ordinal)).all()
    units = session.scalars(select(m.Unit).order_by(m.Unit.id)).all()
    stores = session.scalars(select(m.Store).order_by(m.Store.id)).all()
    xs = [s.lon for s in stores] or [0.0]
    ys = [s.lat for s in stores] or [0.0]
    centre = ((min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2)

    def names(zh: str | None, en: str | None) -> Names | None:
        if zh is None and en is None:
            return None
        return Names(zh or en or "", en or zh or "")

    def point(values: list[Any]) -> Point:
        return (float(values[0]), float(values[1]))

    return VenueData(
        venue=Venue(
            id=meta.id,
            name=Names(meta.name_zh, meta.name_en),
            category="shoppingcenter",
            hours=None,
            phone=None,
            website=None,
            display_point=(meta.display_lon, meta.display_lat)
            if meta.display_lon is not None and meta.display_lat is not None
            else centre,
        ),
        levels=tuple(
            Level(
                id=lv.id,
                ordinal=lv.ordinal,
                name=Names(lv.name_zh, lv.name_en),
                short_name=Names(lv.short_zh, lv.short_en),
                category=lv.category,
                outdoor=lv.outdoor,
            )
            for lv in levels
        ),
        units=tuple(
            Unit(
                id=u.id,
                level_id=u.level_id,
                category=u.category,
                name=names(u.name_zh, u.name_en),
                polygon=tuple(tuple(point(p) for p in ring) for ring in u.rings),
                display_point=(u.display_lon, u.display_lat)
                if u.display_lon is not None and u.display_lat is not None
                else None,
                accessibility=tuple(u.accessibility),
            )
            for u in units
        ),
        openings=tuple(
            Opening(
                id=o.id,
                level_id=o.level_id,
                category=o.category,
                line=tuple(point(p) for p in o.line),
                accessibility=tuple(o.accessibility),
            )
            for o in session.scalars(select(m.Opening).order_by(m.Opening.id))
        ),
        amenities=tuple(
            Amenity(
                id=f.id,
                category=f.category,
                unit_ids=tuple(f.unit_ids),
                point=(f.lon, f.lat),
                name=names(f.name_zh, f.name_en),
                hours=f.hours,
                phone=f.phone,
                accessibility=tuple(f.accessibility),
            )
            for f in session.scalars(select(m.Facility).order_by(m.Facility.id))
        ),
        anchors=tuple(
            Anchor(id=_anchor_id(s.id), unit_id=s.unit_id, point=(s.lon, s.lat)) for s in stores
        ),
        occupants=tuple(
            Occupant(
                id=s.id,
                anchor_id=_anchor_id(s.id),
                name=Names(s.name_zh, s.name_en),
                category=s.category,
                hours=s.hours,
                phone=s.phone,
                website=s.website,
                keywords=tuple(s.keywords),
                popularity=s.popularity,
                pinyin=s.pinyin,
            )
            for s in stores
        ),
        kiosks=tuple(
            Kiosk(
                id=k.id,
                code=k.code,
                level_id=k.level_id,
                point=(k.lon, k.lat),
                heading_deg=k.heading_deg,
                name=names(k.name_zh, k.name_en),
            )
            for k in session.scalars(select(m.KioskPosition).order_by(m.KioskPosition.code))
        ),
        promotions=tuple(
            Promotion(
                id=p.id,
                title=Names(p.title_zh, p.title_en),
                body=Names(p.body_zh, p.body_en),
                occupant_id=p.store_id,
                starts=p.starts,
                ends=p.ends,
            )
            for p in session.scalars(select(m.Promotion).order_by(m.Promotion.id))
        ),
        version=meta.version,
    )


def _anchor_id(store_id: str) -> str:
    return f"anchor:{store_id}"
