"""投诉建议 / Complaints: a short guided form, a review, then a ticket and a receipt.

Steps: 0 type, 1 details (category, store, when), 2 what happened and what the shopper wants,
3 contact (optional, with consent), 4 review, 5 done. Checks come from kiosk.domain.validation
and their messages are shown in the shopper's language beside the field.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Callable, Sequence
from typing import Literal
from urllib.parse import quote

from PySide6.QtCore import Property, QObject, Signal, Slot
from PySide6.QtQml import QmlElement, QmlUncreatable

from kiosk.domain.submissions import (
    Complaint,
    ComplaintCategory,
    Contact,
    ContactTime,
    DesiredOutcome,
    FeedbackType,
    Store,
)
from kiosk.domain.validation import Problem, check_name, check_phone, check_text
from kiosk.errors import KnownError
from kiosk.services.submissions import FiledTicket, SubmissionService
from kiosk.services.wayfinding import WayfindingService
from kiosk.viewmodels import QML_IMPORT_MAJOR_VERSION, QML_IMPORT_NAME
from kiosk.viewmodels.formsteps import FormSteps
from kiosk.viewmodels.wayfinding import PlaceListModel, PlaceRow

__all__ = ["QML_IMPORT_MAJOR_VERSION", "QML_IMPORT_NAME", "ComplaintViewModel"]

log = logging.getLogger(__name__)

DESCRIPTION_MAX = 500
NAME_MAX = 30
STEP_TYPE, STEP_DETAILS, STEP_TEXT, STEP_CONTACT, STEP_REVIEW, STEP_DONE = range(6)

# Prints a filed ticket off the GUI thread, then calls back (on that thread) with a message
# for the shopper in both languages.
PrintReceipt = Callable[[FiledTicket, str, Callable[[str, str], None]], object]


@QmlElement
@QmlUncreatable("created by the application")
class ComplaintViewModel(QObject, FormSteps):  # type: ignore[operator]  # PySide6 stub: QmlUncreatable lacks __call__
    """The complaint / suggestion form. Every field is a property; `problems` maps a field to
    its message (`{"phone": {"zh": …, "en": …}}`); `ticketNo`, `qrSource`, `promiseZh/En` and
    `printMessageZh/En` describe the result once filed."""

    formChanged = Signal()
    stepChanged = Signal()
    resultChanged = Signal()
    _printed = Signal(str, str)

    def __init__(
        self,
        service: SubmissionService,
        places: WayfindingService,
        print_receipt: PrintReceipt,
        *,
        mall_name: tuple[str, str],
        phone_patterns: Sequence[re.Pattern[str]] = (),
        now: Callable[[], dt.datetime] = lambda: dt.datetime.now().astimezone(),
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._places = places
        self._print = print_receipt
        self._mall_name = mall_name
        self._phone_patterns = phone_patterns
        self._now = now
        self._stores = PlaceListModel(self)
        self._printed.connect(self._on_printed)
        self._clear()

    def _clear(self) -> None:
        self._step = STEP_TYPE
        self._kind = ""
        self._category = ""
        self._store_id = ""
        self._store_name = ("", "")
        self._store_query = ""
        self._when = "now"
        self._description = ""
        self._desired = ""
        self._name = ""
        self._phone = ""
        self._contact_time = ContactTime.ANYTIME.value
        self._consent = False
        self._problems: dict[str, dict[str, str]] = {}
        self._filed: FiledTicket | None = None
        self._print_message = ("", "")
        self._lang: Literal["zh", "en"] = "zh"
        self._stores.set_rows([])

    # --- form properties -------------------------------------------------------------------
    def _get_step(self) -> int:
        return self._step

    step = Property(int, _get_step, notify=stepChanged)

    def _get_kind(self) -> str:
        return self._kind

    kind = Property(str, _get_kind, notify=formChanged)

    def _get_category(self) -> str:
        return self._category

    category = Property(str, _get_category, notify=formChanged)

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

    def _get_when(self) -> str:
        return self._when

    when = Property(str, _get_when, notify=formChanged)

    def _get_description(self) -> str:
        return self._description

    description = Property(str, _get_description, notify=formChanged)

    def _get_description_max(self) -> int:
        return DESCRIPTION_MAX

    descriptionMax = Property(int, _get_description_max, constant=True)

    def _get_desired(self) -> str:
        return self._desired

    desired = Property(str, _get_desired, notify=formChanged)

    def _get_name(self) -> str:
        return self._name

    contactName = Property(str, _get_name, notify=formChanged)

    def _get_phone(self) -> str:
        return self._phone

    phone = Property(str, _get_phone, notify=formChanged)

    def _get_contact_time(self) -> str:
        return self._contact_time

    contactTime = Property(str, _get_contact_time, notify=formChanged)

    def _get_consent(self) -> bool:
        return self._consent

    consent = Property(bool, _get_consent, notify=formChanged)

    def _get_problems(self) -> dict[str, dict[str, str]]:
        return self._problems

    problems = Property(dict, _get_problems, notify=formChanged)

    def _get_is_complaint(self) -> bool:
        return self._kind == FeedbackType.COMPLAINT.value

    isComplaint = Property(bool, _get_is_complaint, notify=formChanged)

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

    def _get_summary_zh(self) -> list[str]:
        return list(self._preview().summary("zh")) if self._ready() else []

    summaryZh = Property(list, _get_summary_zh, notify=formChanged)

    def _get_summary_en(self) -> list[str]:
        return list(self._preview().summary("en")) if self._ready() else []

    summaryEn = Property(list, _get_summary_en, notify=formChanged)

    def _get_callback(self) -> bool:
        return bool(self._phone) and self._consent

    callbackPossible = Property(bool, _get_callback, notify=formChanged)

    def _get_print_zh(self) -> str:
        return self._print_message[0]

    printMessageZh = Property(str, _get_print_zh, notify=resultChanged)

    def _get_print_en(self) -> str:
        return self._print_message[1]

    printMessageEn = Property(str, _get_print_en, notify=resultChanged)

    # --- slots: editing --------------------------------------------------------------------
    @Slot(str)
    def chooseType(self, kind: str) -> None:
        self._kind = FeedbackType(kind).value
        if not self._get_is_complaint():
            self._category = ""
            self._desired = ""
        self.formChanged.emit()
        self._go(STEP_DETAILS)

    @Slot(str)
    def setCategory(self, value: str) -> None:
        self._set("_category", ComplaintCategory(value).value)

    @Slot(str)
    def searchStores(self, text: str) -> None:
        self._store_query = text[:40]
        if not self._store_query.strip():
            self._stores.set_rows([])
            return
        try:
            found = self._places.search(self._store_query, limit=6)
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

    @Slot()
    def chooseMall(self) -> None:
        self._store_id = ""
        self._store_name = self._mall_name
        self._stores.set_rows([])
        self._drop_problem("store")
        self.formChanged.emit()

    @Slot(str)
    def setWhen(self, value: str) -> None:
        if value in ("now", "today", "yesterday", "earlier"):
            self._set("_when", value)

    @Slot(str)
    def setDescription(self, text: str) -> None:
        self._set("_description", text)

    @Slot(str)
    def setDesired(self, value: str) -> None:
        self._set("_desired", DesiredOutcome(value).value)

    @Slot(str)
    def setContactName(self, text: str) -> None:
        self._set("_name", text)

    @Slot(str)
    def setPhone(self, text: str) -> None:
        self._set("_phone", text)

    @Slot(str)
    def setContactTime(self, value: str) -> None:
        self._set("_contact_time", ContactTime(value).value)

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
        if STEP_TYPE < self._step < STEP_DONE:
            self._problems = {}
            self.formChanged.emit()
            self._go(self._step - 1)

    @Slot(str)
    def submit(self, language: str) -> None:
        """File the complaint, then print. A printer problem never loses the ticket."""
        self._lang = "en" if language == "en" else "zh"
        if self._step != STEP_REVIEW or any(self._check(s) for s in range(STEP_DETAILS, 4)):
            return
        try:
            filed = self._service.file(self._build())
        except KnownError as exc:
            log.error("complaint not filed: %s", exc)
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
        self._print_message = ("正在打印回执…", "Printing your receipt…")
        self.resultChanged.emit()
        self._go(STEP_DONE)
        self._print(filed, "en" if self._lang == "en" else "zh_CN", self._printed.emit)

    # --- internals -------------------------------------------------------------------------

    def _check(self, step: int) -> list[Problem]:
        found: list[Problem] = []
        if step == STEP_DETAILS:
            if self._get_is_complaint() and not self._category:
                found.append(_choose("category", "请选择问题类别。", "Please choose a category."))
            if not self._store_name[0]:
                found.append(
                    _choose(
                        "store", "请选择店铺或“商场本身”。", "Please choose a store or the mall."
                    )
                )
        elif step == STEP_TEXT:
            text = check_text(self._description, field="description", max_chars=DESCRIPTION_MAX)
            if isinstance(text, Problem):
                found.append(text)
        elif step == STEP_CONTACT:
            name = check_name(self._name, field="name")
            phone = check_phone(self._phone, field="phone", extra_patterns=self._phone_patterns)
            found += [p for p in (name, phone) if isinstance(p, Problem)]
            if (self._name.strip() or self._phone.strip()) and not self._consent:
                found.append(
                    _choose(
                        "consent",
                        "留下联系方式需要您同意我们为处理此事联系您。",
                        "To keep your contact details we need your consent to contact you "
                        "about this case.",
                    )
                )
        return found

    def _ready(self) -> bool:
        return bool(self._kind) and not any(
            self._check(s) for s in (STEP_DETAILS, STEP_TEXT, STEP_CONTACT)
        )

    def _preview(self) -> Complaint:
        return self._build()

    def _build(self) -> Complaint:
        is_complaint = self._get_is_complaint()
        phone = check_phone(self._phone, extra_patterns=self._phone_patterns)
        name = check_name(self._name)
        contact = None
        if self._consent or isinstance(phone, str) or isinstance(name, str):
            contact = Contact(
                name=name if isinstance(name, str) else None,
                phone=phone if isinstance(phone, str) else None,
                preferred_time=ContactTime(self._contact_time),
                consent=self._consent,
            )
        text = check_text(self._description, field="description", max_chars=DESCRIPTION_MAX)
        return Complaint(
            type=FeedbackType(self._kind),
            category=ComplaintCategory(self._category) if is_complaint else None,
            store=Store(self._store_id or None, self._store_name[0]),
            occurred_at=self._occurred_at(),
            description=text if isinstance(text, str) else self._description,
            desired_outcome=DesiredOutcome(self._desired)
            if is_complaint and self._desired
            else None,
            contact=contact,
            lang=self._lang,
        )

    def _occurred_at(self) -> dt.datetime | None:
        now = self._now()
        return {
            "now": now,
            "today": now.replace(minute=0, second=0, microsecond=0),
            "yesterday": (now - dt.timedelta(days=1)).replace(minute=0, second=0, microsecond=0),
        }.get(self._when)


def _choose(field: str, zh: str, en: str) -> Problem:
    return Problem(field, "required", zh, en)
