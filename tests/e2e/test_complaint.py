"""投诉建议 end to end, offscreen: tap through the real form with key events, send, and check the
outbox row, the ticket number and the printed receipt's QR code."""

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


def type_into(driver: Driver, name: str, text: str) -> None:
    driver.tap(name)
    for char in text:
        QTest.keyClick(driver.kiosk.window, char)


def test_file_a_complaint_and_get_a_receipt(driver: Driver, kiosk: Kiosk) -> None:
    start(driver)
    driver.tap("tileComplaints")
    driver.wait_for(lambda: kiosk.nav.current == "complaints")
    driver.tap("type_complaint")
    driver.wait_for(lambda: kiosk.complaint.step == 1)

    driver.tap("complaintNext")  # nothing chosen yet: the form says what is missing
    driver.wait_for(lambda: "category" in kiosk.complaint.problems)
    assert kiosk.complaint.step == 1
    driver.tap("category_service_attitude")
    type_into(driver, "complaintStoreSearch", "xbk")
    driver.wait_for(lambda: driver.shows("complaintStore_0"))
    driver.tap("complaintStore_0")
    driver.wait_for(lambda: kiosk.complaint.storeNameEn == "Starbucks")
    driver.tap("when_today")
    driver.tap("complaintNext")
    driver.wait_for(lambda: kiosk.complaint.step == 2)

    type_into(driver, "complaintDescription", "Waited 20 min, nobody served us")
    driver.tap("desired_apology")
    driver.tap("complaintNext")
    driver.wait_for(lambda: kiosk.complaint.step == 3)

    type_into(driver, "complaintPhone", "1381234567")  # one digit short
    driver.tap("complaintNext")
    driver.wait_for(lambda: "phone" in kiosk.complaint.problems)
    type_into(driver, "complaintPhone", "8")
    driver.tap("complaintNext")
    driver.wait_for(lambda: "consent" in kiosk.complaint.problems)
    driver.tap("complaintConsent")
    driver.tap("complaintNext")
    driver.wait_for(lambda: kiosk.complaint.step == 4)
    assert any("138****5678" in line for line in kiosk.complaint.summaryZh)

    driver.tap("complaintSubmit")
    driver.wait_for(lambda: kiosk.complaint.step == 5)
    ticket = kiosk.complaint.ticketNo
    assert parse_ticket(ticket).text == ticket
    assert ticket.startswith("C-K01-")
    assert driver.item("complaintTicket").property("text") == ticket

    with kiosk.sessions() as session:
        row = session.scalar(select(m.OutboxItem).where(m.OutboxItem.ticket_no == ticket))
        assert row is not None
        assert row.kind == "complaint"
        assert row.payload["contact"]["phone"] == "13812345678"
        assert row.payload["store"]["name"] == "星巴克"
        status = session.scalar(select(m.TicketStatus).where(m.TicketStatus.ticket_no == ticket))
        assert status is not None
        assert status.status == "submitted"

    kiosk.receipts.join()
    receipt = Path(kiosk.paths.data_dir) / "receipts" / f"{ticket}.png"
    driver.wait_for(receipt.exists)
    found = zxingcpp.read_barcodes(Image.open(receipt))
    assert len(found) == 1
    url = found[0].text
    assert url.startswith(f"https://m.yunhui-plaza.example/T/{ticket}?t=")
    assert "13812345678" not in url

    driver.tap("complaintDone")
    driver.wait_for(lambda: kiosk.nav.current == "home")
    kiosk.shell.endSession()
    assert kiosk.complaint.ticketNo == ""
    assert kiosk.complaint.phone == ""


def test_check_my_ticket(driver: Driver, kiosk: Kiosk) -> None:
    from kiosk.domain.submissions import Complaint, FeedbackType, Store

    filed = kiosk.submissions.file(
        Complaint(
            type=FeedbackType.SUGGESTION,
            category=None,
            store=Store(None, "云汇广场"),
            occurred_at=None,
            description="More benches near the cinema, please",
            desired_outcome=None,
            contact=None,
            lang="en",
        )
    )
    start(driver)
    driver.tap("tileStatus")
    driver.wait_for(lambda: kiosk.nav.current == "status")
    # A mistyped check character is caught.
    wrong = filed.ticket_no[:-1] + ("A" if filed.ticket_no[-1] != "A" else "B")
    type_into(driver, "ticketField", wrong)
    driver.tap("ticketLookup")
    driver.wait_for(lambda: kiosk.ticket_status.messageEn != "")
    assert not kiosk.ticket_status.found
    # The receipt's QR, read by a scanner (keyboard wedge): the tracking link, then Enter.
    field = driver.item("ticketField")
    field.setProperty("text", "")
    type_into(driver, "ticketField", filed.tracking_url)
    QTest.keyClick(kiosk.window, "\r")
    driver.wait_for(lambda: kiosk.ticket_status.found)
    assert kiosk.ticket_status.ticketNo == filed.ticket_no
    assert kiosk.ticket_status.statusEn.startswith("Submitted")
