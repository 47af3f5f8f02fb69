"""The kiosk's position set on the device: its text form (property-based round trip), which
position counts for a venue, where routes from it start and the first turn, the you-are-here
arrow moved without rebuilding the maps, the inverse map projection, and point origins in route
links."""

from __future__ import annotations

import math
import re
from dataclasses import replace
from urllib.parse import urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.domain.directions import directions, simplify
from kiosk.domain.mapgeo import LevelMap, MapProjection, build_level_maps, with_you_are_here
from kiosk.domain.navgraph import Projection
from kiosk.domain.placement import (
    MIN_AIM_M,
    KioskPosition,
    PlacedKiosk,
    PositionError,
    facing,
    heading_toward,
    place_kiosk,
    position_at,
    start_place,
)
from kiosk.domain.route import find_route
from kiosk.domain.routelink import (
    PointOrigin,
    RouteLink,
    RouteLinkError,
    parse_route_path,
    qr_version,
    route_link,
    route_url,
    short_id,
)
from kiosk.domain.venue import Level, Point
from tests.domain.demo import graph, venue

BASE = "https://m.yunhui-plaza.example/R"
QR_ALPHANUMERIC = re.compile(r"[0-9A-Z $%*+\-./:]*")
# A walkway of the demo mall, on every level.
WALKWAY: Point = (121.4696323, 31.2297649)


def level(short_name: str) -> Level:
    return venue().level_by_short_name(short_name)


def store_on(short_name: str) -> str:
    v = venue()
    return next(o.id for o in v.occupants if v.occupant_level(o).short_name.en == short_name)


# --- the text form ------------------------------------------------------------------------------

level_ids = st.from_regex(r"\A[A-Za-z0-9._:/-]{1,40}\Z")
positions = st.builds(
    KioskPosition,
    level_ids,
    st.tuples(
        st.floats(-180, 180, allow_nan=False, allow_infinity=False),
        st.floats(-90, 90, allow_nan=False, allow_infinity=False),
    ),
    st.floats(0, 360, allow_nan=False, allow_infinity=False, exclude_max=True),
)


@given(positions)
def test_text_reads_back_exactly(position: KioskPosition) -> None:
    text = position.text()
    assert KioskPosition.parse(text) == position
    assert "\n" not in text


def test_text_form() -> None:
    position = KioskPosition("L2", (121.47, 31.2296835), 180.0)
    assert position.text() == "level=L2 lon=121.47 lat=31.2296835 heading=180"
    reordered = "heading=180  lat=31.2296835 level=L2\tlon=121.47"
    assert KioskPosition.parse(reordered) == position


@pytest.mark.parametrize("text", ["", "   ", "\t"])
def test_empty_means_the_venues_kiosk(text: str) -> None:
    assert KioskPosition.parse(text) is None


def test_heading_360_is_north() -> None:
    parsed = KioskPosition.parse("level=L1 lon=1 lat=2 heading=360")
    assert parsed is not None
    assert parsed.heading_deg == 0.0


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("level=L1", "missing lon=, lat=, heading="),
        ("lon=121.47 lat=31.23 heading=0", "missing level="),
        ("level= lon=1 lat=2 heading=3", "missing level="),
        ("level=L1 lon=1 lat=2 heading=3 floor=2", "'floor=2' is not one of"),
        ("level=L1 L2 lon=1 lat=2 heading=3", "'L2' is not one of"),
        ("level=L1 level=L2 lon=1 lat=2 heading=3", "level= is given twice"),
        ("level=L1 lon=east lat=2 heading=3", "lon=east is not a number"),
        ("level=L1 lon=1 lat=nan heading=3", "lat=nan is not a number"),
        ("level=L1 lon=1 lat=2 heading=inf", "heading=inf is not a number"),
        ("level=L1 lon=1_000 lat=2 heading=3", "lon=1_000 is not a number"),
        ("level=L1 lon=181 lat=2 heading=3", "lon must be a longitude between -180 and 180"),
        ("level=L1 lon=1 lat=-91 heading=3", "lat must be a latitude between -90 and 90, not -91"),
        ("level=L1 lon=1 lat=2 heading=-1", "heading must be between 0 and 360 degrees, not -1"),
        ("level=L1 lon=1 lat=2 heading=400", "heading must be between 0 and 360"),
    ],
)
def test_bad_text_says_what_is_wrong(text: str, says: str) -> None:
    with pytest.raises(PositionError) as caught:
        KioskPosition.parse(text)
    assert says in str(caught.value)


def test_a_position_checks_itself() -> None:
    with pytest.raises(PositionError, match="level must be a level id"):
        KioskPosition("L 1", (0.0, 0.0), 0.0)
    with pytest.raises(PositionError, match="heading"):
        KioskPosition("L1", (0.0, 0.0), 360.0)
    with pytest.raises(PositionError, match="lon"):
        KioskPosition("L1", (math.nan, 0.0), 0.0)


# --- which position counts ----------------------------------------------------------------------


def test_without_a_position_the_venues_kiosk_counts() -> None:
    placed = place_kiosk(venue(), "K01", None)
    assert placed == PlacedKiosk("K01", venue().kiosk_by_code("K01"), "venue", in_venue=True)
    assert placed.level_id == level("1F").id


def test_a_position_moves_the_venues_kiosk_and_keeps_its_name() -> None:
    position = KioskPosition(level("2F").id, WALKWAY, 90.0)
    placed = place_kiosk(venue(), "K01", position)
    known = venue().kiosk_by_code("K01")
    assert placed.source == "device"
    assert placed.ignored is None
    assert placed.in_venue
    assert placed.kiosk == replace(known, level_id=level("2F").id, point=WALKWAY, heading_deg=90.0)


def test_a_kiosk_the_venue_does_not_know_can_be_placed() -> None:
    assert place_kiosk(venue(), "K99", None) == PlacedKiosk("K99", None, "none")
    placed = place_kiosk(venue(), "K99", KioskPosition(level("B1").id, WALKWAY, 45.0))
    assert placed.source == "device"
    assert not placed.in_venue
    assert placed.kiosk is not None
    assert (placed.kiosk.code, placed.kiosk.name, placed.level_id) == ("K99", None, level("B1").id)


def test_a_level_the_venue_no_longer_has_is_ignored_and_says_why() -> None:
    stale = KioskPosition("level-of-an-old-venue", WALKWAY, 90.0)
    placed = place_kiosk(venue(), "K01", stale)
    assert placed.kiosk == venue().kiosk_by_code("K01")
    assert placed.source == "venue"
    assert placed.ignored is not None
    assert "level-of-an-old-venue" in placed.ignored
    assert "using kiosk K01 of the venue data" in placed.ignored
    nowhere = place_kiosk(venue(), "K99", stale)
    assert (nowhere.kiosk, nowhere.source) == (None, "none")
    assert nowhere.ignored is not None
    assert "using no position" in nowhere.ignored


# --- routes from it -----------------------------------------------------------------------------


def test_routes_start_where_the_device_puts_the_kiosk() -> None:
    g = graph()
    placed = place_kiosk(venue(), "K01", KioskPosition(level("2F").id, WALKWAY, 0.0))
    start = start_place(g, placed)
    assert start is not None
    assert (start.kind, start.ref, start.category) == ("kiosk", "K01", "kiosk")
    assert start.name == venue().kiosk_by_code("K01").name
    assert start.level == g.level_index(level("2F").id)
    assert start.xy == pytest.approx(g.projection.to_xy(WALKWAY))
    assert start.access
    route = find_route(g, start, g.occupant(store_on("2F")))
    assert route is not None
    assert route.legs[0].level_id == level("2F").id
    assert route.legs[0].points_m[0] == pytest.approx(start.xy)
    assert not route.transitions


def test_the_venues_kiosk_starts_at_its_own_node() -> None:
    g = graph()
    assert start_place(g, place_kiosk(venue(), "K01", None)) == g.kiosk("K01")
    assert start_place(g, place_kiosk(venue(), "K99", None)) is None


def test_placed_where_the_venue_has_it_the_route_is_the_same() -> None:
    """A point joins the graph as the venue's kiosk does: same place, same route length."""
    g = graph()
    known = venue().kiosk_by_code("K01")
    here = KioskPosition(known.level_id, known.point, known.heading_deg)
    moved = start_place(g, place_kiosk(venue(), "K01", here))
    assert moved is not None
    for goal in (store_on("1F"), store_on("3F")):
        a = find_route(g, g.kiosk("K01"), g.occupant(goal))
        b = find_route(g, moved, g.occupant(goal))
        assert a is not None
        assert b is not None
        assert b.length_m == pytest.approx(a.length_m, abs=0.01)


def test_the_first_direction_follows_the_heading() -> None:
    g = graph()
    goal = g.occupant(store_on("2F"))

    def first_icon(heading: float) -> str:
        placed = place_kiosk(venue(), "K01", KioskPosition(level("2F").id, WALKWAY, heading))
        start = start_place(g, placed)
        assert start is not None
        assert placed.kiosk is not None
        route = find_route(g, start, goal)
        assert route is not None
        steps = directions(route, g, facing_deg=placed.kiosk.heading_deg)
        return steps[1].icon

    placed = place_kiosk(venue(), "K01", KioskPosition(level("2F").id, WALKWAY, 0.0))
    start = start_place(g, placed)
    assert start is not None
    found = find_route(g, start, goal)
    assert found is not None
    (x0, y0), (x1, y1) = simplify(found.legs[0].points_m)[:2]
    ahead = math.degrees(math.atan2(x1 - x0, y1 - y0)) % 360
    assert first_icon(round(ahead) % 360) == "straight"
    assert first_icon(round(ahead + 180) % 360) == "u_turn"
    assert first_icon(round(ahead + 90) % 360) == "left"
    assert first_icon(round(ahead - 90) % 360) == "right"


# --- the maps -----------------------------------------------------------------------------------


def test_you_are_here_moves_without_building_the_maps_again() -> None:
    v = venue()
    plain = build_level_maps(v)
    assert all(m.you_are_here is None for m in plain.values())
    projection = MapProjection.for_venue(v)
    placed = place_kiosk(v, "K01", KioskPosition(level("3F").id, WALKWAY, 270.0))
    maps = with_you_are_here(plain, placed.kiosk, projection)
    arrows = {lid: m.you_are_here for lid, m in maps.items() if m.you_are_here is not None}
    assert list(arrows) == [level("3F").id]
    arrow = arrows[level("3F").id]
    assert arrow is not None
    assert (arrow.kiosk_code, arrow.heading_deg) == ("K01", 270.0)
    assert (arrow.x, arrow.y) == pytest.approx(projection.to_map(WALKWAY))
    unit = maps[level("3F").id].unit_at(arrow.x, arrow.y)
    assert unit is not None
    assert unit.kind == "walkway"
    # Everything else is the very same map.
    moved: LevelMap = maps[level("3F").id]
    assert moved.units is plain[level("3F").id].units
    assert with_you_are_here(maps, None, projection) == plain


def test_the_venues_arrow_is_drawn_as_before() -> None:
    v = venue()
    projection = MapProjection.for_venue(v)
    placed = place_kiosk(v, "K01", None)
    assert with_you_are_here(build_level_maps(v), placed.kiosk, projection) == build_level_maps(
        v, "K01"
    )


coords_m = st.floats(-2_000, 2_000, allow_nan=False, allow_infinity=False)


@given(
    st.floats(-179, 179, allow_nan=False),
    st.floats(-80, 80, allow_nan=False),
    coords_m,
    coords_m,
)
def test_inverse_projection_round_trips(lon0: float, lat0: float, x: float, y: float) -> None:
    projection = MapProjection(Projection.around(lon0, lat0))
    lonlat = projection.to_lonlat(x, y)
    assert projection.to_map(lonlat) == pytest.approx((x, y), abs=1e-6)
    assert projection.to_lonlat(*projection.to_map(lonlat)) == pytest.approx(lonlat, abs=1e-10)


def test_inverse_projection_on_the_demo_map() -> None:
    v = venue()
    projection = MapProjection.for_venue(v)
    known = v.kiosk_by_code("K01")
    x, y = projection.to_map(known.point)
    assert y > 0  # south of the centre: y points south on the map
    assert projection.to_lonlat(x, y) == pytest.approx(known.point, abs=1e-9)


# --- placing by tapping a map ------------------------------------------------------------------


def test_a_tap_on_the_floor_plan_is_a_position() -> None:
    v = venue()
    projection = MapProjection.for_venue(v)
    on_2f = build_level_maps(v)[level("2F").id]
    tapped = position_at(on_2f, projection, projection.to_map(WALKWAY), 450.0)
    assert tapped == KioskPosition(level("2F").id, WALKWAY, 90.0)
    outside = (on_2f.bounds.min_x - 5, on_2f.bounds.center[1])
    assert position_at(on_2f, projection, outside, 0.0) is None


@given(st.floats(-500, 500), st.floats(-500, 500), st.floats(0, 359.4))
def test_heading_toward_a_tap(x: float, y: float, bearing: float) -> None:
    """A tap `MIN_AIM_M` or more away in a direction gives that direction (map y south)."""
    distance = MIN_AIM_M + 5
    target = (
        x + distance * math.sin(math.radians(bearing)),
        y - distance * math.cos(math.radians(bearing)),
    )
    heading = heading_toward((x, y), target)
    assert heading is not None
    assert abs((heading - bearing + 180) % 360 - 180) <= 0.5 + 1e-6


def test_heading_toward_needs_some_distance() -> None:
    assert heading_toward((10.0, 10.0), (10.0 + MIN_AIM_M * 0.9, 10.0)) is None
    assert heading_toward((0.0, 0.0), (0.0, -3.0)) == 0.0  # up the screen: north
    assert heading_toward((0.0, 0.0), (3.0, 0.0)) == 90.0
    assert heading_toward((0.0, 0.0), (0.0, 3.0)) == 180.0
    assert heading_toward((0.0, 0.0), (-3.0, 0.0)) == 270.0


def test_turned() -> None:
    here = KioskPosition("L1", WALKWAY, 10.0)
    assert facing(here, -15).heading_deg == 345.0  # a heading, not a turn
    assert facing(here, 720.04).heading_deg == 0.0
    assert facing(here, 359.96).heading_deg == 0.0
    assert facing(here, 92.345).point == WALKWAY
    assert facing(here, 92.345).heading_deg == 92.3
    with pytest.raises(PositionError):
        facing(here, math.nan)


# --- route links from a point -------------------------------------------------------------------

points = st.tuples(
    st.floats(-180, 180, allow_nan=False, allow_infinity=False),
    st.floats(-90, 90, allow_nan=False, allow_infinity=False),
)


@given(st.uuids().map(str), points, st.uuids().map(str), st.booleans())
def test_point_origins_read_back(level_id: str, point: Point, dest: str, step_free: bool) -> None:
    url = route_url(BASE, "venue-1", PointOrigin(level_id, point), dest, step_free)
    path = urlsplit(url).path.removeprefix("/R")
    assert QR_ALPHANUMERIC.fullmatch(url)
    link = parse_route_path(path)
    assert link == route_link("venue-1", PointOrigin(level_id, point), dest, step_free)
    assert (link.origin_kiosk, link.origin_key) == (None, short_id(level_id))
    assert link.origin_point is not None
    assert link.origin_point == pytest.approx(point, abs=0.5e-6 + 1e-12)
    assert parse_route_path(path.lower()) == link


def test_a_point_origin_link_is_short() -> None:
    url = route_url(BASE, "v", PointOrigin(level("2F").id, (-179.123456, -89.654321)), "d", True)
    assert "/G-" in url
    assert ":-179.123456:-89.654321/" in url
    assert qr_version(url) <= 4


@pytest.mark.parametrize(
    "path",
    [
        "/AAAAAAAA/G-BBBBBBBB/CCCCCCCC/W",
        "/AAAAAAAA/G-BBBBBBBB:1/CCCCCCCC/W",
        "/AAAAAAAA/G-BBBBBBBB:1:2:3/CCCCCCCC/W",
        "/AAAAAAAA/G-BBBBBBBB:EAST:2/CCCCCCCC/W",
        "/AAAAAAAA/G-BBBBBBBB:181:2/CCCCCCCC/W",
        "/AAAAAAAA/G-BBBBBBBB:1:91/CCCCCCCC/W",
        "/AAAAAAAA/G-B:1:2/CCCCCCCC/W",
    ],
)
def test_bad_point_origins_are_refused(path: str) -> None:
    with pytest.raises(RouteLinkError):
        parse_route_path(path)


def test_a_point_origin_names_a_level_not_a_kiosk() -> None:
    with pytest.raises(RouteLinkError, match="names a level"):
        RouteLink("AAAAAAAA", "K01", None, "CCCCCCCC", False, origin_point=(1.0, 2.0))
