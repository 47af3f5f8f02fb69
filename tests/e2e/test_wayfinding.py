"""找店导航 end to end, offscreen: type, pick, "Take me there", follow the route across levels,
switch to step-free and see the elevator used."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QImage
from PySide6.QtTest import QTest

from kiosk.app import Kiosk
from tests.e2e.conftest import Driver
from tests.e2e.test_shell import start

pytestmark = pytest.mark.e2e


def open_wayfinding(driver: Driver) -> None:
    start(driver)
    driver.tap("tileWayfinding")
    driver.wait_for(lambda: driver.kiosk.nav.current == "wayfinding")
    driver.wait_for(lambda: driver.shows("searchField"))


def type_query(driver: Driver, text: str) -> None:
    driver.tap("searchField")
    # A hardware keyboard or a barcode scanner (keyboard wedge) types like this.
    for char in text:
        QTest.keyClick(driver.kiosk.window, char)
    driver.wait_for(lambda: driver.kiosk.wayfinding.query == text)


def take_first_result_there(driver: Driver) -> None:
    driver.wait_for(lambda: driver.shows("result_0"))
    driver.tap("result_0")
    driver.wait_for(lambda: driver.kiosk.nav.current == "place")
    driver.wait_for(lambda: driver.shows("takeMeThere"))
    driver.tap("takeMeThere")
    driver.wait_for(lambda: driver.kiosk.nav.current == "route")
    driver.wait_for(lambda: driver.kiosk.route.hasRoute)


def test_initials_find_starbucks_and_route_there(driver: Driver, kiosk: Kiosk) -> None:
    open_wayfinding(driver)
    type_query(driver, "xbk")
    first = kiosk.wayfinding.results.rows()[0]
    assert (first.name_zh, first.name_en) == ("星巴克", "Starbucks")
    take_first_result_there(driver)
    assert driver.item("placeName") is not None
    steps = kiosk.route.steps.rows()
    assert steps[-1].icon == "arrive"
    assert "星巴克" in steps[-1].text_zh
    assert driver.shows("routeQr")


def test_route_across_levels_then_step_free_uses_the_elevator(
    driver: Driver, kiosk: Kiosk, tmp_path: Path
) -> None:
    open_wayfinding(driver)
    type_query(driver, "haidilao")
    first = kiosk.wayfinding.results.rows()[0]
    assert first.name_en == "Haidilao"
    assert first.level != "1F"
    take_first_result_there(driver)

    walking = kiosk.route.steps.rows()
    assert {s.level for s in walking} >= {"1F", first.level}
    assert any(s.icon.startswith(("escalator", "elevator", "stairs")) for s in walking)
    # The map shows the first leg, and the floor tabs mark every level the route crosses.
    levels = {row.short_name: row for row in kiosk.map.levels.rows()}
    assert levels["1F"].on_route
    assert levels[first.level].on_route
    assert kiosk.map.levelName == "1F"
    assert kiosk.map.routePaths
    driver.tap(f"mapLevel_{first.level}")
    driver.wait_for(lambda: kiosk.map.levelName == first.level)
    assert kiosk.map.routeEndVisible

    driver.tap("modeStepFree")
    driver.wait_for(lambda: kiosk.route.stepFree)
    assert kiosk.route.usesElevator
    step_free = kiosk.route.steps.rows()
    assert any(s.icon == "elevator" for s in step_free)
    assert not any(s.icon.startswith(("escalator", "stairs")) for s in step_free)

    shot = tmp_path / "route.png"
    driver.qtbot.wait(300)
    assert kiosk.window.grabWindow().save(str(shot))
    image = QImage(str(shot))
    route_pixels = sum(
        1
        for x in range(0, image.width(), 6)
        for y in range(0, image.height(), 6)
        if image.pixelColor(x, y).name() == "#d1410c"
    )
    assert route_pixels > 10, "the route line is not drawn"


def test_nothing_found_offers_suggestions(driver: Driver, kiosk: Kiosk) -> None:
    open_wayfinding(driver)
    type_query(driver, "zzqqxx")
    driver.wait_for(lambda: kiosk.wayfinding.results.rowCount() > 0)
    assert kiosk.wayfinding.suggestionsOnly
    assert driver.shows("listTitle")


def test_facility_shortcut_lists_restrooms_nearest_first(driver: Driver, kiosk: Kiosk) -> None:
    open_wayfinding(driver)
    driver.tap("facility_restroom")
    driver.wait_for(lambda: kiosk.wayfinding.results.rowCount() > 0)
    rows = kiosk.wayfinding.results.rows()
    assert all(r.kind == "facility" for r in rows)
    assert rows[0].level == "1F"


def test_session_wipe_clears_the_search(driver: Driver, kiosk: Kiosk) -> None:
    open_wayfinding(driver)
    type_query(driver, "nike")
    kiosk.shell.endSession()
    assert kiosk.wayfinding.query == ""
    assert kiosk.wayfinding.results.rowCount() == 0
    assert not kiosk.route.hasRoute
