"""退换货申请 end to end, offscreen: tap through the real form with key events (the slip number
as a barcode scanner types it), check the policy's verdict, send, and check the outbox row, the
ticket number and the printed receipt's QR code."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from kiosk.app import Kiosk, build
from kiosk.config import KioskConfig
from kiosk.domain.tickets import parse_ticket
from kiosk.store import models as m
from tests.e2e.conftest import FAST_IDLE, Driver
from tests.e2e.test_complaint import type_into
from tests.e2e.test_shell import start

pytestmark = pytest.mark.e2e


@pytest.fixture
def kiosk(
    qapp, qtbot: QtBot, make_config: Callable[..., KioskConfig], qt_messages
) -> Iterator[Kiosk]:  # type: ignore[no-untyped-def]
    config = make_config('[printer]\nbackend = "png"\n')
    k = build(config, qapp, idle_policy=FAST_IDLE, windowed=True)
    qtbot.waitExposed(k.window)
    yield k
    k.close()
    qtbot.wait(50)
    assert qt_messages.problems() == []


def test_request_an_exchange_and_get_a_receipt(driver: Driver, kiosk: Kiosk) -> None:
    returns = kiosk.returns
    start(driver)
    driver.tap("tileReturns")
    driver.wait_for(lambda: kiosk.nav.current == "returns")
    assert driver.shows("returnSlip")

    # A keyboard-wedge scanner: the slip number, then Enter.
    type_into(driver, "returnSlip", "SL20261125-0042")
    QTest.keyClick(kiosk.window, "\r")
    driver.wait_for(lambda: driver.item("returnStoreSearch").property("activeFocus") is True)
    assert "slip" not in returns.problems
    driver.tap("returnNext")  # no store, no date yet: the form says what is missing
    driver.wait_for(lambda: "store" in returns.problems and "purchased" in returns.problems)
    assert returns.step == 0
    type_into(driver, "returnStoreSearch", "xbk")
    driver.wait_for(lambda: driver.shows("returnStore_0"))
    driver.tap("returnStore_0")
    driver.wait_for(lambda: returns.storeNameEn == "Starbucks")
    driver.tap("purchased_days2to7")
    driver.tap("returnNext")
    driver.wait_for(lambda: returns.step == 1)

    type_into(driver, "returnDescription", "Blue shirt M")
    driver.tap("returnCategory_clothing")
    driver.tap("returnQuantityMore")
    driver.wait_for(lambda: returns.quantity == 2)
    driver.tap("returnQuantityLess")
    driver.wait_for(lambda: returns.quantity == 1)
    driver.tap("returnNext")
    driver.wait_for(lambda: returns.step == 2)

    driver.tap("reason_wrong_size_colour")
    for condition in ("packaging_intact", "tags_attached", "accessories_complete", "has_proof"):
        driver.tap(f"condition_{condition}")
    driver.tap("returnDesired_exchange")
    driver.wait_for(lambda: returns.desired == "exchange")
    assert returns.conditions == {
        "packaging_intact": True,
        "tags_attached": True,
        "accessories_complete": True,
        "has_proof": True,
        "used": False,
    }
    driver.tap("returnNext")
    driver.wait_for(lambda: returns.step == 3)

    assert returns.outcome == "exchange_ok"
    assert not returns.staffReview
    assert returns.verdictEn[0] == "You can exchange the item."
    assert not driver.shows("returnStaffNote")
    assert "The tags" in returns.bringEn
    driver.tap("returnNext")
    driver.wait_for(lambda: returns.step == 4)

    driver.tap("returnNext")  # no phone: fine
    driver.wait_for(lambda: returns.step == 5)
    assert any("SL202611250042" in line for line in returns.summaryZh)

    driver.tap("returnSubmit")
    driver.wait_for(lambda: returns.step == 6)
    ticket = returns.ticketNo
    assert parse_ticket(ticket).text == ticket
    assert ticket.startswith("R-K01-")
    assert driver.item("returnTicket").property("text") == ticket

    with kiosk.sessions() as session:
        row = session.scalar(select(m.OutboxItem).where(m.OutboxItem.ticket_no == ticket))
        assert row is not None
        assert row.kind == "return_request"
        assert row.payload["slip_no"] == "SL202611250042"
        assert row.payload["store"]["name"] == "星巴克"
        assert row.payload["desired"] == "exchange"
        assert row.payload["policy"]["outcome"] == "exchange_ok"
        assert row.payload["items"] == [
            {"description": "Blue shirt M", "quantity": 1, "category": "clothing"}
        ]

    kiosk.receipts.join()
    receipt = Path(kiosk.paths.data_dir) / "receipts" / f"{ticket}.png"
    driver.wait_for(receipt.exists)
    found = zxingcpp.read_barcodes(Image.open(receipt))
    assert len(found) == 1
    assert found[0].text.startswith(f"https://m.yunhui-plaza.example/T/{ticket}?t=")
    # What to bring prints as a tick-box checklist, not repeated in the summary.
    from kiosk.printing.receipt import Checklist, layout

    printed = kiosk.receipts.receipt(returns._filed, "zh_CN")
    assert printed.checklist
    assert any(isinstance(block, Checklist) for block in layout(printed))
    bring = {item.zh for item in printed.checklist}
    assert not any(line.zh.removeprefix("· ") in bring for line in printed.summary)

    driver.tap("returnDone")
    driver.wait_for(lambda: kiosk.nav.current == "home")
    kiosk.shell.endSession()
    assert returns.ticketNo == ""
    assert returns.slip == ""


def test_a_wanted_repair_files_a_work_order(driver: Driver, kiosk: Kiosk) -> None:
    returns = kiosk.returns
    start(driver)
    driver.tap("tileReturns")
    driver.wait_for(lambda: kiosk.nav.current == "returns")
    returns.searchStores("xbk")
    store = kiosk.wayfinding_service.search("xbk")[0].id
    returns.chooseStore(store)
    returns.setPurchased("older")
    returns.next()
    returns.setDescription("Kettle does not heat")
    returns.setCategory("appliances")
    returns.next()
    returns.setReason("quality_defect")
    returns.setDesired("repair")
    returns.next()
    assert returns.step == 3
    assert returns.verdictEn
    returns.next()
    returns.next()
    assert returns.step == 5
    returns.submit("en")
    assert returns.step == 6
    assert returns.ticketNo
    with kiosk.sessions() as session:
        row = session.scalar(select(m.OutboxItem).where(m.OutboxItem.ticket_no == returns.ticketNo))
        assert row is not None
        assert row.kind == "repair_request"
        assert row.payload["fault"] == "Kettle does not heat"
        assert row.payload["pickup"] == "service_desk"
    kiosk.receipts.join()
