"""Receipts for filed tickets: what they say, and printing them off the GUI thread.

A printer problem never loses a ticket: the shopper already sees the number and the QR code on
screen, and the failure is logged for maintenance staff.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kiosk.domain.venue import Names
from kiosk.printing.coupon import CouponSlip
from kiosk.printing.errors import PrinterError
from kiosk.printing.printer import Document, Printer, PrinterState
from kiosk.printing.receipt import Receipt, ReceiptKind
from kiosk.services.submissions import FiledTicket

if TYPE_CHECKING:
    from sync.schemas import MemberCoupon

log = logging.getLogger(__name__)

_KINDS: dict[str, ReceiptKind] = {
    "complaint": "complaint",
    "feedback": "feedback",
    "return_request": "return_request",
    "repair_request": "repair_request",
}

# (zh, en) message for the shopper once printing has finished or failed.
Done = Callable[[str, str], None]


class ReceiptService:
    """Builds receipts and prints them, one at a time, on a worker thread.

    `on_printing(True)` is called (on a printer thread) when a job starts while none was
    running, `on_printing(False)` when the last one has ended: the kiosk pauses its idle timer
    meanwhile, as the shopper is waiting for paper, not away.
    """

    def __init__(
        self,
        printer: Printer,
        mall_name: Names,
        kiosk_code: str,
        on_printing: Callable[[bool], None] | None = None,
    ) -> None:
        self._printer = printer
        self._mall_name = mall_name
        self._kiosk_code = kiosk_code
        self._on_printing = on_printing
        self._lock = threading.Lock()
        self._jobs_lock = threading.Lock()
        self._jobs = 0  # started and not yet ended
        self._threads: list[threading.Thread] = []
        self.last_error: str | None = None

    def receipt(self, filed: FiledTicket, language: str) -> Receipt:
        checklist = tuple(Names(zh, en) for zh, en in filed.checklist)
        # The checklist prints as tick boxes; keep its lines out of the summary above it.
        listed = {f"· {zh}" for zh, _ in filed.checklist} | {f"· {en}" for _, en in filed.checklist}
        summary = tuple(
            Names(zh, en)
            for zh, en in zip(filed.summary_zh, filed.summary_en, strict=False)
            if zh not in listed and en not in listed and zh not in ("请携带：",)
        )
        return Receipt(
            mall_name=self._mall_name,
            kind=_KINDS[filed.kind],
            ticket_no=filed.ticket_no,
            issued_at=filed.created_at,
            kiosk_code=self._kiosk_code,
            tracking_url=filed.tracking_url,
            language="en" if language == "en" else "zh_CN",
            summary=summary,
            next_steps=(Names(filed.promise_zh, filed.promise_en),),
            checklist=checklist,
        )

    def print_async(self, filed: FiledTicket, language: str, done: Done) -> threading.Thread:
        """Print on a worker thread; `done` is called there with the message to show."""
        return self._start(
            lambda: self.receipt(filed, language),
            f"receipt for {filed.ticket_no}",
            done,
            printed=("请取走您的回执。", "Please take your receipt."),
            # The shopper keeps the ticket on screen either way.
            failed=(
                "收据未能打印，请拍下上方的单号和二维码。",
                "The receipt could not be printed. Please take a photo of the ticket "
                "number and QR code above.",
            ),
            name="receipt",
        )

    def coupon_slip(
        self,
        coupon: MemberCoupon,
        stores: Sequence[tuple[str, str]],
        language: str,
    ) -> CouponSlip:
        """A member's coupon as a slip of this mall and kiosk, printed now; `stores` are the
        (zh, en) names of the stores that take it (empty: every store)."""
        return CouponSlip(
            mall_name=self._mall_name,
            code=coupon.code,
            title=Names(coupon.title_zh, coupon.title_en),
            terms=Names(coupon.terms_zh, coupon.terms_en),
            valid_until=coupon.valid_until,
            stores=tuple(Names(zh, en) for zh, en in stores),
            issued_at=dt.datetime.now().astimezone(),
            kiosk_code=self._kiosk_code,
            language="en" if language == "en" else "zh_CN",
        )

    def print_coupon_async(self, slip: CouponSlip, done: Done) -> threading.Thread:
        """Print a member's coupon slip on a worker thread; `done` gets the outcome (zh, en)."""
        return self._start(
            lambda: slip,
            "coupon slip",
            done,
            printed=("请取走您的优惠券。", "Please take your coupon."),
            failed=(
                "优惠券未能打印，请记下屏幕上的券码，结账时出示。",
                "The coupon could not be printed. Please note the code on the screen and "
                "give it at the till.",
            ),
            name="coupon",
        )

    def status(self) -> PrinterState:
        return self._printer.status()

    def test_receipt(self, tracking_url_base: str) -> Receipt:
        """A receipt that says it is a test: the layout, fonts, QR code and cutter at once."""
        return Receipt(
            mall_name=self._mall_name,
            kind="feedback",
            kind_label=Names("打印测试", "Test print"),
            ticket_no=f"TEST-{self._kiosk_code}",
            issued_at=dt.datetime.now().astimezone(),
            kiosk_code=self._kiosk_code,
            tracking_url=(
                f"{tracking_url_base.rstrip('/')}/TEST-{self._kiosk_code}"
                f"?t={secrets.token_urlsafe(32)}"
            ),
            summary=(Names("中文与 English 混排测试。", "Chinese and English text test."),),
            next_steps=(Names("此单据不是回执。", "This slip is not a receipt."),),
        )

    def print_test_async(self, tracking_url_base: str, done: Done) -> threading.Thread:
        """Print a test receipt on a worker thread; `done` gets the outcome (zh, en), for staff:
        a printer error is quoted."""
        return self._start(
            lambda: self.test_receipt(tracking_url_base),
            "test print",
            done,
            printed=("测试页已打印。", "The test page was printed."),
            failed=("测试打印失败，详情见日志。", "The test print failed; see the log."),
            refused=lambda exc: (f"测试打印失败：{exc}", f"The test print failed: {exc}"),
            name="receipt-test",
        )

    def join(self, timeout: float = 10.0) -> None:
        for thread in self._threads:
            thread.join(timeout)

    def _start(
        self,
        document: Callable[[], Document],
        what: str,
        done: Done,
        *,
        printed: tuple[str, str],
        failed: tuple[str, str],
        refused: Callable[[PrinterError], tuple[str, str]] | None = None,
        name: str,
    ) -> threading.Thread:
        job = _Job(document, what, done, printed, failed, refused)
        thread = threading.Thread(target=self._run, args=(job,), name=name, daemon=True)
        self._threads = [t for t in self._threads if t.is_alive()] + [thread]
        thread.start()
        return thread

    def _run(self, job: _Job) -> None:
        self._count_job(+1)
        try:
            self._print_one(job)
        finally:
            self._count_job(-1)

    def _count_job(self, change: int) -> None:
        with self._jobs_lock:
            self._jobs += change
            edge = self._jobs == (1 if change > 0 else 0)
        if edge and self._on_printing is not None:
            self._on_printing(change > 0)

    def _print_one(self, job: _Job) -> None:
        """One print job, one at a time. A PrinterError is the printer's state; anything else
        a bug, logged with its traceback. Either way the job's `done` is told."""
        with self._lock:
            try:
                self._printer.print_receipt(job.document())
            except PrinterError as exc:
                self.last_error = str(exc)
                log.error("%s not printed: %s", job.what, exc)
                job.done(*(job.refused(exc) if job.refused else job.failed))
                return
            except Exception as exc:
                self.last_error = type(exc).__name__
                log.exception("%s not printed", job.what)
                job.done(*job.failed)
                return
        self.last_error = None
        job.done(*job.printed)


@dataclass(frozen=True, slots=True)
class _Job:
    """A print job: the document (made on the printer thread), what to call it in the log, who
    to tell, and what to tell them (zh, en); `refused` words a printer error itself (for staff).
    """

    document: Callable[[], Document]
    what: str
    done: Done
    printed: tuple[str, str]
    failed: tuple[str, str]
    refused: Callable[[PrinterError], tuple[str, str]] | None
