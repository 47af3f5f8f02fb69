"""What the level map draws, in local metres ready for the screen.

`build_level_maps` turns `VenueData` into one `LevelMap` per level: unit shapes with a colour role,
facility icons and the you-are-here arrow (`with_you_are_here` moves it without building the maps
again). Coordinates come from the nav graph's projection (`kiosk.domain.navgraph.Projection`) with
y flipped: x east, y SOUTH, so map metres times a scale plus an offset are screen pixels and a
route from the nav graph is drawn at (x, -y); `MapProjection.to_lonlat` turns a map point back
into WGS84.
`place_labels` picks the store names that fit at a zoom level; `fit_transform` frames the venue.
"""

from __future__ import annotations

import heapq
import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Literal

from kiosk.domain.navgraph import Projection
from kiosk.domain.venue import Amenity, Kiosk, Level, Names, Occupant, Point, Unit, VenueData

UnitKind = Literal["store", "walkway", "facility", "core", "parking", "other"]
IconKey = Literal[
    "restroom", "accessible_restroom", "nursing", "elevator", "escalator", "stairs", "atm",
    "info", "exit", "parking",
]  # fmt: skip
XY = tuple[float, float]
RingXY = tuple[XY, ...]
Box = tuple[float, float, float, float]  # min x, min y, max x, max y

# Facilities and cores are drawn with an icon, so their name is not also printed on the map.
LABELLED_KINDS: frozenset[str] = frozenset({"store", "walkway", "parking", "other"})
SELECTED_BOOST = 1_000.0

# Text metrics (in em, multiples of the font size): a Han character is about one em wide, Latin
# letters a little over half; the box is one line high plus leading.
CJK_EM = 1.0
LATIN_EM = 0.55
LINE_EM = 1.2
LABEL_INSET_EM = 0.15  # clear of the unit's walls
LABEL_GAP_EM = 0.3  # between two labels, so they read as two

# A stall in a shared unit (a food court) reaches at most this far from its anchor; the rest of
# the unit stays the host's (seating, aisles).
STALL_REACH_M = 4.0

_WALKWAY_CATEGORIES = frozenset(
    {"walkway", "lobby", "footbridge", "platform", "unenclosedarea", "terrace", "ramp"}
)
_CORE_FILL = {
    "elevator": "elevator",
    "escalator": "escalator",
    "movingwalkway": "escalator",
    "stairs": "stairs",
    "steps": "stairs",
}
_FACILITY_FILL = {
    "restroom": "restroom",
    "mothersroom": "nursing",
    "firstaid": "firstaid",
    "shower": "restroom",
    "smokingarea": "smoking",
}
_OTHER_FILL = {
    "room": "room",
    "nonpublic": "nonpublic",
    "opentobelow": "opentobelow",
    "structure": "structure",
    "column": "structure",
}
_ICONS: dict[str, IconKey] = {
    "restroom": "restroom",
    "mothersroom": "nursing",
    "babychanging": "nursing",
    "lactation": "nursing",
    "elevator": "elevator",
    "escalator": "escalator",
    "movingwalkway": "escalator",
    "stairs": "stairs",
    "atm": "atm",
    "information": "info",
    "guestservices": "info",
    "entry": "exit",
    "exit": "exit",
    "emergencyexit": "exit",
    "parking": "parking",
}
# A unit name that already is a unit number ("L1-023", "101"), so nothing needs deriving.
_UNIT_NUMBER = re.compile(r"(?=.*\d)[A-Z0-9][A-Z0-9.-]{0,11}", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Bounds:
    min_x: float
    min_y: float
    max_x: float
    max_y: float

    @property
    def width(self) -> float:
        return self.max_x - self.min_x

    @property
    def height(self) -> float:
        return self.max_y - self.min_y

    @property
    def center(self) -> XY:
        return ((self.min_x + self.max_x) / 2, (self.min_y + self.max_y) / 2)

    def contains(self, x: float, y: float, tolerance: float = 1e-6) -> bool:
        return (
            self.min_x - tolerance <= x <= self.max_x + tolerance
            and self.min_y - tolerance <= y <= self.max_y + tolerance
        )


@dataclass(frozen=True, slots=True)
class MapProjection:
    """WGS84 to map metres: the nav graph's projection around the venue's display point, with y
    pointing south."""

    nav: Projection

    @classmethod
    def for_venue(cls, venue: VenueData) -> MapProjection:
        # The same origin as build_nav_graph, so route points convert with `from_nav`.
        return cls(Projection.around(*venue.venue.display_point))

    def to_map(self, point: Point) -> XY:
        x, y = self.nav.to_xy(point)
        return (x, -y)

    def to_lonlat(self, x: float, y: float) -> Point:
        """The inverse of `to_map`: a point of the map (a tap) in WGS84."""
        return self.nav.to_lonlat(x, -y)

    @staticmethod
    def from_nav(x: float, y: float) -> XY:
        """A point of the nav graph (y north) on the map (y south)."""
        return (x, -y)


@dataclass(frozen=True, slots=True)
class MapUnit:
    """One filled shape. `id` is the unit's id, or "<unit id>/<store id>" for a stall cut out of a
    unit several stores share (`unit_id` is then the shared unit). Rings are closed (first point
    repeated) and filled with the even-odd rule. `fill_key` names a colour role of the theme: a
    store category code, or walkway, ramp, parking, restroom, nursing, elevator, escalator,
    stairs, nonpublic, room (vacant), other. `label_at` is where the name goes, inside the
    shape."""

    id: str
    unit_id: str
    kind: UnitKind
    category: str
    fill_key: str
    rings_m: tuple[RingXY, ...]
    centroid: XY
    area: float
    label_at: XY
    name_zh: str
    name_en: str
    store_id: str | None
    unit_number: str | None
    popularity: int

    def name(self, lang: str) -> str:
        return self.name_zh if lang.lower().startswith("zh") else self.name_en

    def contains(self, x: float, y: float) -> bool:
        return _inside(self.rings_m, x, y)


@dataclass(frozen=True, slots=True)
class MapMarker:
    """A facility icon; `category` is the IMDF amenity category."""

    id: str
    category: str
    icon_key: IconKey
    x: float
    y: float
    name_zh: str
    name_en: str


@dataclass(frozen=True, slots=True)
class YouAreHere:
    """The kiosk on its level. `heading_deg` is clockwise from north, which on a north-up map with
    y down is also the clockwise screen rotation of an arrow drawn pointing up."""

    kiosk_code: str
    x: float
    y: float
    heading_deg: float


@dataclass(frozen=True, slots=True)
class LevelMap:
    """One level in draw order (later units on top). `bounds` covers the whole venue and is the
    same on every level, so switching levels keeps the view."""

    level_id: str
    ordinal: int
    short_name: Names
    name: Names
    bounds: Bounds
    units: tuple[MapUnit, ...]
    facilities: tuple[MapMarker, ...]
    you_are_here: YouAreHere | None

    def unit_at(self, x: float, y: float) -> MapUnit | None:
        """The topmost unit under a tap."""
        return next((u for u in reversed(self.units) if u.contains(x, y)), None)

    def unit_for_store(self, store_id: str) -> MapUnit | None:
        return next((u for u in self.units if u.store_id == store_id), None)


@dataclass(frozen=True, slots=True)
class PlacedLabel:
    """A name to draw centred on (x, y) in map metres at `size` font pixels; the box it was given
    is `width_px` × `height_px` on screen."""

    unit_id: str
    text: str
    x: float
    y: float
    size: float
    width_px: float
    height_px: float


# --- building the maps --------------------------------------------------------------------------


def build_level_maps(venue: VenueData, kiosk_code: str | None = None) -> dict[str, LevelMap]:
    """Every level's map by level id, in level order. The you-are-here arrow is drawn for
    `kiosk_code`; a code the venue does not know draws none (the caller reports it)."""
    projection = MapProjection.for_venue(venue)
    anchors = {a.id: a for a in venue.anchors}
    hosted: dict[str, list[tuple[Occupant, XY]]] = defaultdict(list)
    for occupant in venue.occupants:
        anchor = anchors.get(occupant.anchor_id)
        if anchor is not None:
            hosted[anchor.unit_id].append((occupant, projection.to_map(anchor.point)))

    by_level: dict[str, list[MapUnit]] = {level.id: [] for level in venue.levels}
    for unit in venue.units:
        if unit.level_id in by_level:
            by_level[unit.level_id].extend(_map_units(unit, hosted.get(unit.id, []), projection))

    bounds = _bounds(
        [p for units in by_level.values() for u in units for ring in u.rings_m for p in ring]
        + [projection.to_map(a.point) for a in venue.amenities]
        + [projection.to_map(k.point) for k in venue.kiosks]
    )
    markers = _markers(venue, projection)
    kiosk = next((k for k in venue.kiosks if k.code == kiosk_code), None)
    maps: dict[str, LevelMap] = {}
    for level in venue.levels:
        maps[level.id] = LevelMap(
            level_id=level.id,
            ordinal=level.ordinal,
            short_name=level.short_name,
            name=level.name,
            bounds=bounds,
            units=_numbered(by_level[level.id], level, bounds.center),
            facilities=tuple(markers.get(level.id, ())),
            you_are_here=_you_are_here(kiosk, level.id, projection),
        )
    return maps


def with_you_are_here(
    maps: Mapping[str, LevelMap], kiosk: Kiosk | None, projection: MapProjection
) -> dict[str, LevelMap]:
    """`maps` with the you-are-here arrow of `kiosk` (on its level only; none anywhere for
    None), without building them again: for a kiosk placed somewhere other than the venue data
    says."""
    return {
        level_id: replace(level, you_are_here=_you_are_here(kiosk, level_id, projection))
        for level_id, level in maps.items()
    }


def _you_are_here(
    kiosk: Kiosk | None, level_id: str, projection: MapProjection
) -> YouAreHere | None:
    if kiosk is None or kiosk.level_id != level_id:
        return None
    return YouAreHere(kiosk.code, *projection.to_map(kiosk.point), kiosk.heading_deg)


def _map_units(
    unit: Unit, occupants: Sequence[tuple[Occupant, XY]], projection: MapProjection
) -> list[MapUnit]:
    rings = tuple(tuple(projection.to_map(p) for p in ring) for ring in unit.polygon)
    names = unit.name or Names("", "")
    label_at = None
    if unit.display_point is not None:
        label_at = projection.to_map(unit.display_point)
    base = _shape(
        unit.id,
        unit_id=unit.id,
        rings=rings,
        label_at=label_at,
        category=unit.category,
        names=names,
    )
    if len(occupants) == 1:
        occupant = occupants[0][0]
        return [
            replace(
                base,
                kind="store",
                fill_key=occupant.category,
                name_zh=occupant.name.zh,
                name_en=occupant.name.en,
                store_id=occupant.id,
                unit_number=_given_number(unit),
                popularity=occupant.popularity,
            )
        ]
    if occupants:
        categories = {o.category for o, _ in occupants}
        fill = categories.pop() if len(categories) == 1 else "room"
        host = replace(base, kind="store", fill_key=fill, unit_number=_given_number(unit))
        return [host, *_stalls(unit, rings, occupants)]
    kind, fill = _classify(unit.category)
    return [replace(base, kind=kind, fill_key=fill)]


def _shape(
    map_id: str,
    *,
    unit_id: str,
    rings: tuple[RingXY, ...],
    label_at: XY | None,
    category: str,
    names: Names,
) -> MapUnit:
    area, centroid = _area_centroid(rings)
    if label_at is None or not _inside(rings, *label_at):
        label_at = _pole(rings, centroid)
    return MapUnit(
        id=map_id,
        unit_id=unit_id,
        kind="other",
        category=category,
        fill_key="other",
        rings_m=rings,
        centroid=centroid,
        area=area,
        label_at=label_at,
        name_zh=names.zh,
        name_en=names.en,
        store_id=None,
        unit_number=None,
        popularity=0,
    )


def _stalls(
    unit: Unit, rings: tuple[RingXY, ...], occupants: Sequence[tuple[Occupant, XY]]
) -> list[MapUnit]:
    """One cell per store sharing `unit`: the part of the unit nearer its anchor than any other
    store's (a Voronoi cell), at most STALL_REACH_M from the anchor."""
    stalls: list[MapUnit] = []
    for occupant, (px, py) in occupants:
        planes = [
            (1.0, 0.0, px + STALL_REACH_M),
            (-1.0, 0.0, -(px - STALL_REACH_M)),
            (0.0, 1.0, py + STALL_REACH_M),
            (0.0, -1.0, -(py - STALL_REACH_M)),
        ]
        for _, (qx, qy) in occupants:
            if (qx, qy) != (px, py):
                a, b = qx - px, qy - py
                planes.append((a, b, a * (px + qx) / 2 + b * (py + qy) / 2))
        cell: list[RingXY] = []
        for ring in rings:
            clipped = list(ring[:-1])
            for a, b, c in planes:
                clipped = _clip(clipped, a, b, c)
            if len(clipped) >= 3 and abs(_ring_area(clipped)) > 1e-6:
                cell.append((*clipped, clipped[0]))
        if not cell:
            # The anchor lies outside its unit; a square around it still shows the store.
            r = STALL_REACH_M / 2
            corners = [(px - r, py - r), (px + r, py - r), (px + r, py + r), (px - r, py + r)]
            cell = [(*corners, corners[0])]
        stall = _shape(
            f"{unit.id}/{occupant.id}",
            unit_id=unit.id,
            rings=tuple(cell),
            label_at=None,
            category=unit.category,
            names=occupant.name,
        )
        stalls.append(
            replace(
                stall,
                kind="store",
                fill_key=occupant.category,
                store_id=occupant.id,
                popularity=occupant.popularity,
            )
        )
    return stalls


def _classify(category: str) -> tuple[UnitKind, str]:
    head = category.partition(".")[0]
    if category in _WALKWAY_CATEGORIES:
        return "walkway", "ramp" if category == "ramp" else "walkway"
    if head in _CORE_FILL:
        return "core", _CORE_FILL[head]
    if head in _FACILITY_FILL:
        return "facility", _FACILITY_FILL[head]
    if head == "parking":
        return "parking", "parking"
    return "other", _OTHER_FILL.get(head, "other")


def _given_number(unit: Unit) -> str | None:
    if unit.name is not None and _UNIT_NUMBER.fullmatch(unit.name.en):
        return unit.name.en
    return None


def _numbered(units: list[MapUnit], level: Level, center: XY) -> tuple[MapUnit, ...]:
    """Store units numbered clockwise from north around the venue centre ("1F-012"), so numbers
    depend only on the geometry; a stall takes its host's number plus its own ("B1-005-03")."""

    def around(p: XY, origin: XY, key: str) -> tuple[float, float, str]:
        (x, y), (ox, oy) = p, origin
        angle = math.degrees(math.atan2(x - ox, oy - y)) % 360.0
        return (round(angle, 6), round(math.hypot(x - ox, y - oy), 3), key)

    rooms = sorted(
        (u for u in units if u.kind == "store" and u.id == u.unit_id),
        key=lambda u: around(u.centroid, center, u.id),
    )
    numbers: dict[str, str] = {}
    for index, room in enumerate(rooms, start=1):
        numbers[room.id] = room.unit_number or f"{level.short_name.en}-{index:03d}"
    stalls_of: dict[str, list[MapUnit]] = defaultdict(list)
    for u in units:
        if u.id != u.unit_id:
            stalls_of[u.unit_id].append(u)
    for host_id, stalls in stalls_of.items():
        host = next(u for u in units if u.id == host_id)
        stalls.sort(key=lambda s: around(s.centroid, host.centroid, s.id))
        for index, stall in enumerate(stalls, start=1):
            numbers[stall.id] = f"{numbers[host_id]}-{index:02d}"
    return tuple(replace(u, unit_number=numbers[u.id]) if u.id in numbers else u for u in units)


def _markers(venue: VenueData, projection: MapProjection) -> dict[str, list[MapMarker]]:
    unit_level = {u.id: u.level_id for u in venue.units}
    markers: dict[str, list[MapMarker]] = defaultdict(list)
    for amenity in venue.amenities:
        icon = icon_key(amenity)
        if icon is None:
            continue
        x, y = projection.to_map(amenity.point)
        names = amenity.name or Names("", "")
        # A lift listed in units on several levels is drawn on each of them.
        for level_id in dict.fromkeys(unit_level[u] for u in amenity.unit_ids if u in unit_level):
            markers[level_id].append(
                MapMarker(amenity.id, amenity.category, icon, x, y, names.zh, names.en)
            )
    return markers


def icon_key(amenity: Amenity) -> IconKey | None:
    """The map icon of an amenity, or None when the map has no icon for its category."""
    parts = amenity.category.split(".")
    icon = _ICONS.get(parts[0])
    if icon == "restroom" and ("wheelchair" in parts or "wheelchair" in amenity.accessibility):
        return "accessible_restroom"
    return icon


def _bounds(points: Sequence[XY]) -> Bounds:
    if not points:
        return Bounds(0.0, 0.0, 0.0, 0.0)
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    return Bounds(min(xs), min(ys), max(xs), max(ys))


# --- view and labels ----------------------------------------------------------------------------


def fit_transform(
    bounds: Bounds, width_px: float, height_px: float, margin_px: float
) -> tuple[float, float, float]:
    """(scale, offset_x, offset_y) with screen = map × scale + offset, showing all of `bounds`
    centred inside a margin; scale is in pixels per metre."""
    avail_w, avail_h = width_px - 2 * margin_px, height_px - 2 * margin_px
    if avail_w <= 0 or avail_h <= 0:
        raise ValueError(f"no room inside a {margin_px} px margin of {width_px}×{height_px} px")
    sides = ((avail_w, bounds.width), (avail_h, bounds.height))
    fits = [avail / size for avail, size in sides if size > 0]
    scale = min(fits) if fits else 1.0
    cx, cy = bounds.center
    return scale, width_px / 2 - cx * scale, height_px / 2 - cy * scale


def text_width_px(text: str, font_px: float) -> float:
    """A generous estimate of the width `text` takes at `font_px`."""
    ems = sum(CJK_EM if unicodedata.east_asian_width(c) in "WF" else LATIN_EM for c in text)
    return ems * font_px


def label_priorities(units: Iterable[MapUnit], selected: str | None = None) -> dict[str, float]:
    """The default label order: the selected store (its store id or map unit id) first, then
    stores by popularity; everything else after them (larger first, see `place_labels`)."""
    return {
        u.id: u.popularity
        + (SELECTED_BOOST if selected is not None and selected in (u.id, u.store_id) else 0.0)
        for u in units
    }


def place_labels(
    units: Sequence[MapUnit],
    scale: float,
    font_px: float,
    priorities: Mapping[str, float] | None = None,
    *,
    lang: str = "zh",
    avoid: Iterable[XY] = (),
    avoid_px: float = 0.0,
) -> list[PlacedLabel]:
    """The names that fit at `scale` pixels per metre, greedily by priority (map unit id ->
    higher first; `label_priorities` by default), then area. A label sits at its unit's
    `label_at`, inside the unit, and clear of the labels before it and of the `avoid` points
    (icons, `avoid_px` square). Facilities and cores are not labelled: their icons say it."""
    if scale <= 0 or font_px <= 0:
        raise ValueError("scale and font size must be positive")
    prio = label_priorities(units) if priorities is None else priorities
    candidates = sorted(
        (u for u in units if u.kind in LABELLED_KINDS and u.name(lang)),
        key=lambda u: (-prio.get(u.id, 0.0), -u.area, u.id),
    )
    inset = LABEL_INSET_EM * font_px / scale
    gap = LABEL_GAP_EM * font_px / scale
    half_icon = avoid_px / scale / 2
    taken: list[Box] = (
        [(x - half_icon, y - half_icon, x + half_icon, y + half_icon) for x, y in avoid]
        if avoid_px > 0
        else []
    )
    height_px = LINE_EM * font_px
    placed: list[PlacedLabel] = []
    for unit in candidates:
        text = unit.name(lang)
        width_px = text_width_px(text, font_px)
        hw, hh = width_px / scale / 2, height_px / scale / 2
        x, y = unit.label_at
        box = (x - hw - inset, y - hh - inset, x + hw + inset, y + hh + inset)
        if not _box_inside(unit.rings_m, box):
            continue
        spaced = (x - hw - gap, y - hh - gap, x + hw + gap, y + hh + gap)
        if any(_overlap(spaced, other) for other in taken):
            continue
        taken.append((x - hw, y - hh, x + hw, y + hh))
        placed.append(PlacedLabel(unit.id, text, x, y, font_px, width_px, height_px))
    return placed


def _overlap(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


# --- geometry -----------------------------------------------------------------------------------


def _ring_area(ring: Sequence[XY]) -> float:
    """Signed shoelace area; the ring may be open or closed."""
    total = 0.0
    for (x0, y0), (x1, y1) in zip(ring, (*ring[1:], ring[0]), strict=True):
        total += x0 * y1 - x1 * y0
    return total / 2


def _area_centroid(rings: tuple[RingXY, ...]) -> tuple[float, XY]:
    """Area and centroid under the even-odd rule: a ring inside an odd number of others is a
    hole, whichever way it winds."""
    area = sx = sy = 0.0
    for i, ring in enumerate(rings):
        depth = sum(1 for j, other in enumerate(rings) if j != i and _in_ring(other, *ring[0]))
        sign = -1.0 if depth % 2 else 1.0
        a = _ring_area(ring)
        if a == 0:
            continue
        cx = cy = 0.0
        for (x0, y0), (x1, y1) in zip(ring, (*ring[1:], ring[0]), strict=True):
            cross = x0 * y1 - x1 * y0
            cx += (x0 + x1) * cross
            cy += (y0 + y1) * cross
        area += sign * abs(a)
        sx += sign * abs(a) * cx / (6 * a)
        sy += sign * abs(a) * cy / (6 * a)
    if area <= 0:
        points = [p for ring in rings for p in ring] or [(0.0, 0.0)]
        return 0.0, (
            sum(p[0] for p in points) / len(points),
            sum(p[1] for p in points) / len(points),
        )
    return area, (sx / area, sy / area)


def _in_ring(ring: RingXY, x: float, y: float) -> bool:
    inside = False
    for (x0, y0), (x1, y1) in zip(ring, (*ring[1:], ring[0]), strict=True):
        if (y0 > y) != (y1 > y) and x < x0 + (y - y0) * (x1 - x0) / (y1 - y0):
            inside = not inside
    return inside


def _inside(rings: tuple[RingXY, ...], x: float, y: float) -> bool:
    return sum(_in_ring(ring, x, y) for ring in rings) % 2 == 1


def _clip(ring: list[XY], a: float, b: float, c: float) -> list[XY]:
    """An open ring cut to the half-plane a·x + b·y ≤ c (Sutherland–Hodgman)."""
    out: list[XY] = []
    for i, (px, py) in enumerate(ring):
        qx, qy = ring[i + 1 - len(ring)]
        dp, dq = a * px + b * py - c, a * qx + b * qy - c
        if dp <= 0:
            out.append((px, py))
        if (dp < 0 < dq) or (dq < 0 < dp):
            t = dp / (dp - dq)
            out.append((px + t * (qx - px), py + t * (qy - py)))
    return out


def _box_inside(rings: tuple[RingXY, ...], box: Box) -> bool:
    """Whether the box lies inside the even-odd shape: its centre is inside and no edge passes
    through its interior (an edge along its border is fine)."""
    x0, y0, x1, y1 = box
    if not _inside(rings, (x0 + x1) / 2, (y0 + y1) / 2):
        return False
    for ring in rings:
        for p, q in zip(ring, (*ring[1:], ring[0]), strict=True):
            if _crosses_box(p, q, box):
                return False
    return True


def _crosses_box(p: XY, q: XY, box: Box) -> bool:
    (px, py), (qx, qy) = p, q
    x0, y0, x1, y1 = box
    if max(px, qx) <= x0 or min(px, qx) >= x1 or max(py, qy) <= y0 or min(py, qy) >= y1:
        return False
    # Liang–Barsky: the part of the segment inside the closed box, then whether its middle is
    # strictly inside (only a segment lying on the border has its middle on it).
    t0, t1 = 0.0, 1.0
    dx, dy = qx - px, qy - py
    for d, lo, hi, start in ((dx, x0, x1, px), (dy, y0, y1, py)):
        if d == 0:
            if not lo <= start <= hi:
                return False
            continue
        ta, tb = (lo - start) / d, (hi - start) / d
        t0, t1 = max(t0, min(ta, tb)), min(t1, max(ta, tb))
        if t0 >= t1:
            return False
    tm = (t0 + t1) / 2
    mx, my = px + tm * dx, py + tm * dy
    return x0 < mx < x1 and y0 < my < y1


def _edge_distance(rings: tuple[RingXY, ...], x: float, y: float) -> float:
    """Distance to the nearest edge, negative outside the shape."""
    best = math.inf
    for ring in rings:
        for (ax, ay), (bx, by) in zip(ring, (*ring[1:], ring[0]), strict=True):
            dx, dy = bx - ax, by - ay
            length2 = dx * dx + dy * dy
            t = (
                0.0
                if length2 == 0
                else max(0.0, min(1.0, ((x - ax) * dx + (y - ay) * dy) / length2))
            )
            best = min(best, math.hypot(x - ax - t * dx, y - ay - t * dy))
    return best if _inside(rings, x, y) else -best


def _pole(rings: tuple[RingXY, ...], centroid: XY, precision: float = 0.25) -> XY:
    """The inside point farthest from any edge (Mapbox's polylabel): where a label has most room
    when the data gives no display point inside the unit."""
    points = [p for ring in rings for p in ring]
    if not points:
        return centroid
    min_x, max_x = min(p[0] for p in points), max(p[0] for p in points)
    min_y, max_y = min(p[1] for p in points), max(p[1] for p in points)
    size = min(max_x - min_x, max_y - min_y)
    if size <= 0:
        return centroid
    counter = 0
    heap: list[tuple[float, int, float, float, float, float]] = []

    def push(x: float, y: float, half: float) -> None:
        nonlocal counter
        d = _edge_distance(rings, x, y)
        counter += 1
        heapq.heappush(heap, (-(d + half * math.sqrt(2)), counter, x, y, half, d))

    half = size / 2
    x = min_x + half
    while x < max_x + half:
        y = min_y + half
        while y < max_y + half:
            push(x, y, half)
            y += size
        x += size
    best = (_edge_distance(rings, *centroid), centroid)
    while heap:
        neg_max, _, x, y, half, d = heapq.heappop(heap)
        if d > best[0]:
            best = (d, (x, y))
        if -neg_max - best[0] <= precision:
            continue
        half /= 2
        for sx in (-half, half):
            for sy in (-half, half):
                push(x + sx, y + sy, half)
    return best[1]
