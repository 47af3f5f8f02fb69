"""The level map: shapes, kinds and numbers on the demo mall, shared food-court units, label
placement (property-based on random units), the initial view and the build time."""

from __future__ import annotations

import itertools
import math
import re
import time
from dataclasses import replace
from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.domain.imdf import demo_venue_path, load_venue
from kiosk.domain.mapgeo import (
    XY,
    Bounds,
    LevelMap,
    MapProjection,
    MapUnit,
    PlacedLabel,
    build_level_maps,
    fit_transform,
    label_priorities,
    place_labels,
    text_width_px,
)
from kiosk.domain.navgraph import Projection
from kiosk.domain.venue import (
    Anchor,
    Level,
    Names,
    Occupant,
    Ring,
    Unit,
    Venue,
    VenueData,
)


@cache
def demo() -> VenueData:
    return load_venue(demo_venue_path())


@cache
def demo_maps() -> dict[str, LevelMap]:
    return build_level_maps(demo(), "K01")


def level_map(short_name: str) -> LevelMap:
    return demo_maps()[demo().level_by_short_name(short_name).id]


def label_box(label: PlacedLabel, scale: float) -> tuple[float, float, float, float]:
    hw, hh = label.width_px / scale / 2, label.height_px / scale / 2
    return (label.x - hw, label.y - hh, label.x + hw, label.y + hh)


def overlaps(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    eps = 1e-9
    return a[0] < b[2] - eps and b[0] < a[2] - eps and a[1] < b[3] - eps and b[1] < a[3] - eps


# --- the demo mall ------------------------------------------------------------------------------


def test_build_time_on_the_demo(capsys: pytest.CaptureFixture[str]) -> None:
    venue = demo()
    build_level_maps(venue, "K01")
    runs = []
    for _ in range(5):
        start = time.perf_counter()
        build_level_maps(venue, "K01")
        runs.append(time.perf_counter() - start)
    best = min(runs)
    with capsys.disabled():
        print(f"\nbuild_level_maps on the demo mall: {best * 1000:.1f} ms (best of 5)")
    assert best < 1.0  # the budget is 100 ms; this only catches a blow-up, not a slow machine


def test_every_store_is_a_store_unit_on_its_level() -> None:
    venue = demo()
    for occupant in venue.occupants:
        level = venue.occupant_level(occupant)
        unit = demo_maps()[level.id].unit_for_store(occupant.id)
        assert unit is not None, occupant.name.en
        assert unit.kind == "store"
        assert unit.fill_key == occupant.category
        assert (unit.name_zh, unit.name_en) == (occupant.name.zh, occupant.name.en)
        assert unit.unit_id == venue.occupant_unit(occupant).id
        assert unit.contains(*unit.label_at)
    store_ids = [u.store_id for m in demo_maps().values() for u in m.units if u.store_id]
    assert sorted(store_ids) == sorted(o.id for o in venue.occupants)


def test_levels_share_bounds_that_hold_every_unit_and_marker() -> None:
    maps = demo_maps()
    assert list(maps) == [level.id for level in demo().levels]
    bounds = {m.bounds for m in maps.values()}
    assert len(bounds) == 1
    (b,) = bounds
    # The demo is 180 m by 110 m around its centre.
    assert b.width == pytest.approx(180, abs=0.5)
    assert b.height == pytest.approx(110, abs=0.5)
    for m in maps.values():
        assert m.units
        for unit in m.units:
            assert all(b.contains(x, y) for ring in unit.rings_m for x, y in ring)
            assert all(ring[0] == ring[-1] and len(ring) >= 4 for ring in unit.rings_m)
            assert b.contains(*unit.centroid)
            assert unit.area > 0
        assert all(b.contains(f.x, f.y) for f in m.facilities)


def test_unit_ids_are_unique_and_every_unit_is_drawn_once() -> None:
    venue = demo()
    drawn = [u for m in demo_maps().values() for u in m.units]
    assert len({u.id for u in drawn}) == len(drawn)
    assert {u.unit_id for u in drawn} == {u.id for u in venue.units}
    for m in demo_maps().values():
        assert {u.unit_id for u in m.units} == {u.id for u in venue.units_on(m.level_id)}


def test_kinds_and_fill_keys_of_the_demo_units() -> None:
    by_category: dict[str, set[tuple[str, str]]] = {}
    for unit in (u for m in demo_maps().values() for u in m.units if u.kind != "store"):
        by_category.setdefault(unit.category, set()).add((unit.kind, unit.fill_key))
    assert by_category == {
        "walkway": {("walkway", "walkway")},
        "ramp": {("walkway", "ramp")},
        "restroom": {("facility", "restroom")},
        "restroom.unisex.wheelchair": {("facility", "restroom")},
        "mothersroom": {("facility", "nursing")},
        "elevator": {("core", "elevator")},
        "escalator": {("core", "escalator")},
        "stairs": {("core", "stairs")},
        "parking": {("parking", "parking")},
        "nonpublic": {("other", "nonpublic")},
    }


def test_unit_numbers_are_unique_readable_and_stable() -> None:
    again = build_level_maps(demo(), "K01")
    for level_id, m in demo_maps().items():
        short = m.short_name.en
        numbers = [u.unit_number for u in m.units if u.kind == "store"]
        assert all(n is not None for n in numbers)
        assert len(set(numbers)) == len(numbers)
        pattern = re.compile(rf"{re.escape(short)}-\d{{3}}(-\d{{2}})?")
        assert all(pattern.fullmatch(n or "") for n in numbers), numbers
        assert all(u.unit_number is None for u in m.units if u.kind != "store")
        assert again[level_id] == m


def test_unit_numbers_go_clockwise_from_north() -> None:
    m = level_map("1F")
    rooms = sorted(
        (u for u in m.units if u.kind == "store" and u.id == u.unit_id),
        key=lambda u: u.unit_number or "",
    )
    cx, cy = m.bounds.center
    angles = [math.degrees(math.atan2(u.centroid[0] - cx, cy - u.centroid[1])) % 360 for u in rooms]
    assert angles == sorted(angles)


def test_food_court_stalls_are_cells_of_the_shared_unit() -> None:
    venue = demo()
    b1 = level_map("B1")
    (court,) = [u for u in b1.units if u.name_en == "Food Court"]
    assert (court.kind, court.store_id, court.fill_key) == ("store", None, "food")
    stalls = [u for u in b1.units if u.unit_id == court.id and u.id != court.id]
    assert len(stalls) == 12
    assert b1.units.index(court) < min(b1.units.index(s) for s in stalls)
    for stall in stalls:
        assert stall.store_id is not None
        assert stall.id == f"{court.id}/{stall.store_id}"
        anchor = venue.anchor_by_id(venue.occupant_by_id(stall.store_id).anchor_id)
        at = MapProjection.for_venue(venue).to_map(anchor.point)
        assert stall.contains(*at)
        assert b1.unit_at(*at) == stall
        assert all(court.contains(*p) or on_border(court, p) for p in stall.rings_m[0])
        assert (stall.unit_number or "").startswith(f"{court.unit_number}-")
    assert sum(s.area for s in stalls) < court.area
    assert b1.unit_at(*court.label_at) == court  # the seating in the middle stays shared


def on_border(unit: MapUnit, p: XY) -> bool:
    return any(
        unit.contains(p[0] + dx, p[1] + dy) for dx, dy in itertools.product((-0.01, 0.01), repeat=2)
    )


def test_facility_markers_of_the_ground_floor() -> None:
    icons = {f.icon_key for f in level_map("1F").facilities}
    assert icons == {
        "restroom", "accessible_restroom", "nursing", "elevator", "escalator", "stairs", "atm",
        "info", "exit",
    }  # fmt: skip
    assert "parking" in {f.icon_key for f in level_map("B2").facilities}
    assert "nursing" not in {f.icon_key for f in level_map("B2").facilities}
    for m in demo_maps().values():
        for marker in m.facilities:
            unit = m.unit_at(marker.x, marker.y)
            assert unit is not None, marker


def test_you_are_here_for_k01_is_on_1f() -> None:
    venue = demo()
    kiosk = venue.kiosk_by_code("K01")
    here = [m for m in demo_maps().values() if m.you_are_here is not None]
    assert [m.short_name.en for m in here] == ["1F"]
    arrow = here[0].you_are_here
    assert arrow is not None
    assert (arrow.kiosk_code, arrow.heading_deg) == ("K01", kiosk.heading_deg)
    assert here[0].bounds.contains(arrow.x, arrow.y)
    # South entrance: in the south half of the map, which is the lower half of the screen.
    assert arrow.y > here[0].bounds.center[1]
    unit = here[0].unit_at(arrow.x, arrow.y)
    assert unit is not None
    assert unit.name_en == "South Entrance"


def test_no_arrow_without_a_known_kiosk() -> None:
    for code in (None, "K99"):
        maps = build_level_maps(demo(), code)
        assert all(m.you_are_here is None for m in maps.values())


def test_map_coordinates_are_the_nav_graph_ones_with_y_flipped() -> None:
    venue = demo()
    projection = MapProjection.for_venue(venue)
    nav = Projection.around(*venue.venue.display_point)
    for unit in venue.units[:20]:
        for lonlat in unit.polygon[0]:
            x, y = nav.to_xy(lonlat)
            assert projection.to_map(lonlat) == (x, -y)
            assert MapProjection.from_nav(x, y) == (x, -y)


# --- labels on the demo -------------------------------------------------------------------------


def test_more_labels_fit_as_you_zoom_in() -> None:
    units = level_map("1F").units
    for lang in ("zh", "en"):
        counts = [len(place_labels(units, scale, 16, lang=lang)) for scale in (1, 2, 4, 8, 16, 32)]
        assert counts == sorted(counts), (lang, counts)
        assert counts[2] >= counts[0]
        assert counts[-1] > counts[0]
    named = [u for u in units if u.kind in ("store", "walkway", "parking", "other") and u.name_zh]
    assert len(place_labels(units, 32, 16)) == len(named)


def test_demo_labels_do_not_overlap_and_stay_inside() -> None:
    for m in demo_maps().values():
        units = {u.id: u for u in m.units}
        for scale, lang in itertools.product((2.0, 3.5, 5.5, 9.0), ("zh", "en")):
            labels = place_labels(m.units, scale, 18, lang=lang)
            boxes = [label_box(label, scale) for label in labels]
            for a, b in itertools.combinations(boxes, 2):
                assert not overlaps(a, b)
            for label, box in zip(labels, boxes, strict=True):
                unit = units[label.unit_id]
                assert unit.kind not in ("facility", "core")
                assert label.text == unit.name(lang)
                corners = [(box[0], box[1]), (box[2], box[1]), (box[0], box[3]), (box[2], box[3])]
                assert all(unit.contains(*c) for c in corners)


def test_selected_store_is_labelled_first() -> None:
    units = level_map("1F").units
    by_popularity = place_labels(units, 3.0, 16)
    top = max((u for u in units if u.kind == "store"), key=lambda u: u.popularity)
    assert by_popularity[0].unit_id == top.id
    quiet = min(
        (u for u in units if u.kind == "store" and place_labels([u], 3.0, 16)),
        key=lambda u: u.popularity,
    )
    chosen = place_labels(units, 3.0, 16, label_priorities(units, selected=quiet.store_id))
    assert chosen[0].unit_id == quiet.id


def test_selected_store_wins_a_contested_spot() -> None:
    # A kiosk inside a department store: both labels want the same spot.
    outer = rect_unit(0, (0, 0, 40, 20, "百货", 90))
    inner = rect_unit(1, (15, 5, 10, 10, "小店", 10))
    assert [lb.text for lb in place_labels([outer, inner], 5, 16)] == ["百货"]
    selected = label_priorities([outer, inner], selected=inner.store_id)
    assert [lb.text for lb in place_labels([outer, inner], 5, 16, selected)] == ["小店"]


def test_labels_keep_clear_of_icons() -> None:
    m = level_map("1F")
    scale = 6.0
    everything = place_labels(m.units, scale, 16)
    apple = next(u for u in m.units if u.name_en == "Apple")
    icons = [(f.x, f.y) for f in m.facilities] + [apple.label_at]
    labels = place_labels(m.units, scale, 16, avoid=icons, avoid_px=40)
    half = 40 / scale / 2
    for label in labels:
        box = label_box(label, scale)
        assert not any(overlaps(box, (x - half, y - half, x + half, y + half)) for x, y in icons)
    assert {label.unit_id for label in everything} - {label.unit_id for label in labels} == {
        apple.id
    }


def test_text_width_counts_han_characters_wider() -> None:
    assert text_width_px("星巴克", 20) == pytest.approx(60)
    assert text_width_px("Apple", 20) == pytest.approx(55)
    assert text_width_px("KFC 肯德基", 10) == pytest.approx(4 * 5.5 + 30)


def test_bad_scale_is_refused() -> None:
    with pytest.raises(ValueError, match="positive"):
        place_labels(level_map("1F").units, 0, 16)


# --- labels on random units ---------------------------------------------------------------------

NAME_CHARS = "云汇广场星巴克喜茶苹果ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnop &-'"


def rect_unit(index: int, row: tuple[float, float, float, float, str, int]) -> MapUnit:
    x0, y0, w, h, name, pop = row
    ring = ((x0, y0), (x0 + w, y0), (x0 + w, y0 + h), (x0, y0 + h), (x0, y0))
    center = (x0 + w / 2, y0 + h / 2)
    return MapUnit(
        id=f"u{index}",
        unit_id=f"u{index}",
        kind="store",
        category="room",
        fill_key="food",
        rings_m=(ring,),
        centroid=center,
        area=w * h,
        label_at=center,
        name_zh=name,
        name_en=name,
        store_id=f"s{index}",
        unit_number=None,
        popularity=pop,
    )


units_strategy = st.lists(
    st.tuples(
        st.floats(0, 200),
        st.floats(0, 200),
        st.floats(1, 60),
        st.floats(1, 60),
        st.text(NAME_CHARS, min_size=1, max_size=12),
        st.integers(0, 100),
    ),
    min_size=1,
    max_size=40,
).map(lambda rows: [rect_unit(i, row) for i, row in enumerate(rows)])


@settings(max_examples=300, deadline=None)
@given(
    units=units_strategy,
    scale=st.floats(0.2, 80),
    font_px=st.floats(8, 40),
    lang=st.sampled_from(["zh", "en"]),
)
def test_placed_labels_never_overlap_and_fit_their_unit(
    units: list[MapUnit], scale: float, font_px: float, lang: str
) -> None:
    labels = place_labels(units, scale, font_px, lang=lang)
    boxes = [label_box(label, scale) for label in labels]
    for a, b in itertools.combinations(boxes, 2):
        assert not overlaps(a, b)
    by_id = {u.id: u for u in units}
    for label, (x0, y0, x1, y1) in zip(labels, boxes, strict=True):
        (rx0, ry0), _, (rx1, ry1), *_ = by_id[label.unit_id].rings_m[0]
        assert rx0 <= x0 < x1 <= rx1
        assert ry0 <= y0 < y1 <= ry1
        assert label.width_px == pytest.approx(text_width_px(label.text, font_px))
        assert label.size == font_px


@settings(max_examples=100, deadline=None)
@given(units=units_strategy, scale=st.floats(0.2, 20), font_px=st.floats(8, 40))
def test_a_lone_unit_labelled_at_one_scale_stays_labelled_zoomed_in(
    units: list[MapUnit], scale: float, font_px: float
) -> None:
    unit = units[0]
    if place_labels([unit], scale, font_px):
        assert place_labels([unit], scale * 2, font_px)


# --- the view -----------------------------------------------------------------------------------


@given(
    w=st.floats(1, 1000),
    h=st.floats(1, 1000),
    width_px=st.floats(100, 4000),
    height_px=st.floats(100, 4000),
    margin=st.floats(0, 40),
)
def test_fit_transform_shows_everything_centred(
    w: float, h: float, width_px: float, height_px: float, margin: float
) -> None:
    bounds = Bounds(-w / 2 + 7, -h / 2 - 3, w / 2 + 7, h / 2 - 3)
    scale, ox, oy = fit_transform(bounds, width_px, height_px, margin)
    left, top = bounds.min_x * scale + ox, bounds.min_y * scale + oy
    right, bottom = bounds.max_x * scale + ox, bounds.max_y * scale + oy
    tol = 1e-6 * max(width_px, height_px)
    assert margin - tol <= left < right <= width_px - margin + tol
    assert margin - tol <= top < bottom <= height_px - margin + tol
    assert (left + right) / 2 == pytest.approx(width_px / 2)
    assert (top + bottom) / 2 == pytest.approx(height_px / 2)
    # One side touches its margin: nothing is wasted.
    assert min(left - margin, top - margin) == pytest.approx(0, abs=tol)


def test_fit_transform_of_the_demo_in_portrait() -> None:
    b = level_map("1F").bounds
    scale, ox, _ = fit_transform(b, 1080, 1920, 40)
    assert scale == pytest.approx(1000 / b.width)
    assert b.min_x * scale + ox == pytest.approx(40)


def test_fit_transform_needs_room() -> None:
    with pytest.raises(ValueError, match="margin"):
        fit_transform(Bounds(0, 0, 10, 10), 60, 600, 30)
    assert fit_transform(Bounds(5, 5, 5, 5), 100, 100, 10) == (1.0, 45.0, 45.0)


# --- shapes from hand-made venues ---------------------------------------------------------------


def tiny_venue(units: list[Unit], occupants: list[tuple[str, str, XY]]) -> VenueData:
    """`occupants` as (name, unit id, anchor lon/lat)."""
    level = Level("L1", 0, Names("一层", "Level 1"), Names("1F", "1F"), "unspecified", False)
    anchors = tuple(Anchor(f"a-{name}", unit_id, at) for name, unit_id, at in occupants)
    stores = tuple(
        Occupant(name, f"a-{name}", Names(name, name), "food", None, None, None, (), 50, None)
        for name, _, _ in occupants
    )
    return VenueData(
        venue=Venue("V", Names("场", "Venue"), "shoppingcenter", None, None, None, (0.0, 0.0)),
        levels=(level,),
        units=tuple(units),
        openings=(),
        amenities=(),
        anchors=anchors,
        occupants=stores,
        kiosks=(),
        promotions=(),
        version="test",
    )


def square(x0: float, y0: float, size: float) -> Ring:
    d = 1e-5  # about a metre in degrees
    x0, y0, size = x0 * d, y0 * d, size * d
    return ((x0, y0), (x0 + size, y0), (x0 + size, y0 + size), (x0, y0 + size), (x0, y0))


def test_a_hole_is_not_part_of_the_unit() -> None:
    # A ring shop around a void, with its display point in the void; rings wind the same way.
    donut = Unit("U", "L1", "room", None, (square(0, 0, 30), square(10, 10, 10)), (15e-5, 15e-5),
                 ())  # fmt: skip
    (unit,) = build_level_maps(tiny_venue([donut], [("Ring", "U", (1e-5, 1e-5))]))["L1"].units
    outer = abs(_area(unit.rings_m[0]))
    hole = abs(_area(unit.rings_m[1]))
    assert unit.area == pytest.approx(outer - hole)
    assert unit.contains(*unit.label_at)
    assert not unit.contains(*unit.centroid)  # the centre of mass is in the void
    assert unit.unit_number == "1F-001"


def test_a_unit_named_like_a_unit_number_keeps_it() -> None:
    shop = Unit("U", "L1", "room", Names("L1-023", "L1-023"), (square(0, 0, 10),), None, ())
    (unit,) = build_level_maps(tiny_venue([shop], [("Shop", "U", (5e-5, 5e-5))]))["L1"].units
    assert unit.unit_number == "L1-023"
    assert unit.name_en == "Shop"


def test_a_vacant_room_is_no_store() -> None:
    empty = Unit("U", "L1", "room", None, (square(0, 0, 10),), None, ())
    (unit,) = build_level_maps(tiny_venue([empty], []))["L1"].units
    assert (unit.kind, unit.fill_key, unit.store_id, unit.unit_number) == (
        "other",
        "room",
        None,
        None,
    )
    assert place_labels([unit], 50, 16) == []


def test_a_stall_anchored_outside_its_unit_still_shows() -> None:
    hall = Unit("U", "L1", "room", Names("大厅", "Hall"), (square(0, 0, 20),), None, ())
    anchors = [("In", "U", (5e-5, 5e-5)), ("Out", "U", (50e-5, 50e-5))]
    units = build_level_maps(tiny_venue([hall], anchors))["L1"].units
    assert [u.store_id for u in units] == [None, "In", "Out"]
    out = units[2]
    assert out.area > 0
    assert out.contains(*MapProjection.for_venue(tiny_venue([hall], anchors)).to_map(anchors[1][2]))


def _area(ring: tuple[XY, ...]) -> float:
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in itertools.pairwise(ring)) / 2


@settings(max_examples=200, deadline=None)
@given(
    size=st.tuples(st.floats(4, 60), st.floats(4, 60)),
    cut=st.tuples(st.floats(0.1, 0.9), st.floats(0.1, 0.9)),
    at=st.tuples(st.floats(0, 1), st.floats(0, 1)),
    scale=st.floats(0.5, 40),
    name=st.text(NAME_CHARS, min_size=1, max_size=8),
)
def test_a_label_in_an_l_shaped_unit_stays_out_of_the_notch(
    size: XY, cut: XY, at: XY, scale: float, name: str
) -> None:
    # The top-right corner is cut away; the label point is anywhere inside the bounding box.
    (w, h), (cx, cy) = size, (size[0] * cut[0], size[1] * cut[1])
    ring = ((0.0, 0.0), (w, 0.0), (w, cy), (cx, cy), (cx, h), (0.0, h), (0.0, 0.0))
    unit = replace(
        rect_unit(0, (0, 0, w, h, name, 50)), rings_m=(ring,), label_at=(at[0] * w, at[1] * h)
    )
    for label in place_labels([unit], scale, 16):
        x0, y0, x1, y1 = label_box(label, scale)
        assert unit.contains(label.x, label.y)
        assert not (x0 < cx < x1 and y0 < cy < y1)  # the notch's corner is not under the text
        assert all(unit.contains(x, y) for x in (x0, x1) for y in (y0, y1))
