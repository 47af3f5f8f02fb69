"""Reading an IMDF archive (a directory or a .zip of GeoJSON feature collections) into VenueData.

Only the feature types the kiosk uses are parsed; everything else is reported as a warning. Our own
properties live under each feature's "ext" property. Promotions come from an optional
`promotions.json` beside the IMDF files.
"""

from __future__ import annotations

import datetime
import hashlib
import importlib.resources
import json
import math
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar

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
    Ring,
    Unit,
    Venue,
    VenueData,
)

MANIFEST = "manifest.json"
PROMOTIONS = "promotions.json"
USED_TYPES = ("venue", "level", "unit", "opening", "amenity", "anchor", "occupant", "kiosk")
REQUIRED_TYPES = ("venue", "level", "unit", "occupant")
IMDF_TYPES = frozenset(
    {
        "address", "amenity", "anchor", "building", "detail", "fixture", "footprint", "geofence",
        "kiosk", "level", "occupant", "opening", "relationship", "section", "unit", "venue",
    }
)  # fmt: skip
MAX_FILE_BYTES = 64 * 1024 * 1024

# Cross-references into feature types the kiosk does not read; the unused file is reported instead.
_PLUMBING = frozenset({"address_id", "building_ids", "correlation_id"})
_STORE_CODES = frozenset(c.code for c in STORE_CATEGORIES)
_ZH_KEYS = ("zh-Hans", "zh", "zh-CN", "zh-Hans-CN")


class ImdfError(ValueError):
    """The archive cannot be used; says which file and feature is wrong and why."""

    def __init__(self, file: str, message: str, feature_id: str | None = None) -> None:
        where = file if feature_id is None else f"{file}, feature {feature_id}"
        super().__init__(f"{where}: {message}")
        self.file = file
        self.feature_id = feature_id
        self.message = message


@dataclass(frozen=True, slots=True)
class ImportReport:
    """A loaded venue plus what the archive held that the kiosk did not use."""

    data: VenueData
    warnings: tuple[str, ...]


def demo_venue_path() -> Path:
    """The embedded demo mall, shipped inside the package."""
    return Path(str(importlib.resources.files("kiosk") / "resources" / "demo"))


def load_venue(source: Path) -> VenueData:
    return load_venue_with_report(source).data


def load_venue_with_report(source: Path) -> ImportReport:
    files, warnings = read_source(source)
    report = parse_files(files)
    return ImportReport(report.data, (*warnings, *report.warnings))


def read_source(source: Path) -> tuple[dict[str, bytes], list[str]]:
    """The top-level files of a directory or zip archive by base name, plus what was skipped."""
    if source.is_dir():
        return _read_dir(source)
    if source.is_file():
        return _read_zip(source)
    raise ImdfError(str(source), "does not exist")


def parse_files(files: Mapping[str, bytes]) -> ImportReport:
    """Parse IMDF files given by base name ("unit.geojson") to their bytes."""
    collections, used, warnings = _collect(files)
    parser = _Parser(collections)
    data = parser.parse()
    if PROMOTIONS in files:
        occupant_ids = {o.id for o in data.occupants}
        data = replace(data, promotions=_promotions(files[PROMOTIONS], occupant_ids))
    digest = hashlib.sha256()
    for name in used:
        blob = files[name]
        digest.update(name.encode() + b"\0" + len(blob).to_bytes(8, "big") + blob)
    data = replace(data, version=digest.hexdigest()[:16])
    return ImportReport(data, (*warnings, *parser.warnings()))


def _collect(
    files: Mapping[str, bytes],
) -> tuple[dict[str, list[_Feature]], list[str], list[str]]:
    """Feature collections by type, the names of the files used (sorted) and warnings."""
    collections: dict[str, list[_Feature]] = {}
    used: list[str] = []
    warnings: list[str] = []
    for name in sorted(files):
        stem, _, ext = name.partition(".")
        if name in (MANIFEST, PROMOTIONS):
            used.append(name)
        elif ext != "geojson":
            warnings.append(f"{name}: not an IMDF file, ignored")
        elif stem not in IMDF_TYPES:
            warnings.append(f'{name}: unknown feature type "{stem}", ignored')
        elif stem not in USED_TYPES:
            warnings.append(f"{name}: {stem} features are not used by the kiosk, ignored")
        else:
            collections[stem] = _feature_collection(name, stem, files[name])
            used.append(name)
    if MANIFEST not in files:
        warnings.append(f"{MANIFEST}: missing (IMDF archives should have one)")
    elif not isinstance(_json(MANIFEST, files[MANIFEST]), dict):
        raise ImdfError(MANIFEST, "must be a JSON object")
    for required in REQUIRED_TYPES:
        if required not in collections:
            raise ImdfError(f"{required}.geojson", "required file is missing")
    return collections, used, warnings


# --- reading ------------------------------------------------------------------------------------


def _read_dir(source: Path) -> tuple[dict[str, bytes], list[str]]:
    files: dict[str, bytes] = {}
    warnings: list[str] = []
    for path in sorted(source.iterdir()):
        if path.is_dir():
            warnings.append(f"{path.name}/: folder ignored")
            continue
        if path.suffix not in (".json", ".geojson"):
            warnings.append(f"{path.name}: not an IMDF file, ignored")
            continue
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                raise ImdfError(path.name, f"is larger than {MAX_FILE_BYTES} bytes")
            files[path.name] = path.read_bytes()
        except OSError as exc:
            raise ImdfError(path.name, f"cannot be read: {exc.strerror or exc}") from exc
    return files, warnings


def _read_zip(source: Path) -> tuple[dict[str, bytes], list[str]]:
    try:
        with zipfile.ZipFile(source) as archive:
            entries = [
                info
                for info in archive.infolist()
                if not info.is_dir()
                and not info.filename.startswith("__MACOSX/")
                and not info.filename.rpartition("/")[2].startswith("._")
            ]
            # Archives zipped from a folder hold everything under that one folder.
            tops = {info.filename.partition("/")[0] for info in entries}
            strip = len(tops) == 1 and all("/" in info.filename for info in entries)
            files: dict[str, bytes] = {}
            warnings: list[str] = []
            for info in entries:
                name = info.filename.partition("/")[2] if strip else info.filename
                if "/" in name:
                    warnings.append(f"{name}: file in a sub-folder of the archive, ignored")
                    continue
                if info.file_size > MAX_FILE_BYTES:
                    raise ImdfError(name, f"is larger than {MAX_FILE_BYTES} bytes")
                try:
                    files[name] = archive.read(info)
                except (zipfile.BadZipFile, zlib.error, OSError) as exc:
                    raise ImdfError(name, f"cannot be read from {source.name}: {exc}") from exc
            return files, warnings
    except zipfile.BadZipFile as exc:
        raise ImdfError(source.name, "is not a directory or a valid zip archive") from exc
    except OSError as exc:
        raise ImdfError(source.name, f"cannot be read: {exc.strerror or exc}") from exc


def _reject_constant(value: str) -> Any:
    raise ValueError(f"{value} is not a number JSON allows")


def _json(name: str, blob: bytes) -> object:
    try:
        text = blob.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImdfError(name, f"is not UTF-8 text (byte {exc.start})") from exc
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise ImdfError(
            name, f"is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
        ) from exc
    except ValueError as exc:
        raise ImdfError(name, f"is not valid JSON: {exc}") from exc


# --- features -----------------------------------------------------------------------------------


@dataclass(slots=True)
class _Feature:
    """One GeoJSON feature; its accessors raise ImdfError naming the file and feature."""

    file: str
    id: str
    geometry: object
    props: dict[str, Any]
    used: set[str] = field(default_factory=set)

    def error(self, message: str) -> ImdfError:
        return ImdfError(self.file, message, self.id)

    def get(self, key: str) -> object:
        self.used.add(key)
        return self.props.get(key)

    def req_str(self, key: str) -> str:
        value = self.get(key)
        if value is None:
            raise self.error(f'missing required property "{key}"')
        if not isinstance(value, str) or not value.strip():
            raise self.error(f'property "{key}" must be a non-empty string')
        return value

    def opt_str(self, key: str) -> str | None:
        value = self.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            raise self.error(f'property "{key}" must be a string')
        return value or None

    def req_names(self, key: str) -> Names:
        value = self.get(key)
        if value is None:
            raise self.error(f'missing required property "{key}"')
        return _names(value, lambda msg: self.error(f'property "{key}" {msg}'))

    def opt_names(self, key: str) -> Names | None:
        return None if self.props.get(key) is None else self.req_names(key)

    def str_list(self, key: str) -> tuple[str, ...]:
        value = self.get(key)
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.error(f'property "{key}" must be a list of strings')
        return tuple(value)

    def opt_point(self, key: str) -> Point | None:
        value = self.get(key)
        return None if value is None else _point_geometry(self, value, f'property "{key}"')

    def geometry_of(self, *types: str) -> dict[str, Any]:
        geom = self.geometry
        kind = geom.get("type") if isinstance(geom, dict) else None
        if kind not in types:
            shown = "null" if geom is None else repr(kind)
            raise self.error(f"geometry must be {' or '.join(types)}, not {shown}")
        assert isinstance(geom, dict)
        return geom

    def ignored(self) -> Iterable[str]:
        return (
            k
            for k, v in self.props.items()
            if v is not None and k not in self.used and k not in _PLUMBING
        )


def _feature_collection(name: str, feature_type: str, blob: bytes) -> list[_Feature]:
    doc = _json(name, blob)
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        raise ImdfError(name, "must be a GeoJSON FeatureCollection")
    raw_features = doc.get("features")
    if not isinstance(raw_features, list):
        raise ImdfError(name, 'FeatureCollection has no "features" list')
    features: list[_Feature] = []
    for index, raw in enumerate(raw_features, start=1):
        if not isinstance(raw, dict) or raw.get("type") != "Feature":
            raise ImdfError(name, f"item #{index} is not a GeoJSON Feature")
        fid = raw.get("id")
        if not isinstance(fid, str) or not fid.strip():
            raise ImdfError(name, f'feature #{index} has no string "id"')
        declared = raw.get("feature_type")
        if declared is not None and declared != feature_type:
            raise ImdfError(name, f'feature_type "{declared}" in a {feature_type} file', fid)
        if "geometry" not in raw:
            raise ImdfError(name, 'has no "geometry" member (use null for none)', fid)
        props = raw.get("properties")
        if not isinstance(props, dict):
            raise ImdfError(name, 'has no "properties" object', fid)
        features.append(_Feature(name, fid, raw["geometry"], props))
    return features


def _names(value: object, fail: Callable[[str], ImdfError]) -> Names:
    if not isinstance(value, dict) or not value:
        raise fail('must be a non-empty labels object like {"en": "...", "zh-Hans": "..."}')
    labels = {k: v for k, v in value.items() if isinstance(v, str) and v.strip()}
    if len(labels) != len(value):
        raise fail("must map language tags to non-empty strings")
    zh = next((labels[k] for k in _ZH_KEYS if k in labels), None)
    zh = zh or next((v for k, v in sorted(labels.items()) if k.lower().startswith("zh")), None)
    en = labels.get("en") or next(
        (v for k, v in sorted(labels.items()) if k.lower().startswith("en")), None
    )
    if zh is None and en is None:
        zh = en = labels[min(labels)]
    return Names(zh=zh or en or "", en=en or zh or "")


def _position(f: _Feature, raw: object, where: str) -> Point:
    if (
        not isinstance(raw, list)
        or len(raw) not in (2, 3)
        or not all(isinstance(c, int | float) and not isinstance(c, bool) for c in raw)
    ):
        raise f.error(f"{where}: {raw!r} is not a [longitude, latitude] position")
    lon, lat = float(raw[0]), float(raw[1])
    if not (math.isfinite(lon) and -180 <= lon <= 180 and math.isfinite(lat) and -90 <= lat <= 90):
        raise f.error(
            f"{where}: [{lon}, {lat}] is outside WGS84 ranges "
            "(longitude -180..180, latitude -90..90)"
        )
    return (lon, lat)


def _ring(f: _Feature, raw: object, where: str) -> Ring:
    if not isinstance(raw, list):
        raise f.error(f"{where}: a ring must be a list of positions")
    ring = tuple(_position(f, p, where) for p in raw)
    if len(ring) < 4:
        raise f.error(f"{where}: a polygon ring needs at least 4 positions, it has {len(ring)}")
    if ring[0] != ring[-1]:
        raise f.error(f"{where}: polygon ring is not closed (first and last positions differ)")
    return ring


def _polygon(f: _Feature) -> tuple[Ring, ...]:
    geom = f.geometry_of("Polygon", "MultiPolygon")
    coords = geom.get("coordinates")
    polygons = [coords] if geom["type"] == "Polygon" else coords
    if not isinstance(polygons, list) or not all(isinstance(p, list) and p for p in polygons):
        raise f.error(f"geometry: {geom['type']} coordinates must be lists of rings")
    # Renderers fill with the even-odd rule, so a MultiPolygon's rings can simply be flattened.
    return tuple(_ring(f, ring, "geometry") for polygon in polygons for ring in polygon)


def _point_geometry(f: _Feature, geom: object, where: str) -> Point:
    if not isinstance(geom, dict) or geom.get("type") != "Point":
        raise f.error(f"{where} must be a GeoJSON Point")
    return _position(f, geom.get("coordinates"), where)


def _point(f: _Feature) -> Point:
    return _point_geometry(f, f.geometry_of("Point"), "geometry")


def _line(f: _Feature) -> tuple[Point, ...]:
    coords = f.geometry_of("LineString").get("coordinates")
    if not isinstance(coords, list) or len(coords) < 2:
        raise f.error("geometry: a LineString needs at least 2 positions")
    return tuple(_position(f, p, "geometry") for p in coords)


def _ext(f: _Feature, known: set[str], warnings: list[str]) -> dict[str, Any]:
    ext = f.get("ext")
    if ext is None:
        return {}
    if not isinstance(ext, dict):
        raise f.error('property "ext" must be an object')
    warnings.extend(f'{f.file}, feature {f.id}: ext "{k}" ignored' for k in ext if k not in known)
    return ext


_T = TypeVar("_T")


class _Parser:
    def __init__(self, collections: dict[str, list[_Feature]]) -> None:
        self._collections = collections
        self._warnings: list[str] = []
        self._check_unique_ids()

    def warnings(self) -> list[str]:
        ignored: Counter[tuple[str, str]] = Counter()
        for features in self._collections.values():
            for f in features:
                ignored.update((f.file, key) for key in f.ignored())
        return [
            *self._warnings,
            *(
                f'{file}: property "{key}" ignored on {n} feature{"s" if n > 1 else ""}'
                for (file, key), n in sorted(ignored.items())
            ),
        ]

    def _check_unique_ids(self) -> None:
        seen: dict[str, str] = {}
        for feature_type in USED_TYPES:
            for f in self._collections.get(feature_type, []):
                if f.id in seen:
                    raise f.error(f"duplicate id (also used in {seen[f.id]})")
                seen[f.id] = f.file

    def _each(self, feature_type: str, parse: Callable[[_Feature], _T]) -> tuple[_T, ...]:
        return tuple(parse(f) for f in self._collections.get(feature_type, []))

    def parse(self) -> VenueData:
        """Everything but promotions and the version, which come from outside the features."""
        venues = self._collections["venue"]
        if len(venues) != 1:
            raise ImdfError("venue.geojson", f"must hold exactly one venue, it has {len(venues)}")
        venue = self._venue(venues[0])
        levels = tuple(sorted(self._each("level", self._level), key=lambda lv: (lv.ordinal, lv.id)))
        level_ids = {lv.id for lv in levels}

        def level_ref(f: _Feature) -> str:
            return _ref(f, "level_id", level_ids, "level")

        units = self._each("unit", lambda f: self._unit(f, level_ref(f)))
        unit_ids = {u.id for u in units}
        openings = self._each("opening", lambda f: self._opening(f, level_ref(f)))
        amenities = self._each("amenity", lambda f: self._amenity(f, unit_ids))
        anchors = self._each(
            "anchor", lambda f: Anchor(f.id, _ref(f, "unit_id", unit_ids, "unit"), _point(f))
        )
        anchor_ids = {a.id for a in anchors}
        occupants = self._each("occupant", lambda f: self._occupant(f, anchor_ids))
        unit_level = {u.id: u.level_id for u in units}
        anchor_level = {a.id: unit_level[a.unit_id] for a in anchors}
        kiosks = tuple(
            k
            for k in self._each("kiosk", lambda f: self._kiosk(f, level_ids, anchor_level))
            if k is not None
        )
        return VenueData(
            venue=venue,
            levels=levels,
            units=units,
            openings=openings,
            amenities=amenities,
            anchors=anchors,
            occupants=occupants,
            kiosks=kiosks,
            promotions=(),
            version="",
        )

    def _venue(self, f: _Feature) -> Venue:
        _polygon(f)
        display = f.opt_point("display_point")
        if display is None:
            raise f.error('missing required property "display_point"')
        return Venue(
            id=f.id,
            name=f.req_names("name"),
            category=f.req_str("category"),
            hours=f.opt_str("hours"),
            phone=f.opt_str("phone"),
            website=f.opt_str("website"),
            display_point=display,
        )

    def _level(self, f: _Feature) -> Level:
        _polygon(f)
        f.opt_point("display_point")  # validated; the kiosk labels levels by name only
        ordinal = f.get("ordinal")
        if ordinal is None:
            raise f.error('missing required property "ordinal"')
        if not isinstance(ordinal, int) or isinstance(ordinal, bool):
            raise f.error('property "ordinal" must be an integer')
        outdoor = f.get("outdoor")
        if outdoor is not None and not isinstance(outdoor, bool):
            raise f.error('property "outdoor" must be true or false')
        return Level(
            id=f.id,
            ordinal=ordinal,
            name=f.req_names("name"),
            short_name=f.req_names("short_name"),
            category=f.req_str("category"),
            outdoor=bool(outdoor),
        )

    def _unit(self, f: _Feature, level_id: str) -> Unit:
        return Unit(
            id=f.id,
            level_id=level_id,
            category=f.req_str("category"),
            name=f.opt_names("name"),
            polygon=_polygon(f),
            display_point=f.opt_point("display_point"),
            accessibility=f.str_list("accessibility"),
        )

    def _opening(self, f: _Feature, level_id: str) -> Opening:
        line = _line(f)
        f.opt_point("display_point")  # validated; doors are drawn from their line
        return Opening(
            id=f.id,
            level_id=level_id,
            category=f.req_str("category"),
            line=line,
            accessibility=f.str_list("accessibility"),
        )

    def _amenity(self, f: _Feature, unit_ids: set[str]) -> Amenity:
        point = _point(f)
        refs = f.str_list("unit_ids")
        if not refs:
            raise f.error('property "unit_ids" must list at least one unit')
        for ref in refs:
            if ref not in unit_ids:
                raise f.error(f'unit_ids entry "{ref}" does not match any unit')
        return Amenity(
            id=f.id,
            category=f.req_str("category"),
            unit_ids=refs,
            point=point,
            name=f.opt_names("name"),
            hours=f.opt_str("hours"),
            phone=f.opt_str("phone"),
            accessibility=f.str_list("accessibility"),
        )

    def _occupant(self, f: _Feature, anchor_ids: set[str]) -> Occupant:
        if f.geometry is not None:
            raise f.error("geometry must be null for an occupant (it is placed by its anchor)")
        category = f.req_str("category")
        if category not in _STORE_CODES:
            raise f.error(f'category "{category}" is not one of {", ".join(sorted(_STORE_CODES))}')
        ext = _ext(f, {"keywords", "popularity", "pinyin"}, self._warnings)
        keywords = ext.get("keywords", [])
        if not isinstance(keywords, list) or not all(isinstance(k, str) for k in keywords):
            raise f.error('ext "keywords" must be a list of strings')
        popularity = ext.get("popularity", 0)
        if (
            not isinstance(popularity, int)
            or isinstance(popularity, bool)
            or not 0 <= popularity <= 100
        ):
            raise f.error('ext "popularity" must be an integer from 0 to 100')
        pinyin = ext.get("pinyin")
        if pinyin is not None and not isinstance(pinyin, str):
            raise f.error('ext "pinyin" must be a string')
        return Occupant(
            id=f.id,
            anchor_id=_ref(f, "anchor_id", anchor_ids, "anchor"),
            name=f.req_names("name"),
            category=category,
            hours=f.opt_str("hours"),
            phone=f.opt_str("phone"),
            website=f.opt_str("website"),
            keywords=tuple(keywords),
            popularity=popularity,
            pinyin=pinyin or None,
        )

    def _kiosk(
        self, f: _Feature, level_ids: set[str], anchor_level: dict[str, str]
    ) -> Kiosk | None:
        # IMDF draws kiosks as polygons with a display point; a bare Point is accepted too.
        if f.geometry_of("Point", "Polygon")["type"] == "Point":
            point = f.opt_point("display_point") or _point(f)
        else:
            _polygon(f)
            found = f.opt_point("display_point")
            if found is None:
                raise f.error('a Polygon kiosk needs the property "display_point"')
            point = found
        anchor_id = None
        if f.props.get("anchor_id") is not None:
            anchor_id = _ref(f, "anchor_id", set(anchor_level), "anchor")
        if f.props.get("level_id") is not None:
            level_id = _ref(f, "level_id", level_ids, "level")
        elif anchor_id is not None:
            level_id = anchor_level[anchor_id]
        else:
            raise f.error('missing required property "level_id" (or "anchor_id")')
        ext = _ext(f, {"code", "heading_deg"}, self._warnings)
        code = ext.get("code")
        if code is None:
            self._warnings.append(f'{f.file}, feature {f.id}: no ext "code", kiosk ignored')
            return None
        if not isinstance(code, str) or not code.strip():
            raise f.error('ext "code" must be a non-empty string')
        heading = ext.get("heading_deg", 0)
        if (
            not isinstance(heading, int | float)
            or isinstance(heading, bool)
            or not math.isfinite(heading)
        ):
            raise f.error('ext "heading_deg" must be a number')
        return Kiosk(
            id=f.id,
            code=code,
            level_id=level_id,
            point=point,
            heading_deg=float(heading) % 360.0,
            name=f.opt_names("name"),
        )


def _ref(f: _Feature, key: str, known: set[str], what: str) -> str:
    value = f.req_str(key)
    if value not in known:
        raise f.error(f'{key} "{value}" does not match any {what}')
    return value


# --- promotions ---------------------------------------------------------------------------------


def _promotions(blob: bytes, occupant_ids: set[str]) -> tuple[Promotion, ...]:
    doc = _json(PROMOTIONS, blob)
    if not isinstance(doc, list):
        raise ImdfError(PROMOTIONS, "must be a JSON list of promotions")
    seen: set[str] = set()
    promotions: list[Promotion] = []
    for index, raw in enumerate(doc, start=1):
        if not isinstance(raw, dict) or not isinstance(raw.get("id"), str) or not raw["id"]:
            raise ImdfError(PROMOTIONS, f'item #{index} is not an object with a string "id"')
        pid: str = raw["id"]

        def fail(message: str, pid: str = pid) -> ImdfError:
            return ImdfError(PROMOTIONS, message, pid)

        if pid in seen:
            raise fail("duplicate id")
        seen.add(pid)
        for key in ("title", "body", "starts", "ends"):
            if raw.get(key) is None:
                raise fail(f'missing required property "{key}"')
        occupant_id = raw.get("occupant_id")
        if occupant_id is not None and occupant_id not in occupant_ids:
            raise fail(f'occupant_id "{occupant_id}" does not match any occupant')
        starts = _date(raw["starts"], lambda m: fail(f'property "starts" {m}'))
        ends = _date(raw["ends"], lambda m: fail(f'property "ends" {m}'))
        if ends < starts:
            raise fail(f"ends ({ends}) before it starts ({starts})")
        promotions.append(
            Promotion(
                id=pid,
                title=_names(raw["title"], lambda m: fail(f'property "title" {m}')),
                body=_names(raw["body"], lambda m: fail(f'property "body" {m}')),
                occupant_id=occupant_id,
                starts=starts,
                ends=ends,
            )
        )
    return tuple(promotions)


def _date(value: object, fail: Callable[[str], ImdfError]) -> datetime.date:
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            pass
    raise fail(f"must be an ISO date like 2026-01-31, not {value!r}")
