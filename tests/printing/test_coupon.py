"""A member's coupon slip: what it says, that it names no one, and that its QR code reads back
as the coupon's code from the printed image (png backend) and the ESC/POS text job."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

from kiosk.domain.venue import Names
from kiosk.printing.backends import open_printer
from kiosk.printing.config import PrinterConfig
from kiosk.printing.coupon import MAX_STORES_LISTED, CouponSlip, coupon_layout
from kiosk.printing.image import FontSet
from kiosk.printing.receipt import QR, Text, Title
from tests.printing.conftest import CST

CODE = "CPN-7F3K-9Q2M"


def make_slip(**changes: object) -> CouponSlip:
    values: dict[str, object] = {
        "mall_name": Names("云汇广场", "Yunhui Plaza"),
        "code": CODE,
        "title": Names("满200减30", "30 off 200"),
        "terms": Names("单笔消费满200元可用", "On a single purchase of 200 or more"),
        "valid_until": date(2026, 12, 31),
        "stores": (Names("星巴克", "Starbucks"), Names("优衣库", "Uniqlo")),
        "issued_at": datetime(2026, 11, 26, 10, 5, tzinfo=CST),
        "kiosk_code": "K07",
    }
    values.update(changes)
    return CouponSlip(**values)  # type: ignore[arg-type]


def texts(slip: CouponSlip) -> list[str]:
    return [b.text for b in coupon_layout(slip) if isinstance(b, Text | Title)]


def test_the_slip_says_what_the_till_needs_in_the_shoppers_language() -> None:
    zh = texts(make_slip())
    assert zh[0] == "云汇广场"
    assert "满200减30" in zh
    assert "有效期至 Valid until: 2026-12-31" in zh
    assert "适用商户 Valid at: 星巴克、优衣库" in zh
    assert CODE in zh
    assert [b.url for b in coupon_layout(make_slip()) if isinstance(b, QR)] == [CODE]

    en = texts(make_slip(language="en"))
    assert en[0] == "Yunhui Plaza"
    assert "Valid at 适用商户: Starbucks, Uniqlo" in en
    every = texts(make_slip(language="en", stores=()))
    assert "Valid at 适用商户: Every store of the mall" in every


def test_a_long_list_of_stores_is_cut_with_a_count() -> None:
    stores = tuple(Names(f"店{i}", f"Store {i}") for i in range(MAX_STORES_LISTED + 3))
    (line,) = [t for t in texts(make_slip(language="en", stores=stores)) if "Valid at" in t]
    assert line.endswith("Store 7 and 3 more")


def test_the_job_is_never_named_after_the_code_and_never_twice_alike() -> None:
    slip, again = make_slip(), make_slip()
    assert re.fullmatch(r"COUPON-20261126-100500-[0-9a-f]{6}", slip.ticket_no)
    assert CODE not in slip.ticket_no
    assert again.ticket_no != slip.ticket_no  # the same second, another file


@pytest.mark.parametrize("code", ["", "   ", "x" * 65, "line\nbreak"])
def test_a_code_that_cannot_be_printed_is_refused(code: str) -> None:
    with pytest.raises(ValueError, match="coupon code"):
        make_slip(code=code)


def test_an_issue_time_without_a_zone_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        make_slip(issued_at=datetime(2026, 11, 26, 10, 5))


def test_the_printed_image_reads_back_as_the_code(tmp_path: Path, fonts: FontSet) -> None:
    printer = open_printer(
        PrinterConfig.model_validate({"backend": "png", "paper_mm": 58}),
        data_dir=tmp_path,
        fonts=fonts,
    )
    slip = make_slip()
    result = printer.print_receipt(slip)
    assert result.path is not None
    assert result.path.name == f"{slip.ticket_no}.png"
    with Image.open(result.path) as image:
        assert [b.text for b in zxingcpp.read_barcodes(image)] == [CODE]


def test_the_escpos_text_job_carries_the_code(tmp_path: Path, fonts: FontSet) -> None:
    printer = open_printer(
        PrinterConfig.model_validate({"backend": "dummy", "paper_mm": 80, "mode": "text"}),
        data_dir=tmp_path,
        fonts=fonts,
    )
    printer.print_receipt(make_slip())
    output = printer.transport.output  # type: ignore[attr-defined]
    assert CODE.encode() in output
