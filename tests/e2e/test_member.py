"""会员查询 end to end, offscreen, against the real central service on 127.0.0.1: scan a card
with the scanner (key events), sign in with a mobile number and the texted code, see points,
expiring points and coupons, and leave nothing of it behind on the kiosk."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtTest import QTest

from kiosk.app import Kiosk
from kiosk.config import KioskConfig
from tests.central import Central, enroll_data_dir
from tests.e2e.conftest import Driver
from tests.e2e.test_shell import start

pytestmark = pytest.mark.e2e

WANG = "13800138000"
WANG_CARD = "886000000001"
WANG_QR = "YH:M:7F3K9Q2M8XW4"
LI = "13900139000"


@pytest.fixture
def config(
    make_config: Callable[..., KioskConfig], central: Central, data_dir: Path
) -> KioskConfig:
    """An enrolled kiosk of the running central service, with an ESC/POS printer (the dummy
    one in text mode: its bytes stay in memory and hold the text); DEBUG, so the privacy checks
    below read the most talkative log there can be."""
    enroll_data_dir(central, data_dir)
    return make_config(
        f'[sync]\nserver_url = "{central.base_url}"\n[logging]\nlevel = "DEBUG"\n'
        '[printer]\nbackend = "dummy"\nmode = "text"\n'
    )


def open_member(driver: Driver) -> None:
    start(driver)
    driver.tap("tileMember")
    driver.wait_for(lambda: driver.kiosk.nav.current == "member")
    driver.wait_for(lambda: driver.shows("memberCardLookup"))
    driver.wait_for(lambda: not driver.item("screenStack").property("busy"))


def scanner_types(driver: Driver, text: str) -> None:
    """A keyboard-wedge scanner: fast key presses, then Enter."""
    for char in text:
        QTest.keyClick(driver.kiosk.window, char)
    QTest.keyClick(driver.kiosk.window, Qt.Key.Key_Return)


def type_into(driver: Driver, name: str, text: str) -> None:
    driver.tap(name)
    driver.wait_for(lambda: driver.item(name).hasActiveFocus())
    for char in text:
        QTest.keyClick(driver.kiosk.window, char)


def text_of(driver: Driver, name: str) -> str:
    return str(driver.visible_item(name).property("text"))


def screen_qr_codes(kiosk: Kiosk) -> list[str]:
    # Keep the converted image alive while its pixels are read.
    image = kiosk.window.grabWindow().convertToFormat(QImage.Format.Format_RGBA8888)
    pixels = bytes(image.constBits())[: image.bytesPerLine() * image.height()]
    pil = Image.frombytes(
        "RGBA", (image.width(), image.height()), pixels, "raw", "RGBA", image.bytesPerLine()
    )
    return [b.text for b in zxingcpp.read_barcodes(pil)]


def files_holding(root: Path, secrets: list[str]) -> dict[str, list[str]]:
    """Every file under `root` whose bytes contain one of `secrets` (UTF-8, or UTF-16 as
    SQLite may store text), and which."""
    found: dict[str, list[str]] = {}
    for path in root.rglob("*"):
        if not path.is_file():
            continue
        data = path.read_bytes()
        hits = [
            s
            for s in secrets
            if s.encode() in data or s.encode("utf-16-le") in data or s.encode("utf-16-be") in data
        ]
        if hits:
            found[str(path.relative_to(root))] = hits
    return found


def assert_nothing_kept(
    data_dir: Path, capfd: pytest.CaptureFixture[str], secrets: list[str]
) -> None:
    """None of `secrets` in any file of the data directory, nor on the console (the journal,
    under systemd)."""
    assert files_holding(data_dir, secrets) == {}
    printed = "".join(capfd.readouterr())
    assert [s for s in secrets if s in printed] == []


def test_scan_a_card_see_points_and_coupons_then_log_out(
    driver: Driver,
    kiosk: Kiosk,
    central: Central,
    data_dir: Path,
    capfd: pytest.CaptureFixture[str],
) -> None:
    open_member(driver)
    assert driver.shows("memberPrivacyNote")
    scanner_types(driver, WANG_CARD)
    driver.wait_for(lambda: kiosk.member.stage == "card", timeout=10_000)
    driver.wait_for(lambda: driver.shows("memberHeader"))

    assert text_of(driver, "memberTier") == "金卡"
    assert text_of(driver, "memberName") == "王*明   138****8000"
    assert text_of(driver, "memberPoints") == f"{kiosk.member.points:,}"
    assert kiosk.member.points > 0
    # The demo's gold member has points lapsing in 25, 52 and 80 days: one in each window.
    windows = {row.days: row.points for row in kiosk.member.expiry.rows()}
    assert windows[30] > 0
    assert windows[30] < windows[60] < windows[90]
    assert driver.item("memberExpiry_30").property("visible")
    coupons = kiosk.member.coupons.rows()
    assert coupons
    assert any("星巴克" in c.storesZh for c in coupons)

    # The coupon's QR code, shown on request, is the code to give at the till.
    driver.tap("memberCouponQr_0")
    driver.wait_for(lambda: driver.shows("memberCouponImage"))
    flick = driver.item("memberCard")
    image = driver.visible_item("memberCouponImage")
    flick.setProperty("contentY", image.mapToItem(flick.property("contentItem"), 0, 0).y())
    kiosk.app.processEvents()
    driver.wait_for(lambda: coupons[0].code in screen_qr_codes(kiosk), timeout=5000)

    # Or on paper: a slip with the code, for a shopper without the mall's app.
    button = driver.visible_item("memberCouponPrint_0")
    top = button.mapToItem(flick.property("contentItem"), 0, 0).y()
    flick.setProperty("contentY", max(0.0, top - 300))  # in view, not under the header
    kiosk.app.processEvents()
    driver.tap("memberCouponPrint_0")
    driver.wait_for(lambda: text_of(driver, "memberCouponPrinted_0") == "请取走您的优惠券。")
    job = kiosk.receipts._printer.transport.output  # type: ignore[attr-defined]
    assert coupons[0].code.encode() in job
    assert "王".encode("gb18030") not in job
    assert WANG_CARD.encode() not in job

    flick.setProperty("contentY", 0)  # Log out sits in the card's header
    driver.tap("memberLogout")
    driver.wait_for(lambda: kiosk.nav.current == "home")
    assert kiosk.member.stage == "start"
    assert kiosk.member.nameMasked == ""
    assert kiosk.member.points == 0
    assert kiosk.member.coupons.rowCount() == 0
    assert kiosk.member.transactions.rowCount() == 0

    kiosk.shell.endSession()
    secrets = [WANG, WANG_CARD, "王小明", *(c.code for c in coupons)]
    assert_nothing_kept(data_dir, capfd, secrets)


def test_sign_in_by_phone_and_code_then_walk_away(
    driver: Driver,
    kiosk: Kiosk,
    central: Central,
    data_dir: Path,
    capfd: pytest.CaptureFixture[str],
) -> None:
    open_member(driver)
    type_into(driver, "memberPhoneField", "139 0013 9000")
    driver.tap("memberSendCode")
    driver.wait_for(lambda: kiosk.member.stage == "code", timeout=10_000)
    driver.wait_for(lambda: driver.shows("memberCodeField"))
    assert "139****9000" in text_of(driver, "memberSentTo")
    assert LI not in text_of(driver, "memberSentTo")
    assert kiosk.member.resendIn > 0
    assert not driver.item("memberResend").isEnabled()
    code = central.sms.last_code(LI)
    assert code is not None

    wrong = "000000" if code != "000000" else "111111"
    type_into(driver, "memberCodeField", wrong)
    driver.tap("memberVerify")
    driver.wait_for(lambda: text_of(driver, "memberCodeProblem") != "", timeout=10_000)
    assert "还可以再试 4 次" in text_of(driver, "memberCodeProblem")

    driver.item("memberCodeField").setProperty("text", "")
    type_into(driver, "memberCodeField", code)
    driver.tap("memberVerify")
    driver.wait_for(lambda: kiosk.member.stage == "card", timeout=10_000)
    assert text_of(driver, "memberTier") == "银卡"
    assert kiosk.member.pointsToNext > 0
    # Nothing to type on the card: the on-screen keyboard has gone away.
    driver.wait_for(lambda: not driver.item("keyboard").property("active"))

    # The shopper walks away: the member screen's short idle time, the countdown, the wipe.
    driver.wait_for(lambda: kiosk.nav.current == "attract", timeout=15_000)
    assert kiosk.member.stage == "start"
    assert kiosk.member.phoneMasked == ""
    assert kiosk.member.sentTo == ""
    secrets = [LI, "李娜", code, "886000000002"]
    assert_nothing_kept(data_dir, capfd, secrets)


def test_leaving_the_member_screen_wipes_it(driver: Driver, kiosk: Kiosk) -> None:
    open_member(driver)
    scanner_types(driver, WANG_QR)
    driver.wait_for(lambda: kiosk.member.stage == "card", timeout=10_000)
    driver.tap("homeButton")
    driver.wait_for(lambda: kiosk.nav.current == "home")
    assert kiosk.member.stage == "start"
    assert kiosk.member.points == 0
    # Back in: the card is gone, the shopper starts over.
    driver.tap("tileMember")
    driver.wait_for(lambda: driver.shows("memberCardLookup"))
    assert not driver.shows("memberHeader")


def test_offline_says_member_services_need_the_network(
    driver: Driver, kiosk: Kiosk, central: Central
) -> None:
    open_member(driver)
    central.server.stop()
    type_into(driver, "memberCardField", WANG_CARD)
    driver.tap("memberCardLookup")
    driver.wait_for(lambda: text_of(driver, "memberProblem") != "", timeout=15_000)
    assert "会员服务需要联网" in text_of(driver, "memberProblem")
    assert kiosk.member.stage == "start"
    assert not driver.shows("memberHeader")


def test_unknown_card_is_said_plainly(driver: Driver, kiosk: Kiosk) -> None:
    open_member(driver)
    scanner_types(driver, "886099999999")
    driver.wait_for(lambda: text_of(driver, "memberProblem") != "", timeout=10_000)
    assert "没有找到会员信息" in text_of(driver, "memberProblem")
