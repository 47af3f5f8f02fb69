"""Placing the kiosk on the map: taps become a pending position and a facing direction, Save
writes it through the real device settings (atomic, audited) and puts it in use at once;
invalid taps and failed saves say why in words."""

from __future__ import annotations

import math
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session, sessionmaker

from kiosk.config import load_config
from kiosk.domain.imdf import demo_venue_path, load_venue
from kiosk.domain.placement import KioskPosition
from kiosk.domain.venue import Point, VenueData
from kiosk.maintenance.audit import AuditAction, AuditLog
from kiosk.maintenance.settings import DeviceSettings
from kiosk.services.venue import VenueService
from kiosk.services.wayfinding import RouteSettings, WayfindingService
from kiosk.store.db import open_cache
from kiosk.viewmodels.levelmap import MapViewModel
from kiosk.viewmodels.placement import PlacementViewModel

BASE = "https://m.yunhui-plaza.example/R"
WALKWAY: Point = (121.4696323, 31.2297649)  # a walkway of the demo mall, on every level
DEVICE = '# Kiosk 1, south entrance.\n[device]\ncode = "K01"  # printed on tickets\n'


@dataclass
class World:
    sessions: sessionmaker[Session]
    device: Path
    service: WayfindingService
    settings: DeviceSettings
    map: MapViewModel
    vm: PlacementViewModel
    demo: VenueData

    def level(self, short_name: str) -> str:
        return self.demo.level_by_short_name(short_name).id

    def local(self, point: Point) -> tuple[float, float]:
        """`point` in the map's metres, as QML hands taps over."""
        x, y = self.service.map_projection().to_map(point)
        bounds = next(iter(self.service.level_maps().values())).bounds
        return (x - bounds.min_x, y - bounds.min_y)


@pytest.fixture(scope="module")
def demo() -> VenueData:
    return load_venue(demo_venue_path())


def make_world(tmp_path: Path, demo: VenueData, env: dict[str, str] | None = None) -> World:
    engine, sessions = open_cache(tmp_path / "data" / "cache.sqlite3")
    VenueService(sessions).ensure_loaded()
    device = tmp_path / "device.toml"
    device.write_text(DEVICE, encoding="utf-8")
    cfg = load_config(device, env=env or {})
    service = WayfindingService(
        sessions, cfg.device.code, RouteSettings(BASE), position=cfg.device.kiosk_position()
    )
    settings = DeviceSettings(device, AuditLog(sessions), env=env or {})
    map_model = MapViewModel(service)
    vm = PlacementViewModel(service, map_model, settings.set)
    vm.load()
    world = World(sessions, device, service, settings, map_model, vm, demo)
    world.engine = engine  # type: ignore[attr-defined]
    return world


@pytest.fixture
def world(tmp_path: Path, demo: VenueData, qtbot: QtBot) -> Iterator[World]:
    w = make_world(tmp_path, demo)
    yield w
    w.vm.close()
    w.engine.dispose()  # type: ignore[attr-defined]


def place_on(world: World, short_name: str, point: Point = WALKWAY) -> tuple[float, float]:
    world.vm.showLevel(world.level(short_name))
    x, y = world.local(point)
    world.vm.tapAt(x, y)
    return x, y


def test_it_starts_from_the_position_in_use(world: World, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    vm = world.vm
    assert vm.hasSaved
    assert vm.source == "venue"
    assert vm.savedLevelName == "1F"
    assert vm.savedHeading == world.demo.kiosk_by_code("K01").heading_deg
    assert vm.levelId == world.level("1F")
    assert vm.step == "place"
    assert vm.hasPending
    assert not vm.dirty
    assert not vm.canUseVenue
    assert vm.message == ""
    rows = vm.levels.rows()
    assert [r.short_name for r in rows] == ["B2", "B1", "1F", "2F", "3F", "4F"]
    assert [r.short_name for r in rows if r.shown] == ["1F"]
    assert [r.short_name for r in rows if r.saved] == ["1F"]
    assert [r.short_name for r in rows if r.pending] == ["1F"]
    qtmodeltester.check(vm.levels)


def test_tap_aim_and_save_writes_the_device_file_and_takes_effect(
    world: World, qtbot: QtBot
) -> None:
    vm = world.vm
    x, y = place_on(world, "2F")
    assert vm.step == "face"
    assert vm.dirty
    assert vm.pendingVisible
    assert vm.pendingLevelName == "2F"
    assert (vm.pendingX, vm.pendingY) == pytest.approx((x, y), abs=0.02)
    assert (vm.pendingLon, vm.pendingLat) == pytest.approx(WALKWAY, abs=1e-7)
    assert vm.pendingHeading == world.demo.kiosk_by_code("K01").heading_deg
    assert [r.short_name for r in vm.levels.rows() if r.pending] == ["2F"]

    # The second tap says which way it faces: east of it, then north of it.
    vm.tapAt(x + 6, y)
    assert vm.pendingHeading == 90.0
    vm.tapAt(x, y - 6)
    assert vm.pendingHeading == 0.0
    vm.tapAt(x - 4, y + 4)
    assert vm.pendingHeading == 225.0
    vm.rotate(-15)
    vm.rotate(-15)
    vm.rotate(15)
    assert vm.pendingHeading == 210.0
    assert vm.step == "face"

    with qtbot.waitSignal(vm.saved, timeout=5000):
        vm.save("Wang Fang")
    assert not vm.busy
    assert not vm.error
    assert vm.message.startswith("Saved")
    assert not vm.dirty
    assert vm.source == "device"
    assert vm.savedLevelName == "2F"
    assert vm.savedHeading == 210.0
    assert vm.canUseVenue

    # The device file has it, with its comments kept, and a fresh start reads it back.
    text = world.device.read_text(encoding="utf-8")
    assert "# Kiosk 1, south entrance." in text
    assert "# printed on tickets" in text
    saved = tomllib.loads(text)["device"]["position"]
    expected = KioskPosition(world.level("2F"), (vm.pendingLon, vm.pendingLat), 210.0)
    assert KioskPosition.parse(saved) == expected
    assert load_config(world.device, env={}).device.kiosk_position() == expected
    entries = AuditLog(world.sessions).recent(10)
    assert any(
        (e.who, e.action, e.details.get("key"))
        == ("Wang Fang", AuditAction.POSITION_SET, "device.position")
        for e in entries
    )

    # In use at once: the service, the maps, the route's start.
    assert world.service.kiosk_level_id() == world.level("2F")
    assert world.map.levelId == world.level("2F")
    assert world.map.hereVisible
    assert (world.map.hereX, world.map.hereY) == pytest.approx((x, y), abs=0.02)
    assert world.map.hereHeading == 210.0
    store = next(
        o.id for o in world.demo.occupants if world.demo.occupant_level(o).short_name.en == "3F"
    )
    result = world.service.route_to(store, step_free=False)
    assert result.route.legs[0].level_id == world.level("2F")
    assert result.route.legs[0].points[0] == pytest.approx(WALKWAY, abs=1e-7)

    # A map a shopper opens afterwards shows it too.
    shopper = MapViewModel(world.service)
    shopper.load()
    assert shopper.levelId == world.level("2F")
    assert shopper.hereVisible


def test_a_tap_outside_the_floor_plan_is_refused(world: World, qtbot: QtBot) -> None:
    vm = world.vm
    with qtbot.waitSignal(vm.changed):
        vm.tapAt(-5.0, 10.0)  # west of the building (the map shows more than the venue)
    assert vm.error
    assert "outside the floor plan of 1F" in vm.message
    assert not vm.dirty
    assert vm.step == "place"


def test_a_tap_too_close_to_the_kiosk_says_no_direction(world: World) -> None:
    vm = world.vm
    x, y = place_on(world, "B1")
    heading = vm.pendingHeading
    vm.tapAt(x + 0.3, y)
    assert vm.pendingHeading == heading
    assert "further from the kiosk" in vm.message


def test_a_tap_on_another_floor_while_aiming_places_the_kiosk_there(world: World) -> None:
    vm = world.vm
    place_on(world, "B1")
    assert vm.step == "face"
    place_on(world, "3F", (121.47, 31.2297649))
    assert vm.pendingLevelName == "3F"
    assert (vm.pendingLon, vm.pendingLat) == pytest.approx((121.47, 31.2297649), abs=1e-7)


def test_invalid_input_is_refused_with_a_message(world: World, qtbot: QtBot) -> None:
    vm = world.vm
    vm.setHeading(math.nan)
    assert vm.error
    assert "number of degrees" in vm.message
    with qtbot.assertNotEmitted(vm.saved):
        vm.save("tester")
    assert not vm.busy
    assert "Nothing to save" in vm.message
    assert "position" not in world.device.read_text(encoding="utf-8")
    vm.setHeading(450)
    assert vm.pendingHeading == 90.0
    assert vm.dirty


def test_a_kiosk_without_any_position_must_be_placed_first(
    tmp_path: Path, demo: VenueData, qtbot: QtBot
) -> None:
    w = make_world(tmp_path, demo)
    try:
        w.service.set_kiosk_position(None)
        unknown = WayfindingService(w.sessions, "K99", RouteSettings(BASE))
        vm = PlacementViewModel(unknown, MapViewModel(unknown), w.settings.set)
        vm.load()
        assert not vm.hasSaved
        assert vm.source == "none"
        assert not vm.hasPending
        vm.rotate(15)
        vm.setHeading(90)
        assert vm.error
        assert "First tap the map" in vm.message
        vm.save("tester")
        assert not vm.busy
        assert "First tap the map" in vm.message
        vm.close()
    finally:
        w.vm.close()
        w.engine.dispose()  # type: ignore[attr-defined]


def test_revert_goes_back_to_the_position_in_use(world: World) -> None:
    vm = world.vm
    place_on(world, "4F")
    vm.rotate(45)
    assert vm.dirty
    vm.revert()
    assert not vm.dirty
    assert vm.step == "place"
    assert vm.levelId == world.level("1F")
    assert vm.pendingLevelName == "1F"
    assert world.service.kiosk_level_id() == world.level("1F")


def test_a_save_that_fails_says_why_and_changes_nothing(world: World, qtbot: QtBot) -> None:
    vm = world.vm
    place_on(world, "2F")
    world.device.write_text("[device\ncode = 'K01'\n", encoding="utf-8")  # broken by hand
    with qtbot.assertNotEmitted(vm.saved, wait=200):
        vm.save("tester")
        qtbot.waitUntil(lambda: not vm.busy)
    assert vm.error
    assert vm.message.startswith("Not saved:")
    assert "TOML syntax error" in vm.message
    assert vm.dirty  # still pending: fix the file, then save again
    assert world.service.kiosk_level_id() == world.level("1F")
    assert world.device.read_text(encoding="utf-8") == "[device\ncode = 'K01'\n"


def test_back_to_the_venue_data(world: World, qtbot: QtBot) -> None:
    vm = world.vm
    place_on(world, "3F")
    with qtbot.waitSignal(vm.saved, timeout=5000):
        vm.save("tester")
    assert vm.canUseVenue
    with qtbot.waitSignal(vm.saved, timeout=5000):
        vm.useVenuePosition("tester")
    assert vm.source == "venue"
    assert vm.savedLevelName == "1F"
    assert not vm.canUseVenue
    assert tomllib.loads(world.device.read_text(encoding="utf-8"))["device"]["position"] == ""
    assert load_config(world.device, env={}).device.kiosk_position() is None
    assert world.service.kiosk_level_id() == world.level("1F")


def test_a_position_set_in_the_environment_stays_in_use(
    tmp_path: Path, demo: VenueData, qtbot: QtBot
) -> None:
    on_4f = KioskPosition(demo.level_by_short_name("4F").id, WALKWAY, 0.0)
    w = make_world(tmp_path, demo, env={"MALLKIOSK__DEVICE__POSITION": on_4f.text()})
    try:
        vm = w.vm
        assert (vm.source, vm.savedLevelName) == ("device", "4F")
        place_on(w, "2F")
        with qtbot.assertNotEmitted(vm.saved, wait=200):
            vm.save("tester")
            qtbot.waitUntil(lambda: not vm.busy)
        assert vm.error
        assert "environment variable MALLKIOSK__DEVICE__POSITION" in vm.message
        assert w.service.kiosk_level_id() == w.level("4F")
        assert "position" in w.device.read_text(encoding="utf-8")
    finally:
        w.vm.close()
        w.engine.dispose()  # type: ignore[attr-defined]


def test_turning_the_kiosk_where_it_stands(world: World) -> None:
    vm = world.vm
    known = world.demo.kiosk_by_code("K01")
    vm.showLevel(world.level("3F"))
    vm.startFacing()
    assert vm.step == "face"
    assert vm.levelId == world.level("1F")  # where the kiosk is, to aim from it
    x, y = world.local(known.point)
    vm.tapAt(x + 3, y)
    assert vm.pendingHeading == 90.0
    assert (vm.pendingLon, vm.pendingLat) == known.point
    assert vm.dirty
    vm.movePoint()
    assert vm.step == "place"
