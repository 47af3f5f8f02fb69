"""Where this kiosk stands: the venue's kiosk feature, or the position staff set on the device.

A kiosk's position normally comes from the venue data: the IMDF kiosk feature with the device's
code. Staff installing a kiosk may place it where it physically stands instead. That position
(`KioskPosition`: level, WGS84 point, heading) is kept in the device configuration as one line
of text (`KioskPosition.text`, read back by `KioskPosition.parse`), so it is validated, written
and audited as one value and can never be half saved.

`place_kiosk` decides which position counts for a venue; `start_place` is where routes from the
kiosk begin on the nav graph. `position_at`, `heading_toward` and `facing` place the kiosk from
taps on a level map (map metres, y south).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Literal

from kiosk.domain.venue import Kiosk, Point, VenueData

if TYPE_CHECKING:
    # Only for hints: the device configuration reads positions without the graph's weight.
    from kiosk.domain.mapgeo import XY, LevelMap, MapProjection
    from kiosk.domain.navgraph import NavGraph, Place

__all__ = [
    "LONLAT_DECIMALS",
    "MIN_AIM_M",
    "KioskPosition",
    "PlacedKiosk",
    "PositionError",
    "Source",
    "facing",
    "heading_toward",
    "place_kiosk",
    "position_at",
    "start_place",
]

# The parts of the text form, in the order `text` writes them.
_PARTS = ("level", "lon", "lat", "heading")
# A plain decimal number (no nan, inf, underscores or hex, which float() would also take).
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")

Source = Literal["device", "venue", "none"]

# A tap closer than this to the kiosk says no direction (a fingertip is about 1 cm wide, and
# the whole venue fits the screen at a few pixels per metre).
MIN_AIM_M = 1.0
# IMDF coordinates come to 7 decimals (about 1 cm); a tap is no more precise than that.
LONLAT_DECIMALS = 7


class PositionError(ValueError):
    """A position that cannot be used; str(err) says why in words staff can act on."""


@dataclass(frozen=True, slots=True)
class KioskPosition:
    """The kiosk on `level_id` at `point` (longitude, latitude, WGS84 like IMDF), facing
    `heading_deg` clockwise from north (0 <= heading < 360): the way a shopper reading the
    screen faces, as the kiosk feature's `heading_deg`."""

    level_id: str
    point: Point
    heading_deg: float

    def __post_init__(self) -> None:
        if not self.level_id or any(c.isspace() or c == "=" for c in self.level_id):
            raise PositionError(
                f"level must be a level id without spaces or '=', not {self.level_id!r}"
            )
        lon, lat = self.point
        if not (math.isfinite(lon) and -180.0 <= lon <= 180.0):
            raise PositionError(f"lon must be a longitude between -180 and 180, not {_number(lon)}")
        if not (math.isfinite(lat) and -90.0 <= lat <= 90.0):
            raise PositionError(f"lat must be a latitude between -90 and 90, not {_number(lat)}")
        if not (math.isfinite(self.heading_deg) and 0.0 <= self.heading_deg < 360.0):
            raise PositionError(
                f"heading must be between 0 and 360 degrees, not {_number(self.heading_deg)}"
            )

    def text(self) -> str:
        """The position as the device configuration keeps it, e.g.
        "level=0f3c… lon=121.47 lat=31.2296835 heading=180"; `parse` reads it back exactly."""
        lon, lat = self.point
        return (
            f"level={self.level_id} lon={_number(lon)} lat={_number(lat)} "
            f"heading={_number(self.heading_deg)}"
        )

    @classmethod
    def parse(cls, text: str) -> KioskPosition | None:
        """Read `text` (see `text`; the parts in any order); None for an empty text, meaning
        "use the venue's kiosk feature". Raises PositionError saying what is wrong."""
        if not text.strip():
            return None
        found: dict[str, str] = {}
        for part in text.split():
            name, equals, value = part.partition("=")
            if not equals or name not in _PARTS:
                raise PositionError(
                    f"'{part}' is not one of level=…, lon=…, lat=…, heading=… "
                    "(write e.g. level=<level id> lon=121.47 lat=31.23 heading=90)"
                )
            if name in found:
                raise PositionError(f"{name}= is given twice")
            found[name] = value
        missing = [name for name in _PARTS if not found.get(name)]
        if missing:
            needs = ", ".join(f"{name}=" for name in missing)
            raise PositionError(
                f"needs level=, lon=, lat= and heading= together (missing {needs}); "
                "leave it empty to use the venue's kiosk"
            )
        lon = _parse_number("lon", found["lon"])
        lat = _parse_number("lat", found["lat"])
        heading = _parse_number("heading", found["heading"])
        if not 0.0 <= heading <= 360.0:
            raise PositionError(
                f"heading must be between 0 and 360 degrees, not {_number(heading)}"
            )
        return cls(found["level"], (lon, lat), heading % 360.0)


def _number(value: float) -> str:
    # repr is the shortest text that reads back as the same float; "180.0" is written "180".
    text = repr(float(value))
    return text.removesuffix(".0")


def _parse_number(name: str, raw: str) -> float:
    if not _NUMBER.fullmatch(raw):
        raise PositionError(f"{name}={raw} is not a number")
    value = float(raw)
    if not math.isfinite(value):
        raise PositionError(f"{name}={raw} is not a number")
    return value


@dataclass(frozen=True, slots=True)
class PlacedKiosk:
    """Where the kiosk with `code` stands in one venue, and where that came from.

    kiosk: None when neither the device nor the venue data knows.
    source: "device" (the position staff set), "venue" (the venue's kiosk feature) or "none".
    ignored: why the device's position was not used (its level is not in this venue).
    in_venue: the venue data has a kiosk feature for the code (to go back to).
    """

    code: str
    kiosk: Kiosk | None
    source: Source
    ignored: str | None = None
    in_venue: bool = False

    @property
    def level_id(self) -> str | None:
        return self.kiosk.level_id if self.kiosk is not None else None


def place_kiosk(venue: VenueData, code: str, position: KioskPosition | None) -> PlacedKiosk:
    """The kiosk `code` in `venue`: at `position` when given and its level is one of the venue's,
    else the venue's kiosk feature for the code (if any). The kiosk keeps the feature's id and
    name when the venue has one."""
    known = next((k for k in venue.kiosks if k.code == code), None)
    in_venue = known is not None
    fallback = PlacedKiosk(code, known, "venue" if in_venue else "none", in_venue=in_venue)
    if position is None:
        return fallback
    if not any(level.id == position.level_id for level in venue.levels):
        instead = f"kiosk {code} of the venue data" if known is not None else "no position"
        return replace(
            fallback,
            ignored=(
                f"the position set on this device is on level {position.level_id}, which the "
                f"venue data (version {venue.version}) does not have: using {instead}"
            ),
        )
    kiosk = Kiosk(
        id=known.id if known is not None else f"device/{code}",
        code=code,
        level_id=position.level_id,
        point=position.point,
        heading_deg=position.heading_deg,
        name=known.name if known is not None else None,
    )
    return PlacedKiosk(code, kiosk, "device", in_venue=in_venue)


def start_place(graph: NavGraph, placed: PlacedKiosk) -> Place | None:
    """Where routes from the kiosk start. The venue's kiosk has its own node in the graph; a
    position set on the device joins the graph the way any point of a level does
    (`NavGraph.at_point`: the nodes of the walkway it stands in that it can see, else the
    level's nearest node)."""
    kiosk = placed.kiosk
    if kiosk is None:
        return None
    if placed.source == "venue":
        return graph.kiosks.get(kiosk.code)
    place = graph.at_point(kiosk.level_id, kiosk.point)
    return replace(place, kind="kiosk", ref=kiosk.code, name=kiosk.name, category="kiosk")


# --- placing by tapping a level map ----------------------------------------------------------


def position_at(
    level: LevelMap, projection: MapProjection, xy: XY, heading_deg: float
) -> KioskPosition | None:
    """The kiosk standing at `xy` (map metres, a tap) on `level`, facing `heading_deg`; None
    when the point is outside the level's floor plan (no unit there)."""
    if level.unit_at(*xy) is None:
        return None
    lon, lat = projection.to_lonlat(*xy)
    point = (round(lon, LONLAT_DECIMALS), round(lat, LONLAT_DECIMALS))
    return KioskPosition(level.level_id, point, heading_deg % 360.0)


def heading_toward(origin: XY, target: XY) -> float | None:
    """The way from `origin` to `target` on a north-up map with y south, in whole degrees
    clockwise from north; None when they are closer than MIN_AIM_M."""
    dx, dy = target[0] - origin[0], target[1] - origin[1]
    if math.hypot(dx, dy) < MIN_AIM_M:
        return None
    return float(round(math.degrees(math.atan2(dx, -dy))) % 360)


def facing(position: KioskPosition, heading_deg: float) -> KioskPosition:
    """`position` facing `heading_deg` (any finite value, taken mod 360, to 0.1 degree)."""
    if not math.isfinite(heading_deg):
        raise PositionError(f"heading must be a number of degrees, not {heading_deg}")
    heading = round(heading_deg % 360.0, 1) % 360.0
    return KioskPosition(position.level_id, position.point, heading)
