"""Route-to-phone links: a short URL, printed as a QR code, that the central service resolves.

Shape: `{BASE}/{venue}/{origin}/{destination}/{mode}`, e.g.
`HTTPS://M.YUNHUI-PLAZA.EXAMPLE/R/3M0QX7ZD/K-K01/8FJ2WQ1C/W`.

- venue and destination are `short_id`s: 8 Crockford base32 characters of a SHA-256 of the id.
  A short id is a lookup key, not an encoding: the server maps it back by computing the short id of
  every feature of the venue (`check_unique`, which refuses a venue where two ids collide).
- origin is `K-{kiosk code}` for a kiosk ("K-K01"), `P-{short id}` for a place, or
  `G-{level short id}:{longitude}:{latitude}` for a point of a level, in degrees to 6 decimals
  (about 10 cm): a kiosk that staff placed on the map of the device itself, whose position the
  central service's venue data does not know ("G-5ZQ1ABCD:121.470000:31.229684").
- mode is `W` (walking) or `A` (step-free: elevators and ramps only).

Everything after the base is uppercase and the scheme and host are uppercased (they are
case-insensitive), so the QR code can use its compact alphanumeric mode; a base path in uppercase
("/R") keeps the whole URL alphanumeric. Path case matters: the server must route the base path as
configured and may upper-case the tokens it receives.
"""

from __future__ import annotations

import hashlib
import io
import math
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

import qrcode
from qrcode.constants import ERROR_CORRECT_M
from qrcode.exceptions import DataOverflowError
from qrcode.image.pil import PilImage

from kiosk.domain.venue import Point

ID_LENGTH = 8
# QR version 6 at error correction M (41×41 modules, up to 106 bytes or 154 alphanumeric
# characters) still reads at arm's length from a phone.
MAX_QR_VERSION = 6

# Crockford's base32: digits and uppercase letters without I, L, O and U.
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_KEY = re.compile(rf"[{_ALPHABET}]{{4,51}}")
_KIOSK_CODE = re.compile(r"[A-Z0-9](?:[A-Z0-9-]{0,14}[A-Z0-9])?")
_MODES = {"W": False, "A": True}
_COORD = re.compile(r"-?\d{1,3}(?:\.\d{1,9})?")
COORD_DECIMALS = 6


class RouteLinkError(ValueError):
    """A route link cannot be built from, or read back into, its parts."""


class ShortIdCollisionError(RouteLinkError):
    """Two ids of one venue share a short id, so a link to either would be ambiguous."""

    def __init__(self, collisions: dict[str, tuple[str, ...]]) -> None:
        shown = "; ".join(f"{key}: {', '.join(ids)}" for key, ids in sorted(collisions.items()))
        super().__init__(f"ids share a short id: {shown}")
        self.collisions = collisions


@dataclass(frozen=True, slots=True)
class KioskOrigin:
    """Start at a kiosk, named by its code ("K01")."""

    code: str


@dataclass(frozen=True, slots=True)
class PlaceOrigin:
    """Start at a feature of the venue (an occupant, amenity…), named by its id."""

    feature_id: str


@dataclass(frozen=True, slots=True)
class PointOrigin:
    """Start at a point (longitude, latitude) of a level, named by its id: a kiosk placed on
    the device rather than in the venue data."""

    level_id: str
    point: Point


Origin = KioskOrigin | PlaceOrigin | PointOrigin


@dataclass(frozen=True, slots=True)
class RouteLink:
    """A route as a link carries it. Exactly one of `origin_kiosk` (a kiosk code) and
    `origin_key` is set; `venue_key`, `origin_key` and `destination_key` are short ids. With
    `origin_point` (longitude, latitude, to COORD_DECIMALS places) the origin is that point of
    the level whose short id is `origin_key`."""

    venue_key: str
    origin_kiosk: str | None
    origin_key: str | None
    destination_key: str
    step_free: bool
    origin_point: Point | None = None

    def __post_init__(self) -> None:
        if (self.origin_kiosk is None) == (self.origin_key is None):
            raise RouteLinkError("a route link needs exactly one origin: a kiosk or a place")
        for key in (self.venue_key, self.origin_key, self.destination_key):
            if key is not None and not _KEY.fullmatch(key):
                raise RouteLinkError(f'"{key}" is not a short id')
        if self.origin_kiosk is not None:
            _check_kiosk_code(self.origin_kiosk)
            if self.origin_point is not None:
                raise RouteLinkError("a point origin names a level, not a kiosk")
        if self.origin_point is not None:
            lon, lat = self.origin_point
            if not (math.isfinite(lon) and -180 <= lon <= 180):
                raise RouteLinkError(f"longitude {lon} is not between -180 and 180")
            if not (math.isfinite(lat) and -90 <= lat <= 90):
                raise RouteLinkError(f"latitude {lat} is not between -90 and 90")

    @property
    def path(self) -> str:
        """The part after the base URL, starting with "/"."""
        if self.origin_kiosk:
            origin = f"K-{self.origin_kiosk}"
        elif self.origin_point is not None:
            lon, lat = self.origin_point
            origin = f"G-{self.origin_key}:{lon:.{COORD_DECIMALS}f}:{lat:.{COORD_DECIMALS}f}"
        else:
            origin = f"P-{self.origin_key}"
        mode = "A" if self.step_free else "W"
        return f"/{self.venue_key}/{origin}/{self.destination_key}/{mode}"


def short_id(feature_id: str, length: int = ID_LENGTH) -> str:
    """A stable short lookup key for an id: `length` base32 characters of its SHA-256.

    UUIDs are hashed in their canonical lowercase form, so "ABC…" and "abc…" give one key; any
    other id is hashed as written. A hash, unlike a prefix, spreads time-ordered UUIDs too.
    """
    if not 4 <= length <= 51:
        raise ValueError(f"short id length must be 4 to 51, not {length}")
    try:
        canonical = str(uuid.UUID(feature_id))
    except ValueError:
        canonical = feature_id
    number = int.from_bytes(hashlib.sha256(canonical.encode()).digest(), "big")
    number >>= 256 - 5 * length
    return "".join(_ALPHABET[(number >> (5 * i)) & 31] for i in reversed(range(length)))


def check_unique(ids: Iterable[str], length: int = ID_LENGTH) -> dict[str, str]:
    """The lookup table short id → id for one venue; raises ShortIdCollisionError on a clash."""
    table: dict[str, str] = {}
    collisions: dict[str, set[str]] = {}
    for feature_id in ids:
        key = short_id(feature_id, length)
        known = table.setdefault(key, feature_id)
        if known != feature_id:
            collisions.setdefault(key, {known}).add(feature_id)
    if collisions:
        raise ShortIdCollisionError({k: tuple(sorted(v)) for k, v in collisions.items()})
    return table


def route_link(venue_id: str, origin: Origin, destination: str, step_free: bool) -> RouteLink:
    if isinstance(origin, KioskOrigin):
        _check_kiosk_code(origin.code)
        return RouteLink(short_id(venue_id), origin.code, None, short_id(destination), step_free)
    if isinstance(origin, PointOrigin):
        lon, lat = origin.point
        return RouteLink(
            short_id(venue_id),
            None,
            short_id(origin.level_id),
            short_id(destination),
            step_free,
            origin_point=(round(lon, COORD_DECIMALS), round(lat, COORD_DECIMALS)),
        )
    return RouteLink(
        short_id(venue_id), None, short_id(origin.feature_id), short_id(destination), step_free
    )


def route_url(base: str, venue_id: str, origin: Origin, destination: str, step_free: bool) -> str:
    """The link for a route; `base` is the configured http(s) URL of the route resolver."""
    return _base(base) + route_link(venue_id, origin, destination, step_free).path


def parse_route_path(path: str) -> RouteLink:
    """Read back the path after the base ("/3M0QX7ZD/K-K01/8FJ2WQ1C/W"), in any letter case."""
    parts = path.strip().strip("/").upper().split("/")
    if len(parts) != 4:
        raise RouteLinkError(f'"{path}" is not venue/origin/destination/mode')
    venue_key, origin, destination_key, mode = parts
    if mode not in _MODES:
        raise RouteLinkError(f'"{path}": mode must be W (walking) or A (step-free)')
    kind, dash, value = origin.partition("-")
    if not dash or kind not in ("K", "P", "G"):
        raise RouteLinkError(
            f'"{path}": origin must be K-<kiosk code>, P-<place> or G-<level>:<lon>:<lat>'
        )
    if kind == "K":
        return RouteLink(venue_key, value, None, destination_key, _MODES[mode])
    if kind == "G":
        level_key, *coords = value.split(":")
        if len(coords) != 2 or not all(_COORD.fullmatch(c) for c in coords):
            raise RouteLinkError(f'"{path}": a point origin is G-<level>:<lon>:<lat>')
        point = (float(coords[0]), float(coords[1]))
        return RouteLink(
            venue_key, None, level_key, destination_key, _MODES[mode], origin_point=point
        )
    return RouteLink(venue_key, None, value, destination_key, _MODES[mode])


def _check_kiosk_code(code: str) -> None:
    if not _KIOSK_CODE.fullmatch(code):
        raise RouteLinkError(
            f'kiosk code "{code}" must be 1 to 16 uppercase letters, digits and inner dashes'
        )


def _base(base: str) -> str:
    parts = urlsplit(base.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise RouteLinkError(f'route link base "{base}" must be an http(s) URL')
    if parts.query or parts.fragment or parts.username or parts.password:
        raise RouteLinkError(f'route link base "{base}" must not have a query, fragment or user')
    if not parts.netloc.isascii():
        raise RouteLinkError(f'route link base "{base}": write the host in its xn-- (ASCII) form')
    return f"{parts.scheme.upper()}://{parts.netloc.upper()}{parts.path.rstrip('/')}"


def _qr(url: str, box_size: int = 10, border: int = 4) -> qrcode.QRCode[PilImage]:
    qr = qrcode.QRCode(
        error_correction=ERROR_CORRECT_M,
        box_size=box_size,
        border=border,
        image_factory=PilImage,
    )
    qr.add_data(url)
    return qr


def qr_version(url: str) -> int:
    """The smallest QR version (1-40) holding `url` at error correction M."""
    # What make(fit=True) does first, without also laying out the symbol and choosing its mask.
    try:
        version: int = _qr(url).best_fit()
    # qrcode 8 reports some overflows as an invalid version 41 (a ValueError).
    except (DataOverflowError, ValueError) as exc:
        raise RouteLinkError(f"{len(url)} characters do not fit in a QR code") from exc
    return version


def make_qr_png(url: str, box_size: int = 8, border: int = 4) -> bytes:
    """The QR code of `url` as PNG: `box_size` pixels per module, `border` modules quiet zone."""
    qr = _qr(url, box_size, border)
    try:
        qr.make(fit=True)
    except (DataOverflowError, ValueError) as exc:
        raise RouteLinkError(f"{len(url)} characters do not fit in a QR code") from exc
    buffer = io.BytesIO()
    qr.make_image().save(buffer)
    return buffer.getvalue()
