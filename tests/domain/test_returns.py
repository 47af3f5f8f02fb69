"""The return policy engine: loading the rules, every rule and category, and monotonicity."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import json
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.domain.returns import (
    FAULTS,
    Condition,
    Decision,
    Outcome,
    PolicyError,
    Reason,
    Remedy,
    ReturnPolicy,
    ReturnRequest,
    add_months,
    decide,
    default_policy_path,
    load_policy,
)

TODAY = dt.date(2026, 5, 20)
DEFAULT_DATA: dict[str, Any] = json.loads(default_policy_path().read_text(encoding="utf-8"))
POLICY = load_policy(default_policy_path())
R, E, P = Remedy.REFUND, Remedy.EXCHANGE, Remedy.REPAIR
OK = {"packaging_intact": True, "tags_attached": True, "accessories_complete": True}


def ask(
    category: str,
    days: int,
    reason: Reason,
    desired: Remedy,
    policy: ReturnPolicy = POLICY,
    /,
    **flags: bool,
) -> Decision:
    conditions = {**OK, "has_proof": True, "used": False, **flags}
    return decide(
        policy,
        ReturnRequest(
            category=category,
            purchase_date=TODAY - dt.timedelta(days=days),
            today=TODAY,
            reason=reason,
            desired=desired,
            **conditions,
        ),
    )


# --- loading ------------------------------------------------------------------------------------


def test_default_policy_loads_from_file_and_from_dict() -> None:
    assert load_policy(DEFAULT_DATA) == POLICY
    assert POLICY.version == DEFAULT_DATA["version"]
    assert [rule.code for rule in POLICY.categories] == [
        "clothing",
        "shoes",
        "electronics",
        "appliances",
        "cosmetics",
        "food",
        "underwear",
        "jewellery",
        "customised",
        "gift_card",
        "books",
        "toys",
        "other",
    ]


def test_default_policy_is_sound() -> None:
    for rule in POLICY.categories:
        assert rule.name.zh
        assert rule.name.en
        assert rule.sanbao == (rule.warranty_months > 0)
        if rule.exclusion is not None:
            assert rule.exclusion.reason.zh
            assert rule.exclusion.reason.en
    sanbao = {rule.code for rule in POLICY.categories if rule.sanbao}
    assert sanbao == {"electronics", "appliances"}
    excluded = {rule.code for rule in POLICY.categories if rule.exclusion is not None}
    assert excluded == {"cosmetics", "food", "underwear", "customised", "gift_card"}
    assert POLICY.sanbao.return_days == 7
    assert POLICY.sanbao.exchange_days == 15
    assert POLICY.review_if_missing == {Condition.HAS_PROOF}


def mutated(change: str, value: Any) -> dict[str, Any]:
    """The default data with the key at dotted path `change` set to `value` (or removed)."""
    data = copy.deepcopy(DEFAULT_DATA)
    *parents, last = change.split(".")
    target = data
    for part in parents:
        target = target[part]
    if value is _REMOVE:
        del target[last]
    else:
        target[last] = value
    return data


_REMOVE = object()


@pytest.mark.parametrize(
    ("change", "value", "message"),
    [
        ("quality", _REMOVE, r"^return policy: : missing key 'quality'$"),
        ("version", _REMOVE, r"missing key 'version'"),
        ("version", " ", r"version: expected non-empty text"),
        ("schema", 2, r"schema: this kiosk reads schema 1, got 2"),
        ("colour", "red", r"colour: unknown key"),
        ("review_if_missing", "has_proof", r"review_if_missing: expected a list"),
        ("quality.return_days", "7", r"quality\.return_days: expected a whole number .* got '7'"),
        ("sanbao.exchange_days", -1, r"sanbao\.exchange_days: expected a whole number"),
        ("sanbao.return_requires", ["sealed"], r"sanbao\.return_requires\[0\]: 'sealed' is not"),
        ("categories", [], r"categories: expected an object"),
        ("categories", {}, r"categories: no categories"),
        ("categories.food", 7, r"categories\.food: expected an object"),
        ("categories.food.exchange_days", 7.5, r"categories\.food\.exchange_days: expected"),
        ("categories.food.exchange_days", True, r"categories\.food\.exchange_days: expected"),
        ("categories.food.exchange_days", 5000, r"from 0 to 3650"),
        ("categories.food.requires", ["sealed"], r"categories\.food\.requires\[0\]: 'sealed'"),
        ("categories.food.name_zh", "", r"categories\.food\.name_zh: expected non-empty text"),
        ("categories.food.sanbao", "no", r"categories\.food\.sanbao: expected true or false"),
        ("categories.food.repairable", _REMOVE, r"categories\.food: missing key 'repairable'"),
        ("categories.food.colour", 1, r"categories\.food\.colour: unknown key"),
        ("categories.food.defects", "maybe", r"categories\.food\.defects: expected 'standard'"),
        ("categories.food.exclusion.when", "sometimes", r"exclusion\.when: 'sometimes' is not"),
        ("categories.food.exclusion.en", None, r"categories\.food\.exclusion\.en: expected"),
        ("categories.toys.sanbao", True, r"categories\.toys\.warranty_months: goods under 三包"),
    ],
)
def test_schema_errors_name_the_key(change: str, value: Any, message: str) -> None:
    with pytest.raises(PolicyError, match=message):
        load_policy(mutated(change, value))


def test_comments_are_allowed_anywhere() -> None:
    data = mutated("categories._comment", "a note")
    data["quality"]["_why"] = "law"
    assert load_policy(data) == POLICY


def test_file_errors_name_the_file(tmp_path: Path) -> None:
    broken = tmp_path / "policy.json"
    broken.write_text("{ not json", encoding="utf-8")
    with pytest.raises(PolicyError, match=r"return policy .*policy\.json: not valid JSON"):
        load_policy(broken)
    wrong = tmp_path / "wrong.json"
    wrong.write_text(json.dumps(mutated("schema", 9)), encoding="utf-8")
    with pytest.raises(PolicyError, match=r"wrong\.json: schema: this kiosk reads schema 1"):
        load_policy(wrong)
    with pytest.raises(FileNotFoundError):
        load_policy(tmp_path / "missing.json")


def test_a_catalog_policy_replaces_the_default() -> None:
    generous = mutated("categories.clothing.no_reason_return_days", 30)
    policy = load_policy(generous)
    assert ask("clothing", 25, Reason.CHANGED_MIND, R, policy).outcome is Outcome.RETURN_OK
    assert ask("clothing", 25, Reason.CHANGED_MIND, R).outcome is Outcome.NOT_ELIGIBLE


# --- every rule, every category -----------------------------------------------------------------

CM, WS, QD, ND, DM, OT = (
    Reason.CHANGED_MIND,
    Reason.WRONG_SIZE_COLOUR,
    Reason.QUALITY_DEFECT,
    Reason.NOT_AS_DESCRIBED,
    Reason.DAMAGED,
    Reason.OTHER,
)
RETURN_OK, EXCHANGE_OK, REPAIR_OK = Outcome.RETURN_OK, Outcome.EXCHANGE_OK, Outcome.REPAIR_OK
REVIEW, NO = Outcome.STAFF_REVIEW, Outcome.NOT_ELIGIBLE


class Case(NamedTuple):
    category: str
    days: int  # since purchase
    reason: Reason
    desired: Remedy
    flags: dict[str, bool]  # condition flags that differ from "all fine"
    outcome: Outcome
    available: set[Remedy]
    review: set[Remedy]  # possible after staff review


CASES = [
    Case(*case)
    for case in [
        # No-reason promise: windows (day 0, the last day, the day after), conditions.
        ("clothing", 0, CM, R, {}, RETURN_OK, {R, E}, set()),
        ("clothing", 7, CM, R, {}, RETURN_OK, {R, E}, set()),
        ("clothing", 8, CM, R, {}, EXCHANGE_OK, {E}, set()),
        ("clothing", 15, WS, E, {}, EXCHANGE_OK, {E}, set()),
        ("clothing", 16, WS, E, {}, NO, set(), set()),
        ("clothing", 3, CM, R, {"tags_attached": False}, NO, set(), set()),
        ("clothing", 3, CM, R, {"used": True}, NO, set(), set()),
        ("clothing", 3, CM, R, {"packaging_intact": False}, RETURN_OK, {R, E}, set()),
        ("clothing", 3, CM, R, {"has_proof": False}, REVIEW, set(), {R, E}),
        ("clothing", 3, CM, P, {}, EXCHANGE_OK, {R, E}, set()),  # no repair without a fault
        ("clothing", 3, QD, R, {"used": True, "tags_attached": False}, RETURN_OK, {R, E}, set()),
        ("clothing", 30, QD, E, {}, EXCHANGE_OK, {E}, {R}),
        ("clothing", 30, QD, R, {}, REVIEW, {E}, {R}),
        ("clothing", 91, QD, E, {}, REVIEW, set(), {R, E}),
        ("shoes", 3, CM, R, {"packaging_intact": False}, NO, set(), set()),
        ("shoes", 5, WS, E, {}, EXCHANGE_OK, {R, E}, set()),
        ("shoes", 30, QD, P, {}, REPAIR_OK, {E, P}, {R}),
        ("shoes", 90, DM, P, {}, REPAIR_OK, {E, P}, {R}),
        ("shoes", 100, QD, P, {}, REVIEW, set(), {R, E, P}),
        # 三包: 7 days refund/exchange/repair, 15 days exchange/repair, warranty repair, then staff.
        ("electronics", 5, CM, R, {}, RETURN_OK, {R, E}, set()),
        ("electronics", 5, CM, R, {"used": True}, NO, set(), set()),
        ("electronics", 5, CM, R, {"packaging_intact": False}, NO, set(), set()),
        ("electronics", 7, QD, R, {"used": True}, RETURN_OK, {R, E, P}, set()),
        ("electronics", 8, QD, R, {"used": True}, EXCHANGE_OK, {E, P}, set()),
        ("electronics", 15, QD, E, {"used": True}, EXCHANGE_OK, {E, P}, set()),
        ("electronics", 16, QD, E, {"used": True}, REPAIR_OK, {P}, set()),
        ("electronics", 365, QD, P, {"used": True}, REPAIR_OK, {P}, set()),
        ("electronics", 366, QD, P, {"used": True}, REVIEW, set(), {P}),
        ("electronics", 3, QD, R, {"has_proof": False}, REVIEW, set(), {R, E, P}),
        ("electronics", 200, QD, P, {"has_proof": False}, REVIEW, set(), {P}),
        ("electronics", 3, QD, R, {"accessories_complete": False}, REVIEW, {E, P}, {R}),
        ("electronics", 3, QD, E, {"accessories_complete": False}, EXCHANGE_OK, {E, P}, {R}),
        ("electronics", 3, ND, R, {}, RETURN_OK, {R, E, P}, set()),
        ("appliances", 2, DM, R, {"used": True}, RETURN_OK, {R, E, P}, set()),
        ("appliances", 10, CM, R, {}, EXCHANGE_OK, {E}, set()),
        ("appliances", 10, QD, P, {"used": True}, REPAIR_OK, {E, P}, set()),
        ("appliances", 400, QD, R, {"used": True}, REVIEW, set(), {P}),
        # Exclusions stop no-reason returns, never fault remedies.
        ("cosmetics", 3, CM, R, {}, RETURN_OK, {R, E}, set()),
        ("cosmetics", 3, CM, R, {"packaging_intact": False}, NO, set(), set()),
        ("cosmetics", 3, CM, R, {"used": True}, NO, set(), set()),
        ("cosmetics", 8, CM, E, {}, NO, set(), set()),
        (
            "cosmetics",
            3,
            QD,
            R,
            {"packaging_intact": False, "used": True},
            RETURN_OK,
            {R, E},
            set(),
        ),
        ("cosmetics", 20, QD, P, {"used": True}, EXCHANGE_OK, {E}, {R}),
        ("food", 0, CM, R, {}, NO, set(), set()),
        ("food", 1, QD, R, {}, RETURN_OK, {R, E}, set()),
        ("food", 30, QD, R, {}, REVIEW, {E}, {R}),
        ("underwear", 1, WS, E, {}, NO, set(), set()),
        ("underwear", 2, QD, R, {"used": True}, RETURN_OK, {R, E}, set()),
        ("jewellery", 5, CM, R, {}, RETURN_OK, {R, E}, set()),
        ("jewellery", 5, CM, R, {"accessories_complete": False}, NO, set(), set()),
        ("jewellery", 60, QD, P, {}, REPAIR_OK, {E, P}, {R}),
        ("jewellery", 100, QD, P, {}, REVIEW, set(), {R, E, P}),
        ("customised", 1, CM, R, {}, NO, set(), set()),
        ("customised", 30, QD, P, {}, REPAIR_OK, {E, P}, {R}),
        ("gift_card", 1, CM, R, {}, NO, set(), set()),
        ("gift_card", 1, QD, R, {}, REVIEW, set(), {R, E, P}),
        ("books", 7, CM, R, {}, RETURN_OK, {R, E}, set()),
        ("books", 8, WS, E, {}, NO, set(), set()),
        ("toys", 10, CM, R, {}, EXCHANGE_OK, {E}, set()),
        ("toys", 3, CM, R, {"accessories_complete": False}, NO, set(), set()),
        ("other", 3, CM, R, {}, RETURN_OK, {R, E}, set()),
        ("other", 3, QD, P, {}, EXCHANGE_OK, {R, E}, set()),  # not repairable: the closest offer
        # What the policy does not cover goes to staff.
        ("other", 3, OT, R, {}, RETURN_OK, {R, E}, {P}),
        ("other", 3, OT, P, {}, REVIEW, {R, E}, {P}),
        ("other", 30, OT, R, {}, REVIEW, set(), {R, E, P}),
        ("surfboards", 1, CM, R, {}, REVIEW, set(), {R, E, P}),
    ]
]


@pytest.mark.parametrize(
    "case", CASES, ids=lambda c: f"{c.category}-{c.days}-{c.reason}-{c.desired}"
)
def test_rules(case: Case) -> None:
    decision = ask(case.category, case.days, case.reason, case.desired, **case.flags)
    assert (decision.outcome, set(decision.available), set(decision.after_review)) == (
        case.outcome,
        case.available,
        case.review,
    )
    assert decision.days_since_purchase == case.days
    assert decision.reasons
    assert decision.needs_staff_review == (case.outcome is Outcome.STAFF_REVIEW)
    assert decision.desired_supported == (case.desired in case.available)


def test_every_category_and_reason_is_in_the_table() -> None:
    assert {case.category for case in CASES} >= {rule.code for rule in POLICY.categories}
    assert {case.reason for case in CASES} == set(Reason)
    assert {case.outcome for case in CASES} == set(Outcome)


def test_alternatives_closest_first() -> None:
    assert ask("electronics", 3, QD, R, accessories_complete=False).alternatives == (E, P)
    assert ask("electronics", 3, QD, P).alternatives == (E, R)
    assert ask("clothing", 3, CM, E).alternatives == (R,)
    assert ask("clothing", 20, CM, E).alternatives == ()


def test_future_purchase_is_a_bug() -> None:
    with pytest.raises(ValueError, match="after today"):
        ask("clothing", -1, CM, R)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2026, 1, 31), 1, dt.date(2026, 2, 28)),
        (dt.date(2024, 1, 31), 1, dt.date(2024, 2, 29)),
        (dt.date(2026, 5, 20), 12, dt.date(2027, 5, 20)),
        (dt.date(2026, 12, 15), 1, dt.date(2027, 1, 15)),
        (dt.date(2026, 5, 20), 0, dt.date(2026, 5, 20)),
        (dt.date(2026, 3, 31), 25, dt.date(2028, 4, 30)),
    ],
)
def test_add_months(day: dt.date, months: int, expected: dt.date) -> None:
    assert add_months(day, months) == expected


# --- what the shopper reads ---------------------------------------------------------------------


def test_reasons_explain_the_rule_in_both_languages() -> None:
    decision = ask("electronics", 10, QD, R, used=True)
    english = " ".join(line.en for line in decision.reasons)
    chinese = " ".join(line.zh for line in decision.reasons)
    assert "15 days" in english
    assert "bought 10 days ago" in english
    assert "15 天" in chinese
    assert decision.summary("en")[:2] == [
        "A refund is not possible.",
        "Possible now: an exchange, a repair.",
    ]
    assert decision.summary("zh_CN")[:2] == ["不能退货退款。", "现在即可办理：换货、维修。"]
    exchange = ask("electronics", 10, QD, E, used=True)
    assert exchange.summary("en")[0] == "You can exchange the item."
    assert exchange.summary("zh")[0] == "可以换货。"
    assert ask("electronics", 3, QD, R).summary("en")[0] == "You can return the item for a refund."
    assert ask("food", 3, CM, R).summary("en")[0].startswith("The mall's policy does not cover")


def test_exclusion_reason_is_shown() -> None:
    decision = ask("food", 0, CM, R)
    assert [line.en for line in decision.reasons] == [
        "For food safety, food cannot be returned or exchanged unless faulty."
    ]


def test_fault_hides_the_beside_the_point_promise() -> None:
    decision = ask("electronics", 200, QD, P, used=True)
    assert all("no-reason" not in line.en for line in decision.reasons)
    assert "free repair" in decision.reasons[0].en


def test_missing_conditions_are_named() -> None:
    decision = ask("shoes", 3, CM, R, packaging_intact=False, used=True)
    assert decision.reasons[-1].en == (
        "A no-reason return or exchange needs the packaging intact, the item unused."
    )
    assert decision.reasons[-1].zh == "无理由退换需要包装完好、商品未使用。"


def test_what_to_bring() -> None:
    clothing = [line.en for line in ask("clothing", 3, CM, R).bring]
    assert clothing == [
        "This slip with its QR code",
        "The item",
        "The sales slip or invoice",
        "The tags",
        "No ID needed",
    ]
    phone = [line.en for line in ask("electronics", 3, QD, R, has_proof=False).bring]
    assert "A payment record (e.g. on your phone) to find the sale" in phone
    assert "The warranty card (三包凭证), if you have it" in phone
    assert "All accessories and free gifts" in phone
    assert "The original packaging" in phone
    food = ask("food", 1, QD, R).bring
    assert [line.zh for line in food][-1] == "无需携带身份证件"


def test_decision_payload_is_json() -> None:
    decision = ask("electronics", 3, QD, R, accessories_complete=False)
    payload = decision.to_payload()
    assert json.loads(json.dumps(payload)) == payload
    assert payload["outcome"] == "staff_review"
    assert payload["available"] == ["exchange", "repair"]
    assert payload["after_review"] == ["refund"]
    assert payload["needs_staff_review"] is True
    assert payload["policy_version"] == POLICY.version
    assert all(set(reason) == {"zh", "en"} for reason in payload["reasons"])


# --- properties ---------------------------------------------------------------------------------

conditions = st.fixed_dictionaries(
    {
        "packaging_intact": st.booleans(),
        "tags_attached": st.booleans(),
        "accessories_complete": st.booleans(),
        "has_proof": st.booleans(),
        "used": st.booleans(),
    }
)


def _condition_lists() -> st.SearchStrategy[list[str]]:
    return st.lists(st.sampled_from([c.value for c in Condition]), unique=True, max_size=5)


@st.composite
def policies(draw: st.DrawFn) -> dict[str, Any]:
    """Any valid policy: the rules are data, so properties must hold for all of them."""
    data = copy.deepcopy(DEFAULT_DATA)
    days = st.integers(0, 60)
    data["review_if_missing"] = draw(_condition_lists())
    data["quality"] |= {"return_days": draw(days), "remedy_days": draw(st.integers(0, 400))}
    data["quality"]["requires"] = draw(_condition_lists())
    data["sanbao"] |= {"return_days": draw(days), "exchange_days": draw(days)}
    data["sanbao"]["return_requires"] = draw(_condition_lists())
    for rule in data["categories"].values():
        sanbao = draw(st.booleans())
        rule |= {
            "no_reason_return_days": draw(days),
            "exchange_days": draw(days),
            "requires": draw(_condition_lists()),
            "sanbao": sanbao,
            "warranty_months": draw(st.integers(1, 36)) if sanbao else 0,
            "repairable": draw(st.booleans()),
            "defects": draw(st.sampled_from(["standard", "staff_review"])),
        }
        if draw(st.booleans()):
            rule["exclusion"] = {
                "when": draw(st.sampled_from(["always", "opened", "used"])),
                "zh": "不退",
                "en": "No returns",
            }
    return data


requests = st.builds(
    lambda category, reason, desired, flags, days: ReturnRequest(
        category, TODAY - dt.timedelta(days=days), TODAY, reason, desired, **flags
    ),
    st.sampled_from([*DEFAULT_DATA["categories"], "unknown"]),
    st.sampled_from(Reason),
    st.sampled_from(Remedy),
    conditions,
    st.integers(0, 800),
)


@given(st.one_of(st.just(DEFAULT_DATA), policies()), requests, st.integers(0, 800))
def test_a_later_purchase_is_never_less_eligible(
    data: dict[str, Any], request: ReturnRequest, days: int
) -> None:
    policy = load_policy(data)
    other = dataclasses.replace(request, purchase_date=TODAY - dt.timedelta(days=days))
    older, newer = sorted([request, other], key=lambda r: r.purchase_date)
    before, after = decide(policy, older), decide(policy, newer)
    assert after.available >= before.available
    assert after.available | after.after_review >= before.available | before.after_review
    assert after.desired_supported or not before.desired_supported
    assert after.outcome is not Outcome.NOT_ELIGIBLE or before.outcome is Outcome.NOT_ELIGIBLE


@given(policies(), requests)
def test_outcome_agrees_with_the_remedies(data: dict[str, Any], request: ReturnRequest) -> None:
    decision = decide(load_policy(data), request)
    granted = {
        Outcome.RETURN_OK: R,
        Outcome.EXCHANGE_OK: E,
        Outcome.REPAIR_OK: P,
    }
    assert not decision.available & decision.after_review
    if decision.outcome in granted:
        assert granted[decision.outcome] in decision.available
    elif decision.outcome is Outcome.STAFF_REVIEW:
        assert decision.after_review
    else:
        assert not decision.available
        assert not decision.after_review
    assert set(decision.alternatives) == decision.available - {request.desired}
    assert decision.reasons
    assert decision.bring[-1].en == "No ID needed"


@given(requests.filter(lambda r: r.reason in FAULTS and r.category != "unknown"))
def test_default_policy_never_simply_refuses_a_fault(request: ReturnRequest) -> None:
    assert decide(POLICY, request).outcome is not Outcome.NOT_ELIGIBLE
