"""Placing the kiosk on the map, offscreen: the real KioskPlacement component in a small window
with the real view model, taps on the floor buttons and the map, Save, and the picture."""

from __future__ import annotations

import math
import os
import shutil
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QPointF, Qt, QUrl
from PySide6.QtGui import QColor, QGuiApplication, QImage
from PySide6.QtQml import QQmlApplicationEngine
from PySide6.QtQuick import QQuickItem, QQuickWindow
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from kiosk.app import QML_IMPORT_ROOT
from kiosk.config import load_config
from kiosk.domain.imdf import demo_venue_path, load_venue
from kiosk.domain.placement import KioskPosition
from kiosk.domain.venue import Point, VenueData
from kiosk.maintenance.audit import AuditLog
from kiosk.maintenance.settings import DeviceSettings
from kiosk.services.session import IdlePolicy, SessionScratch
from kiosk.services.venue import VenueService
from kiosk.services.wayfinding import RouteSettings, WayfindingService
from kiosk.store.db import open_cache
from kiosk.viewmodels.idle import IdleViewModel
from kiosk.viewmodels.levelmap import MapViewModel
from kiosk.viewmodels.navigation import NavigationViewModel
from kiosk.viewmodels.placement import PlacementViewModel
from kiosk.viewmodels.shell import ShellViewModel
from tests.conftest import QtMessages
from tests.e2e.conftest import find_item

pytestmark = pytest.mark.e2e

HARNESS = Path(__file__).with_name("placement_harness.qml")
WALKWAY: Point = (121.4696323, 31.2297649)  # a walkway of the demo mall, on every level
PRIMARY = QColor("#0B4F6C")  # Theme.primary: the new position's dot
# Set to a directory to keep the pictures this test takes (to look at them).
SHOTS = os.environ.get("MALLKIOSK_PLACEMENT_SHOTS", "")


@dataclass
class Harness:
    window: QQuickWindow
    vm: PlacementViewModel
    service: WayfindingService
    device: Path
    demo: VenueData
    qtbot: QtBot

    def item(self, name: str) -> QQuickItem:
        found = find_item(self.window.contentItem(), name)
        assert found is not None, f"no item named {name!r}"
        return found

    def click(self, scene: QPointF) -> None:
        QTest.mouseClick(
            self.window, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, scene.toPoint()
        )
        self.qtbot.wait(20)

    def tap(self, name: str) -> None:
        item = self.item(name)
        assert item.isVisible(), f"{name!r} is not visible"
        assert item.isEnabled(), f"{name!r} is disabled"
        self.click(item.mapToScene(QPointF(item.width() / 2, item.height() / 2)))

    def on_map(self, x: float, y: float) -> QPointF:
        """The scene point of (x, y) in the map's metres, where the view draws it now."""
        view = self.item("placementMap")
        scale = view.property("pxPerMetre")
        return view.mapToScene(
            QPointF(view.property("originX") + x * scale, view.property("originY") + y * scale)
        )

    def local(self, point: Point) -> tuple[float, float]:
        x, y = self.service.map_projection().to_map(point)
        bounds = next(iter(self.service.level_maps().values())).bounds
        return (x - bounds.min_x, y - bounds.min_y)

    def shot(self, name: str, tmp_path: Path) -> QImage:
        path = tmp_path / f"{name}.png"
        assert self.window.grabWindow().save(str(path))
        if SHOTS:
            Path(SHOTS).mkdir(parents=True, exist_ok=True)
            shutil.copy(path, Path(SHOTS) / path.name)
        return QImage(str(path))


@pytest.fixture
def harness(
    qapp: QGuiApplication, qtbot: QtBot, tmp_path: Path, qt_messages: QtMessages
) -> Iterator[Harness]:
    engine_db, sessions = open_cache(tmp_path / "data" / "cache.sqlite3")
    VenueService(sessions).ensure_loaded()
    device = tmp_path / "device.toml"
    device.write_text('[device]\ncode = "K01"\n', encoding="utf-8")
    cfg = load_config(device, env={})
    service = WayfindingService(
        sessions, "K01", RouteSettings("https://m.example/R"), position=cfg.device.kiosk_position()
    )
    settings = DeviceSettings(device, AuditLog(sessions), env={})
    vm = PlacementViewModel(service, MapViewModel(service), settings.set)
    scratch = SessionScratch()
    shell = ShellViewModel(
        nav=NavigationViewModel(),
        idle=IdleViewModel(IdlePolicy(60, 180, 30, 20, 1.0)),
        scratch=scratch,
        default_language="en",
        mall_name=("云汇广场", "Yunhui Plaza"),
        fullscreen=False,
    )
    engine = QQmlApplicationEngine()
    engine.addImportPath(str(QML_IMPORT_ROOT))
    engine.setInitialProperties({"placement": vm, "shell": shell})
    engine.load(QUrl.fromLocalFile(str(HARNESS)))
    assert engine.rootObjects(), "placement harness did not load"
    window = engine.rootObjects()[0]
    assert isinstance(window, QQuickWindow)
    qtbot.waitExposed(window)
    qtbot.wait(100)  # the map frames the venue once it has its size
    yield Harness(window, vm, service, device, load_venue(demo_venue_path()), qtbot)
    window.deleteLater()
    engine.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
    vm.close()
    scratch.discard()
    engine_db.dispose()
    assert qt_messages.problems() == []


def test_tap_to_place_face_and_save(harness: Harness, qtbot: QtBot, tmp_path: Path) -> None:
    vm = harness.vm
    level_2f = harness.demo.level_by_short_name("2F").id
    assert vm.levelId == harness.demo.level_by_short_name("1F").id
    assert harness.item("placementInUse").property("text").startswith("In use: 1F, facing 0°")
    assert not harness.item("placementSave").isEnabled()

    harness.tap("placementLevel_2F")
    qtbot.waitUntil(lambda: vm.levelId == level_2f)
    x, y = harness.local(WALKWAY)
    harness.click(harness.on_map(x, y))
    qtbot.waitUntil(lambda: vm.hasPending and vm.pendingLevelName == "2F")
    # One pixel is a few centimetres at this zoom.
    assert vm.pendingLon == pytest.approx(WALKWAY[0], abs=2e-6)
    assert vm.pendingLat == pytest.approx(WALKWAY[1], abs=2e-6)
    assert vm.step == "face"
    assert harness.item("pendingHere").isVisible()
    instructions = harness.item("placementInstructions").property("text")
    assert instructions.startswith("2. Tap the way a shopper faces")

    # The second tap, east of it on the screen: the kiosk faces east.
    harness.click(harness.on_map(x + 12, y))
    qtbot.waitUntil(lambda: vm.pendingHeading != 0.0)
    assert vm.pendingHeading == pytest.approx(90, abs=2)
    harness.tap("placementTurnRight")
    assert vm.pendingHeading == pytest.approx(105, abs=2)
    assert "facing 10" in harness.item("placementFacing").property("text")

    picture = harness.shot("placement-pending", tmp_path)
    dot = harness.item("pendingHere")
    centre = dot.mapToScene(QPointF(dot.width() / 2, dot.height() / 2)).toPoint()
    colour = picture.pixelColor(centre)
    assert math.dist(colour.getRgb()[:3], PRIMARY.getRgb()[:3]) < 30, colour.name()

    with qtbot.waitSignal(vm.saved, timeout=5000):
        harness.tap("placementSave")
    qtbot.waitUntil(lambda: not harness.item("pendingHere").isVisible())
    saved = KioskPosition.parse(tomllib.loads(harness.device.read_text())["device"]["position"])
    assert saved is not None
    assert saved.level_id == level_2f
    assert saved.heading_deg == vm.savedHeading
    assert load_config(harness.device, env={}).device.kiosk_position() == saved
    assert harness.service.kiosk_level_id() == level_2f
    facing = round(vm.savedHeading)
    assert harness.item("placementInUse").property("text") == (
        f"In use: 2F, facing {facing}° (east), set on this kiosk."
    )
    assert harness.item("placementMessage").property("text").startswith("Saved")
    assert harness.item("placementUseVenue").isVisible()
    harness.shot("placement-saved", tmp_path)


def test_a_tap_beside_the_building_is_refused_on_screen(harness: Harness, qtbot: QtBot) -> None:
    vm = harness.vm
    view = harness.item("placementMap")
    # South of the venue, still inside the map view (the view is taller than the venue).
    bounds = next(iter(harness.service.level_maps().values())).bounds
    south = harness.on_map(bounds.width / 2, bounds.height + 4.0)
    assert view.contains(view.mapFromScene(south))
    harness.click(south)
    qtbot.waitUntil(lambda: vm.error)
    assert "outside the floor plan of 1F" in harness.item("placementMessage").property("text")
    assert not harness.item("placementSave").isEnabled()
