"""The IMDF parser, on the embedded demo mall and on small broken archives."""

from __future__ import annotations

import copy
import datetime
import itertools
import json
import subprocess
import sys
import uuid
import zipfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kiosk.domain.categories import STORE_CATEGORIES
from kiosk.domain.imdf import (
    ImdfError,
    demo_venue_path,
    load_venue,
    load_venue_with_report,
    parse_files,
)
from kiosk.domain.venue import Point, Unit, VenueData

ROOT = Path(__file__).resolve().parents[2]
GENERATOR = ROOT / "tools" / "gen_demo_mall.py"

# --- the demo mall ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo() -> VenueData:
    return load_venue(demo_venue_path())


def test_demo_path_is_the_packaged_folder() -> None:
    path = demo_venue_path()
    assert path.parts[-3:] == ("kiosk", "resources", "demo")
    assert (path / "manifest.json").is_file()


def test_demo_levels(demo: VenueData) -> None:
    assert [(lv.ordinal, lv.short_name.en) for lv in demo.levels] == [
        (-2, "B2"),
        (-1, "B1"),
        (0, "1F"),
        (1, "2F"),
        (2, "3F"),
        (3, "4F"),
    ]
    b2 = demo.level_by_short_name("B2")
    assert b2.category == "parking"
    assert b2.name.zh == "地下二层 停车场"
    assert b2.name.en == "Basement 2 Parking"
    assert not any(lv.outdoor for lv in demo.levels)


def test_demo_venue(demo: VenueData) -> None:
    assert demo.venue.name.zh == "云汇广场"
    assert demo.venue.name.en == "Yunhui Plaza"
    assert demo.venue.category == "shoppingcenter"
    lon, lat = demo.venue.display_point
    assert abs(lon - 121.47) < 0.001
    assert abs(lat - 31.23) < 0.001


def test_demo_occupants_cover_every_category_on_retail_levels(demo: VenueData) -> None:
    assert len(demo.occupants) >= 160
    by_category = Counter(o.category for o in demo.occupants)
    assert set(by_category) == {c.code for c in STORE_CATEGORIES}
    by_level = Counter(demo.occupant_level(o).short_name.en for o in demo.occupants)
    assert set(by_level) == {"B2", "B1", "1F", "2F", "3F", "4F"}
    assert all(by_level[short] >= 25 for short in ("B1", "1F", "2F", "3F", "4F"))
    b2 = demo.level_by_short_name("B2")
    assert {o.category for o in demo.occupants if demo.occupant_level(o) == b2} == {"services"}
    for occupant in demo.occupants:
        assert occupant.name.zh
        assert occupant.name.en
        assert occupant.hours
        assert occupant.phone
        assert occupant.phone.startswith("021-6")
        assert occupant.keywords
        assert len(set(occupant.keywords)) == len(occupant.keywords)
        assert 0 <= occupant.popularity <= 100


def test_demo_occupants_sit_inside_their_units(demo: VenueData) -> None:
    for occupant in demo.occupants:
        anchor = demo.anchor_by_id(occupant.anchor_id)
        unit = demo.occupant_unit(occupant)
        assert unit.category in ("room", "parking")
        assert _inside(anchor.point, unit), occupant.name.en


@pytest.mark.parametrize(
    ("zh", "en"),
    [
        ("星巴克", "Starbucks"),
        ("耐克", "Nike"),
        ("优衣库", "UNIQLO"),
        ("麦当劳", "McDonald's"),
        ("肯德基", "KFC"),
        ("海底捞", "Haidilao"),
        ("喜茶", "HEYTEA"),
        ("苹果", "Apple"),
        ("华为", "HUAWEI"),
        ("小米", "Xiaomi"),
        ("屈臣氏", "Watsons"),
        ("无印良品", "MUJI"),
        ("阿迪达斯", "adidas"),
        ("乐高", "LEGO"),
        ("名创优品", "MINISO"),
        ("云汇影城", "Yunhui Cinema"),
        ("重庆小面", "Chongqing Noodles"),
        ("长沙臭豆腐", "Changsha Stinky Tofu"),
        ("招商银行", "China Merchants Bank"),
        ("乐乐童装", "Lele Kids"),
    ],
)
def test_demo_has_the_brands_search_relies_on(demo: VenueData, zh: str, en: str) -> None:
    matches = [o for o in demo.occupants if o.name.zh == zh and o.name.en == en]
    assert len(matches) == 1


def test_demo_store_details(demo: VenueData) -> None:
    by_en = {o.name.en: o for o in demo.occupants}
    assert by_en["Lele Kids"].pinyin == "le le tong zhuang"
    assert by_en["Starbucks"].pinyin is None
    assert {"coffee", "咖啡"} <= set(by_en["Starbucks"].keywords)
    assert {"milk tea", "奶茶"} <= set(by_en["HEYTEA"].keywords)
    assert by_en["Yunhui Cinema"].hours == "Mo-Su 10:00-24:00"
    assert by_en["Yunhui Supermarket"].hours == "Mo-Su 09:00-22:00"
    assert by_en["Starbucks"].popularity > by_en["Shiguang Café"].popularity
    assert demo.occupant_level(by_en["Yunhui Cinema"]).short_name.en == "4F"
    assert demo.occupant_level(by_en["Chongqing Noodles"]).short_name.en == "B1"
    assert len({o.phone for o in demo.occupants}) == len(demo.occupants)


def _rings_by_level(demo: VenueData, category: str) -> dict[str, set[tuple[Any, ...]]]:
    found: dict[str, set[tuple[Any, ...]]] = {lv.id: set() for lv in demo.levels}
    for unit in demo.units:
        if unit.category == category:
            found[unit.level_id].add(unit.polygon)
    return found


@pytest.mark.parametrize("category", ["elevator", "escalator", "stairs"])
def test_demo_vertical_cores_line_up_on_every_level(demo: VenueData, category: str) -> None:
    by_level = list(_rings_by_level(demo, category).values())
    assert len(by_level[0]) >= 2
    assert all(rings == by_level[0] for rings in by_level)


def _amenity_levels(demo: VenueData, category: str) -> Counter[str]:
    return Counter(
        demo.level_by_id(demo.unit_by_id(a.unit_ids[0]).level_id).short_name.en
        for a in demo.amenities
        if a.category == category
    )


ALL_LEVELS = {"B2", "B1", "1F", "2F", "3F", "4F"}


def test_demo_facilities(demo: VenueData) -> None:
    for category in ("elevator", "escalator", "stairs", "restroom"):
        levels = _amenity_levels(demo, category)
        assert set(levels) == ALL_LEVELS
        assert min(levels.values()) >= 2
    assert set(_amenity_levels(demo, "restroom.unisex.wheelchair")) == ALL_LEVELS
    assert len(_amenity_levels(demo, "mothersroom")) >= 3
    assert set(_amenity_levels(demo, "atm")) == {"1F", "B1"}
    assert set(_amenity_levels(demo, "information")) == {"1F"}
    assert set(_amenity_levels(demo, "parking")) == {"B2"}
    assert set(_amenity_levels(demo, "entry")) == {"1F", "B1"}
    for amenity in demo.amenities:
        assert amenity.name is not None
        if amenity.category in ("elevator", "escalator", "stairs"):
            assert demo.unit_by_id(amenity.unit_ids[0]).category == amenity.category


def test_demo_entrances_and_parking_exits(demo: VenueData) -> None:
    principal = Counter(
        demo.level_by_id(o.level_id).short_name.en
        for o in demo.openings
        if o.category == "pedestrian.principal"
    )
    assert set(principal) == {"1F", "B1"}
    automobile = {demo.level_by_id(o.level_id).short_name.en for o in demo.openings
                  if o.category == "automobile"}  # fmt: skip
    assert automobile == {"B2"}
    assert any(u.category == "parking" for u in demo.units)


def test_demo_every_shop_and_core_has_a_door(demo: VenueData) -> None:
    openings_by_level: dict[str, list[tuple[Point, ...]]] = {}
    for opening in demo.openings:
        openings_by_level.setdefault(opening.level_id, []).append(opening.line)
    for unit in demo.units:
        if unit.category in ("walkway", "nonpublic"):
            continue
        doors = [
            line
            for line in openings_by_level[unit.level_id]
            if all(_on_boundary(p, unit) for p in line)
        ]
        assert doors, f"{unit.category} {unit.id} has no door"


def test_demo_kiosks(demo: VenueData) -> None:
    k01 = demo.kiosk_by_code("K01")
    assert demo.level_by_id(k01.level_id).short_name.en == "1F"
    assert k01.heading_deg == 0
    assert demo.level_by_id(demo.kiosk_by_code("K02").level_id).short_name.en == "3F"
    south_door = next(o for o in demo.openings if o.category == "pedestrian.principal"
                      and o.level_id == k01.level_id)  # fmt: skip
    assert abs(k01.point[1] - south_door.line[0][1]) < 0.0003  # within about 30 m


def test_demo_promotions_are_current_and_point_at_stores(demo: VenueData) -> None:
    assert 8 <= len(demo.promotions) <= 12
    occupant_ids = {o.id for o in demo.occupants}
    for promo in demo.promotions:
        assert promo.is_current(datetime.date(2026, 1, 1))
        assert promo.is_current(datetime.date(2027, 12, 31))
        assert promo.occupant_id is None or promo.occupant_id in occupant_ids
        assert promo.title.zh
        assert promo.body.en
    assert any(p.occupant_id is None for p in demo.promotions)
    starbucks = next(o for o in demo.occupants if o.name.en == "Starbucks")
    assert any(p.occupant_id == starbucks.id for p in demo.promotions)


def test_demo_ids_are_unique_uuids(demo: VenueData) -> None:
    groups = (demo.levels, demo.units, demo.openings, demo.amenities, demo.anchors,
              demo.occupants, demo.kiosks)  # fmt: skip
    ids = [item.id for group in groups for item in group]
    ids.append(demo.venue.id)
    assert len(ids) == len(set(ids))
    for fid in ids:
        uuid.UUID(fid)


def test_demo_version_is_stable(demo: VenueData) -> None:
    again = load_venue(demo_venue_path())
    assert again.version == demo.version
    assert len(demo.version) == 16
    int(demo.version, 16)
    assert again == demo


def test_demo_warnings_name_only_the_unused_imdf_files() -> None:
    report = load_venue_with_report(demo_venue_path())
    assert report.warnings == (
        "address.geojson: address features are not used by the kiosk, ignored",
        "building.geojson: building features are not used by the kiosk, ignored",
        "footprint.geojson: footprint features are not used by the kiosk, ignored",
    )


def test_demo_is_small() -> None:
    total = sum(p.stat().st_size for p in demo_venue_path().iterdir())
    assert total < 2_000_000


def test_generator_reproduces_the_committed_files(tmp_path: Path) -> None:
    subprocess.run([sys.executable, str(GENERATOR), str(tmp_path)], check=True, capture_output=True)
    committed = {p.name: p.read_bytes() for p in demo_venue_path().iterdir() if p.is_file()}
    generated = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    assert sorted(generated) == sorted(committed)
    for name, blob in generated.items():
        assert blob == committed[name], f"{name} differs: run tools/gen_demo_mall.py"


@pytest.mark.parametrize("folder", ["", "yunhui/"])
def test_zip_loads_the_same_as_the_folder(demo: VenueData, tmp_path: Path, folder: str) -> None:
    archive = tmp_path / "demo.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(demo_venue_path().iterdir()):
            zf.write(path, folder + path.name)
    assert load_venue(archive) == demo


def _inside(point: Point, unit: Unit) -> bool:
    x, y = point
    inside = False
    for ring in unit.polygon:
        for (x1, y1), (x2, y2) in itertools.pairwise(ring):
            if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
                inside = not inside
    return inside


def _on_boundary(point: Point, unit: Unit, tolerance: float = 1e-6) -> bool:
    px, py = point
    for ring in unit.polygon:
        for (x1, y1), (x2, y2) in itertools.pairwise(ring):
            within_x = min(x1, x2) - tolerance <= px <= max(x1, x2) + tolerance
            within_y = min(y1, y2) - tolerance <= py <= max(y1, y2) + tolerance
            cross = (x2 - x1) * (py - y1) - (y2 - y1) * (px - x1)
            length = max(abs(x2 - x1), abs(y2 - y1))
            if within_x and within_y and abs(cross) <= tolerance * length:
                return True
    return False


# --- small archives -----------------------------------------------------------------------------

LON, LAT = 121.47, 31.23


def _square(lon: float = LON, lat: float = LAT, size: float = 0.0001) -> list[list[float]]:
    return [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]


def _polygon(lon: float = LON, lat: float = LAT) -> dict[str, Any]:
    return {"type": "Polygon", "coordinates": [_square(lon, lat)]}


def _point(lon: float = LON + 0.00005, lat: float = LAT + 0.00005) -> dict[str, Any]:
    return {"type": "Point", "coordinates": [lon, lat]}


def _feature(fid: str, feature_type: str, geometry: Any, **props: Any) -> dict[str, Any]:
    return {
        "type": "Feature",
        "id": fid,
        "feature_type": feature_type,
        "geometry": geometry,
        "properties": props,
    }


def _collection(*features: dict[str, Any]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": list(features)}


def _minimal() -> dict[str, Any]:
    """A valid archive with one of everything, as file name -> JSON document."""
    return {
        "manifest.json": {"version": "1.0.0", "language": "zh-Hans"},
        "venue.geojson": _collection(
            _feature(
                "venue-1", "venue", _polygon(), category="shoppingcenter",
                name={"zh-Hans": "测试广场", "en": "Test Plaza"}, hours="Mo-Su 10:00-22:00",
                phone="021-6000 0000", website=None, display_point=_point(),
            )
        ),
        "level.geojson": _collection(
            _feature(
                "level-1", "level", _polygon(), category="unspecified", outdoor=False,
                ordinal=0, name={"zh-Hans": "一层", "en": "Level 1"},
                short_name={"en": "1F"}, display_point=_point(),
            )
        ),
        "unit.geojson": _collection(
            _feature(
                "unit-1", "unit", _polygon(), category="room", name=None,
                level_id="level-1", display_point=_point(), accessibility=None,
            ),
            _feature(
                "unit-2", "unit", _polygon(LON + 0.0001), category="walkway",
                name={"zh": "中庭", "en": "Atrium"}, level_id="level-1", display_point=None,
                accessibility=["wheelchair"],
            ),
        ),
        "opening.geojson": _collection(
            _feature(
                "opening-1", "opening",
                {"type": "LineString", "coordinates": [[LON + 0.0001, LAT],
                                                       [LON + 0.0001, LAT + 0.00003]]},
                category="pedestrian", level_id="level-1", accessibility=None,
            )
        ),
        "amenity.geojson": _collection(
            _feature(
                "amenity-1", "amenity", _point(LON + 0.00015), category="restroom",
                unit_ids=["unit-2"], name={"zh-CN": "洗手间", "en": "Restroom"}, hours=None,
                phone=None, accessibility=None,
            )
        ),
        "anchor.geojson": _collection(
            _feature("anchor-1", "anchor", _point(), unit_id="unit-1", address_id=None)
        ),
        "occupant.geojson": _collection(
            _feature(
                "occupant-1", "occupant", None, category="food", anchor_id="anchor-1",
                name={"zh-Hans": "星巴克", "en": "Starbucks"}, hours="Mo-Su 10:00-22:00",
                phone="021-6111 1111", website=None,
                ext={"keywords": ["coffee", "咖啡"], "popularity": 90},
            )
        ),
        "kiosk.geojson": _collection(
            _feature(
                "kiosk-1", "kiosk", _point(LON + 0.00012), name=None, anchor_id=None,
                level_id="level-1", ext={"code": "K01", "heading_deg": 90},
            )
        ),
        "promotions.json": [
            {
                "id": "promo-1", "occupant_id": "occupant-1",
                "title": {"zh-Hans": "第二杯半价", "en": "Second cup half price"},
                "body": {"zh-Hans": "任意饮品", "en": "Any drink"},
                "starts": "2026-01-01", "ends": "2027-12-31",
            }
        ],
    }  # fmt: skip


def _write(folder: Path, files: dict[str, Any]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, doc in files.items():
        blob = doc if isinstance(doc, bytes) else json.dumps(doc, ensure_ascii=False).encode()
        (folder / name).write_bytes(blob)
    return folder


def _find(files: dict[str, Any], name: str, fid: str) -> dict[str, Any]:
    feature: dict[str, Any] = next(f for f in files[name]["features"] if f["id"] == fid)
    return feature


def _props(files: dict[str, Any], name: str, fid: str) -> dict[str, Any]:
    props: dict[str, Any] = _find(files, name, fid)["properties"]
    return props


def test_minimal_archive_loads(tmp_path: Path) -> None:
    report = load_venue_with_report(_write(tmp_path / "a", _minimal()))
    data = report.data
    assert report.warnings == ()
    assert data.venue.name.en == "Test Plaza"
    assert data.levels[0].short_name.zh == "1F"  # one language falls back to the other
    assert data.unit_by_id("unit-2").name is not None
    assert data.unit_by_id("unit-2").accessibility == ("wheelchair",)
    assert data.amenities[0].name is not None
    assert data.amenities[0].name.zh == "洗手间"
    shop = data.occupants[0]
    assert shop.keywords == ("coffee", "咖啡")
    assert shop.popularity == 90
    assert shop.pinyin is None
    assert data.kiosks[0].heading_deg == 90
    assert data.promotions[0].starts == datetime.date(2026, 1, 1)
    assert data.openings[0].line[0] == (LON + 0.0001, LAT)


def test_version_follows_the_content(tmp_path: Path) -> None:
    files = _minimal()
    first = load_venue(_write(tmp_path / "a", files)).version
    assert load_venue(_write(tmp_path / "b", files)).version == first
    _props(files, "occupant.geojson", "occupant-1")["hours"] = "Mo-Su 09:00-21:00"
    assert load_venue(_write(tmp_path / "c", files)).version != first


def test_parse_files_takes_bytes_directly() -> None:
    files = {name: json.dumps(doc, ensure_ascii=False).encode() for name, doc in _minimal().items()}
    assert parse_files(files).data.occupants[0].name.zh == "星巴克"


@pytest.mark.parametrize(
    ("labels", "zh", "en"),
    [
        ({"zh-Hans": "中", "en": "E"}, "中", "E"),
        ({"zh": "中", "en": "E"}, "中", "E"),
        ({"zh-CN": "中", "en": "E"}, "中", "E"),
        ({"zh-Hant": "中", "en-GB": "E"}, "中", "E"),
        ({"en": "E"}, "E", "E"),
        ({"zh-Hans": "中"}, "中", "中"),
        ({"ja": "日"}, "日", "日"),
    ],
)
def test_labels(tmp_path: Path, labels: dict[str, str], zh: str, en: str) -> None:
    files = _minimal()
    _props(files, "occupant.geojson", "occupant-1")["name"] = labels
    name = load_venue(_write(tmp_path / "a", files)).occupants[0].name
    assert (name.zh, name.en) == (zh, en)


def test_pinyin_override_and_polygon_kiosk(tmp_path: Path) -> None:
    files = _minimal()
    _props(files, "occupant.geojson", "occupant-1")["ext"]["pinyin"] = "le le"
    kiosk = _find(files, "kiosk.geojson", "kiosk-1")
    kiosk["geometry"] = _polygon()
    kiosk["properties"]["display_point"] = _point(LON + 0.00002)
    data = load_venue(_write(tmp_path / "a", files))
    assert data.occupants[0].pinyin == "le le"
    assert data.kiosks[0].point == (LON + 0.00002, LAT + 0.00005)


def test_kiosk_level_can_come_from_its_anchor(tmp_path: Path) -> None:
    files = _minimal()
    props = _props(files, "kiosk.geojson", "kiosk-1")
    props["level_id"] = None
    props["anchor_id"] = "anchor-1"
    assert load_venue(_write(tmp_path / "a", files)).kiosks[0].level_id == "level-1"


def test_multipolygon_units_are_flattened(tmp_path: Path) -> None:
    files = _minimal()
    _find(files, "unit.geojson", "unit-1")["geometry"] = {
        "type": "MultiPolygon",
        "coordinates": [[_square()], [_square(LON + 0.001)]],
    }
    assert len(load_venue(_write(tmp_path / "a", files)).unit_by_id("unit-1").polygon) == 2


def test_warnings_for_what_is_not_used(tmp_path: Path) -> None:
    files = _minimal()
    del files["manifest.json"]
    files["building.geojson"] = _collection()
    files["notes.json"] = {"hello": "world"}
    files["parking.geojson"] = _collection()
    files["README.txt"] = b"not json"
    for fid in ("unit-1", "unit-2"):
        _props(files, "unit.geojson", fid)["alt_name"] = {"en": "Other"}
    _props(files, "unit.geojson", "unit-1")["restriction"] = None  # null is not worth a warning
    _props(files, "occupant.geojson", "occupant-1")["ext"]["colour"] = "red"
    files["kiosk.geojson"]["features"].append(
        _feature("kiosk-2", "kiosk", _point(), level_id="level-1", ext=None)
    )
    folder = _write(tmp_path / "a", files)
    (folder / "extra").mkdir()
    report = load_venue_with_report(folder)
    assert set(report.warnings) == {
        "README.txt: not an IMDF file, ignored",
        "extra/: folder ignored",
        "building.geojson: building features are not used by the kiosk, ignored",
        "notes.json: not an IMDF file, ignored",
        'parking.geojson: unknown feature type "parking", ignored',
        "manifest.json: missing (IMDF archives should have one)",
        'occupant.geojson, feature occupant-1: ext "colour" ignored',
        'kiosk.geojson, feature kiosk-2: no ext "code", kiosk ignored',
        'unit.geojson: property "alt_name" ignored on 2 features',
    }
    assert [k.code for k in report.data.kiosks] == ["K01"]


def test_zip_sub_folders_are_reported(tmp_path: Path) -> None:
    archive = tmp_path / "venue.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for name, doc in _minimal().items():
            zf.writestr(name, json.dumps(doc))
        zf.writestr("images/logo.json", "{}")
        zf.writestr("__MACOSX/._unit.geojson", b"junk")
    report = load_venue_with_report(archive)
    assert report.warnings == ("images/logo.json: file in a sub-folder of the archive, ignored",)


# Each case breaks the minimal archive and names the file, feature and words of the error.
Mutation = Callable[[dict[str, Any]], None]


def _set(name: str, fid: str, key: str, value: Any) -> Mutation:
    def mutate(files: dict[str, Any]) -> None:
        _props(files, name, fid)[key] = value

    return mutate


def _drop(name: str, fid: str, key: str) -> Mutation:
    def mutate(files: dict[str, Any]) -> None:
        del _props(files, name, fid)[key]

    return mutate


def _geometry(name: str, fid: str, geometry: Any) -> Mutation:
    def mutate(files: dict[str, Any]) -> None:
        _find(files, name, fid)["geometry"] = geometry

    return mutate


def _replace_file(name: str, blob: bytes) -> Mutation:
    def mutate(files: dict[str, Any]) -> None:
        files[name] = blob

    return mutate


def _remove_file(name: str) -> Mutation:
    def mutate(files: dict[str, Any]) -> None:
        del files[name]

    return mutate


def _duplicate(name: str, fid: str, new_id: str) -> Mutation:
    def mutate(files: dict[str, Any]) -> None:
        twin = copy.deepcopy(_find(files, name, fid))
        twin["id"] = new_id
        files[name]["features"].append(twin)

    return mutate


def _ring(ring: list[list[float]]) -> Mutation:
    return _geometry("unit.geojson", "unit-1", {"type": "Polygon", "coordinates": [ring]})


def _mismatched_feature_type(files: dict[str, Any]) -> None:
    _find(files, "unit.geojson", "unit-1")["feature_type"] = "level"


OPEN_RING = [*_square()[:-1], [LON + 0.00001, LAT]]
ERROR_CASES: list[tuple[str, Mutation, str, str | None, str]] = [
    ("bad-json", _replace_file("unit.geojson", b'{"type": '), "unit.geojson", None,
     "not valid JSON"),
    ("not-utf8", _replace_file("level.geojson", b"\xff\xfe{}"), "level.geojson", None,
     "not UTF-8"),
    ("nan", _replace_file("anchor.geojson", b'{"type": NaN}'), "anchor.geojson", None,
     "not valid JSON"),
    ("not-collection", _replace_file("opening.geojson", b"[]"), "opening.geojson", None,
     "FeatureCollection"),
    ("bad-manifest", _replace_file("manifest.json", b"[]"), "manifest.json", None,
     "JSON object"),
    ("no-venue", _remove_file("venue.geojson"), "venue.geojson", None, "required file"),
    ("no-level", _remove_file("level.geojson"), "level.geojson", None, "required file"),
    ("no-unit", _remove_file("unit.geojson"), "unit.geojson", None, "required file"),
    ("no-occupant", _remove_file("occupant.geojson"), "occupant.geojson", None,
     "required file"),
    ("unit-level-id", _drop("unit.geojson", "unit-1", "level_id"), "unit.geojson", "unit-1",
     'missing required property "level_id"'),
    ("unit-category", _set("unit.geojson", "unit-2", "category", None), "unit.geojson",
     "unit-2", 'missing required property "category"'),
    ("level-ordinal", _drop("level.geojson", "level-1", "ordinal"), "level.geojson", "level-1",
     '"ordinal"'),
    ("level-ordinal-type", _set("level.geojson", "level-1", "ordinal", "0"), "level.geojson",
     "level-1", "integer"),
    ("level-short-name", _set("level.geojson", "level-1", "short_name", {}), "level.geojson",
     "level-1", '"short_name"'),
    ("venue-display-point", _drop("venue.geojson", "venue-1", "display_point"),
     "venue.geojson", "venue-1", '"display_point"'),
    ("occupant-name", _drop("occupant.geojson", "occupant-1", "name"), "occupant.geojson",
     "occupant-1", 'missing required property "name"'),
    ("occupant-category", _set("occupant.geojson", "occupant-1", "category", "restaurant"),
     "occupant.geojson", "occupant-1", 'category "restaurant"'),
    ("popularity", _set("occupant.geojson", "occupant-1", "ext", {"popularity": 101}),
     "occupant.geojson", "occupant-1", "popularity"),
    ("keywords", _set("occupant.geojson", "occupant-1", "ext", {"keywords": "coffee"}),
     "occupant.geojson", "occupant-1", "keywords"),
    ("amenity-no-units", _set("amenity.geojson", "amenity-1", "unit_ids", []),
     "amenity.geojson", "amenity-1", "at least one unit"),
    ("kiosk-no-level", _set("kiosk.geojson", "kiosk-1", "level_id", None), "kiosk.geojson",
     "kiosk-1", '"level_id"'),
    ("anchor-polygon", _geometry("anchor.geojson", "anchor-1", _polygon()), "anchor.geojson",
     "anchor-1", "geometry must be Point, not 'Polygon'"),
    ("unit-point", _geometry("unit.geojson", "unit-1", _point()), "unit.geojson", "unit-1",
     "geometry must be Polygon or MultiPolygon"),
    ("unit-null", _geometry("unit.geojson", "unit-1", None), "unit.geojson", "unit-1",
     "not null"),
    ("opening-point", _geometry("opening.geojson", "opening-1", _point()), "opening.geojson",
     "opening-1", "LineString"),
    ("amenity-line", _geometry("amenity.geojson", "amenity-1",
                               {"type": "LineString", "coordinates": _square()}),
     "amenity.geojson", "amenity-1", "Point"),
    ("occupant-geometry", _geometry("occupant.geojson", "occupant-1", _point()),
     "occupant.geojson", "occupant-1", "geometry must be null"),
    ("display-point-polygon", _set("unit.geojson", "unit-1", "display_point", _polygon()),
     "unit.geojson", "unit-1", "display_point"),
    ("unit-to-level", _set("unit.geojson", "unit-2", "level_id", "xyz"), "unit.geojson",
     "unit-2", 'level_id "xyz" does not match any level'),
    ("opening-to-level", _set("opening.geojson", "opening-1", "level_id", "xyz"),
     "opening.geojson", "opening-1", "does not match any level"),
    ("anchor-to-unit", _set("anchor.geojson", "anchor-1", "unit_id", "xyz"), "anchor.geojson",
     "anchor-1", 'unit_id "xyz" does not match any unit'),
    ("occupant-to-anchor", _set("occupant.geojson", "occupant-1", "anchor_id", "xyz"),
     "occupant.geojson", "occupant-1", 'anchor_id "xyz" does not match any anchor'),
    ("amenity-to-unit", _set("amenity.geojson", "amenity-1", "unit_ids", ["unit-2", "xyz"]),
     "amenity.geojson", "amenity-1", '"xyz" does not match any unit'),
    ("kiosk-to-level", _set("kiosk.geojson", "kiosk-1", "level_id", "xyz"), "kiosk.geojson",
     "kiosk-1", 'level_id "xyz" does not match any level'),
    ("kiosk-to-anchor", _set("kiosk.geojson", "kiosk-1", "anchor_id", "xyz"), "kiosk.geojson",
     "kiosk-1", "does not match any anchor"),
    ("duplicate-unit", _duplicate("unit.geojson", "unit-1", "unit-1"), "unit.geojson",
     "unit-1", "duplicate id"),
    ("duplicate-across-files", _duplicate("anchor.geojson", "anchor-1", "level-1"),
     "anchor.geojson", "level-1", "also used in level.geojson"),
    ("ring-open", _ring(OPEN_RING), "unit.geojson", "unit-1", "not closed"),
    ("ring-short", _ring([[LON, LAT], [LON + 0.0001, LAT], [LON, LAT]]), "unit.geojson",
     "unit-1", "at least 4 positions"),
    ("longitude", _ring([[LON, LAT], [200.0, LAT], [LON, LAT + 0.0001], [LON, LAT]]),
     "unit.geojson", "unit-1", "outside WGS84"),
    ("latitude", _geometry("anchor.geojson", "anchor-1", _point(LON, -95.0)),
     "anchor.geojson", "anchor-1", "outside WGS84"),
    ("position-shape", _geometry("anchor.geojson", "anchor-1", {"type": "Point",
                                                                "coordinates": [LON]}),
     "anchor.geojson", "anchor-1", "not a [longitude, latitude] position"),
    ("feature-type", _mismatched_feature_type, "unit.geojson", "unit-1",
     'feature_type "level" in a unit file'),
    ("promotion-occupant", lambda files: files["promotions.json"][0].update(occupant_id="xyz"),
     "promotions.json", "promo-1", 'occupant_id "xyz" does not match any occupant'),
    ("promotion-date", lambda files: files["promotions.json"][0].update(ends="2027-13-01"),
     "promotions.json", "promo-1", "ISO date"),
    ("promotion-order", lambda files: files["promotions.json"][0].update(ends="2025-01-01"),
     "promotions.json", "promo-1", "before it starts"),
    ("promotion-title", lambda files: files["promotions.json"][0].pop("title"),
     "promotions.json", "promo-1", '"title"'),
]  # fmt: skip


@pytest.mark.parametrize(
    ("mutate", "file", "feature_id", "words"),
    [pytest.param(*case[1:], id=case[0]) for case in ERROR_CASES],
)
def test_broken_archives_raise_imdf_error(
    tmp_path: Path, mutate: Mutation, file: str, feature_id: str | None, words: str
) -> None:
    files = _minimal()
    mutate(files)
    folder = _write(tmp_path / "broken", files)
    with pytest.raises(ImdfError) as caught:
        load_venue(folder)
    err = caught.value
    assert isinstance(err, ValueError)
    assert (err.file, err.feature_id) == (file, feature_id)
    assert words in err.message
    where = file if feature_id is None else f"{file}, feature {feature_id}"
    assert str(err) == f"{where}: {err.message}"

    # The same archive as a zip fails the same way.
    archive = tmp_path / "broken.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for path in sorted(folder.iterdir()):
            zf.write(path, path.name)
    with pytest.raises(ImdfError) as zipped:
        load_venue(archive)
    assert (zipped.value.file, zipped.value.feature_id) == (file, feature_id)


def test_bad_zip(tmp_path: Path) -> None:
    archive = tmp_path / "venue.zip"
    archive.write_bytes(b"this is not a zip archive")
    with pytest.raises(ImdfError, match="not a directory or a valid zip") as caught:
        load_venue(archive)
    assert caught.value.file == "venue.zip"
    assert caught.value.feature_id is None


def test_corrupt_zip_member(tmp_path: Path) -> None:
    archive = tmp_path / "venue.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED) as zf:
        for name, doc in _minimal().items():
            zf.writestr(name, json.dumps(doc))
    blob = bytearray(archive.read_bytes())
    marker = blob.index(b"Test Plaza")
    blob[marker : marker + 4] = b"Best"
    archive.write_bytes(bytes(blob))
    with pytest.raises(ImdfError, match=r"cannot be read from venue\.zip") as caught:
        load_venue(archive)
    assert caught.value.file == "venue.geojson"


def test_missing_source(tmp_path: Path) -> None:
    with pytest.raises(ImdfError, match="does not exist"):
        load_venue(tmp_path / "nowhere")


def test_unreadable_file(tmp_path: Path) -> None:
    folder = _write(tmp_path / "a", _minimal())
    (folder / "unit.geojson").unlink()
    (folder / "unit.geojson").symlink_to(folder / "missing-target.geojson")
    with pytest.raises(ImdfError, match="cannot be read") as caught:
        load_venue(folder)
    assert caught.value.file == "unit.geojson"
