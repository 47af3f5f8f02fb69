"""Receipt benchmark: lay out and draw a return slip with its QR code, then encode it to ESC/POS.

For 58 mm (384 dots) and 80 mm (576 dots) paper, each round builds a fresh receipt (a new
tracking token, so a new QR code; Chinese and English alternately), lays it out, draws the
1-bit image and encodes it with python-escpos (GS v 0 raster bands and a cut). The font is found
and python-escpos imported once, before timing; those one-off costs are reported separately.
Prints JSON; the budget is 100 ms median for layout + image + ESC/POS together.

    python bench/receipt.py [--rounds 60]
"""

from __future__ import annotations

import argparse
import importlib
import json
import statistics
import time
from datetime import datetime, timedelta, timezone

from kiosk.domain.venue import Names
from kiosk.printing.escpos_out import EscposEncoder
from kiosk.printing.image import FontSet, Paper, ReceiptRenderer
from kiosk.printing.receipt import Language, Receipt, layout, new_tracking_token, tracking_url

BUDGET_MEDIAN_MS = 100.0
BASE = "https://m.yunhui-plaza.example/T"


def receipt(number: int, language: Language) -> Receipt:
    ticket = f"R-K07-{number:04d}-X"
    return Receipt(
        mall_name=Names("云汇广场", "Yunhui Plaza"),
        kind="return_request",
        ticket_no=ticket,
        issued_at=datetime(2025, 3, 14, 15, 42, tzinfo=timezone(timedelta(hours=8))),
        kiosk_code="K07",
        tracking_url=tracking_url(BASE, ticket, new_tracking_token()),
        language=language,
        store_name=Names("星巴克", "Starbucks"),
        contact="138****5678",
        summary=(
            Names(
                "商品：保温杯（黑色，500毫升），购买于2025年3月10日",
                "Item: vacuum flask (black, 500 ml), bought on 10 March 2025",
            ),
            Names("原因：杯盖漏水", "Reason: the lid leaks"),
            Names("希望：换货", "Wanted: an exchange"),
        ),
        next_steps=(
            Names(
                "请于7天内携带商品到一楼服务台办理，工作人员将扫描二维码并检查商品。",
                "Bring the item to the service desk on 1F within 7 days; staff will scan the "
                "QR code and inspect it.",
            ),
            Names("审核结果将以短信通知。", "You will get the result by text message."),
        ),
        checklist=(
            Names("商品及原包装", "The item and its packaging"),
            Names("购物小票或发票", "Receipt or invoice"),
            Names("本申请单", "This slip"),
        ),
    )


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def summary(values: list[float]) -> dict[str, float]:
    return {
        "median_ms": round(statistics.median(values), 2),
        "p95_ms": round(percentile(values, 95), 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=60)
    args = parser.parse_args()

    t0 = time.perf_counter()
    fonts = FontSet.find()
    find_font_ms = (time.perf_counter() - t0) * 1000
    t0 = time.perf_counter()
    importlib.import_module("escpos.printer")
    import_escpos_ms = (time.perf_counter() - t0) * 1000

    papers: dict[str, object] = {}
    worst_median = 0.0
    for mm in (58, 80):
        paper = Paper.for_mm(mm)
        renderer = ReceiptRenderer(paper, fonts)
        t0 = time.perf_counter()
        encoder = EscposEncoder("default", paper)
        first = renderer.render(layout(receipt(0, "zh_CN")))
        encoder.image_job(first.image)
        first_ms = (time.perf_counter() - t0) * 1000

        draw_ms: list[float] = []
        encode_ms: list[float] = []
        total_ms: list[float] = []
        sizes: list[int] = []
        heights: list[int] = []
        for number in range(1, args.rounds + 1):
            slip = receipt(number, "zh_CN" if number % 2 else "en")
            t0 = time.perf_counter()
            image = renderer.render(layout(slip)).image
            t1 = time.perf_counter()
            job = encoder.image_job(image)
            t2 = time.perf_counter()
            draw_ms.append((t1 - t0) * 1000)
            encode_ms.append((t2 - t1) * 1000)
            total_ms.append((t2 - t0) * 1000)
            sizes.append(len(job))
            heights.append(image.height)
        worst_median = max(worst_median, statistics.median(total_ms))
        papers[f"{mm}mm"] = {
            "width_dots": paper.width_dots,
            "image_height_dots": max(heights),
            "escpos_bytes": max(sizes),
            "first_receipt_ms": round(first_ms, 1),
            "layout_and_image": summary(draw_ms),
            "escpos_encode": summary(encode_ms),
            "total": summary(total_ms),
        }

    print(
        json.dumps(
            {
                "benchmark": "receipt_layout_image_escpos",
                "rounds": args.rounds,
                "find_font_ms": round(find_font_ms, 1),
                "import_escpos_ms": round(import_escpos_ms, 1),
                "papers": papers,
                "budget_median_ms": BUDGET_MEDIAN_MS,
                "within_budget": worst_median <= BUDGET_MEDIAN_MS,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
