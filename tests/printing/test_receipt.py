"""What a receipt says and how it is laid out (before any drawing)."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime

import pytest

from kiosk.domain.venue import Names
from kiosk.printing.receipt import (
    KIND_LABELS,
    QR,
    SHORT_COLUMNS,
    Block,
    Checklist,
    Rule,
    Text,
    Title,
    display_columns,
    layout,
    mask_personal_data,
    new_tracking_token,
    tracking_url,
)
from tests.printing.conftest import BASE, TICKETS, TOKEN, make_receipt


def texts(blocks: tuple[Block, ...]) -> list[str]:
    out: list[str] = []
    for block in blocks:
        if isinstance(block, Title | Text):
            out.append(block.text)
        elif isinstance(block, Checklist):
            out.append(block.title)
            out += [t for item in block.items for t in (item.text, item.translation) if t]
    return out


@pytest.mark.parametrize("kind", list(TICKETS))
def test_every_kind_has_title_ticket_rules_and_one_qr_with_the_tracking_url(kind: str) -> None:
    receipt = make_receipt(kind)  # type: ignore[arg-type]
    blocks = layout(receipt)

    assert blocks[0] == Title("云汇广场")
    assert Text("Yunhui Plaza", "small", align="center") in blocks
    assert Text(receipt.ticket_no, "huge", bold=True, align="center") in blocks
    assert Text(KIND_LABELS[receipt.kind].zh, "large", bold=True, align="center") in blocks
    assert [b for b in blocks if isinstance(b, QR)] == [QR(receipt.tracking_url)]
    assert sum(isinstance(b, Rule) for b in blocks) >= 3
    shown = texts(blocks)
    assert "时间 Time: 2025-03-14 15:42" in shown
    assert "自助机 Kiosk: K07" in shown
    assert "商户 Store: 星巴克 Starbucks" in shown
    assert "联系方式 Contact: 138****5678" in shown


def test_checklist_only_on_return_and_repair_slips() -> None:
    for kind in ("return_request", "repair_request"):
        lists = [b for b in layout(make_receipt(kind)) if isinstance(b, Checklist)]
        assert len(lists) == 1
        assert lists[0].title == "请携带 Please bring"
        assert [i.text for i in lists[0].items] == ["商品及原包装", "购物小票或发票", "本申请单"]
        assert lists[0].items[0].translation == "The item and its packaging"
    for kind in ("complaint", "feedback"):
        assert not any(isinstance(b, Checklist) for b in layout(make_receipt(kind)))


def test_a_checklist_on_a_complaint_is_refused() -> None:
    with pytest.raises(ValueError, match="no checklist"):
        make_receipt("complaint", checklist=(Names("小票", "Receipt"),))


def test_the_shoppers_language_comes_first() -> None:
    zh = texts(layout(make_receipt(language="zh_CN")))
    en = texts(layout(make_receipt(language="en")))
    assert zh[0] == "云汇广场"
    assert zh[1] == "Yunhui Plaza"
    assert en[0] == "Yunhui Plaza"
    assert en[1] == "云汇广场"
    assert zh.index("原因：杯盖漏水") < zh.index("Reason: the lid leaks")
    assert en.index("Reason: the lid leaks") < en.index("原因：杯盖漏水")
    assert "Time 时间: 2025-03-14 15:42" in en


def test_long_lines_are_printed_in_the_shoppers_language_only() -> None:
    receipt = make_receipt()
    long_zh, long_en = receipt.summary[0].zh, receipt.summary[0].en
    assert display_columns(long_zh) > SHORT_COLUMNS or display_columns(long_en) > SHORT_COLUMNS
    zh = texts(layout(receipt))
    en = texts(layout(replace(receipt, language="en")))
    assert long_zh in zh
    assert long_en not in zh
    assert long_en in en
    assert long_zh not in en


def test_missing_english_falls_back_to_chinese_once() -> None:
    receipt = make_receipt(summary=(Names("原因：杯盖漏水", ""),), language="en")
    assert texts(layout(receipt)).count("原因：杯盖漏水") == 1


def test_receipt_ends_with_scan_hint_after_the_qr_code() -> None:
    blocks = layout(make_receipt(language="en"))
    qr_at = next(i for i, b in enumerate(blocks) if isinstance(b, QR))
    assert texts(blocks[qr_at:])[0] == "Scan to follow your request"


def test_tracking_url_is_base_ticket_and_token() -> None:
    token = new_tracking_token()
    assert len(token) == 43
    assert re.fullmatch(r"[A-Za-z0-9_-]+", token)
    assert tracking_url(BASE + "/", "C-K07-0042-X", token) == f"{BASE}/C-K07-0042-X?t={token}"


@pytest.mark.parametrize(
    ("base", "ticket", "token", "problem"),
    [
        ("ftp://m.example/T", "C-K07-0042-X", TOKEN, "http"),
        ("https://m.example/T?x=1", "C-K07-0042-X", TOKEN, "query"),
        (BASE, "c-k07", TOKEN, "ticket"),
        (BASE, "C-K07-0042-X", "short", "token"),
    ],
)
def test_tracking_url_refuses_bad_parts(base: str, ticket: str, token: str, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        tracking_url(base, ticket, token)


def test_the_qr_code_must_be_for_this_ticket() -> None:
    other = tracking_url(BASE, "C-K07-9999-Z", TOKEN)
    with pytest.raises(ValueError, match="tracking_url"):
        make_receipt(tracking_url=other)


def test_issued_at_must_be_timezone_aware() -> None:
    with pytest.raises(ValueError, match="timezone"):
        make_receipt(issued_at=datetime(2025, 3, 14, 15, 42))


@pytest.mark.parametrize("contact", ["13812345678", "王小明", "138****5678 / 13812345678"])
def test_an_unmasked_contact_is_refused(contact: str) -> None:
    with pytest.raises(ValueError, match="contact must be masked"):
        make_receipt(contact=contact)


@pytest.mark.parametrize(
    ("typed", "printed"),
    [
        ("请致电13812345678联系我", "请致电138****5678联系我"),
        ("邮件wang.xm@example.com.cn谢谢", "邮件w***@example.com.cn谢谢"),
        ("身份证 11010519491231002X", "身份证 110105********002X"),
    ],
)
def test_personal_data_typed_into_free_text_is_masked(typed: str, printed: str) -> None:
    assert mask_personal_data(typed) == printed
    receipt = make_receipt(summary=(Names(typed, ""),), store_name=Names(typed, ""))
    shown = texts(layout(receipt))
    assert printed in shown
    assert f"商户 Store: {printed}" in shown
    assert not any(typed in line for line in shown)


def test_order_numbers_are_not_taken_for_personal_data() -> None:
    receipt = make_receipt(
        summary=(
            Names("小票号 202503141542001234", "Receipt No. 202503141542001234"),
            Names("订单号 1381234567890", "Order 1381234567890"),
        ),
        contact="王*明",
    )
    assert "小票号 202503141542001234" in texts(layout(receipt))


def test_display_columns_counts_chinese_double() -> None:
    assert display_columns("单号 Ticket") == 11
    assert display_columns("（，）") == 6


def test_receipt_is_immutable() -> None:
    receipt = make_receipt()
    with pytest.raises(AttributeError):
        receipt.ticket_no = "X-K07-0000-0"  # type: ignore[misc]
