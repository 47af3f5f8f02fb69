"""退换货申请 / Return requests: proof of purchase, the item, why, the policy's likely verdict,
contact (optional, with consent), review, then a ticket and a receipt.

Steps: 0 proof (slip, store, when, amount), 1 item (description, category, quantity), 2 reason,
condition and desired remedy, 3 verdict, 4 contact, 5 review, 6 done. A shopper who wants a
repair files a repair work order (pickup at the service desk) instead of a return request.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Literal
from urllib.parse import quote

from PySide6.QtCore import Property, QObject, Signal, Slot
from PySide6.QtQml import QmlElement, QmlUncreatable

from kiosk.domain.returns import (
    Decision,
    Reason,
    Remedy,
    ReturnPolicy,
    ReturnRequest,
    decide,
)
from kiosk.domain.submissions import (
    Contact,
    ContactTime,
    Pickup,
    RepairOrder,
    ReturnItem,
    ReturnRequestSubmission,
    Store,
)
from kiosk.domain.validation import (
    Problem,
    check_amount,
    check_phone,
    check_slip_number,
    check_text,
)
from kiosk.errors import KnownError
from kiosk.services.submissions import FiledTicket, SubmissionService
from kiosk.services.wayfinding import WayfindingService
from kiosk.viewmodels import QML_IMPORT_MAJOR_VERSION, QML_IMPORT_NAME
from kiosk.viewmodels.formsteps import FormSteps
from kiosk.viewmodels.wayfinding import PlaceListModel, PlaceRow

__all__ = ["QML_IMPORT_MAJOR_VERSION", "QML_IMPORT_NAME", "ReturnViewModel"]

log = logging.getLogger(__name__)

DESCRIPTION_MAX = 100
QUANTITY_MAX = 99
(
    STEP_PROOF,
    STEP_ITEM,
    STEP_REASON,
    STEP_VERDICT,
    STEP_CONTACT,
    STEP_REVIEW,
    STEP_DONE,
) = range(7)

# Days since purchase for each choice: the oldest day of the range, so the verdict never
# promises more than the policy gives.
PURCHASED = {"today": 0, "yesterday": 1, "days2to7": 7, "days8to15": 15, "older": 16}
CONDITIONS = ("packaging_intact", "tags_attached", "accessories_complete", "has_proof", "used")

# Prints a filed ticket off the GUI thread, then calls back (on that thread) with a message
# for the shopper in both languages.
PrintReceipt = Callable[[FiledTicket, str, Callable[[str, str], None]], object]


@QmlElement
@QmlUncreatable("created by the application")
class ReturnViewModel(QObject, FormSteps):  # type: ignore[operator]  # PySide6 stub: QmlUncreatable lacks __call__
    """The return / exchange / repair request. Every field is a property; `problems` maps a
    field to its message (`{"slip": {"zh": …, "en": …}}`); `verdict*` describe the policy's
    likely outcome; `ticketNo`, `qrSource`, `promiseZh/En` and `printMessageZh/En` describe the
    result once filed."""

    formChanged = Signal()
    stepChanged = Signal()
    resultChanged = Signal()
    _printed = Signal(str, str)

    def __init__(
        self,
        service: SubmissionService,
        places: WayfindingService,
        print_receipt: PrintReceipt,
        policy: ReturnPolicy,
        *,
        phone_patterns: Sequence[re.Pattern[str]] = (),
        now: Callable[[], dt.datetime] = lambda: dt.datetime.now().astimezone(),
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._places = places
        self._print = print_receipt
        self._policy = policy
        self._phone_patterns = phone_patterns
        self._now = now
        self._stores = PlaceListModel(self)
        self._printed.connect(self._on_printed)
        self._clear()

    def _clear(self) -> None:
        self._step = STEP_PROOF
        self._slip = ""
        self._store_id = ""
        self._store_name = ("", "")
        self._purchased = ""
        self._amount = ""
        self._description = ""
        self._category = ""
        self._quantity = 1
        self._reason = ""
        self._desired = ""
        self._conditions = dict.fromkeys(CONDITIONS, False)
        self._phone = ""
        self._consent = False
        self._problems: dict[str, dict[str, str]] = {}
        self._filed: FiledTicket | None = None
        self._bring: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())
        self._print_message = ("", "")
        self._lang: Literal["zh", "en"] = "zh"
        self._stores.set_rows([])

    # --- form properties -------------------------------------------------------------------
    def _get_step(self) -> int:
        return self._step

    step = Property(int, _get_step, notify=stepChanged)

    def _get_slip(self) -> str:
        return self._slip

    slip = Property(str, _get_slip, notify=formChanged)

    def _get_store_id(self) -> str:
        return self._store_id

    storeId = Property(str, _get_store_id, notify=formChanged)

    def _get_store_zh(self) -> str:
        return self._store_name[0]

    storeNameZh = Property(str, _get_store_zh, notify=formChanged)

    def _get_store_en(self) -> str:
        return self._store_name[1]

    storeNameEn = Property(str, _get_store_en, notify=formChanged)

    def _get_stores(self) -> PlaceListModel:
        return self._stores

    stores = Property(QObject, _get_stores, constant=True)

    def _get_purchased(self) -> str:
        return self._purchased

    purchased = Property(str, _get_purchased, notify=formChanged)

    def _get_amount(self) -> str:
        return self._amount

    amount = Property(str, _get_amount, notify=formChanged)

    def _get_description(self) -> str:
        return self._description

    description = Property(str, _get_description, notify=formChanged)

    def _get_description_max(self) -> int:
        return DESCRIPTION_MAX

    descriptionMax = Property(int, _get_description_max, constant=True)

    def _get_category(self) -> str:
        return self._category

    category = Property(str, _get_category, notify=formChanged)

    def _get_categories(self) -> list[dict[str, str]]:
        return [
            {"value": rule.code, "zh": rule.name.zh, "en": rule.name.en}
            for rule in self._policy.categories
        ]

    categories = Property(list, _get_categories, constant=True)

    def _get_quantity(self) -> int:
        return self._quantity

    quantity = Property(int, _get_quantity, notify=formChanged)

    def _get_reason(self) -> str:
        return self._reason

    reason = Property(str, _get_reason, notify=formChanged)

    def _get_desired(self) -> str:
        return self._desired

    desired = Property(str, _get_desired, notify=formChanged)

    def _get_conditions(self) -> dict[str, bool]:
        return dict(self._conditions)

    conditions = Property(dict, _get_conditions, notify=formChanged)

    def _get_phone(self) -> str:
        return self._phone

    phone = Property(str, _get_phone, notify=formChanged)

    def _get_consent(self) -> bool:
        return self._consent

    consent = Property(bool, _get_consent, notify=formChanged)

    def _get_problems(self) -> dict[str, dict[str, str]]:
        return self._problems

    problems = Property(dict, _get_problems, notify=formChanged)

    # --- the policy's view -----------------------------------------------------------------
    def _get_outcome(self) -> str:
        decision = self._decision()
        return decision.outcome.value if decision else ""

    outcome = Property(str, _get_outcome, notify=formChanged)

    def _get_staff_review(self) -> bool:
        decision = self._decision()
        return bool(decision and decision.needs_staff_review)

    staffReview = Property(bool, _get_staff_review, notify=formChanged)

    def _get_verdict_zh(self) -> list[str]:
        decision = self._decision()
        return decision.summary("zh") if decision else []

    verdictZh = Property(list, _get_verdict_zh, notify=formChanged)

    def _get_verdict_en(self) -> list[str]:
        decision = self._decision()
        return decision.summary("en") if decision else []

    verdictEn = Property(list, _get_verdict_en, notify=formChanged)

    def _get_bring_zh(self) -> list[str]:
        if self._filed is not None:
            return list(self._bring[0])
        decision = self._decision()
        return [line.zh for line in decision.bring] if decision else []

    bringZh = Property(list, _get_bring_zh, notify=formChanged)

    def _get_bring_en(self) -> list[str]:
        if self._filed is not None:
            return list(self._bring[1])
        decision = self._decision()
        return [line.en for line in decision.bring] if decision else []

    bringEn = Property(list, _get_bring_en, notify=formChanged)

    def _get_summary_zh(self) -> list[str]:
        return self._build().summary("zh") if self._ready() else []

    summaryZh = Property(list, _get_summary_zh, notify=formChanged)

    def _get_summary_en(self) -> list[str]:
        return self._build().summary("en") if self._ready() else []

    summaryEn = Property(list, _get_summary_en, notify=formChanged)

    # --- result properties -----------------------------------------------------------------
    def _get_ticket(self) -> str:
        return self._filed.ticket_no if self._filed else ""

    ticketNo = Property(str, _get_ticket, notify=resultChanged)

    def _get_qr(self) -> str:
        return f"image://qr/{quote(self._filed.tracking_url, safe='')}" if self._filed else ""

    qrSource = Property(str, _get_qr, notify=resultChanged)

    def _get_promise_zh(self) -> str:
        return self._filed.promise_zh if self._filed else ""

    promiseZh = Property(str, _get_promise_zh, notify=resultChanged)

    def _get_promise_en(self) -> str:
        return self._filed.promise_en if self._filed else ""

    promiseEn = Property(str, _get_promise_en, notify=resultChanged)

    def _get_print_zh(self) -> str:
        return self._print_message[0]

    printMessageZh = Property(str, _get_print_zh, notify=resultChanged)

    def _get_print_en(self) -> str:
        return self._print_message[1]

    printMessageEn = Property(str, _get_print_en, notify=resultChanged)

    # --- slots: editing --------------------------------------------------------------------
    @Slot(str)
    def setSlip(self, text: str) -> None:
        self._set("_slip", text[:64])

    @Slot(result=bool)
    def checkSlip(self) -> bool:
        """The scanner's Enter: say at once whether the slip number reads right."""
        found = self._slip_problem()
        if found is None:
            self._drop_problem("slip")
        else:
            self._problems["slip"] = {"zh": found.zh, "en": found.en}
        self.formChanged.emit()
        return found is None

    @Slot(str)
    def searchStores(self, text: str) -> None:
        query = text[:40]
        if not query.strip():
            self._stores.set_rows([])
            return
        try:
            found = self._places.search(query, limit=6)
        except KnownError as exc:
            log.warning("store search: %s", exc)
            found = []
        self._stores.set_rows([PlaceRow.of(v) for v in found if v.kind == "store"])

    @Slot(str)
    def chooseStore(self, store_id: str) -> None:
        place = self._places.place(store_id)
        self._store_id = place.id
        self._store_name = (place.name.zh, place.name.en)
        self._stores.set_rows([])
        self._drop_problem("store")
        self.formChanged.emit()

    @Slot(str)
    def setPurchased(self, value: str) -> None:
        if value in PURCHASED:
            self._set("_purchased", value)

    @Slot(str)
    def setAmount(self, text: str) -> None:
        self._set("_amount", text[:20])

    @Slot(str)
    def setDescription(self, text: str) -> None:
        self._set("_description", text)

    @Slot(str)
    def setCategory(self, value: str) -> None:
        if self._policy.category(value) is not None:
            self._set("_category", value)

    @Slot(int)
    def setQuantity(self, value: int) -> None:
        self._set("_quantity", max(1, min(QUANTITY_MAX, value)))

    @Slot(str)
    def setReason(self, value: str) -> None:
        self._set("_reason", Reason(value).value)

    @Slot(str)
    def setDesired(self, value: str) -> None:
        self._set("_desired", Remedy(value).value)

    @Slot(str)
    def toggleCondition(self, name: str) -> None:
        if name in self._conditions:
            self._conditions[name] = not self._conditions[name]
            self.formChanged.emit()

    @Slot(str)
    def setPhone(self, text: str) -> None:
        self._set("_phone", text)

    @Slot(bool)
    def setConsent(self, value: bool) -> None:
        self._set("_consent", value)

    # --- slots: moving through the form ----------------------------------------------------
    @Slot()
    def next(self) -> None:
        found = self._check(self._step)
        self._problems = {p.field: {"zh": p.zh, "en": p.en} for p in found}
        self.formChanged.emit()
        if not found and self._step < STEP_REVIEW:
            self._go(self._step + 1)

    @Slot()
    def previous(self) -> None:
        if STEP_PROOF < self._step < STEP_DONE:
            self._problems = {}
            self.formChanged.emit()
            self._go(self._step - 1)

    @Slot(str)
    def submit(self, language: str) -> None:
        """File the request (or repair order), then print. A printer problem never loses the
        ticket."""
        self._lang = "en" if language == "en" else "zh"
        if self._step != STEP_REVIEW or not self._ready():
            return
        decision = self._decision()
        try:
            filed = self._service.file(self._build())
        except KnownError as exc:
            log.error("return request not filed: %s", exc)
            self._problems = {
                "submit": {
                    "zh": "抱歉，暂时无法保存，请稍后再试或前往服务台。",
                    "en": "Sorry, this could not be saved. Please try again or visit the "
                    "service desk.",
                }
            }
            self.formChanged.emit()
            return
        self._filed = filed
        if decision is not None:
            self._bring = (
                tuple(line.zh for line in decision.bring),
                tuple(line.en for line in decision.bring),
            )
        self._print_message = ("正在打印回执…", "Printing your receipt…")
        self.resultChanged.emit()
        self.formChanged.emit()
        self._go(STEP_DONE)
        self._print(filed, "en" if self._lang == "en" else "zh_CN", self._printed.emit)

    # --- internals -------------------------------------------------------------------------

    def _slip_problem(self) -> Problem | None:
        if not self._slip.strip():
            return None  # no slip: staff look the sale up
        found = check_slip_number(self._slip, field="slip")
        return found if isinstance(found, Problem) else None

    def _check(self, step: int) -> list[Problem]:
        checks = {
            STEP_PROOF: self._check_proof,
            STEP_ITEM: self._check_item,
            STEP_REASON: self._check_reason,
            STEP_CONTACT: self._check_contact,
        }
        check = checks.get(step)
        return check() if check else []

    def _check_proof(self) -> list[Problem]:
        found: list[Problem] = []
        if (slip := self._slip_problem()) is not None:
            found.append(slip)
        if not self._store_name[0]:
            found.append(_choose("store", "请选择购买的店铺。", "Please choose the store."))
        if not self._purchased:
            found.append(
                _choose("purchased", "请选择购买时间。", "Please choose when you bought it.")
            )
        if self._amount.strip():
            amount = check_amount(self._amount, field="amount")
            if isinstance(amount, Problem):
                found.append(amount)
        return found

    def _check_item(self) -> list[Problem]:
        found: list[Problem] = []
        text = check_text(self._description, field="description", max_chars=DESCRIPTION_MAX)
        if isinstance(text, Problem):
            found.append(text)
        if not self._category:
            found.append(
                _choose("category", "请选择商品类别。", "Please choose the kind of product.")
            )
        return found

    def _check_reason(self) -> list[Problem]:
        found: list[Problem] = []
        if not self._reason:
            found.append(_choose("reason", "请选择原因。", "Please choose a reason."))
        if not self._desired:
            found.append(
                _choose("desired", "请选择您希望的处理方式。", "Please choose what you want.")
            )
        return found

    def _check_contact(self) -> list[Problem]:
        found: list[Problem] = []
        phone = check_phone(self._phone, field="phone", extra_patterns=self._phone_patterns)
        if isinstance(phone, Problem):
            found.append(phone)
        if self._phone.strip() and not self._consent:
            found.append(
                _choose(
                    "consent",
                    "留下联系方式需要您同意我们为处理此事联系您。",
                    "To keep your phone number we need your consent to contact you "
                    "about this request.",
                )
            )
        return found

    def _ready(self) -> bool:
        return not any(self._check(s) for s in (STEP_PROOF, STEP_ITEM, STEP_REASON, STEP_CONTACT))

    def _purchase_date(self) -> tuple[dt.date, dt.date] | None:
        if self._purchased not in PURCHASED:
            return None
        today = self._now().date()
        return today - dt.timedelta(days=PURCHASED[self._purchased]), today

    def _request(self) -> ReturnRequest | None:
        dates = self._purchase_date()
        if dates is None or not self._category or not self._reason or not self._desired:
            return None
        flags = self._conditions
        return ReturnRequest(
            category=self._category,
            purchase_date=dates[0],
            today=dates[1],
            reason=Reason(self._reason),
            desired=Remedy(self._desired),
            packaging_intact=flags["packaging_intact"],
            tags_attached=flags["tags_attached"],
            accessories_complete=flags["accessories_complete"],
            has_proof=flags["has_proof"],
            used=flags["used"],
        )

    def _decision(self) -> Decision | None:
        request = self._request()
        return decide(self._policy, request) if request is not None else None

    def _build(self) -> ReturnRequestSubmission | RepairOrder:
        request = self._request()
        if request is None:
            raise ValueError("the request is not complete")
        decision = decide(self._policy, request)
        phone = check_phone(self._phone, extra_patterns=self._phone_patterns)
        contact = None
        if self._consent or isinstance(phone, str):
            contact = Contact(
                name=None,
                phone=phone if isinstance(phone, str) else None,
                preferred_time=ContactTime.ANYTIME,
                consent=self._consent,
            )
        slip = check_slip_number(self._slip) if self._slip.strip() else None
        slip_no = slip if isinstance(slip, str) else None
        store = Store(self._store_id or None, self._store_name[0])
        text = check_text(self._description, field="description", max_chars=DESCRIPTION_MAX)
        description = text if isinstance(text, str) else self._description
        if request.desired is Remedy.REPAIR:
            return RepairOrder(
                item=description,
                category=request.category,
                store=store,
                purchase_date=request.purchase_date,
                slip_no=slip_no,
                fault=description,
                pickup=Pickup.SERVICE_DESK,
                decision=decision,
                contact=contact,
                lang=self._lang,
            )
        amount = check_amount(self._amount) if self._amount.strip() else None
        return ReturnRequestSubmission(
            request=request,
            decision=decision,
            slip_no=slip_no,
            store=store,
            amount=amount if isinstance(amount, Decimal) else None,
            items=(ReturnItem(description, self._quantity, request.category),),
            details="",
            contact=contact,
            lang=self._lang,
        )


def _choose(field: str, zh: str, en: str) -> Problem:
    return Problem(field, "required", zh, en)
