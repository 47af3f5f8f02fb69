"""The member view model over the real member service and central service: stages, the
countdown, late replies after a wipe, and its list models."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from kiosk.services.credentials import device_token
from kiosk.services.member import MemberService
from kiosk.viewmodels.member import MemberViewModel
from kiosk.viewmodels.navigation import NavigationViewModel
from tests.central import Central, enroll_data_dir

WANG = "13800138000"
WANG_CARD = "886000000001"
OU = "15800158000"  # a member with nothing expiring and no coupons


@pytest.fixture
def nav() -> NavigationViewModel:
    nav = NavigationViewModel()
    nav.home()
    nav.push("member")
    return nav


@pytest.fixture
def member(central: Central, data_dir: Path, nav: NavigationViewModel) -> Iterator[MemberViewModel]:
    enroll_data_dir(central, data_dir)
    service = MemberService(central.base_url, lambda: device_token(data_dir, central.base_url))
    vm = MemberViewModel(service, nav, lambda ids: [(f"店{i}", f"Store {i}") for i in ids])
    yield vm
    vm.close()


def settle(qtbot: QtBot, member: MemberViewModel) -> None:
    qtbot.waitUntil(lambda: not member.is_busy(), timeout=10_000)


def test_scan_shows_the_card_and_models_pass_the_model_tester(
    qtbot: QtBot, qtmodeltester, member: MemberViewModel
) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(member.cardChanged, timeout=10_000):
        member.scan(WANG_CARD)
    assert member.current_stage() == "card"
    assert member.nameMasked == "王*明"
    assert member.tierCode == "gold"
    assert member.benefitsZh
    assert len(member.benefitsZh) == len(member.benefitsEn)
    assert [row.days for row in member.expiry.rows()] == [30, 60, 90]
    assert member.lapseCount == sum(1 for _ in member.lapses.rows()) > 0
    assert sum(r.points for r in member.lapses.rows()) == member.expiry.rows()[-1].points
    for coupon in member.coupons.rows():
        assert coupon.qrSource.startswith("image://qr/")
        assert coupon.storesEn == "Every store" or coupon.storesEn.startswith("Store ")
    for model in (member.expiry, member.lapses, member.coupons, member.transactions):
        qtmodeltester.check(model)


def test_a_member_with_nothing_expiring(
    qtbot: QtBot, member: MemberViewModel, central: Central
) -> None:
    member.requestCode(OU)
    settle(qtbot, member)
    member.verify(central.sms.last_code(OU) or "")
    settle(qtbot, member)
    assert member.current_stage() == "card"
    assert [row.points for row in member.expiry.rows()] == [0, 0, 0]
    assert member.lapseCount == 0
    assert member.couponCount == 0


def test_code_stage_counts_down_and_a_malformed_code_is_not_sent(
    qtbot: QtBot, member: MemberViewModel, central: Central
) -> None:
    member.requestCode("138-0013-8000")
    settle(qtbot, member)
    assert member.current_stage() == "code"
    assert member.sentTo == "138****8000"
    start = member.resendIn
    assert start > 0
    with qtbot.waitSignal(member.resendInChanged, timeout=3000):
        pass
    assert member.resendIn == start - 1

    central.server.stop()  # a malformed code never reaches the service
    member.verify("12 34")
    assert not member.is_busy()
    assert "6 digits" in member.messageEn
    assert member.current_stage() == "code"

    member.changeNumber()
    assert member.current_stage() == "start"
    assert member.sentTo == ""
    assert member.resendIn == 0


def test_a_reply_arriving_after_the_wipe_is_dropped(qtbot: QtBot, member: MemberViewModel) -> None:
    member.scan(WANG_CARD)
    assert member.is_busy()
    member.reset()  # the shopper walked away while the lookup was on its way
    member.join()  # the answer comes back...
    qtbot.wait(100)  # ...and is delivered, then dropped
    assert member.current_stage() == "start"
    assert member.nameMasked == ""
    assert member.points == 0


def test_leaving_the_member_screen_wipes_the_card(
    qtbot: QtBot, member: MemberViewModel, nav: NavigationViewModel
) -> None:
    member.scan(WANG_CARD)
    settle(qtbot, member)
    assert member.points > 0
    with qtbot.waitSignal(member.cleared):
        nav.home()
    assert member.current_stage() == "start"
    assert member.points == 0
    assert member.coupons.rowCount() == 0


def test_problem_messages_come_in_both_languages(qtbot: QtBot, member: MemberViewModel) -> None:
    member.scan("886099999999")
    settle(qtbot, member)
    assert "没有找到会员信息" in member.messageZh
    assert "No membership" in member.messageEn
    assert member.current_stage() == "start"


def test_another_number_drops_the_answer_on_its_way(qtbot: QtBot, member: MemberViewModel) -> None:
    member.requestCode(WANG)
    assert member.is_busy()
    member.changeNumber()
    member.join()
    qtbot.wait(100)
    assert member.current_stage() == "start"
    assert member.sentTo == ""
    assert not member.is_busy()


def test_asking_again_within_the_minute_goes_on_to_the_code(
    qtbot: QtBot, member: MemberViewModel, central: Central
) -> None:
    member.requestCode(WANG)
    settle(qtbot, member)
    member.changeNumber()
    member.requestCode(WANG)  # e.g. the first answer timed out, but the text went out
    settle(qtbot, member)
    assert member.current_stage() == "code"
    assert member.sentTo == "138****8000"
    assert "just sent" in member.messageEn
    assert 0 < member.resendIn <= 60
    member.verify(central.sms.last_code(WANG) or "")
    settle(qtbot, member)
    assert member.current_stage() == "card"


def test_a_coupon_prints_as_a_slip_whose_qr_is_its_code(
    qtbot: QtBot, central: Central, data_dir: Path, nav: NavigationViewModel, tmp_path: Path
) -> None:
    import zxingcpp
    from PIL import Image

    from kiosk.domain.venue import Names
    from kiosk.printing.backends import open_printer
    from kiosk.printing.config import PrinterConfig
    from kiosk.services.receipts import ReceiptService

    enroll_data_dir(central, data_dir)
    printer = open_printer(PrinterConfig(backend="png"), data_dir=tmp_path)
    slips = ReceiptService(printer, Names("云汇广场", "Yunhui Plaza"), "K01")
    service = MemberService(central.base_url, lambda: device_token(data_dir, central.base_url))
    vm = MemberViewModel(service, nav, lambda ids: [], slips=slips)
    try:
        assert vm.canPrint
        vm.scan(WANG_CARD)
        settle(qtbot, vm)
        coupon = vm.coupons.rows()[0]
        vm.printCoupon(coupon.code, True)
        assert vm.printing
        assert vm.printedCode == coupon.code
        qtbot.waitUntil(lambda: not vm.printing, timeout=10_000)
        assert vm.printMessageEn == "Please take your coupon."
        assert vm.printMessageZh == "请取走您的优惠券。"
        (slip,) = (tmp_path / "receipts").iterdir()
        with Image.open(slip) as image:
            assert [b.text for b in zxingcpp.read_barcodes(image)] == [coupon.code]
        assert coupon.code not in slip.name

        # The outcome of a slip still printing when the shopper leaves is not shown to the next.
        vm.printCoupon(coupon.code, False)
        vm.reset()
        vm.join()
        qtbot.wait(50)  # let the queued outcome arrive
        assert (vm.printing, vm.printMessageEn, vm.printedCode) == (False, "", "")
        vm.printCoupon(coupon.code, False)  # no card any more: nothing happens
        assert not vm.printing
    finally:
        vm.close()


def test_without_a_printer_there_is_no_print_button(member: MemberViewModel) -> None:
    assert not member.canPrint
