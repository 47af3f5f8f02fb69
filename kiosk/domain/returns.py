"""The return, exchange and repair policy engine: what a shopper can likely expect at the desk.

The rules are data (`config/return_policy.json`, or the central service's catalog), checked on
load by `load_policy`, which names the key at fault. `decide` applies them to a `ReturnRequest`:

- **No-reason promise** (any reason): the mall's voluntary in-store promise (DESIGN.md §7), per
  category: refund within `no_reason_return_days`, exchange within `exchange_days` (or while a
  refund is possible), when the category's `requires` conditions hold and no `exclusion` applies
  (food, opened cosmetics, underwear, customised goods, gift cards …). 0 days = no promise.
- **Faults** (quality_defect, not_as_described, damaged) are not limited by the promise or its
  exclusions. Goods with `sanbao` follow 三包: within 7 days refund, exchange or repair; within 15
  days exchange or repair; within `warranty_months` repair; after that staff decide (a paid
  repair). Other goods follow the Consumer Rights Protection Law art. 24: within 7 days a refund;
  then exchange (or repair where `repairable`) with a refund up to staff; after `remedy_days` staff
  decide. A category may send every fault to staff (`"defects": "staff_review"`).
- A condition listed in `review_if_missing` (proof of purchase) that is missing does not refuse a
  remedy, it makes it "possible after review": staff may find the sale in their records.
- Reason "other" or a category the policy does not know: staff decide.

Days count from the day after purchase (bought 1 May, a 7-day window ends 8 May). The result is a
`Decision`: the likely outcome, whether the desired remedy is supported and the alternatives, the
reasons and what to bring, in zh and en. Nothing here is a promise; the desk inspects the item.
"""

from __future__ import annotations

import calendar
import datetime as dt
import enum
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

SCHEMA_VERSION = 1
MAX_DAYS = 3650
MAX_WARRANTY_MONTHS = 240


class Reason(enum.StrEnum):
    QUALITY_DEFECT = "quality_defect"
    WRONG_SIZE_COLOUR = "wrong_size_colour"
    NOT_AS_DESCRIBED = "not_as_described"
    DAMAGED = "damaged"
    CHANGED_MIND = "changed_mind"
    OTHER = "other"


FAULTS = frozenset({Reason.QUALITY_DEFECT, Reason.NOT_AS_DESCRIBED, Reason.DAMAGED})


class Remedy(enum.StrEnum):
    REFUND = "refund"
    EXCHANGE = "exchange"
    REPAIR = "repair"


class Outcome(enum.StrEnum):
    RETURN_OK = "return_ok"
    EXCHANGE_OK = "exchange_ok"
    REPAIR_OK = "repair_ok"
    STAFF_REVIEW = "staff_review"
    NOT_ELIGIBLE = "not_eligible"


class Condition(enum.StrEnum):
    """What the desk checks; each is a flag of `ReturnRequest` (`unused` is `not used`)."""

    PACKAGING_INTACT = "packaging_intact"
    TAGS_ATTACHED = "tags_attached"
    ACCESSORIES_COMPLETE = "accessories_complete"
    HAS_PROOF = "has_proof"
    UNUSED = "unused"


class ExclusionWhen(enum.StrEnum):
    ALWAYS = "always"
    OPENED = "opened"  # packaging not intact, or used
    USED = "used"


_OUTCOME = {
    Remedy.REFUND: Outcome.RETURN_OK,
    Remedy.EXCHANGE: Outcome.EXCHANGE_OK,
    Remedy.REPAIR: Outcome.REPAIR_OK,
}
# The alternatives to offer, closest to what the shopper wanted first.
_PREFERENCE = {
    Remedy.REFUND: (Remedy.EXCHANGE, Remedy.REPAIR),
    Remedy.EXCHANGE: (Remedy.REFUND, Remedy.REPAIR),
    Remedy.REPAIR: (Remedy.EXCHANGE, Remedy.REFUND),
}
ALL_REMEDIES = frozenset(Remedy)


@dataclass(frozen=True, slots=True)
class Line:
    """One sentence in both languages."""

    zh: str
    en: str

    def text(self, lang: str) -> str:
        return self.zh if lang.lower().startswith("zh") else self.en


_CONDITION_NAMES = {
    Condition.PACKAGING_INTACT: Line("包装完好", "the packaging intact"),
    Condition.TAGS_ATTACHED: Line("吊牌完好", "the tags attached"),
    Condition.ACCESSORIES_COMPLETE: Line("配件和赠品齐全", "all accessories and free gifts"),
    Condition.HAS_PROOF: Line("购物凭证（小票或发票）", "proof of purchase (slip or invoice)"),
    Condition.UNUSED: Line("商品未使用", "the item unused"),
}


# --- the policy -----------------------------------------------------------------------------------


class PolicyError(ValueError):
    """The policy data cannot be used; the message names the key at fault."""


@dataclass(frozen=True, slots=True)
class Exclusion:
    """No no-reason return or exchange `when` this holds; `reason` says why."""

    when: ExclusionWhen
    reason: Line


@dataclass(frozen=True, slots=True)
class CategoryRule:
    code: str
    name: Line
    no_reason_return_days: int
    exchange_days: int
    requires: frozenset[Condition]
    sanbao: bool
    warranty_months: int
    repairable: bool
    exclusion: Exclusion | None
    defects_to_staff: bool


@dataclass(frozen=True, slots=True)
class QualityRule:
    return_days: int
    remedy_days: int
    requires: frozenset[Condition]


@dataclass(frozen=True, slots=True)
class SanbaoRule:
    return_days: int
    exchange_days: int
    requires: frozenset[Condition]
    return_requires: frozenset[Condition]


@dataclass(frozen=True, slots=True)
class ReturnPolicy:
    """The whole policy; `categories` in the order the kiosk lists them."""

    version: str
    categories: tuple[CategoryRule, ...]
    quality: QualityRule
    sanbao: SanbaoRule
    review_if_missing: frozenset[Condition]

    def category(self, code: str) -> CategoryRule | None:
        return next((rule for rule in self.categories if rule.code == code), None)


def default_policy_path() -> Path:
    """The packaged default policy: inside the wheel, or `config/` in a source checkout."""
    packaged = resources.files("kiosk") / "_config" / "return_policy.json"
    if isinstance(packaged, Path) and packaged.is_file():
        return packaged
    return Path(__file__).resolve().parents[2] / "config" / "return_policy.json"


def load_policy(source: Path | Mapping[str, Any]) -> ReturnPolicy:
    """Read and check a policy from a JSON file or an already-parsed mapping (the catalog).

    Raises `PolicyError` naming the file or key at fault; an unreadable file raises OSError.
    """
    if isinstance(source, Path):
        try:
            data = json.loads(source.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as err:
            raise PolicyError(f"return policy {source}: not valid JSON: {err}") from None
        where = f"return policy {source}"
    else:
        data, where = source, "return policy"
    return _Reader(where).policy(data)


class _Reader:
    """Turns parsed JSON into the policy, naming the path of the first bad key."""

    def __init__(self, where: str) -> None:
        self.where = where

    def fail(self, path: str, message: str) -> PolicyError:
        return PolicyError(f"{self.where}: {path}: {message}")

    def mapping(
        self, value: object, path: str, required: set[str], optional: frozenset[str] = frozenset()
    ) -> Mapping[str, Any]:
        if not isinstance(value, Mapping):
            raise self.fail(path, "expected an object {…}")
        keys = {key for key in value if not str(key).startswith("_")}
        if missing := sorted(required - keys):
            raise self.fail(path, f"missing key {missing[0]!r}")
        if unknown := sorted(keys - required - optional):
            raise self.fail(f"{path}.{unknown[0]}" if path else unknown[0], "unknown key")
        return value

    def days(self, value: object, path: str, limit: int = MAX_DAYS) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= limit:
            raise self.fail(path, f"expected a whole number from 0 to {limit}, got {value!r}")
        return value

    def flag(self, value: object, path: str) -> bool:
        if not isinstance(value, bool):
            raise self.fail(path, f"expected true or false, got {value!r}")
        return value

    def text(self, value: object, path: str) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.fail(path, f"expected non-empty text, got {value!r}")
        return value

    def conditions(self, value: object, path: str) -> frozenset[Condition]:
        if not isinstance(value, list):
            raise self.fail(path, "expected a list of conditions")
        result = set()
        for index, item in enumerate(value):
            try:
                result.add(Condition(item))
            except ValueError:
                known = ", ".join(condition.value for condition in Condition)
                raise self.fail(f"{path}[{index}]", f"{item!r} is not one of {known}") from None
        return frozenset(result)

    def policy(self, data: object) -> ReturnPolicy:
        top = self.mapping(
            data, "", {"schema", "version", "review_if_missing", "quality", "sanbao", "categories"}
        )
        if top["schema"] != SCHEMA_VERSION:
            raise self.fail(
                "schema", f"this kiosk reads schema {SCHEMA_VERSION}, got {top['schema']!r}"
            )
        quality = self.mapping(
            top["quality"], "quality", {"return_days", "remedy_days", "requires"}
        )
        sanbao = self.mapping(
            top["sanbao"], "sanbao", {"return_days", "exchange_days", "requires", "return_requires"}
        )
        categories = top["categories"]
        if not isinstance(categories, Mapping):
            raise self.fail("categories", "expected an object {code: category, …}")
        rules = tuple(
            self.category(str(code), value, f"categories.{code}")
            for code, value in categories.items()
            if not str(code).startswith("_")
        )
        if not rules:
            raise self.fail("categories", "no categories")
        return ReturnPolicy(
            version=self.text(top["version"], "version"),
            categories=rules,
            quality=QualityRule(
                return_days=self.days(quality["return_days"], "quality.return_days"),
                remedy_days=self.days(quality["remedy_days"], "quality.remedy_days"),
                requires=self.conditions(quality["requires"], "quality.requires"),
            ),
            sanbao=SanbaoRule(
                return_days=self.days(sanbao["return_days"], "sanbao.return_days"),
                exchange_days=self.days(sanbao["exchange_days"], "sanbao.exchange_days"),
                requires=self.conditions(sanbao["requires"], "sanbao.requires"),
                return_requires=self.conditions(
                    sanbao["return_requires"], "sanbao.return_requires"
                ),
            ),
            review_if_missing=self.conditions(top["review_if_missing"], "review_if_missing"),
        )

    def category(self, code: str, value: object, path: str) -> CategoryRule:
        keys = {
            "name_zh",
            "name_en",
            "no_reason_return_days",
            "exchange_days",
            "requires",
            "sanbao",
            "warranty_months",
            "repairable",
            "exclusion",
        }
        rule = self.mapping(value, path, keys, frozenset({"defects"}))
        sanbao = self.flag(rule["sanbao"], f"{path}.sanbao")
        warranty = self.days(
            rule["warranty_months"], f"{path}.warranty_months", MAX_WARRANTY_MONTHS
        )
        if sanbao and warranty == 0:
            raise self.fail(f"{path}.warranty_months", "goods under 三包 need a warranty period")
        defects = rule.get("defects", "standard")
        if defects not in ("standard", "staff_review"):
            raise self.fail(
                f"{path}.defects", f"expected 'standard' or 'staff_review', got {defects!r}"
            )
        return CategoryRule(
            code=code,
            name=Line(
                self.text(rule["name_zh"], f"{path}.name_zh"),
                self.text(rule["name_en"], f"{path}.name_en"),
            ),
            no_reason_return_days=self.days(
                rule["no_reason_return_days"], f"{path}.no_reason_return_days"
            ),
            exchange_days=self.days(rule["exchange_days"], f"{path}.exchange_days"),
            requires=self.conditions(rule["requires"], f"{path}.requires"),
            sanbao=sanbao,
            warranty_months=warranty,
            repairable=self.flag(rule["repairable"], f"{path}.repairable"),
            exclusion=self.exclusion(rule["exclusion"], f"{path}.exclusion"),
            defects_to_staff=defects == "staff_review",
        )

    def exclusion(self, value: object, path: str) -> Exclusion | None:
        if value is None:
            return None
        data = self.mapping(value, path, {"when", "zh", "en"})
        try:
            when = ExclusionWhen(data["when"])
        except ValueError:
            known = ", ".join(item.value for item in ExclusionWhen)
            raise self.fail(f"{path}.when", f"{data['when']!r} is not one of {known}") from None
        return Exclusion(
            when, Line(self.text(data["zh"], f"{path}.zh"), self.text(data["en"], f"{path}.en"))
        )


# --- requests and decisions -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReturnRequest:
    """What the shopper told the kiosk. Condition flags the category does not ask about are
    ignored."""

    category: str
    purchase_date: dt.date
    today: dt.date
    reason: Reason
    desired: Remedy
    packaging_intact: bool
    tags_attached: bool
    accessories_complete: bool
    has_proof: bool
    used: bool

    def holds(self, condition: Condition) -> bool:
        if condition is Condition.UNUSED:
            return not self.used
        flag: bool = getattr(self, condition.value)
        return flag


@dataclass(frozen=True, slots=True)
class Decision:
    """The likely result of a request.

    `available`: remedies the policy grants; `after_review`: remedies staff may grant (the
    policy cannot decide them); `alternatives`: available remedies other than the desired one,
    closest first. `needs_staff_review` is True when the outcome is "staff_review": the shopper
    can still submit and staff decide.
    """

    outcome: Outcome
    desired: Remedy
    available: frozenset[Remedy]
    after_review: frozenset[Remedy]
    alternatives: tuple[Remedy, ...]
    reasons: tuple[Line, ...]
    bring: tuple[Line, ...]
    category: str
    days_since_purchase: int
    policy_version: str

    @property
    def desired_supported(self) -> bool:
        return self.desired in self.available

    @property
    def needs_staff_review(self) -> bool:
        return self.outcome is Outcome.STAFF_REVIEW

    def summary(self, lang: str) -> list[str]:
        """The headline, what is possible instead, and the reasons: one line each, for the
        screen and the slip."""
        lines = [self.headline]
        if self.alternatives and not self.desired_supported:
            zh = "、".join(_REMEDY_NAMES[remedy].zh for remedy in self.alternatives)
            en = ", ".join(_REMEDY_NAMES[remedy].en for remedy in self.alternatives)
            lines.append(Line(f"现在即可办理：{zh}。", f"Possible now: {en}."))
        return [line.text(lang) for line in (*lines, *self.reasons)]

    @property
    def headline(self) -> Line:
        if self.outcome in _GRANTED and not self.desired_supported:
            wanted = _REMEDY_NAMES[self.desired]
            return Line(
                f"不能{wanted.zh}。",
                f"{wanted.en[:1].upper()}{wanted.en[1:]} is not possible.",
            )
        return _HEADLINES[self.outcome]

    def to_payload(self) -> dict[str, Any]:
        """JSON-safe and stable: what goes with a return request to the central service."""
        return {
            "outcome": self.outcome.value,
            "desired": self.desired.value,
            "desired_supported": self.desired_supported,
            "available": sorted(remedy.value for remedy in self.available),
            "after_review": sorted(remedy.value for remedy in self.after_review),
            "needs_staff_review": self.needs_staff_review,
            "category": self.category,
            "days_since_purchase": self.days_since_purchase,
            "policy_version": self.policy_version,
            "reasons": [{"zh": line.zh, "en": line.en} for line in self.reasons],
        }


_GRANTED = frozenset(_OUTCOME.values())
_REMEDY_NAMES = {
    Remedy.REFUND: Line("退货退款", "a refund"),
    Remedy.EXCHANGE: Line("换货", "an exchange"),
    Remedy.REPAIR: Line("维修", "a repair"),
}
_HEADLINES = {
    Outcome.RETURN_OK: Line("可以退货退款。", "You can return the item for a refund."),
    Outcome.EXCHANGE_OK: Line("可以换货。", "You can exchange the item."),
    Outcome.REPAIR_OK: Line("可以维修。", "The item can be repaired."),
    Outcome.STAFF_REVIEW: Line(
        "需要工作人员判断，您仍可提交申请。",
        "Staff need to look at this; you can still send the request.",
    ),
    Outcome.NOT_ELIGIBLE: Line(
        "按商场政策不能退换，您仍可提交申请，由工作人员答复。",
        "The mall's policy does not cover this; you can still send the request for staff to"
        " answer.",
    ),
}


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, or the month's last day when it is shorter."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


@dataclass
class _Verdict:
    """What one rule grants (`available`) and leaves to staff (`review`), and why."""

    available: set[Remedy]
    review: set[Remedy]
    reasons: list[Line]

    def gate(
        self,
        remedies: Iterable[Remedy],
        request: ReturnRequest,
        *,
        requires: Iterable[Condition],
        review_only: frozenset[Condition],
        what: Line,
        staff_decide: bool = False,
    ) -> None:
        """Grant `remedies` (or, with `staff_decide`, leave them to staff) if the `requires`
        conditions hold. A missing condition refuses them, unless it is in `review_only`: then
        staff decide."""
        wanted = set(requires)
        missing = [c for c in Condition if c in wanted and not request.holds(c)]
        hard = [c for c in missing if c not in review_only]
        if hard:
            self.reasons.append(
                Line(
                    f"{what.zh}需要{_names(hard, 'zh')}。",
                    f"{what.en[:1].upper()}{what.en[1:]} needs {_names(hard, 'en')}.",
                )
            )
        elif missing:
            self.review.update(remedies)
            self.reasons.append(
                Line(
                    f"{what.zh}需要{_names(missing, 'zh')}；不满足时由工作人员核实后决定。",
                    f"{what.en[:1].upper()}{what.en[1:]} needs {_names(missing, 'en')};"
                    " without that, staff check and decide.",
                )
            )
        elif staff_decide:
            self.review.update(remedies)
        else:
            self.available.update(remedies)


def _days(days: int) -> str:
    return "1 day" if days == 1 else f"{days} days"


def _names(conditions: Iterable[Condition], lang: str) -> str:
    names = [_CONDITION_NAMES[c].text(lang) for c in conditions]
    return "、".join(names) if lang == "zh" else ", ".join(names)


# What a condition is needed for; the English is used mid-sentence.
_NO_REASON = Line("无理由退换", "a no-reason return or exchange")
_SANBAO = Line("三包服务", "service under 三包")
_SANBAO_REFUND = Line("三包退货", "a refund under 三包")
_FAULT = Line("质量问题的处理", "handling the fault")


def _no_reason(
    policy: ReturnPolicy, rule: CategoryRule, request: ReturnRequest, days: int
) -> _Verdict:
    verdict = _Verdict(set(), set(), [])
    refund_days, exchange_days = rule.no_reason_return_days, rule.exchange_days
    exclusion = rule.exclusion
    if exclusion is not None and (
        exclusion.when is ExclusionWhen.ALWAYS
        or request.used
        or (exclusion.when is ExclusionWhen.OPENED and not request.packaging_intact)
    ):
        verdict.reasons.append(exclusion.reason)
        return verdict
    if refund_days == 0 and exchange_days == 0:
        verdict.reasons.append(
            Line(
                f"{rule.name.zh}不参加无理由退换。",
                f"{rule.name.en}: no returns or exchanges without a fault.",
            )
        )
        return verdict
    if refund_days > 0 and days <= refund_days:
        remedies = {Remedy.REFUND, Remedy.EXCHANGE}
        line = Line(
            f"已购买 {days} 天，在 {refund_days} 天无理由退货期内。",
            f"Bought {_days(days)} ago: within the {refund_days}-day no-reason return period.",
        )
    elif exchange_days > 0 and days <= exchange_days:
        remedies = {Remedy.EXCHANGE}
        line = Line(
            f"已购买 {days} 天，已过无理由退货期，仍在 {exchange_days} 天换货期内。",
            f"Bought {_days(days)} ago: past the no-reason return period, within the"
            f" {exchange_days}-day exchange period.",
        )
    else:
        longest = max(refund_days, exchange_days)
        verdict.reasons.append(
            Line(
                f"已购买 {days} 天，超过 {longest} 天无理由退换期限。",
                f"Bought {_days(days)} ago: past the {longest}-day no-reason period.",
            )
        )
        return verdict
    verdict.reasons.append(line)
    verdict.gate(
        remedies,
        request,
        requires=rule.requires,
        review_only=policy.review_if_missing,
        what=_NO_REASON,
    )
    return verdict


def _fault(policy: ReturnPolicy, rule: CategoryRule, request: ReturnRequest, days: int) -> _Verdict:
    verdict = _Verdict(set(), set(), [])
    if rule.defects_to_staff:
        verdict.review.update(ALL_REMEDIES)
        verdict.reasons.append(
            Line(
                f"{rule.name.zh}的问题由工作人员处理。",
                f"{rule.name.en}: staff look into every problem.",
            )
        )
    elif rule.sanbao:
        _sanbao(policy, rule, request, days, verdict)
    else:
        _quality(policy, rule, request, days, verdict)
    return verdict


def _sanbao(
    policy: ReturnPolicy, rule: CategoryRule, request: ReturnRequest, days: int, verdict: _Verdict
) -> None:
    sanbao, review_only = policy.sanbao, policy.review_if_missing
    months = rule.warranty_months
    until = add_months(request.purchase_date, months).isoformat()
    since = Line(f"（已购买 {days} 天）", f" (bought {_days(days)} ago)")
    if days <= sanbao.return_days:
        verdict.reasons.append(
            Line(
                f"三包：{sanbao.return_days} 天内的性能故障可退货、换货或维修{since.zh}。",
                f"三包 (China's three guarantees): a fault within {sanbao.return_days} days can be"
                f" refunded, exchanged or repaired{since.en}.",
            )
        )
        verdict.gate(
            {Remedy.EXCHANGE, Remedy.REPAIR},
            request,
            requires=sanbao.requires,
            review_only=review_only,
            what=_SANBAO,
        )
        # Missing accessories or gifts do not refuse a refund: staff settle a deduction.
        verdict.gate(
            {Remedy.REFUND},
            request,
            requires=sanbao.requires | sanbao.return_requires,
            review_only=review_only | sanbao.return_requires,
            what=_SANBAO_REFUND,
        )
    elif days <= sanbao.exchange_days:
        verdict.reasons.append(
            Line(
                f"三包：{sanbao.exchange_days} 天内的性能故障可换货或维修{since.zh}。",
                f"三包: a fault within {sanbao.exchange_days} days can be exchanged or"
                f" repaired{since.en}.",
            )
        )
        verdict.gate(
            {Remedy.EXCHANGE, Remedy.REPAIR},
            request,
            requires=sanbao.requires,
            review_only=review_only,
            what=_SANBAO,
        )
    elif request.today <= add_months(request.purchase_date, months):
        verdict.reasons.append(
            Line(
                f"在 {months} 个月保修期内（至 {until}），可免费维修。",
                f"Within the {months}-month warranty (until {until}): free repair.",
            )
        )
        verdict.gate(
            {Remedy.REPAIR},
            request,
            requires=sanbao.requires,
            review_only=review_only,
            what=_SANBAO,
        )
    else:
        verdict.reasons.append(
            Line(
                f"已过 {months} 个月保修期（至 {until}）：可安排付费维修，由工作人员判断。",
                f"Past the {months}-month warranty (until {until}): staff can arrange a paid"
                " repair.",
            )
        )
        verdict.gate(
            {Remedy.REPAIR},
            request,
            requires=sanbao.requires,
            review_only=review_only,
            what=_SANBAO,
            staff_decide=True,
        )


def _quality(
    policy: ReturnPolicy, rule: CategoryRule, request: ReturnRequest, days: int, verdict: _Verdict
) -> None:
    quality, review_only = policy.quality, policy.review_if_missing
    repair = {Remedy.REPAIR} if rule.repairable else set()
    if days <= quality.return_days:
        verdict.reasons.append(
            Line(
                f"质量问题：{quality.return_days} 天内可退货（已购买 {days} 天）。",
                f"A fault within {quality.return_days} days can be refunded"
                f" (bought {_days(days)} ago).",
            )
        )
        verdict.gate(
            {Remedy.REFUND, Remedy.EXCHANGE, *repair},
            request,
            requires=quality.requires,
            review_only=review_only,
            what=_FAULT,
        )
    elif days <= quality.remedy_days:
        verdict.reasons.append(
            Line(
                f"质量问题：超过 {quality.return_days} 天可换货{'或维修' if repair else ''}，"
                "退货由工作人员检查后决定。",
                f"A fault after {quality.return_days} days: exchange"
                f"{' or repair' if repair else ''}; staff decide on a refund.",
            )
        )
        verdict.gate(
            {Remedy.EXCHANGE, *repair},
            request,
            requires=quality.requires,
            review_only=review_only,
            what=_FAULT,
        )
        verdict.gate(
            {Remedy.REFUND},
            request,
            requires=quality.requires,
            review_only=review_only,
            what=_FAULT,
            staff_decide=True,
        )
    else:
        verdict.reasons.append(
            Line(
                f"购买已超过 {quality.remedy_days} 天：质量问题由工作人员检查后决定。",
                f"More than {quality.remedy_days} days since purchase: staff inspect the fault"
                " and decide.",
            )
        )
        verdict.gate(
            {Remedy.REFUND, Remedy.EXCHANGE, *repair},
            request,
            requires=quality.requires,
            review_only=review_only,
            what=_FAULT,
            staff_decide=True,
        )


def decide(policy: ReturnPolicy, request: ReturnRequest) -> Decision:
    """Apply `policy` to `request`. Raises ValueError if the purchase is after `today`."""
    days = (request.today - request.purchase_date).days
    if days < 0:
        raise ValueError(f"purchase date {request.purchase_date} is after today {request.today}")
    rule = policy.category(request.category)
    available: set[Remedy] = set()
    review: set[Remedy] = set()
    reasons: list[Line] = []
    if rule is None:
        review |= ALL_REMEDIES
        reasons.append(
            Line(
                "这类商品不在退换政策内，由工作人员判断。",
                "This kind of product is not in the return policy; staff decide.",
            )
        )
    else:
        verdicts = [_no_reason(policy, rule, request, days)]
        if request.reason in FAULTS:
            verdicts.insert(0, _fault(policy, rule, request, days))
            if not (verdicts[1].available or verdicts[1].review):
                # Why the no-reason promise does not apply is beside the point for a fault.
                verdicts[1].reasons.clear()
        for verdict in verdicts:
            available |= verdict.available
            review |= verdict.review
            reasons.extend(verdict.reasons)
    if request.reason is Reason.OTHER:
        review |= ALL_REMEDIES
        reasons.append(Line("其他原因：由工作人员判断。", "Another reason: staff decide."))
    review -= available
    desired = request.desired
    alternatives = tuple(remedy for remedy in _PREFERENCE[desired] if remedy in available)
    if desired in available:
        outcome = _OUTCOME[desired]
    elif desired in review:
        outcome = Outcome.STAFF_REVIEW
    elif alternatives:
        outcome = _OUTCOME[alternatives[0]]
    elif review:
        outcome = Outcome.STAFF_REVIEW
    else:
        outcome = Outcome.NOT_ELIGIBLE
    return Decision(
        outcome=outcome,
        desired=desired,
        available=frozenset(available),
        after_review=frozenset(review),
        alternatives=alternatives,
        reasons=tuple(dict.fromkeys(reasons)),
        bring=_bring(policy, rule, request, available | review),
        category=request.category,
        days_since_purchase=days,
        policy_version=policy.version,
    )


def _bring(
    policy: ReturnPolicy, rule: CategoryRule | None, request: ReturnRequest, possible: set[Remedy]
) -> tuple[Line, ...]:
    lines = [
        Line("本回执（含二维码）", "This slip with its QR code"),
        Line("商品", "The item"),
        Line("购物小票或发票", "The sales slip or invoice")
        if request.has_proof
        else Line(
            "付款记录（如手机上的支付记录），方便查找购买",
            "A payment record (e.g. on your phone) to find the sale",
        ),
    ]
    if rule is not None and rule.sanbao:
        lines.append(
            Line("保修卡或三包凭证（如有）", "The warranty card (三包凭证), if you have it")
        )
    conditions = set(rule.requires) if rule is not None else set()
    if rule is not None and rule.sanbao and Remedy.REFUND in possible:
        conditions |= policy.sanbao.return_requires
    if Condition.PACKAGING_INTACT in conditions:
        lines.append(Line("原包装", "The original packaging"))
    if Condition.TAGS_ATTACHED in conditions:
        lines.append(Line("吊牌", "The tags"))
    if Condition.ACCESSORIES_COMPLETE in conditions:
        lines.append(Line("全部配件和赠品", "All accessories and free gifts"))
    lines.append(Line("无需携带身份证件", "No ID needed"))
    return tuple(lines)
