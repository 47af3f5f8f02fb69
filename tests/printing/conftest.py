"""Receipts to print, the real Chinese font, and a TCP receipt printer on 127.0.0.1."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from kiosk.domain.venue import Names
from kiosk.printing.image import FontSet
from kiosk.printing.receipt import Receipt, ReceiptKind, tracking_url

BASE = "https://m.yunhui-plaza.example/T"
TOKEN = "Qv3x7LbE0c9y-_AbCdEfGhIjKlMnOpQrStUvWxYz012"  # the shape of secrets.token_urlsafe(32)
CST = timezone(timedelta(hours=8))

TICKETS: dict[ReceiptKind, str] = {
    "complaint": "C-K07-0042-X",
    "feedback": "F-K07-0043-M",
    "return_request": "R-K07-0044-Q",
    "repair_request": "P-K07-0045-D",
}


@pytest.fixture(scope="session")
def fonts() -> FontSet:
    return FontSet.find()


def make_receipt(kind: ReceiptKind = "return_request", **changes: Any) -> Receipt:
    ticket = changes.pop("ticket_no", TICKETS[kind])
    receipt = Receipt(
        mall_name=Names("云汇广场", "Yunhui Plaza"),
        kind=kind,
        ticket_no=ticket,
        issued_at=datetime(2025, 3, 14, 15, 42, tzinfo=CST),
        kiosk_code="K07",
        tracking_url=tracking_url(BASE, ticket, TOKEN),
        store_name=Names("星巴克", "Starbucks"),
        contact="138****5678",
        summary=(
            Names(
                "商品：保温杯（黑色，500毫升），购买于2025年3月10日",
                "Item: vacuum flask (black, 500 ml), bought on 10 March 2025",
            ),
            Names("原因：杯盖漏水", "Reason: the lid leaks"),
        ),
        next_steps=(
            Names(
                "请于7天内携带商品到一楼服务台办理，工作人员将扫描二维码并检查商品。",
                "Bring the item to the service desk on 1F within 7 days; staff will scan the "
                "QR code and inspect it.",
            ),
        ),
        checklist=(
            (
                Names("商品及原包装", "The item and its packaging"),
                Names("购物小票或发票", "Receipt or invoice"),
                Names("本申请单", "This slip"),
            )
            if kind in ("return_request", "repair_request")
            else ()
        ),
    )
    return replace(receipt, **changes) if changes else receipt


@pytest.fixture
def receipt_factory() -> Callable[..., Receipt]:
    return make_receipt


class FakeNetworkPrinter:
    """A raw-TCP printer on 127.0.0.1: records what it is sent and answers DLE EOT n with
    `replies[n]` (no answer at all when `replies` is None)."""

    def __init__(self, replies: dict[int, int] | None) -> None:
        self.replies = replies
        self.received = bytearray()
        self.connections = 0
        self._server = socket.create_server(("127.0.0.1", 0))
        self._server.settimeout(0.05)
        self.port: int = self._server.getsockname()[1]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, name="fake-printer")
        self._thread.start()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(5)
        self._server.close()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._server.accept()
            except TimeoutError:
                continue
            self.connections += 1
            with conn:
                conn.settimeout(0.05)
                while True:  # until the client hangs up: read everything it sent
                    try:
                        data = conn.recv(65536)
                    except TimeoutError:
                        if self._stop.is_set():
                            break
                        continue
                    if not data:
                        break
                    self.received += data
                    if self.replies is not None and data[:2] == b"\x10\x04" and len(data) == 3:
                        conn.sendall(bytes((self.replies[data[2]],)))


@pytest.fixture
def network_printer() -> Iterator[Callable[[dict[int, int] | None], FakeNetworkPrinter]]:
    started: list[FakeNetworkPrinter] = []

    def start(replies: dict[int, int] | None) -> FakeNetworkPrinter:
        printer = FakeNetworkPrinter(replies)
        started.append(printer)
        return printer

    yield start
    for printer in started:
        printer.close()


@pytest.fixture
def closed_port() -> int:
    """A local TCP port nobody listens on."""
    with socket.create_server(("127.0.0.1", 0)) as server:
        port: int = server.getsockname()[1]
    return port
