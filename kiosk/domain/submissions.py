"""What shoppers submit: complaints and feedback, return requests and repair orders.

Each type is a frozen dataclass built from input that `kiosk.domain.validation` already checked;
its constructor refuses what no form should produce (ValueError: a bug, not a shopper's
mistake). `to_payload()` gives the JSON-safe dict that goes into the outbox and over the wire
(`sync.schemas.SubmissionIn.payload`) — its keys are stable, version "v" 1; `summary(lang)`
gives the lines printed on the receipt, with personal data masked. `kind` is the wire kind,
`ticket_kind` the letter of the ticket number.

Payloads stay inside the server's limits (sync/server/submissions.py): at most 64 keys per
object and 64 items per list, text of at most 4000 characters, nesting at most 6 levels.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from kiosk.domain.returns import Decision, Line, Reason, Remedy, ReturnRequest
from kiosk.domain.tickets import TicketKind
from kiosk.domain.validation import MAX_QUANTITY, graphemes, mask_name, mask_phone

PAYLOAD_VERSION = 1
# The server's limits (sync.schemas.MAX_PAYLOAD_KEYS, MAX_TEXT), repeated so the domain does not
# import the wire layer; a test keeps them equal.
MAX_PAYLOAD_KEYS = 64
MAX_TEXT = 4000
MAX_DEPTH = 6
# What the forms allow, in user-perceived characters (validation.check_text(max_chars=…)).
DESCRIPTION_MAX_CHARS = 1000
STORE_NAME_MAX_CHARS = 100
ITEM_MAX_CHARS = 100
MAX_ITEMS = 20
# How much of a description the receipt repeats.
EXCERPT_CHARS = 30

Lang = Literal["zh", "en"]
WireKind = Literal["complaint", "feedback", "return_request", "repair_request"]


class FeedbackType(enum.StrEnum):
    COMPLAINT = "complaint"
    SUGGESTION = "suggestion"
    PRAISE = "praise"
    CONSULTATION = "consultation"


class ComplaintCategory(enum.StrEnum):
    SERVICE_ATTITUDE = "service_attitude"
    PRODUCT_QUALITY = "product_quality"
    PRICE_BILLING = "price_billing"
    AFTER_SALES = "after_sales"
    ENVIRONMENT = "environment"
    SAFETY = "safety"
    OTHER = "other"


class DesiredOutcome(enum.StrEnum):
    REFUND = "refund"
    EXCHANGE = "exchange"
    REPAIR = "repair"
    APOLOGY = "apology"
    EXPLANATION = "explanation"
    OTHER = "other"


class ContactTime(enum.StrEnum):
    ANYTIME = "anytime"
    MORNING = "morning"
    AFTERNOON = "afternoon"
    EVENING = "evening"


class Pickup(enum.StrEnum):
    SERVICE_DESK = "service_desk"
    DELIVERY = "delivery"


_LABELS: Mapping[type[enum.StrEnum], Mapping[str, Line]] = {
    FeedbackType: {
        "complaint": Line("投诉", "Complaint"),
        "suggestion": Line("建议", "Suggestion"),
        "praise": Line("表扬", "Praise"),
        "consultation": Line("咨询", "Question"),
    },
    ComplaintCategory: {
        "service_attitude": Line("服务态度", "Service attitude"),
        "product_quality": Line("商品质量", "Product quality"),
        "price_billing": Line("价格与收费", "Price or billing"),
        "after_sales": Line("售后服务", "After-sales service"),
        "environment": Line("环境设施", "Environment and facilities"),
        "safety": Line("安全", "Safety"),
        "other": Line("其他", "Other"),
    },
    DesiredOutcome: {
        "refund": Line("退款", "A refund"),
        "exchange": Line("换货", "An exchange"),
        "repair": Line("维修", "A repair"),
        "apology": Line("道歉", "An apology"),
        "explanation": Line("解释说明", "An explanation"),
        "other": Line("其他", "Other"),
    },
    ContactTime: {
        "anytime": Line("任何时间", "Any time"),
        "morning": Line("上午", "Morning"),
        "afternoon": Line("下午", "Afternoon"),
        "evening": Line("晚上", "Evening"),
    },
    Pickup: {
        "service_desk": Line("服务台自取", "Pick up at the service desk"),
        "delivery": Line("送货上门", "Delivery"),
    },
    Reason: {
        "quality_defect": Line("质量问题", "Quality fault"),
        "wrong_size_colour": Line("尺码或颜色不合适", "Wrong size or colour"),
        "not_as_described": Line("与描述不符", "Not as described"),
        "damaged": Line("商品破损", "Damaged"),
        "changed_mind": Line("不想要了", "Changed my mind"),
        "other": Line("其他原因", "Other reason"),
    },
    Remedy: {
        "refund": Line("退货退款", "Refund"),
        "exchange": Line("换货", "Exchange"),
        "repair": Line("维修", "Repair"),
    },
}


def label(value: enum.StrEnum, lang: str) -> str:
    """The name of an enum value for shoppers, in `lang` ("zh…" or English)."""
    return _LABELS[type(value)][value.value].text(lang)


def _zh(lang: str) -> bool:
    return lang.lower().startswith("zh")


def _line(lang: str, zh: str, en: str, value: str) -> str:
    return f"{zh}：{value}" if _zh(lang) else f"{en}: {value}"


def _text(value: str, what: str, *, required: bool = True) -> None:
    if required and not value.strip():
        raise ValueError(f"{what} is empty")
    if len(value) > MAX_TEXT:
        raise ValueError(f"{what} is longer than {MAX_TEXT} characters")


def _excerpt(text: str) -> str:
    clusters = graphemes(" ".join(text.split()))
    return "".join(clusters[:EXCERPT_CHARS]) + ("…" if len(clusters) > EXCERPT_CHARS else "")


def _aware(moment: dt.datetime, what: str) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{what} must carry its time zone")


# --- parts ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Contact:
    """How staff may reach the shopper. Name and phone are kept only with `consent` (PIPL);
    an empty contact (no name, no phone) is allowed and means "do not call me"."""

    name: str | None
    phone: str | None
    preferred_time: ContactTime
    consent: bool

    def __post_init__(self) -> None:
        if (self.name or self.phone) and not self.consent:
            raise ValueError("a name or phone number needs the shopper's consent")
        if self.name is not None:
            _text(self.name, "contact name")

    @property
    def callback_possible(self) -> bool:
        return self.consent and bool(self.phone)

    def to_payload(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "phone": self.phone,
            "preferred_time": self.preferred_time.value,
            "consent": self.consent,
        }

    def summary(self, lang: str) -> list[str]:
        if not self.callback_possible:
            return [
                "未留联系电话，我们无法回访。"
                if _zh(lang)
                else "No phone number given: we cannot call you back."
            ]
        who = " ".join(
            part for part in (mask_name(self.name or ""), mask_phone(self.phone or "")) if part
        )
        return [
            _line(lang, "联系方式", "Contact", who),
            _line(lang, "方便联系时间", "Best time to call", label(self.preferred_time, lang)),
        ]


def _contact_payload(contact: Contact | None) -> dict[str, Any] | None:
    return None if contact is None else contact.to_payload()


def _contact_summary(contact: Contact | None, lang: str) -> list[str]:
    if contact is None:
        return ["匿名提交。" if _zh(lang) else "Sent anonymously."]
    return contact.summary(lang)


@dataclass(frozen=True, slots=True)
class Store:
    """Where it happened or was bought: a store (`id` from the venue data) or, with id None,
    the mall itself."""

    id: str | None
    name: str

    def __post_init__(self) -> None:
        _text(self.name, "store name")

    def to_payload(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name}


# --- complaints and feedback ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Complaint:
    """A complaint, suggestion, praise or question.

    A complaint has a `category` and may have a `desired_outcome`; the other types have
    neither. `contact` None means anonymous; a complaint without a phone is accepted, but
    `callback_possible` is False.
    """

    type: FeedbackType
    category: ComplaintCategory | None
    store: Store
    occurred_at: dt.datetime | None
    description: str
    desired_outcome: DesiredOutcome | None
    contact: Contact | None
    lang: Lang

    def __post_init__(self) -> None:
        is_complaint = self.type is FeedbackType.COMPLAINT
        if is_complaint and self.category is None:
            raise ValueError("a complaint needs a category")
        if not is_complaint and (self.category is not None or self.desired_outcome is not None):
            raise ValueError(f"a {self.type} has no category or desired outcome")
        if self.occurred_at is not None:
            _aware(self.occurred_at, "occurred_at")
        _text(self.description, "description")

    @property
    def kind(self) -> WireKind:
        return "complaint" if self.type is FeedbackType.COMPLAINT else "feedback"

    @property
    def ticket_kind(self) -> TicketKind:
        return TicketKind.COMPLAINT if self.type is FeedbackType.COMPLAINT else TicketKind.FEEDBACK

    @property
    def callback_possible(self) -> bool:
        return self.contact is not None and self.contact.callback_possible

    def to_payload(self) -> dict[str, Any]:
        return {
            "v": PAYLOAD_VERSION,
            "type": self.type.value,
            "category": None if self.category is None else self.category.value,
            "store": self.store.to_payload(),
            "occurred_at": None if self.occurred_at is None else self.occurred_at.isoformat(),
            "description": self.description,
            "desired_outcome": None if self.desired_outcome is None else self.desired_outcome.value,
            "contact": _contact_payload(self.contact),
            "callback_possible": self.callback_possible,
            "lang": self.lang,
        }

    def summary(self, lang: str) -> list[str]:
        lines = [_line(lang, "类型", "Type", label(self.type, lang))]
        if self.category is not None:
            lines.append(_line(lang, "类别", "Category", label(self.category, lang)))
        lines.append(_line(lang, "地点", "Where", self.store.name))
        if self.occurred_at is not None:
            lines.append(_line(lang, "时间", "When", self.occurred_at.strftime("%Y-%m-%d %H:%M")))
        lines.append(_line(lang, "内容", "About", _excerpt(self.description)))
        if self.desired_outcome is not None:
            lines.append(_line(lang, "诉求", "You asked for", label(self.desired_outcome, lang)))
        return lines + _contact_summary(self.contact, lang)


# --- returns and repairs --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReturnItem:
    description: str
    quantity: int
    category: str

    def __post_init__(self) -> None:
        _text(self.description, "item description")
        if isinstance(self.quantity, bool) or not 1 <= self.quantity <= MAX_QUANTITY:
            raise ValueError(f"quantity {self.quantity!r} is not 1 to {MAX_QUANTITY}")

    def to_payload(self) -> dict[str, Any]:
        return {
            "description": self.description,
            "quantity": self.quantity,
            "category": self.category,
        }


def _items(items: tuple[ReturnItem, ...]) -> None:
    if not 1 <= len(items) <= MAX_ITEMS:
        raise ValueError(f"a request has 1 to {MAX_ITEMS} items, not {len(items)}")


def _amount(amount: Decimal | None) -> str | None:
    # A string keeps the exact fen; JSON numbers would be floats.
    return None if amount is None else f"{amount:.2f}"


@dataclass(frozen=True, slots=True)
class ReturnRequestSubmission:
    """A request to return, exchange or repair a purchase, with the policy's assessment.

    `request` holds the category, dates, reason, condition flags and desired remedy that
    `decision` was made from (kiosk.domain.returns.decide); `slip_no` is None when the shopper
    has no slip; `details` is the shopper's own description, possibly empty.
    """

    request: ReturnRequest
    decision: Decision
    slip_no: str | None
    store: Store
    amount: Decimal | None
    items: tuple[ReturnItem, ...]
    details: str
    contact: Contact | None
    lang: Lang

    def __post_init__(self) -> None:
        _items(self.items)
        _text(self.details, "details", required=False)
        if self.amount is not None and (not self.amount.is_finite() or self.amount <= 0):
            raise ValueError(f"amount {self.amount} is not a positive number")
        request, decision = self.request, self.decision
        if (decision.desired, decision.category, decision.days_since_purchase) != (
            request.desired,
            request.category,
            (request.today - request.purchase_date).days,
        ):
            raise ValueError("the decision was made for another request")

    @property
    def kind(self) -> WireKind:
        return "return_request"

    @property
    def ticket_kind(self) -> TicketKind:
        return TicketKind.RETURN

    def to_payload(self) -> dict[str, Any]:
        request = self.request
        return {
            "v": PAYLOAD_VERSION,
            "slip_no": self.slip_no,
            "store": self.store.to_payload(),
            "purchase_date": request.purchase_date.isoformat(),
            "requested_on": request.today.isoformat(),
            "amount": _amount(self.amount),
            "currency": "CNY",
            "items": [item.to_payload() for item in self.items],
            "category": request.category,
            "reason": request.reason.value,
            "details": self.details,
            "conditions": {
                "packaging_intact": request.packaging_intact,
                "tags_attached": request.tags_attached,
                "accessories_complete": request.accessories_complete,
                "has_proof": request.has_proof,
                "used": request.used,
            },
            "desired": request.desired.value,
            "policy": self.decision.to_payload(),
            "contact": _contact_payload(self.contact),
            "callback_possible": self.contact is not None and self.contact.callback_possible,
            "lang": self.lang,
        }

    def summary(self, lang: str) -> list[str]:
        request = self.request
        lines = [
            _line(lang, "商户", "Store", self.store.name),
            _line(lang, "购买日期", "Bought on", request.purchase_date.isoformat()),
        ]
        if self.slip_no:
            lines.append(_line(lang, "小票号", "Slip no.", self.slip_no))
        if self.amount is not None:
            lines.append(_line(lang, "金额", "Amount", f"¥{self.amount:,.2f}"))
        for item in self.items:
            lines.append(f"· {_excerpt(item.description)} × {item.quantity}")
        lines += [
            _line(lang, "原因", "Reason", label(request.reason, lang)),
            _line(lang, "希望", "You asked for", label(request.desired, lang)),
            *self.decision.summary(lang),
            "请携带：" if _zh(lang) else "Please bring:",
            *(f"· {line.text(lang)}" for line in self.decision.bring),
        ]
        return lines + _contact_summary(self.contact, lang)


@dataclass(frozen=True, slots=True)
class RepairOrder:
    """A repair work order: the item, its fault, and how it comes back to the shopper.

    Delivery needs a phone number the shopper agreed to be called on (the address is taken by
    phone, not typed into a kiosk). `decision` is the policy's view (in warranty or not), when
    the purchase is known.
    """

    item: str
    category: str | None
    store: Store | None
    purchase_date: dt.date | None
    slip_no: str | None
    fault: str
    pickup: Pickup
    decision: Decision | None
    contact: Contact | None
    lang: Lang

    def __post_init__(self) -> None:
        _text(self.item, "item")
        _text(self.fault, "fault description")
        if self.pickup is Pickup.DELIVERY and not (self.contact and self.contact.callback_possible):
            raise ValueError("delivery needs a phone number the shopper agreed to be called on")

    @property
    def kind(self) -> WireKind:
        return "repair_request"

    @property
    def ticket_kind(self) -> TicketKind:
        return TicketKind.REPAIR

    def to_payload(self) -> dict[str, Any]:
        return {
            "v": PAYLOAD_VERSION,
            "item": self.item,
            "category": self.category,
            "store": None if self.store is None else self.store.to_payload(),
            "purchase_date": None if self.purchase_date is None else self.purchase_date.isoformat(),
            "slip_no": self.slip_no,
            "fault": self.fault,
            "pickup": self.pickup.value,
            "policy": None if self.decision is None else self.decision.to_payload(),
            "contact": _contact_payload(self.contact),
            "callback_possible": self.contact is not None and self.contact.callback_possible,
            "lang": self.lang,
        }

    def summary(self, lang: str) -> list[str]:
        lines = [
            _line(lang, "物品", "Item", _excerpt(self.item)),
            _line(lang, "故障", "Fault", _excerpt(self.fault)),
            _line(lang, "取件方式", "Return of the item", label(self.pickup, lang)),
        ]
        if self.store is not None:
            lines.append(_line(lang, "购买商户", "Bought at", self.store.name))
        if self.purchase_date is not None:
            lines.append(_line(lang, "购买日期", "Bought on", self.purchase_date.isoformat()))
        if self.decision is not None:
            lines += self.decision.summary(lang)
        return lines + _contact_summary(self.contact, lang)


Submission = Complaint | ReturnRequestSubmission | RepairOrder


# --- limits ---------------------------------------------------------------------------------------


def payload_problem(payload: Mapping[str, Any]) -> str | None:
    """Why the central service would refuse `payload`, or None: the limits the server checks
    (keys, list lengths, text lengths, depth), and only JSON values (no floats: amounts are
    text)."""
    stack: list[tuple[object, str, int]] = [(payload, "payload", 0)]
    while stack:
        value, where, depth = stack.pop()
        if problem := _shallow_problem(value, where, depth):
            return problem
        if isinstance(value, Mapping):
            children = [(item, f"{where}.{key}", depth + 1) for key, item in value.items()]
        elif isinstance(value, list):
            children = [(item, f"{where}[{i}]", depth + 1) for i, item in enumerate(value)]
        else:
            children = []
        stack.extend(reversed(children))
    return None


def _shallow_problem(value: object, where: str, depth: int) -> str | None:
    problem = None
    if depth > MAX_DEPTH:
        problem = f"{where} is nested deeper than {MAX_DEPTH} levels"
    elif isinstance(value, str):
        if len(value) > MAX_TEXT:
            problem = f"{where} is longer than {MAX_TEXT} characters"
    elif isinstance(value, Mapping):
        if len(value) > MAX_PAYLOAD_KEYS:
            problem = f"{where} has more than {MAX_PAYLOAD_KEYS} keys"
        elif not all(isinstance(key, str) for key in value):
            problem = f"{where} has a key that is not text"
    elif isinstance(value, list):
        if len(value) > MAX_PAYLOAD_KEYS:
            problem = f"{where} has more than {MAX_PAYLOAD_KEYS} items"
    elif not (value is None or isinstance(value, bool | int)):
        problem = f"{where} is a {type(value).__name__}, not a JSON text, whole number or flag"
    return problem


# --- promises on the receipt ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ServiceTimes:
    """The mall's service promises printed on receipts (DESIGN.md §7), from configuration."""

    first_response_minutes: int = 15
    complex_case_hours: int = 2
    # A return or repair request not brought to the desk within this many days expires.
    request_valid_days: int = 15


def promise(submission: Submission, lang: str, times: ServiceTimes = ServiceTimes()) -> str:
    """What happens next, one sentence for the receipt."""
    zh = _zh(lang)
    match submission:
        case Complaint() if submission.type in (FeedbackType.SUGGESTION, FeedbackType.PRAISE):
            return "感谢您的反馈！" if zh else "Thank you for your feedback!"
        case Complaint() if submission.callback_possible:
            minutes, hours = times.first_response_minutes, times.complex_case_hours
            return (
                f"营业时间内，我们会在 {minutes} 分钟内首次联系您，复杂问题 {hours} 小时内答复。"
                if zh
                else f"During opening hours we contact you within {minutes} minutes, and answer"
                f" complex cases within {hours} hours."
            )
        case Complaint():
            return (
                "可凭单号在服务机上查询处理进度。"
                if zh
                else "Check the progress with your ticket number at any kiosk."
            )
        case _:
            days = times.request_valid_days
            return (
                f"请在 {days} 天内携带商品到服务台，出示本回执上的二维码。"
                if zh
                else f"Please bring the item to the service desk within {days} days and show"
                " the QR code on this slip."
            )
