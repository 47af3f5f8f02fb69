"""The ticket tracking page a shopper opens from the receipt's QR code, on the real central
service: filed and printed the way the kiosk does it, synced by the kiosk's sync agent, the QR
code decoded from the printed PNG and opened (its origin pointed at the test server)."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
import secrets
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit, urlunsplit

import pytest
import requests
import zxingcpp
from PIL import Image
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from kiosk.domain.submissions import (
    Complaint,
    ComplaintCategory,
    Contact,
    ContactTime,
    DesiredOutcome,
    FeedbackType,
    Store,
    Submission,
)
from kiosk.domain.venue import Names
from kiosk.printing.backends import open_printer
from kiosk.printing.config import PrinterConfig
from kiosk.printing.image import FontSet
from kiosk.printing.printer import Printer
from kiosk.services.receipts import ReceiptService
from kiosk.services.submissions import SubmissionService
from kiosk.services.sync_agent import SyncAgent
from kiosk.store.db import open_cache
from sync.server import catalog, followup
from sync.server.cli import main
from sync.server.db import open_database
from sync.server.models import Base, SatisfactionRating, StatusEvent
from sync.server.models import Submission as Stored
from sync.server.web import tracking
from tests.central import Central
from tests.sync.client.conftest import client_factory
from tests.sync.server.conftest import TIMEOUT, Kiosk

# What the receipts print; the tests send the link to the test server instead.
TRACKING_BASE = "https://m.yunhui-plaza.example/T"
KIOSK = "K07"
NOT_SHOWN = ("王小明", "王*明", "13800138000", "138****8000", "店员态度", "13912345678")


@dataclass
class KioskSide:
    """A kiosk enrolled with the central service: its cache, filing service, sync agent and a
    PNG receipt printer."""

    sessions: sessionmaker[Session]
    service: SubmissionService
    agent: SyncAgent
    printer: Printer
    receipts: ReceiptService


@dataclass(frozen=True)
class Filed:
    ticket_no: str
    token: str
    url: str
    """The receipt's QR code, pointed at the test server."""


@pytest.fixture(scope="module")
def fonts() -> FontSet:
    return FontSet.find()


@pytest.fixture
def kiosk_side(tmp_path: Path, central: Central, fonts: FontSet) -> Iterator[KioskSide]:
    data_dir = tmp_path / "kiosk"
    data_dir.mkdir()
    engine, sessions = open_cache(data_dir / "cache.sqlite3")
    agent = SyncAgent(
        sessions, data_dir, central.base_url, KIOSK, "test", client_factory=client_factory()
    )
    agent.enroll(central.mint_code())
    printer = open_printer(
        PrinterConfig(backend="png", paper_mm=58), data_dir=data_dir, fonts=fonts
    )
    yield KioskSide(
        sessions,
        SubmissionService(sessions, KIOSK, TRACKING_BASE),
        agent,
        printer,
        ReceiptService(printer, Names("云汇广场", "Yunhui Plaza"), KIOSK),
    )
    assert agent.stop(timeout=15)
    engine.dispose()


def complaint(*, contact: bool = True) -> Complaint:
    return Complaint(
        type=FeedbackType.COMPLAINT,
        category=ComplaintCategory.SERVICE_ATTITUDE,
        store=Store("starbucks", "星巴克 Starbucks"),
        occurred_at=None,
        description="店员态度很差，请打 13912345678 联系我",
        desired_outcome=DesiredOutcome.APOLOGY,
        contact=Contact("王小明", "13800138000", ContactTime.ANYTIME, consent=True)
        if contact
        else None,
        lang="zh",
    )


def suggestion() -> Complaint:
    return Complaint(
        type=FeedbackType.SUGGESTION,
        category=None,
        store=Store(None, "云汇广场"),
        occurred_at=None,
        description="希望多放几把椅子",
        desired_outcome=None,
        contact=None,
        lang="zh",
    )


def file_and_sync(side: KioskSide, central: Central, submission: Submission) -> Filed:
    """File on the kiosk, print the receipt, sync; the QR code read back from the PNG."""
    filed = side.service.file(submission)
    printed = side.printer.print_receipt(side.receipts.receipt(filed, "zh"))
    assert printed.path is not None
    with Image.open(printed.path) as image:
        (url,) = [b.text for b in zxingcpp.read_barcodes(image)]
    snapshot = side.agent.run_once()
    assert snapshot.online, snapshot
    assert snapshot.queue_depth == 0, snapshot
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == f"{TRACKING_BASE}/{filed.ticket_no}"
    origin = urlsplit(central.base_url)
    (token,) = parse_qs(parts.query)["t"]
    return Filed(
        filed.ticket_no, token, urlunsplit(parts._replace(scheme="http", netloc=origin.netloc))
    )


def get(url: str, **params: str) -> requests.Response:
    return requests.get(url, params=params or None, timeout=TIMEOUT, allow_redirects=False)


def post(url: str, data: dict[str, str]) -> requests.Response:
    return requests.post(url, data=data, timeout=TIMEOUT, allow_redirects=False)


def page_path(central: Central, ticket_no: str, action: str = "") -> str:
    return f"{central.base_url}/T/{ticket_no}{action}"


def database_rows(central: Central) -> dict[str, list[str]]:
    """Every row of every table, to compare before and after."""
    db = open_database(central.db_url, upgrade=False)
    try:
        with db.reads() as session:
            return {
                table.name: sorted(repr(tuple(row)) for row in session.execute(select(table)))
                for table in Base.metadata.sorted_tables
            }
    finally:
        db.dispose()


def events(central: Central, ticket_no: str) -> list[tuple[str, str]]:
    db = open_database(central.db_url, upgrade=False)
    try:
        with db.reads() as session:
            rows = session.execute(
                select(StatusEvent.status, StatusEvent.actor)
                .join(Stored, Stored.uuid == StatusEvent.submission_uuid)
                .where(Stored.ticket_no == ticket_no)
                .order_by(StatusEvent.seq)
            )
            return [(row.status, row.actor) for row in rows]
    finally:
        db.dispose()


def ratings(central: Central) -> list[tuple[int, str | None]]:
    db = open_database(central.db_url, upgrade=False)
    try:
        with db.reads() as session:
            rows = session.execute(select(SatisfactionRating.rating, SatisfactionRating.comment))
            return [(row.rating, row.comment) for row in rows]
    finally:
        db.dispose()


def is_page(reply: requests.Response, status: int) -> str:
    """The reply is an HTML page with `status` that is kept by no one; its text."""
    assert reply.status_code == status, reply.text[:500]
    assert reply.headers["content-type"].startswith("text/html")
    assert reply.headers["cache-control"] == "no-store"
    assert reply.headers["referrer-policy"] == "no-referrer"
    assert "Traceback" not in reply.text
    assert not re.search(r"\{[a-z_]*\}", reply.text), "a placeholder left unfilled"
    return reply.text


# --- the page ---------------------------------------------------------------------------------


def test_the_receipt_qr_opens_the_ticket_and_its_status_in_zh_and_en(
    central: Central, kiosk_side: KioskSide
) -> None:
    filed = file_and_sync(kiosk_side, central, complaint())

    zh = is_page(get(filed.url), 200)
    assert filed.ticket_no in zh
    assert "您的投诉" in zh
    assert "投诉 · 服务态度" in zh
    assert "星巴克 Starbucks" in zh
    assert "服务中心已收到" in zh
    assert "在自助机 K07 提交" in zh
    assert "营业时间内，我们会在 15 分钟内首次联系您；复杂问题在 2 小时内答复。" in zh
    assert "撤回此单" in zh
    assert "提交评价" not in zh  # not finished: nothing to rate yet
    for private in NOT_SHOWN:
        assert private not in zh

    # Any case in the link; English by ?lang= or by the browser's language.
    lower = filed.url.replace(filed.ticket_no, filed.ticket_no.lower())
    en = is_page(get(lower, lang="en"), 200)
    assert "Received by the service centre" in en
    assert "we contact you within 15 minutes" in en
    accept = requests.get(filed.url, headers={"Accept-Language": "en-GB,en;q=0.9"}, timeout=9)
    assert "Your complaint" in is_page(accept, 200)

    central.set_status(filed.ticket_no, "in_progress", note="已联系商户核实，今天下午答复您。")
    later = is_page(get(filed.url), 200)
    assert "处理中" in later
    assert "已联系商户核实，今天下午答复您。" in later
    assert "工作人员正在处理，复杂问题会在 2 小时内答复。" in later
    assert later.index("处理中") < later.index("服务中心已收到")  # newest first


def test_times_are_the_malls_local_time(central: Central, kiosk: Kiosk) -> None:
    token = secrets.token_urlsafe(32)
    filed_at = dt.datetime(2026, 3, 14, 23, 30, tzinfo=dt.UTC)  # 07:30 next day in Shanghai
    item = kiosk.item(
        kind="repair_request",
        created_at=filed_at.isoformat(),
        token_sha256=hashlib.sha256(token.encode()).hexdigest(),
        payload={
            "item": "电动牙刷",
            "store": {"id": "mi", "name": "小米之家"},
            "pickup": "delivery",
        },
    )
    kiosk.push(item)
    page = is_page(get(page_path(central, item["ticket_no"]), t=token), 200)
    assert "2026-03-15 07:30" in page
    # A repair: the work order, brought in within the request's 15 days, delivered back.
    assert "维修工单已建立。请在 2026年3月30日 前把物品" in page
    assert "送到小米之家或商场服务台" in page
    assert "修好后我们会致电与您确认送货地址和时间。" in page
    assert "撤回此单" not in page  # repairs are not withdrawn from the page
    en = is_page(get(page_path(central, item["ticket_no"]), t=token, lang="en"), 200)
    assert "by 30 March 2026" in en


def test_a_return_request_says_what_to_bring_by_when_and_promises_follow_the_venue(
    central: Central, kiosk: Kiosk
) -> None:
    db = open_database(central.db_url, upgrade=False)
    try:
        settings = {"submissions": {"first_response_minutes": 10, "request_valid_days": 7}}
        catalog.load_document(db, "settings", settings, central.venue_id)
    finally:
        db.dispose()
    token = secrets.token_urlsafe(32)
    item = kiosk.item(
        kind="return_request",
        created_at="2026-05-01T02:00:00+00:00",
        token_sha256=hashlib.sha256(token.encode()).hexdigest(),
        payload={
            "store": {"id": "uniqlo", "name": "优衣库"},
            "contact": {"name": "王小明", "phone": "13800138000"},
            "callback_possible": True,
        },
    )
    kiosk.push(item)
    page = is_page(get(page_path(central, item["ticket_no"]), t=token), 200)
    assert "您的退换货申请" in page
    assert "请在 2026年5月8日 前，携带商品及完整的包装、配件、赠品和购物凭证" in page
    assert "到优衣库或商场服务台办理" in page
    for private in NOT_SHOWN:
        assert private not in page

    complaint_token = secrets.token_urlsafe(32)
    other = kiosk.item(token_sha256=hashlib.sha256(complaint_token.encode()).hexdigest())
    other["payload"] = {"type": "complaint", "callback_possible": True}
    kiosk.push(other)
    page = is_page(get(page_path(central, other["ticket_no"]), t=complaint_token), 200)
    assert "我们会在 10 分钟内首次联系您" in page


# --- no oracle, and throttled -------------------------------------------------------------------


def test_an_unknown_ticket_and_a_wrong_token_get_the_same_page(
    central: Central, kiosk_side: KioskSide
) -> None:
    filed = file_and_sync(kiosk_side, central, complaint())
    wrong = secrets.token_urlsafe(32)
    pages = [
        get(page_path(central, filed.ticket_no), t=wrong),
        get(page_path(central, "C-K07-9999-X"), t=wrong),
        get(page_path(central, filed.ticket_no), t=filed.token[:-1]),
        get(page_path(central, filed.ticket_no), t=""),
        get(page_path(central, filed.ticket_no)),
        get(page_path(central, "not a ticket"), t=wrong),
        get(page_path(central, filed.ticket_no), t="x" * 5000),
    ]
    bodies = {is_page(reply, 404) for reply in pages}
    assert len(bodies) == 1
    (body,) = bodies
    assert "找不到这张单" in body
    assert "请直接扫描回执上的二维码" in body
    assert "服务台" in body
    assert filed.ticket_no not in body
    assert wrong not in body
    # The same for the forms, and for the withdrawal's confirmation page.
    assert is_page(get(page_path(central, filed.ticket_no, "/withdraw"), t=wrong), 404) == body
    for action, data in (("/rating", {"rating": "5"}), ("/withdraw", {"confirm": "yes"})):
        reply = post(page_path(central, filed.ticket_no, action), {"t": wrong, **data})
        assert is_page(reply, 404) == body
    assert "Ticket not found" in is_page(get(page_path(central, "C-K07-9999-X"), lang="en"), 404)
    assert events(central, filed.ticket_no) == [("received", "server")]
    assert ratings(central) == []


def test_misses_are_throttled_per_client_and_successes_are_not(
    central: Central, kiosk_side: KioskSide
) -> None:
    filed = file_and_sync(kiosk_side, central, complaint())
    for _ in range(tracking.MISS_LIMIT + 10):
        assert get(filed.url).status_code == 200
    for n in range(tracking.MISS_LIMIT):
        assert get(page_path(central, f"C-K07-{n:04d}-X"), t="guess").status_code == 404
    refused = get(page_path(central, "C-K07-0001-X"), t="guess")
    text = is_page(refused, 429)
    wait = int(refused.headers["retry-after"])
    assert 0 < wait <= tracking.MISS_WINDOW_S
    assert "尝试次数过多" in text
    assert f"请在 {-(-wait // 60)} 分钟后再试" in text
    # Over the limit, a wrong token for a real ticket is refused with the very same page as an
    # unknown ticket (the page does not tell which), by GET and by a form alike...
    assert is_page(get(filed.url.replace(filed.token, "guess")), 429) == text
    assert is_page(get(page_path(central, filed.ticket_no, "/withdraw"), t="guess"), 429) == text
    wrong = post(page_path(central, filed.ticket_no, "/rating"), {"t": "guess", "rating": "5"})
    assert is_page(wrong, 429) == text
    # ...but the right token is served: a shopper sharing the address (the mall's Wi-Fi) is
    # not locked out by someone else's guesses.
    assert filed.ticket_no in is_page(get(filed.url), 200)
    confirm = post(page_path(central, filed.ticket_no, "/withdraw"), {"t": filed.token})
    assert "撤回" in is_page(confirm, 200)
    assert events(central, filed.ticket_no) == [("received", "server")]
    assert ratings(central) == []


def test_clients_are_told_apart_by_address_and_an_ipv6_client_by_its_64() -> None:
    from starlette.requests import Request

    def key(host: str) -> str:
        return tracking._client(Request({"type": "http", "client": (host, 1234), "headers": []}))

    assert key("203.0.113.7") != key("203.0.113.8")
    assert key("2001:db8:1:2::1") == key("2001:db8:1:2:ffff::9")
    assert key("2001:db8:1:2::1") != key("2001:db8:1:3::1")
    assert key("::ffff:203.0.113.7") == key("203.0.113.7")


# --- nothing changes without an explicit submit ------------------------------------------------


def test_no_get_or_head_changes_anything(central: Central, kiosk_side: KioskSide) -> None:
    open_one = file_and_sync(kiosk_side, central, complaint())
    done = file_and_sync(kiosk_side, central, suggestion())
    central.set_status(done.ticket_no, "resolved", note="已增加休息座椅。")
    before = database_rows(central)
    urls: list[tuple[str, dict[str, str]]] = []
    for filed in (open_one, done):
        page = page_path(central, filed.ticket_no)
        urls += [
            (filed.url, {}),
            (page, {"t": filed.token, "lang": "en"}),
            (page, {"t": filed.token, "done": "rated"}),
            (page, {"t": filed.token, "done": "withdrawn"}),
            (page + "/withdraw", {"t": filed.token}),
            (page + "/withdraw", {"t": filed.token, "confirm": "yes"}),
            (page + "/rating", {"t": filed.token, "rating": "5"}),
            (page, {"t": "wrong"}),
        ]
    urls += [(f"{central.base_url}/T", {}), (f"{central.base_url}/T/a/b/c", {})]
    seen = set()
    for url, params in urls:
        for method in ("GET", "HEAD"):
            reply = requests.request(
                method, url, params=params, timeout=TIMEOUT, allow_redirects=False
            )
            assert reply.status_code in (200, 404), (method, url, params)
            seen.add(reply.status_code)
    assert seen == {200, 404}
    assert database_rows(central) == before
    page = is_page(get(done.url), 200)
    assert "提交评价" in page
    assert "已增加休息座椅。" in page


def test_the_pages_errors_are_html_never_the_apis_json(
    central: Central, kiosk_side: KioskSide
) -> None:
    filed = file_and_sync(kiosk_side, central, complaint())
    page = page_path(central, filed.ticket_no)
    assert "Allow" in requests.put(page, timeout=TIMEOUT).headers
    for method, url, status in (
        ("PUT", page, 405),
        ("POST", page, 405),
        ("DELETE", page + "/rating", 405),
        ("GET", page + "/rating", 404),
        ("GET", f"{central.base_url}/T/", 404),
        ("GET", f"{central.base_url}/T", 404),
    ):
        is_page(requests.request(method, url, timeout=TIMEOUT), status)
    garbled = requests.post(
        page + "/rating",
        data=b"t=" + filed.token.encode() + b"&comment=\xff\xfe",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        timeout=TIMEOUT,
    )
    assert "无法识别提交的内容" in is_page(garbled, 400)
    huge = requests.post(
        page + "/rating", data={"t": filed.token, "comment": "长" * 30_000}, timeout=TIMEOUT
    )
    is_page(huge, 400)
    assert ratings(central) == []


def test_a_bug_is_a_calm_page_and_its_traceback_goes_to_the_log(
    central: Central,
    kiosk_side: KioskSide,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    filed = file_and_sync(kiosk_side, central, complaint())

    def broken(*_args: Any) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(followup.Tickets, "find", broken)
    with caplog.at_level(logging.ERROR, logger="sync.server.web.tracking"):
        text = is_page(get(filed.url), 500)
    assert "暂时无法查询" in text
    assert "a bug" not in text
    assert any(r.exc_info and "a bug" in str(r.exc_info[1]) for r in caplog.records)


# --- explicit submits: rating and withdrawal ----------------------------------------------------


def test_a_finished_ticket_can_be_rated_once(
    central: Central, kiosk_side: KioskSide, capsys: pytest.CaptureFixture[str]
) -> None:
    filed = file_and_sync(kiosk_side, central, complaint())
    assert main(["--db", central.db_url, "satisfaction", "--all"]) == 0
    assert capsys.readouterr().out == "no ticket was rated ever\n"
    rating_url = page_path(central, filed.ticket_no, "/rating")
    early = post(rating_url, {"t": filed.token, "rating": "5"})
    assert "处理完成后才能评价。" in is_page(early, 409)
    assert ratings(central) == []

    central.set_status(filed.ticket_no, "resolved", note="店长已当面致歉。")
    page = is_page(get(filed.url), 200)
    assert "您对这次处理满意吗？" in page
    assert 'name="t" value="' + filed.token in page  # the token travels in the form's body
    for bad in ("0", "6", "4.5", "five", ""):
        reply = post(rating_url, {"t": filed.token, "rating": bad, "comment": "还行"})
        assert "请选择 1 到 5 分。" in is_page(reply, 400)
    long = "好" * (followup.MAX_COMMENT + 1)
    reply = post(rating_url, {"t": filed.token, "rating": "4", "comment": long})
    text = is_page(reply, 400)
    assert f"想说的话最多 {followup.MAX_COMMENT} 字，您写了 {followup.MAX_COMMENT + 1} 字" in text
    assert long in text  # kept for the shopper to shorten
    assert 'value="4" required checked' in text
    assert ratings(central) == []

    comment = "店长态度很好\r\n谢谢\x1b[31m"
    rated = post(rating_url, {"t": filed.token, "rating": "4", "comment": comment})
    assert rated.status_code == 303
    location = rated.headers["location"]
    assert location.startswith(f"/T/{filed.ticket_no}?")
    assert parse_qs(urlsplit(location).query) == {
        "t": [filed.token],
        "lang": ["zh"],
        "done": ["rated"],
    }
    after = is_page(get(central.base_url + location), 200)
    assert "您的评价已提交。" in after
    assert "感谢您的评价：4 分（满分 5 分）。" in after
    assert "提交评价" not in after
    assert ratings(central) == [(4, "店长态度很好\n谢谢[31m")]

    again = post(rating_url, {"t": filed.token, "rating": "1"})
    assert "此单已经评价过了" in is_page(again, 409)
    assert ratings(central) == [(4, "店长态度很好\n谢谢[31m")]

    capsys.readouterr()
    assert main(["--db", central.db_url, "satisfaction"]) == 0
    out = capsys.readouterr().out
    assert filed.ticket_no in out
    assert "4/5" in out
    assert "店长态度很好 / 谢谢[31m" in out
    assert "1 rating in the last 30 days: average 4.0 of 5, satisfied (4 or 5) 100 %" in out


def test_withdrawing_asks_first_and_becomes_a_status_event_the_kiosk_pulls(
    central: Central, kiosk_side: KioskSide
) -> None:
    filed = file_and_sync(kiosk_side, central, suggestion())
    withdraw_url = page_path(central, filed.ticket_no, "/withdraw")

    asked = is_page(get(withdraw_url, t=filed.token, lang="en"), 200)
    assert "Withdraw this ticket?" in asked
    assert 'name="confirm" value="yes"' in asked
    unconfirmed = post(withdraw_url, {"t": filed.token})
    assert "确认撤回" in is_page(unconfirmed, 200)
    assert events(central, filed.ticket_no) == [("received", "server")]

    done = post(f"{withdraw_url}?lang=en", {"t": filed.token, "confirm": "yes"})
    assert done.status_code == 303
    page = is_page(get(central.base_url + done.headers["location"]), 200)
    assert "Withdrawn: we will not work on it further." in page
    assert "Withdrawn by you on this page" in page
    assert "Withdraw this ticket" not in page
    assert events(central, filed.ticket_no) == [("received", "server"), ("withdrawn", "shopper")]

    kiosk_side.agent.run_once()
    seen = kiosk_side.service.lookup(filed.ticket_no)
    assert seen is not None
    assert seen.status == "withdrawn"

    again = post(withdraw_url, {"t": filed.token, "confirm": "yes"})
    assert "此单已不能撤回" in is_page(again, 409)
    assert len(events(central, filed.ticket_no)) == 2


@pytest.mark.parametrize("status", ["resolved", "closed", "not_accepted", "duplicate"])
def test_a_complaint_past_handling_cannot_be_withdrawn(
    central: Central, kiosk_side: KioskSide, status: str
) -> None:
    filed = file_and_sync(kiosk_side, central, complaint(contact=False))
    central.set_status(filed.ticket_no, status)
    page = is_page(get(filed.url), 200)
    assert "撤回此单" not in page
    reply = post(
        page_path(central, filed.ticket_no, "/withdraw"), {"t": filed.token, "confirm": "yes"}
    )
    is_page(reply, 409)
    assert [s for s, _ in events(central, filed.ticket_no)] == ["received", status]


def test_a_return_request_cannot_be_withdrawn(central: Central, kiosk: Kiosk) -> None:
    token = secrets.token_urlsafe(32)
    item = kiosk.item(
        kind="return_request", token_sha256=hashlib.sha256(token.encode()).hexdigest()
    )
    kiosk.push(item)
    reply = post(page_path(central, item["ticket_no"], "/withdraw"), {"t": token, "confirm": "yes"})
    is_page(reply, 409)
    db = open_database(central.db_url, upgrade=False)
    try:
        with db.reads() as session:
            stored = session.scalar(select(Stored).where(Stored.uuid == uuid.UUID(item["uuid"])))
            assert stored is not None
            assert stored.status == "received"
    finally:
        db.dispose()
