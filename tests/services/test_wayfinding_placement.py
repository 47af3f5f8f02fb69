"""The wayfinding service with the kiosk's position set on the device, on a real SQLite cache of
the demo mall: you-are-here, the route's start, first turn and QR link, the kiosk's floor, a
stale level falling back with a warning, and a new position taking effect at once."""

from __future__ import annotations

import logging
import math
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sqlalchemy.orm import Session, sessionmaker

from kiosk.domain.directions import simplify
from kiosk.domain.imdf import demo_venue_path, load_venue
from kiosk.domain.placement import KioskPosition
from kiosk.domain.routelink import parse_route_path, short_id
from kiosk.domain.venue import Point, VenueData
from kiosk.services.venue import VenueService
from kiosk.services.wayfinding import NoRouteError, RouteSettings, WayfindingService
from kiosk.store.db import open_cache

BASE = "https://m.yunhui-plaza.example/R"
WALKWAY: Point = (121.4696323, 31.2297649)  # a walkway of the demo mall, on every level


@pytest.fixture(scope="module")
def demo() -> VenueData:
    return load_venue(demo_venue_path())


@pytest.fixture
def sessions(tmp_path: Path) -> Iterator[sessionmaker[Session]]:
    engine, factory = open_cache(tmp_path / "cache.sqlite3")
    VenueService(factory).ensure_loaded()
    yield factory
    engine.dispose()


def service(
    sessions: sessionmaker[Session], position: KioskPosition | None = None, code: str = "K01"
) -> WayfindingService:
    return WayfindingService(sessions, code, RouteSettings(BASE), position=position)


def level_id(demo: VenueData, short_name: str) -> str:
    return demo.level_by_short_name(short_name).id


def store_on(demo: VenueData, short_name: str) -> str:
    return next(o.id for o in demo.occupants if demo.occupant_level(o).short_name.en == short_name)


def arrows(svc: WayfindingService) -> dict[str, tuple[float, float, float]]:
    return {
        lid: (m.you_are_here.x, m.you_are_here.y, m.you_are_here.heading_deg)
        for lid, m in svc.level_maps().items()
        if m.you_are_here is not None
    }


def test_without_a_position_the_venue_data_places_the_kiosk(
    sessions: sessionmaker[Session], demo: VenueData
) -> None:
    svc = service(sessions)
    placed = svc.kiosk_position()
    assert (placed.source, placed.level_id) == ("venue", level_id(demo, "1F"))
    assert list(arrows(svc)) == [level_id(demo, "1F")]
    result = svc.route_to(store_on(demo, "2F"), step_free=False)
    assert "/K-K01/" in result.link


def test_a_position_moves_you_are_here_the_route_and_the_floor(
    sessions: sessionmaker[Session], demo: VenueData
) -> None:
    on_2f = KioskPosition(level_id(demo, "2F"), WALKWAY, 90.0)
    svc = service(sessions, on_2f)
    projection = svc.map_projection()

    assert svc.kiosk_level_id() == level_id(demo, "2F")
    (lid, (x, y, heading)), *others = arrows(svc).items()
    assert not others
    assert lid == level_id(demo, "2F")
    assert (x, y) == pytest.approx(projection.to_map(WALKWAY))
    assert heading == 90.0

    result = svc.route_to(store_on(demo, "2F"), step_free=False)
    first = result.route.legs[0]
    assert first.level_id == level_id(demo, "2F")
    assert first.points[0] == pytest.approx(WALKWAY, abs=1e-7)
    assert not result.route.transitions

    # The phone's link starts at the point, which the central service's venue data lacks.
    link = parse_route_path(urlsplit(result.link).path.removeprefix("/R"))
    assert (link.origin_kiosk, link.origin_key) == (None, short_id(level_id(demo, "2F")))
    assert link.origin_point == pytest.approx(WALKWAY, abs=1e-6)

    # The kiosk's floor comes first among facilities and in details.
    restrooms = svc.nearest_facilities("restroom")
    assert restrooms[0].level_id == level_id(demo, "2F")
    assert svc.detail_map(svc.place(store_on(demo, "2F")))["onKioskLevel"] is True
    assert svc.detail_map(svc.place(store_on(demo, "1F")))["onKioskLevel"] is False


def test_the_heading_decides_the_first_turn(
    sessions: sessionmaker[Session], demo: VenueData
) -> None:
    goal = store_on(demo, "2F")
    svc = service(sessions, KioskPosition(level_id(demo, "2F"), WALKWAY, 0.0))
    first = svc.route_to(goal, step_free=False).route.legs[0]
    (x0, y0), (x1, y1) = simplify(first.points_m)[:2]
    ahead = round(math.degrees(math.atan2(x1 - x0, y1 - y0))) % 360
    icons = {}
    for heading in (ahead, (ahead + 180) % 360, (ahead + 90) % 360):
        svc.set_kiosk_position(KioskPosition(level_id(demo, "2F"), WALKWAY, float(heading)))
        icons[heading] = svc.route_to(goal, step_free=False).steps[1].icon
    assert list(icons.values()) == ["straight", "u_turn", "left"]


def test_a_kiosk_the_venue_data_lacks_works_once_placed(
    sessions: sessionmaker[Session], demo: VenueData
) -> None:
    unplaced = service(sessions, code="K99")
    assert unplaced.kiosk_level_id() is None
    assert arrows(unplaced) == {}
    with pytest.raises(NoRouteError, match="no position"):
        unplaced.route_to(store_on(demo, "1F"), step_free=False)

    placed = service(sessions, KioskPosition(level_id(demo, "B1"), WALKWAY, 0.0), code="K99")
    assert list(arrows(placed)) == [level_id(demo, "B1")]
    result = placed.route_to(store_on(demo, "1F"), step_free=True)
    assert result.route.legs[0].level_id == level_id(demo, "B1")
    assert result.route.legs[-1].level_id == level_id(demo, "1F")
    assert "/G-" in result.link


def test_a_level_the_venue_lacks_falls_back_with_a_warning(
    sessions: sessionmaker[Session], demo: VenueData, caplog: pytest.LogCaptureFixture
) -> None:
    stale = KioskPosition("a-level-of-last-years-venue", WALKWAY, 90.0)
    with caplog.at_level(logging.WARNING, logger="kiosk.services.wayfinding"):
        svc = service(sessions, stale)
        assert svc.kiosk_level_id() == level_id(demo, "1F")
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "a-level-of-last-years-venue" in warnings[0]
    assert list(arrows(svc)) == [level_id(demo, "1F")]
    assert svc.kiosk_position().source == "venue"
    assert "/K-K01/" in svc.route_to(store_on(demo, "3F"), step_free=False).link


def test_a_new_position_takes_effect_at_once_sharing_the_rest(
    sessions: sessionmaker[Session], demo: VenueData
) -> None:
    svc = service(sessions)
    before = svc.snapshot()
    before.build_all()
    placed = svc.set_kiosk_position(KioskPosition(level_id(demo, "3F"), WALKWAY, 180.0))
    assert (placed.source, placed.level_id) == ("device", level_id(demo, "3F"))
    after = svc.snapshot()
    assert after is not before
    # What the position does not change is not built again.
    assert after.graph is before.graph
    assert after.index is before.index
    assert after.plain_maps is before.plain_maps
    assert list(arrows(svc)) == [level_id(demo, "3F")]
    assert svc.route_to(store_on(demo, "3F"), step_free=False).route.legs[0].level_id == (
        level_id(demo, "3F")
    )
    # And back to the venue data.
    assert svc.set_kiosk_position(None).source == "venue"
    assert list(arrows(svc)) == [level_id(demo, "1F")]


def test_a_position_set_before_the_venue_is_read_is_used_when_it_is(
    sessions: sessionmaker[Session], demo: VenueData
) -> None:
    svc = service(sessions)
    svc.set_kiosk_position(KioskPosition(level_id(demo, "4F"), WALKWAY, 0.0))
    assert svc.kiosk_level_id() == level_id(demo, "4F")
