"""Submission payloads: stable JSON within the server's limits, receipt lines, kinds."""

from __future__ import annotations

import datetime as dt
import enum
import json
import typing
import uuid
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.domain import submissions
from kiosk.domain.returns import (
    Reason,
    Remedy,
    ReturnRequest,
    decide,
    default_policy_path,
    load_policy,
)
from kiosk.domain.submissions import (
    DESCRIPTION_MAX_CHARS,
    ITEM_MAX_CHARS,
    MAX_ITEMS,
    Complaint,
    ComplaintCategory,
    Contact,
    ContactTime,
    DesiredOutcome,
    FeedbackType,
    Pickup,
    RepairOrder,
    ReturnItem,
    ReturnRequestSubmission,
    ServiceTimes,
    Store,
    Submission,
    label,
    payload_problem,
    promise,
)
from kiosk.domain.tickets import TicketKind, make_ticket, new_tracking_token, token_sha256
from sync import schemas
from sync.server.submissions import payload_problem as server_payload_problem

CST = dt.timezone(dt.timedelta(hours=8))
NOW = dt.datetime(2026, 5, 20, 15, 30, tzinfo=CST)
TODAY = NOW.date()
POLICY = load_policy(default_policy_path())
STORE = Store("store-0042", "优衣库 UNIQLO")
MALL = Store(None, "商场公共区域")
CALL_ME = Contact("王小明", "13812345678", ContactTime.AFTERNOON, consent=True)
NAME_ONLY = Contact("王小明", None, ContactTime.ANYTIME, consent=True)


def complaint(**changes: Any) -> Complaint:
    fields: dict[str, Any] = {
        "type": FeedbackType.COMPLAINT,
        "category": ComplaintCategory.SERVICE_ATTITUDE,
        "store": STORE,
        "occurred_at": NOW - dt.timedelta(hours=1),
        "description": "收银员态度很差 😠",
        "desired_outcome": DesiredOutcome.APOLOGY,
        "contact": CALL_ME,
        "lang": "zh",
    }
    return Complaint(**(fields | changes))


def return_request(**changes: Any) -> ReturnRequestSubmission:
    request = ReturnRequest(
        category="electronics",
        purchase_date=TODAY - dt.timedelta(days=3),
        today=TODAY,
        reason=Reason.QUALITY_DEFECT,
        desired=Remedy.REFUND,
        packaging_intact=True,
        tags_attached=True,
        accessories_complete=False,
        has_proof=True,
        used=True,
    )
    fields: dict[str, Any] = {
        "request": request,
        "decision": decide(POLICY, request),
        "slip_no": "202605170123",
        "store": STORE,
        "amount": Decimal("1299.00"),
        "items": (ReturnItem("蓝牙耳机 Bluetooth earbuds", 1, "electronics"),),
        "details": "右耳没有声音",
        "contact": CALL_ME,
        "lang": "en",
    }
    return ReturnRequestSubmission(**(fields | changes))


def repair_order(**changes: Any) -> RepairOrder:
    request = ReturnRequest(
        "appliances",
        TODAY - dt.timedelta(days=100),
        TODAY,
        Reason.QUALITY_DEFECT,
        Remedy.REPAIR,
        packaging_intact=False,
        tags_attached=False,
        accessories_complete=True,
        has_proof=True,
        used=True,
    )
    fields: dict[str, Any] = {
        "item": "电饭煲 rice cooker",
        "category": "appliances",
        "store": STORE,
        "purchase_date": request.purchase_date,
        "slip_no": None,
        "fault": "不加热",
        "pickup": Pickup.DELIVERY,
        "decision": decide(POLICY, request),
        "contact": CALL_ME,
        "lang": "zh",
    }
    return RepairOrder(**(fields | changes))


ALL: list[Submission] = [complaint(), return_request(), repair_order()]


# --- kinds --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("submission", "kind", "letter"),
    [
        (complaint(), "complaint", TicketKind.COMPLAINT),
        (
            complaint(type=FeedbackType.SUGGESTION, category=None, desired_outcome=None),
            "feedback",
            "S",
        ),
        (complaint(type=FeedbackType.PRAISE, category=None, desired_outcome=None), "feedback", "S"),
        (
            complaint(type=FeedbackType.CONSULTATION, category=None, desired_outcome=None),
            "feedback",
            "S",
        ),
        (return_request(), "return_request", TicketKind.RETURN),
        (repair_order(), "repair_request", TicketKind.REPAIR),
    ],
)
def test_kinds(submission: Submission, kind: str, letter: str) -> None:
    assert submission.kind == kind
    assert submission.ticket_kind == letter


def test_wire_kinds_and_limits_match_the_protocol() -> None:
    assert set(typing.get_args(submissions.WireKind)) == set(
        typing.get_args(schemas.SubmissionKind)
    )
    assert submissions.MAX_PAYLOAD_KEYS == schemas.MAX_PAYLOAD_KEYS
    assert submissions.MAX_TEXT == schemas.MAX_TEXT


@pytest.mark.parametrize("submission", ALL, ids=lambda s: s.kind)
def test_payload_goes_over_the_wire(submission: Submission) -> None:
    payload = submission.to_payload()
    assert json.loads(json.dumps(payload)) == payload
    assert payload["v"] == 1
    assert payload_problem(payload) is None
    assert server_payload_problem(payload) is None
    token = new_tracking_token()
    item = schemas.SubmissionIn(
        uuid=uuid.uuid4(),
        kind=submission.kind,
        ticket_no=make_ticket(submission.ticket_kind, "K01", 42),
        created_at=NOW,
        token_sha256=token_sha256(token),
        payload=payload,
    )
    assert item.payload == payload


# --- complaints and feedback --------------------------------------------------------------------


def test_complaint_payload_is_stable() -> None:
    assert complaint().to_payload() == {
        "v": 1,
        "type": "complaint",
        "category": "service_attitude",
        "store": {"id": "store-0042", "name": "优衣库 UNIQLO"},
        "occurred_at": "2026-05-20T14:30:00+08:00",
        "description": "收银员态度很差 😠",
        "desired_outcome": "apology",
        "contact": {
            "name": "王小明",
            "phone": "13812345678",
            "preferred_time": "afternoon",
            "consent": True,
        },
        "callback_possible": True,
        "lang": "zh",
    }


def test_complaint_about_the_mall_itself() -> None:
    payload = complaint(store=MALL, category=ComplaintCategory.ENVIRONMENT).to_payload()
    assert payload["store"] == {"id": None, "name": "商场公共区域"}


def test_complaint_without_contact_is_accepted_but_cannot_be_called_back() -> None:
    for contact in (None, NAME_ONLY, Contact(None, None, ContactTime.ANYTIME, consent=False)):
        submission = complaint(contact=contact)
        assert submission.callback_possible is False
        assert submission.to_payload()["callback_possible"] is False
    assert complaint().callback_possible is True


def test_anonymous_suggestion_and_praise() -> None:
    for kind in (FeedbackType.SUGGESTION, FeedbackType.PRAISE):
        feedback = complaint(
            type=kind, category=None, desired_outcome=None, contact=None, occurred_at=None
        )
        payload = feedback.to_payload()
        assert payload["contact"] is None
        assert payload["category"] is None
        assert payload["occurred_at"] is None
        assert "匿名提交。" in feedback.summary("zh")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"category": None}, "needs a category"),
        ({"type": FeedbackType.PRAISE}, "has no category"),
        (
            {"type": FeedbackType.SUGGESTION, "category": None},
            "has no category or desired outcome",
        ),
        ({"occurred_at": dt.datetime(2026, 5, 20, 12, 0)}, "time zone"),
        ({"description": "  "}, "description is empty"),
        ({"description": "x" * 4001}, "longer than 4000"),
    ],
)
def test_complaint_refuses_what_no_form_produces(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        complaint(**changes)


def test_contact_details_need_consent() -> None:
    with pytest.raises(ValueError, match="consent"):
        Contact(None, "13812345678", ContactTime.ANYTIME, consent=False)
    with pytest.raises(ValueError, match="consent"):
        Contact("王小明", None, ContactTime.ANYTIME, consent=False)


def test_complaint_summary_masks_personal_data() -> None:
    zh = complaint().summary("zh")
    assert zh == [
        "类型：投诉",
        "类别：服务态度",
        "地点：优衣库 UNIQLO",
        "时间：2026-05-20 14:30",
        "内容：收银员态度很差 😠",
        "诉求：道歉",
        "联系方式：王*明 138****5678",
        "方便联系时间：下午",
    ]
    en = complaint().summary("en")
    assert en[0] == "Type: Complaint"
    assert "Contact: 王*明 138****5678" in en
    assert not any("13812345678" in line or "王小明" in line for line in zh + en)


def test_summary_repeats_only_the_start_of_a_long_description() -> None:
    text = "🙂" * 50
    line = complaint(description=text).summary("en")[4]
    assert line == "About: " + "🙂" * 30 + "…"


def test_no_phone_means_no_callback_on_the_receipt() -> None:
    assert complaint(contact=NAME_ONLY).summary("en")[-1] == (
        "No phone number given: we cannot call you back."
    )


# --- returns and repairs ------------------------------------------------------------------------


def test_return_payload_is_stable() -> None:
    payload = return_request().to_payload()
    assert list(payload) == [
        "v",
        "slip_no",
        "store",
        "purchase_date",
        "requested_on",
        "amount",
        "currency",
        "items",
        "category",
        "reason",
        "details",
        "conditions",
        "desired",
        "policy",
        "contact",
        "callback_possible",
        "lang",
    ]
    assert payload["amount"] == "1299.00"
    assert payload["purchase_date"] == "2026-05-17"
    assert payload["items"] == [
        {"description": "蓝牙耳机 Bluetooth earbuds", "quantity": 1, "category": "electronics"}
    ]
    assert payload["conditions"] == {
        "packaging_intact": True,
        "tags_attached": True,
        "accessories_complete": False,
        "has_proof": True,
        "used": True,
    }
    assert payload["policy"]["outcome"] == "staff_review"
    assert payload["policy"]["available"] == ["exchange", "repair"]


def test_return_without_slip_or_amount() -> None:
    payload = return_request(slip_no=None, amount=None, contact=None).to_payload()
    assert (payload["slip_no"], payload["amount"], payload["contact"]) == (None, None, None)


def test_return_summary() -> None:
    lines = return_request().summary("en")
    assert lines[:5] == [
        "Store: 优衣库 UNIQLO",
        "Bought on: 2026-05-17",
        "Slip no.: 202605170123",
        "Amount: ¥1,299.00",
        "· 蓝牙耳机 Bluetooth earbuds × 1",
    ]
    assert "Reason: Quality fault" in lines
    assert "You asked for: Refund" in lines
    assert "Staff need to look at this; you can still send the request." in lines
    assert "Please bring:" in lines
    assert "· No ID needed" in lines
    assert lines[-2:] == ["Contact: 王*明 138****5678", "Best time to call: Afternoon"]
    assert "请携带：" in return_request().summary("zh_CN")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"items": ()}, "1 to 20 items"),
        ({"items": (ReturnItem("a", 1, "other"),) * 21}, "1 to 20 items"),
        ({"amount": Decimal(0)}, "not a positive number"),
        ({"amount": Decimal("NaN")}, "not a positive number"),
        ({"details": "x" * 4001}, "longer than 4000"),
    ],
)
def test_return_refuses_what_no_form_produces(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        return_request(**changes)


def test_return_decision_must_belong_to_the_request() -> None:
    other = return_request().request
    wrong = decide(POLICY, ReturnRequest(**{**_fields(other), "desired": Remedy.EXCHANGE}))
    with pytest.raises(ValueError, match="another request"):
        return_request(decision=wrong)


def _fields(request: ReturnRequest) -> dict[str, Any]:
    return {name: getattr(request, name) for name in request.__dataclass_fields__}


@pytest.mark.parametrize("quantity", [0, 100, True])
def test_item_quantity(quantity: int) -> None:
    with pytest.raises(ValueError, match="quantity"):
        ReturnItem("a", quantity, "other")


def test_repair_order_payload_and_summary() -> None:
    order = repair_order()
    payload = order.to_payload()
    assert payload["pickup"] == "delivery"
    assert payload["fault"] == "不加热"
    assert payload["policy"]["outcome"] == "repair_ok"
    zh = order.summary("zh")
    assert zh[:3] == ["物品：电饭煲 rice cooker", "故障：不加热", "取件方式：送货上门"]
    assert "可以维修。" in zh
    minimal = repair_order(
        store=None, purchase_date=None, decision=None, category=None, pickup=Pickup.SERVICE_DESK
    )
    assert minimal.to_payload()["policy"] is None
    assert minimal.summary("en")[2] == "Return of the item: Pick up at the service desk"


def test_delivery_needs_a_phone_to_arrange_it() -> None:
    for contact in (None, NAME_ONLY):
        with pytest.raises(ValueError, match="delivery needs a phone"):
            repair_order(contact=contact)
    assert repair_order(contact=None, pickup=Pickup.SERVICE_DESK).kind == "repair_request"


# --- limits -------------------------------------------------------------------------------------


@given(
    st.text(min_size=1, max_size=DESCRIPTION_MAX_CHARS).filter(str.strip),
    st.lists(
        st.text(min_size=1, max_size=ITEM_MAX_CHARS).filter(str.strip),
        min_size=1,
        max_size=MAX_ITEMS,
    ),
)
def test_the_largest_forms_fit_the_server(description: str, items: list[str]) -> None:
    big = return_request(
        details=description,
        items=tuple(ReturnItem(text, 99, "other") for text in items),
    )
    assert payload_problem(big.to_payload()) is None
    assert server_payload_problem(big.to_payload()) is None
    assert len(big.to_payload()) <= 64


def test_worst_case_emoji_description_fits() -> None:
    # 1000 family emoji = 1000 characters on screen but 5000 code points.
    family = "👨\u200d👩\u200d👧"
    assert len(family * 800) == 4000
    with pytest.raises(ValueError, match="longer than 4000"):
        complaint(description=family * 801)


@pytest.mark.parametrize(
    ("payload", "problem"),
    [
        ({"a": 1.5}, "payload.a is a float"),
        ({"a": "x" * 4001}, "payload.a is longer than 4000"),
        ({str(i): i for i in range(65)}, "payload has more than 64 keys"),
        ({"a": list(range(65))}, "payload.a has more than 64 items"),
        ({"a": {"b": {"c": {"d": {"e": {"f": {"g": 1}}}}}}}, "nested deeper than 6"),
        ({"a": {1: "x"}}, "payload.a has a key that is not text"),
        ({"a": Decimal(1)}, "payload.a is a Decimal"),
        ({"a": [1, {"b": "x" * 4001}]}, r"payload.a[1].b is longer"),
    ],
)
def test_payload_problems(payload: dict[str, Any], problem: str) -> None:
    found = payload_problem(payload)
    assert found is not None
    assert problem in found


# --- words --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kind", [FeedbackType, ComplaintCategory, DesiredOutcome, ContactTime, Pickup, Reason, Remedy]
)
def test_every_value_has_a_label(kind: type[enum.StrEnum]) -> None:
    for value in kind:
        assert label(value, "zh")
        assert label(value, "en")
        assert label(value, "zh") != label(value, "en")


def test_promises_on_the_receipt() -> None:
    times = ServiceTimes(first_response_minutes=10, complex_case_hours=3, request_valid_days=7)
    assert "10 分钟" in promise(complaint(), "zh", times)
    assert "within 10 minutes" in promise(complaint(), "en", times)
    assert "3 hours" in promise(complaint(), "en", times)
    no_phone = complaint(contact=None)
    assert "ticket number" in promise(no_phone, "en")
    praise = complaint(type=FeedbackType.PRAISE, category=None, desired_outcome=None)
    assert promise(praise, "en") == "Thank you for your feedback!"
    assert "7 天内" in promise(return_request(), "zh", times)
    assert "15 days" in promise(repair_order(), "en")
