"""会员查询 / Member card: identify (scan, or mobile number + SMS code), then the card.

Stages: "start" (scan or type a card number, or enter a mobile number), "code" (the SMS code),
"card". The card lives in this object's memory only and is dropped by `reset()`: on Log out,
when the shopper leaves the member screen, and at the session wipe. A reply that arrives after
a reset belongs to the previous shopper and is thrown away.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import quote

from PySide6.QtCore import Property, QObject, QTimer, Signal, Slot
from PySide6.QtQml import QmlElement, QmlUncreatable

from kiosk.domain.member import check_sms_code, expiry_windows, mask_numbers
from kiosk.domain.validation import Problem, check_phone
from kiosk.services.member import MemberLookupError, MemberService, ProblemKind
from kiosk.services.receipts import ReceiptService
from kiosk.viewmodels import QML_IMPORT_MAJOR_VERSION, QML_IMPORT_NAME
from kiosk.viewmodels.listmodel import DataclassListModel
from kiosk.viewmodels.navigation import NavigationViewModel

if TYPE_CHECKING:
    from sync.schemas import MemberCard, MemberCodeReply

__all__ = ["QML_IMPORT_MAJOR_VERSION", "QML_IMPORT_NAME", "MemberViewModel"]

log = logging.getLogger(__name__)

SCREEN = "member"
START, CODE, CARD = "start", "code", "card"
MAX_COUPONS = 30
MAX_TRANSACTIONS = 20

# Store ids -> (zh, en) names of the stores this venue knows.
StoreNames = Callable[[Sequence[str]], list[tuple[str, str]]]


def _day(value: dt.date) -> str:
    return value.isoformat()


@dataclass(frozen=True, slots=True)
class _JustSent:
    """A code was sent to `phone` less than a minute ago; `problem` says when to ask again."""

    phone: str
    problem: MemberLookupError


@dataclass(frozen=True, slots=True)
class ExpiryRow:
    days: int
    points: int
    first: str


class ExpiryModel(DataclassListModel):
    row_type = ExpiryRow


@dataclass(frozen=True, slots=True)
class LapseRow:
    day: str
    points: int


class LapseModel(DataclassListModel):
    row_type = LapseRow


@dataclass(frozen=True, slots=True)
class CouponRow:
    code: str
    qrSource: str
    titleZh: str
    titleEn: str
    termsZh: str
    termsEn: str
    validUntil: str
    storesZh: str
    storesEn: str


class CouponModel(DataclassListModel):
    row_type = CouponRow


@dataclass(frozen=True, slots=True)
class TransactionRow:
    day: str
    points: int
    descriptionZh: str
    descriptionEn: str


class TransactionModel(DataclassListModel):
    row_type = TransactionRow


@QmlElement
@QmlUncreatable("created by the application")
class MemberViewModel(QObject):  # type: ignore[operator]  # PySide6 stub: QmlUncreatable lacks __call__
    """Properties: `stage`, `busy`, `available`, `messageZh/En`, `sentTo`, `resendIn`
    (seconds until another code may be asked for), the card (`nameMasked`, `phoneMasked`,
    `cardMasked`, `tierCode`, `tierZh/En`, `benefitsZh/En`, `nextTierZh/En`, `pointsToNext`,
    `points`, `asOf`) and the models `expiry` (30/60/90-day totals), `lapses` (each date points
    lapse on within them), `coupons`, `transactions`.
    Signal `cleared` after every reset, so QML empties its fields.
    """

    stateChanged = Signal()
    cardChanged = Signal()
    resendInChanged = Signal()
    cleared = Signal()
    _arrived = Signal(int, object)
    _printed = Signal(int, str, str)

    def __init__(
        self,
        service: MemberService,
        nav: NavigationViewModel,
        store_names: StoreNames,
        *,
        slips: ReceiptService | None = None,
        today: Callable[[], dt.date] = dt.date.today,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._store_names = store_names
        self._slips = slips
        self._printing = False
        self._print_message = ("", "")
        self._printed_code = ""
        self._today = today
        self._expiry = ExpiryModel(self)
        self._lapses = LapseModel(self)
        self._coupons = CouponModel(self)
        self._transactions = TransactionModel(self)
        self._generation = 0
        self._stage = START
        self._busy = False
        self._available = False  # known when the screen opens (`enter`): no I/O at start-up
        self._message = ("", "")
        self._phone = ""
        self._sent_to = ""
        self._resend_in = 0
        self._card: MemberCard | None = None
        self._tick = QTimer(self, interval=1000)
        self._tick.timeout.connect(self._count_down)
        self._arrived.connect(self._on_arrived)
        self._printed.connect(self._on_printed)
        self._nav = nav
        nav.currentChanged.connect(self._on_screen_changed)

    # --- slots ---------------------------------------------------------------------------------
    @Slot()
    def enter(self) -> None:
        """The member screen opened: check again whether lookups can be tried."""
        available = self._service.available()
        if available != self._available:
            self._available = available
            self.stateChanged.emit()

    @Slot(str)
    def scan(self, text: str) -> None:
        """A scanned member code (the scanner types it and presses Enter) or a typed card no."""
        if self._busy or self._stage == CARD:
            return
        self._start(lambda: self._service.scan(text))

    @Slot(str)
    def requestCode(self, phone: str) -> None:
        if self._busy or self._stage == CARD:
            return

        def call() -> tuple[str, MemberCodeReply] | _JustSent:
            try:
                return self._service.request_code(phone)
            except MemberLookupError as exc:
                number = check_phone(phone, required=True)
                if exc.kind is ProblemKind.CODE_JUST_SENT and isinstance(number, str):
                    return _JustSent(number, exc)
                raise

        self._start(call)

    @Slot()
    def resend(self) -> None:
        if self._phone and self._resend_in == 0:
            self.requestCode(self._phone)

    @Slot(str)
    def verify(self, code: str) -> None:
        if self._busy or self._stage != CODE:
            return
        checked = check_sms_code(code)
        if isinstance(checked, Problem):
            self._show_message((checked.zh, checked.en))
            return
        phone = self._phone
        self._start(lambda: self._service.verify(phone, checked))

    @Slot()
    def changeNumber(self) -> None:
        """From the code stage back to the start, forgetting the number (and any answer
        still on its way for it)."""
        self._generation += 1
        self._busy = False
        self._phone = self._sent_to = ""
        self._set_resend_in(0)
        self._message = ("", "")
        self._stage = START
        self.stateChanged.emit()

    @Slot(str, bool)
    def printCoupon(self, code: str, english: bool) -> None:
        """Print the coupon `code` of the card shown as a slip to take to the till."""
        card, slips = self._card, self._slips
        if card is None or slips is None or self._printing:
            return
        coupon = next((c for c in card.coupons[:MAX_COUPONS] if c.code == code), None)
        if coupon is None:
            return
        stores = self._store_names(coupon.store_ids) if coupon.store_ids else []
        slip = slips.coupon_slip(coupon, stores, "en" if english else "zh_CN")
        self._printing, self._printed_code = True, code
        self._print_message = ("正在打印…", "Printing…")
        self.cardChanged.emit()
        generation = self._generation
        slips.print_coupon_async(slip, lambda zh, en: self._printed.emit(generation, zh, en))

    @Slot()
    def logout(self) -> None:
        self.reset()

    def reset(self) -> None:
        """Drop everything about the shopper: card, number, messages; late replies ignored."""
        self._generation += 1
        self._card = None
        self._phone = self._sent_to = ""
        self._message = ("", "")
        # A slip being printed still comes out; its outcome is not shown to whoever is next.
        self._printing, self._print_message, self._printed_code = False, ("", ""), ""
        self._stage = START
        self._busy = False
        self._set_resend_in(0)
        self._expiry.set_rows([])
        self._lapses.set_rows([])
        self._coupons.set_rows([])
        self._transactions.set_rows([])
        self.stateChanged.emit()
        self.cardChanged.emit()
        self.cleared.emit()

    def join(self) -> None:
        """Wait for the calls and prints still running (tests; the answers still arrive as
        usual)."""
        self._service.join()
        if self._slips is not None:
            self._slips.join()

    def current_stage(self) -> str:
        return self._stage

    def is_busy(self) -> bool:
        return self._busy

    def close(self) -> None:
        """Stop the countdown and wait for calls still running (application shutdown)."""
        self._tick.stop()
        self._generation += 1
        self._service.join()

    # --- results -----------------------------------------------------------------------------
    def _on_printed(self, generation: int, zh: str, en: str) -> None:
        if generation != self._generation:
            return  # printed for a shopper who has gone
        self._printing = False
        self._print_message = (zh, en)
        self.cardChanged.emit()

    def _start(self, call: Callable[[], object]) -> None:
        self._busy = True
        self._message = ("", "")
        self.stateChanged.emit()
        generation = self._generation
        self._service.call_async(call, lambda result: self._arrived.emit(generation, result))

    def _on_arrived(self, generation: int, result: object) -> None:
        from sync.schemas import MemberCard  # noqa: PLC0415 - see TYPE_CHECKING above

        if generation != self._generation:
            return  # the shopper it was for has gone (reset since)
        self._busy = False
        if isinstance(result, MemberLookupError):
            self._message = (result.zh, result.en)
            if (
                result.kind in (ProblemKind.LOCKED, ProblemKind.CODE_EXPIRED)
                and self._stage == CODE
            ):
                self._set_resend_in(0)
        elif isinstance(result, MemberCard):
            self._show_card(result)
        elif isinstance(result, _JustSent):
            # The code asked for a moment ago is on its way: let the shopper type it.
            self._phone = result.phone
            self._sent_to = mask_numbers(result.phone)
            self._stage = CODE
            self._message = (result.problem.zh, result.problem.en)
            self._set_resend_in(math.ceil(result.problem.retry_after_s or 0))
        elif isinstance(result, tuple):
            phone, reply = result
            self._phone = phone
            self._sent_to = mask_numbers(reply.sent_to)
            self._stage = CODE
            self._set_resend_in(max(0, reply.resend_after_s))
        self.stateChanged.emit()

    def _show_card(self, card: MemberCard) -> None:
        self._card = card
        self._phone = ""
        self._set_resend_in(0)
        self._stage = CARD
        today = card.as_of.astimezone().date() if card.as_of else self._today()
        lots = [(e.on, e.points) for e in card.expiring]
        windows = expiry_windows(lots, today)
        self._expiry.set_rows(
            [ExpiryRow(w.days, w.points, _day(w.first) if w.first else "") for w in windows]
        )
        last = today + dt.timedelta(days=windows[-1].days) if windows else today
        self._lapses.set_rows(
            [LapseRow(_day(on), points) for on, points in sorted(lots) if today <= on <= last]
        )
        coupons = []
        for coupon in card.coupons[:MAX_COUPONS]:
            names = self._store_names(coupon.store_ids) if coupon.store_ids else []
            coupons.append(
                CouponRow(
                    code=coupon.code,
                    qrSource=f"image://qr/{quote(coupon.code, safe='')}",
                    titleZh=coupon.title_zh,
                    titleEn=coupon.title_en,
                    termsZh=coupon.terms_zh,
                    termsEn=coupon.terms_en,
                    validUntil=_day(coupon.valid_until),
                    storesZh="、".join(zh for zh, _ in names) if names else "全场通用",
                    storesEn=", ".join(en for _, en in names) if names else "Every store",
                )
            )
        self._coupons.set_rows(coupons)
        self._transactions.set_rows(
            [
                TransactionRow(
                    _day(t.at.astimezone().date()), t.points, t.description_zh, t.description_en
                )
                for t in card.transactions[:MAX_TRANSACTIONS]
            ]
        )
        self.cardChanged.emit()

    def _show_message(self, message: tuple[str, str]) -> None:
        self._message = message
        self.stateChanged.emit()

    def _set_resend_in(self, seconds: int) -> None:
        if seconds != self._resend_in:
            self._resend_in = seconds
            self.resendInChanged.emit()
        if seconds > 0:
            self._tick.start()
        else:
            self._tick.stop()

    def _count_down(self) -> None:
        self._set_resend_in(max(0, self._resend_in - 1))

    def _on_screen_changed(self) -> None:
        if self._nav.current_screen() != SCREEN and (
            self._card is not None or self._phone or self._busy or self._stage != START
        ):
            self.reset()

    # --- properties: identify ------------------------------------------------------------------
    def _get_stage(self) -> str:
        return self._stage

    stage = Property(str, _get_stage, notify=stateChanged)

    def _get_busy(self) -> bool:
        return self._busy

    busy = Property(bool, _get_busy, notify=stateChanged)

    def _get_available(self) -> bool:
        return self._available

    available = Property(bool, _get_available, notify=stateChanged)

    def _get_message_zh(self) -> str:
        return self._message[0]

    messageZh = Property(str, _get_message_zh, notify=stateChanged)

    def _get_message_en(self) -> str:
        return self._message[1]

    messageEn = Property(str, _get_message_en, notify=stateChanged)

    def _get_sent_to(self) -> str:
        return self._sent_to

    sentTo = Property(str, _get_sent_to, notify=stateChanged)

    def _get_resend_in(self) -> int:
        return self._resend_in

    resendIn = Property(int, _get_resend_in, notify=resendInChanged)

    # --- properties: the card ------------------------------------------------------------------
    def _text(self, read: Callable[[MemberCard], str]) -> str:
        return mask_numbers(read(self._card)) if self._card is not None else ""

    def _get_name(self) -> str:
        return self._text(lambda c: c.name_masked)

    nameMasked = Property(str, _get_name, notify=cardChanged)

    def _get_phone(self) -> str:
        return self._text(lambda c: c.phone_masked)

    phoneMasked = Property(str, _get_phone, notify=cardChanged)

    def _get_card_no(self) -> str:
        return self._text(lambda c: c.card_masked)

    cardMasked = Property(str, _get_card_no, notify=cardChanged)

    def _get_tier_code(self) -> str:
        return self._card.tier.code if self._card else ""

    tierCode = Property(str, _get_tier_code, notify=cardChanged)

    def _get_tier_zh(self) -> str:
        return self._card.tier.name_zh if self._card else ""

    tierZh = Property(str, _get_tier_zh, notify=cardChanged)

    def _get_tier_en(self) -> str:
        return self._card.tier.name_en if self._card else ""

    tierEn = Property(str, _get_tier_en, notify=cardChanged)

    def _get_benefits_zh(self) -> list[str]:
        return list(self._card.tier.benefits_zh) if self._card else []

    benefitsZh = Property(list, _get_benefits_zh, notify=cardChanged)

    def _get_benefits_en(self) -> list[str]:
        return list(self._card.tier.benefits_en) if self._card else []

    benefitsEn = Property(list, _get_benefits_en, notify=cardChanged)

    def _get_next_zh(self) -> str:
        return (self._card.tier.next_name_zh or "") if self._card else ""

    nextTierZh = Property(str, _get_next_zh, notify=cardChanged)

    def _get_next_en(self) -> str:
        return (self._card.tier.next_name_en or "") if self._card else ""

    nextTierEn = Property(str, _get_next_en, notify=cardChanged)

    def _get_points_to_next(self) -> int:
        if self._card is None or self._card.tier.points_to_next is None:
            return -1
        return self._card.tier.points_to_next

    pointsToNext = Property(int, _get_points_to_next, notify=cardChanged)

    def _get_points(self) -> int:
        return self._card.points if self._card else 0

    points = Property(int, _get_points, notify=cardChanged)

    def _get_as_of(self) -> str:
        return self._card.as_of.astimezone().strftime("%H:%M") if self._card else ""

    asOf = Property(str, _get_as_of, notify=cardChanged)

    def _get_lapses(self) -> LapseModel:
        return self._lapses

    lapses = Property(QObject, _get_lapses, constant=True)

    def _get_lapse_count(self) -> int:
        return self._lapses.rowCount()

    lapseCount = Property(int, _get_lapse_count, notify=cardChanged)

    def _get_coupon_count(self) -> int:
        return self._coupons.rowCount()

    couponCount = Property(int, _get_coupon_count, notify=cardChanged)

    def _get_can_print(self) -> bool:
        return self._slips is not None

    canPrint = Property(bool, _get_can_print, constant=True)

    def _get_printing(self) -> bool:
        return self._printing

    printing = Property(bool, _get_printing, notify=cardChanged)

    def _get_printed_code(self) -> str:
        return self._printed_code

    printedCode = Property(str, _get_printed_code, notify=cardChanged)

    def _get_print_message_zh(self) -> str:
        return self._print_message[0]

    printMessageZh = Property(str, _get_print_message_zh, notify=cardChanged)

    def _get_print_message_en(self) -> str:
        return self._print_message[1]

    printMessageEn = Property(str, _get_print_message_en, notify=cardChanged)

    def _get_expiry(self) -> ExpiryModel:
        return self._expiry

    expiry = Property(QObject, _get_expiry, constant=True)

    def _get_coupons(self) -> CouponModel:
        return self._coupons

    coupons = Property(QObject, _get_coupons, constant=True)

    def _get_transactions(self) -> TransactionModel:
        return self._transactions

    transactions = Property(QObject, _get_transactions, constant=True)
