"""The venue as the kiosk uses it: levels, spaces, doors, facilities, stores, kiosks, promotions.

Plain frozen values parsed from an IMDF archive (see `kiosk.domain.imdf`); coordinates are WGS84
(longitude, latitude).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Protocol, TypeVar

Point = tuple[float, float]
Ring = tuple[Point, ...]


@dataclass(frozen=True, slots=True)
class Names:
    """A label in both languages the kiosk speaks."""

    zh: str
    en: str

    def get(self, lang: str) -> str:
        """`lang` is a locale name such as "zh_CN" or "en_US"; anything not Chinese is English."""
        return self.zh if lang.lower().startswith("zh") else self.en


@dataclass(frozen=True, slots=True)
class Venue:
    id: str
    name: Names
    category: str
    hours: str | None
    phone: str | None
    website: str | None
    display_point: Point


@dataclass(frozen=True, slots=True)
class Level:
    id: str
    ordinal: int
    name: Names
    short_name: Names
    category: str
    outdoor: bool


@dataclass(frozen=True, slots=True)
class Unit:
    """A space on a level; `polygon` holds the rings (a MultiPolygon's rings, flattened)."""

    id: str
    level_id: str
    category: str
    name: Names | None
    polygon: tuple[Ring, ...]
    display_point: Point | None
    accessibility: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Opening:
    id: str
    level_id: str
    category: str
    line: tuple[Point, ...]
    accessibility: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Amenity:
    id: str
    category: str
    unit_ids: tuple[str, ...]
    point: Point
    name: Names | None
    hours: str | None
    phone: str | None
    accessibility: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Anchor:
    id: str
    unit_id: str
    point: Point


@dataclass(frozen=True, slots=True)
class Occupant:
    """A store, restaurant or service; `category` is one of `categories.STORE_CATEGORIES`."""

    id: str
    anchor_id: str
    name: Names
    category: str
    hours: str | None
    phone: str | None
    website: str | None
    keywords: tuple[str, ...]
    popularity: int
    pinyin: str | None


@dataclass(frozen=True, slots=True)
class Kiosk:
    id: str
    code: str
    level_id: str
    point: Point
    heading_deg: float
    name: Names | None


@dataclass(frozen=True, slots=True)
class Promotion:
    id: str
    title: Names
    body: Names
    occupant_id: str | None
    starts: datetime.date
    ends: datetime.date

    def is_current(self, today: datetime.date) -> bool:
        return self.starts <= today <= self.ends


@dataclass(frozen=True, slots=True)
class VenueData:
    """One loaded venue. Levels are ordered by ordinal; `version` identifies the input bytes."""

    venue: Venue
    levels: tuple[Level, ...]
    units: tuple[Unit, ...]
    openings: tuple[Opening, ...]
    amenities: tuple[Amenity, ...]
    anchors: tuple[Anchor, ...]
    occupants: tuple[Occupant, ...]
    kiosks: tuple[Kiosk, ...]
    promotions: tuple[Promotion, ...]
    version: str

    def level_by_id(self, level_id: str) -> Level:
        return _by_id(self.levels, level_id)

    def unit_by_id(self, unit_id: str) -> Unit:
        return _by_id(self.units, unit_id)

    def anchor_by_id(self, anchor_id: str) -> Anchor:
        return _by_id(self.anchors, anchor_id)

    def occupant_by_id(self, occupant_id: str) -> Occupant:
        return _by_id(self.occupants, occupant_id)

    def level_by_short_name(self, short_name: str) -> Level:
        """Find a level by its short name in either language ("1F", "B1")."""
        for level in self.levels:
            if short_name in (level.short_name.zh, level.short_name.en):
                return level
        raise KeyError(short_name)

    def kiosk_by_code(self, code: str) -> Kiosk:
        for kiosk in self.kiosks:
            if kiosk.code == code:
                return kiosk
        raise KeyError(code)

    def occupant_unit(self, occupant: Occupant) -> Unit:
        return self.unit_by_id(self.anchor_by_id(occupant.anchor_id).unit_id)

    def occupant_level(self, occupant: Occupant) -> Level:
        return self.level_by_id(self.occupant_unit(occupant).level_id)

    def units_on(self, level_id: str) -> tuple[Unit, ...]:
        return tuple(u for u in self.units if u.level_id == level_id)


class _HasId(Protocol):
    @property
    def id(self) -> str: ...


_T = TypeVar("_T", bound=_HasId)


def _by_id(items: tuple[_T, ...], item_id: str) -> _T:
    for item in items:
        if item.id == item_id:
            return item
    raise KeyError(item_id)
