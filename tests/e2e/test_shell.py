"""Tap through the real shell: attract → home → every tile → Back/Home, language, accessibility,
and the idle countdown that wipes the session."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from kiosk.app import Kiosk
from kiosk.screenshots import capture_all
from tests.e2e.conftest import Driver

pytestmark = pytest.mark.e2e

TILES = {
    "tileWayfinding": ("wayfinding", "找店导航", "Find a store"),
    "tileMember": ("member", "会员查询", "Member card"),
    "tileReturns": ("returns", "退换货申请", "Return request"),
    "tileComplaints": ("complaints", "投诉建议", "Complaints"),
}


def start(driver: Driver) -> None:
    driver.visible_item("attractScreen")
    driver.tap("touchToStart")
    driver.wait_for(lambda: driver.kiosk.nav.current == "home")
    driver.wait_for(lambda: driver.item("homeScreen").isVisible())


def test_attract_shows_mall_and_promotions(driver: Driver, kiosk: Kiosk) -> None:
    driver.visible_item("attractScreen")
    promos = driver.item("promotionList")
    assert promos.property("count") >= 3
    assert not driver.item("sessionArea").isVisible()


def test_every_tile_opens_its_screen_and_back_returns_home(driver: Driver, kiosk: Kiosk) -> None:
    start(driver)
    for tile, (screen, zh, _en) in TILES.items():
        driver.tap(tile)
        driver.wait_for(lambda screen=screen: kiosk.nav.current == screen)
        page = driver.item(f"screen_{screen}")
        driver.wait_for(page.isVisible)
        if screen == "wayfinding":
            assert driver.shows("searchField")
        elif screen == "complaints":
            assert driver.shows("type_complaint")
        elif screen == "returns":
            assert driver.shows("returnSlip")
        else:
            assert driver.item(f"{screen}Title").property("text") == zh
        driver.tap("backButton")
        driver.wait_for(lambda: kiosk.nav.current == "home")
    driver.tap("tileMember")
    driver.wait_for(lambda: kiosk.nav.current == "member")
    driver.tap("homeButton")
    driver.wait_for(lambda: kiosk.nav.current == "home")
    assert kiosk.nav.stack() == ["attract", "home"]


def test_language_toggle_retranslates_live(driver: Driver, kiosk: Kiosk) -> None:
    start(driver)
    tile = driver.item("tileWayfinding")
    assert tile.property("text") == "找店导航"
    driver.tap("languageToggle")
    driver.wait_for(lambda: kiosk.shell.language == "en")
    driver.wait_for(lambda: tile.property("text") == "Find a store")
    assert driver.item("backButton").property("text") == "Back"
    driver.tap("languageToggle")
    driver.wait_for(lambda: tile.property("text") == "找店导航")
    assert driver.item("homeButton").property("text") == "首页"


def test_accessibility_mode_lowers_every_control(driver: Driver, kiosk: Kiosk) -> None:
    start(driver)
    driver.tap("accessibilityToggle")
    driver.wait_for(lambda: kiosk.shell.accessibilityMode)
    driver.wait_for(lambda: driver.item("reachPanel").isVisible())
    half = kiosk.window.height() / 2
    for name in ("tileWayfinding", "languageToggle", "accessibilityToggle", "homeButton"):
        item = driver.item(name)
        driver.wait_for(
            lambda item=item: item.mapToScene(item.boundingRect().topLeft()).y() >= half
        )
    body_font_normal = 28
    title = driver.item("tileWayfinding")
    assert title.property("font").pixelSize() >= body_font_normal * 1.5


def test_idle_countdown_wipes_the_session(driver: Driver, kiosk: Kiosk) -> None:
    start(driver)
    driver.tap("languageToggle")
    driver.tap("accessibilityToggle")
    driver.tap("tileComplaints")
    driver.wait_for(lambda: kiosk.nav.current == "complaints")
    old_scratch = Path(kiosk.shell.keyboardDataPath)
    (old_scratch / "usr_dict.dat").write_bytes(b"learned from a shopper")

    driver.wait_for(lambda: driver.shows("continueButton"), timeout=6000)
    countdown = driver.item("idleCountdown")
    assert int(countdown.property("text")) == 2
    driver.wait_for(lambda: kiosk.nav.current == "attract", timeout=5000)

    driver.visible_item("attractScreen")
    assert not driver.shows("continueButton")
    assert kiosk.shell.language == "zh_CN"
    assert not kiosk.shell.accessibilityMode
    assert not old_scratch.exists()
    assert Path(kiosk.shell.keyboardDataPath).is_dir()


def test_continue_keeps_the_session(driver: Driver, kiosk: Kiosk) -> None:
    start(driver)
    driver.tap("tileWayfinding")
    for _ in range(2):
        driver.wait_for(lambda: driver.shows("continueButton"), timeout=6000)
        driver.tap("continueButton")
        driver.wait_for(lambda: not driver.shows("continueButton"))
        assert kiosk.nav.current == "wayfinding"


def test_screenshots_cover_every_screen_in_both_languages(kiosk: Kiosk, tmp_path: Path) -> None:
    written = capture_all(kiosk, tmp_path)
    names = {p.stem for p in written}
    for lang in ("zh_CN", "en"):
        for screen in (
            "attract",
            "home",
            "wayfinding",
            "member",
            "returns",
            "complaints",
            "idle-prompt",
            "home-accessible",
            "home-landscape",
        ):
            assert f"{lang}-{screen}" in names
    home = QImage(str(tmp_path / "zh_CN-home.png"))
    assert (home.width(), home.height()) == (1080, 1920)
    landscape = QImage(str(tmp_path / "zh_CN-home-landscape.png"))
    assert (landscape.width(), landscape.height()) == (1920, 1080)
    # A blank or failed render has very few distinct colours.
    colours = {home.pixel(x, y) for x in range(0, 1080, 20) for y in range(0, 1920, 20)}
    assert len(colours) > 20


def test_unexpected_error_shows_a_calm_message_and_is_logged(driver: Driver, kiosk: Kiosk) -> None:
    from PySide6.QtCore import Q_ARG, QMetaObject, Qt

    start(driver)
    driver.tap("tileReturns")
    driver.wait_for(lambda: kiosk.nav.current == "returns")
    # A slot raising: PySide6 hands the exception to sys.excepthook, which the kiosk owns.
    QMetaObject.invokeMethod(
        kiosk.nav, "push", Qt.ConnectionType.DirectConnection, Q_ARG(str, "bogus")
    )
    driver.wait_for(lambda: kiosk.nav.current == "home")
    banner = driver.visible_item("noticeBanner")
    assert "出了点问题" in banner.property("message")
    assert "Traceback" not in banner.property("message")
    log_text = (kiosk.paths.log_dir / "kiosk.log").read_text(encoding="utf-8")
    assert "unknown screen 'bogus'" in log_text
