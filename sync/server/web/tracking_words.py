"""What the tracking page says, in Chinese and English: status names, kinds, and what happens
next for each kind and status by the mall's rules (DESIGN §7).

The promises come from the venue (`VenueFacts.times`: the first response and complex-case
times of complaints, the days a return or repair request stays valid), so the page repeats
what the kiosk printed on the receipt.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from kiosk.domain.returns import Line
from kiosk.domain.submissions import FeedbackType, label
from kiosk.domain.tickets import status_name
from sync.server.followup import WITHDRAWN, TicketView

__all__ = [
    "RATING_LABELS",
    "UI",
    "Line",
    "kind_name",
    "local_date",
    "local_time",
    "next_steps",
    "status_name",
    "status_tone",
    "title",
]

# How each status reads (its words are the kiosk's, `kiosk.domain.tickets.STATUS_NAMES`):
# "ok" good news, "warn" needs the shopper, "bad" a refusal; any other status neither.
_TONES: Mapping[str, str] = {
    "resolved": "ok",
    "closed": "ok",
    "not_accepted": "bad",
    "approved": "ok",
    "rejected": "bad",
    "refunded": "ok",
    "exchanged": "ok",
    "ready_for_pickup": "ok",
    "completed": "ok",
    "expired": "warn",
}

_KINDS: Mapping[str, Line] = {
    "complaint": Line("投诉", "Complaint"),
    "feedback": Line("建议与反馈", "Feedback"),
    "return_request": Line("退换货申请", "Return or exchange request"),
    "repair_request": Line("维修申请", "Repair request"),
}
_TITLES: Mapping[str, Line] = {
    "complaint": Line("您的投诉", "Your complaint"),
    "feedback": Line("您的反馈", "Your feedback"),
    "return_request": Line("您的退换货申请", "Your return or exchange"),
    "repair_request": Line("您的维修申请", "Your repair request"),
}
_FEEDBACK_TITLES: Mapping[FeedbackType, Line] = {
    FeedbackType.SUGGESTION: Line("您的建议", "Your suggestion"),
    FeedbackType.PRAISE: Line("您的表扬", "Your praise"),
    FeedbackType.CONSULTATION: Line("您的咨询", "Your question"),
}

RATING_LABELS: tuple[Line, ...] = (
    Line("很不满意", "Very unhappy"),
    Line("不满意", "Unhappy"),
    Line("一般", "So-so"),
    Line("满意", "Happy"),
    Line("很满意", "Very happy"),
)
"""The meaning of ratings 1 to 5."""

UI: Mapping[str, Line] = {
    "ticket_no": Line("单号", "Ticket number"),
    "kind": Line("类型", "Type"),
    "filed": Line("提交时间", "Filed"),
    "kiosk": Line("自助机", "Kiosk"),
    "store": Line("商户", "Store"),
    "status": Line("当前状态", "Status now"),
    "next": Line("接下来", "What happens next"),
    "history": Line("处理记录", "History"),
    "filed_at_kiosk": Line("在自助机 {kiosk} 提交", "Filed at kiosk {kiosk}"),
    "by_you": Line("由您在本页撤回", "Withdrawn by you on this page"),
    "local_times": Line("时间均为商场当地时间。", "Times are the mall's local time."),
    "rate_title": Line("您对这次处理满意吗？", "How happy are you with how this was handled?"),
    "rate_scale": Line("请选择 1 到 5 分", "Pick 1 to 5"),
    "comment": Line(
        "想说的话（选填，最多 {max} 字）", "Anything to add? (optional, up to {max} characters)"
    ),
    "send_rating": Line("提交评价", "Send my rating"),
    "your_rating": Line("您的评价", "Your rating"),
    "rated": Line(
        "感谢您的评价：{rating} 分（满分 5 分）。", "Thank you for your rating: {rating} of 5."
    ),
    "withdraw_title": Line("不再需要处理？", "No longer needed?"),
    "withdraw_text": Line(
        "如果问题已经解决，您可以撤回此单。",
        "If the matter has been settled, you can withdraw this ticket.",
    ),
    "withdraw": Line("撤回此单", "Withdraw this ticket"),
    "confirm_title": Line("确认撤回", "Withdraw this ticket?"),
    "confirm_text": Line(
        "撤回后，我们将不再处理单号 {ticket}，此操作无法取消。如需再次反映，请在自助机上重新提交。",
        "Once withdrawn, we stop working on ticket {ticket}, and this cannot be undone. To raise "
        "it again, file a new one at any kiosk.",
    ),
    "confirm": Line("确认撤回", "Yes, withdraw it"),
    "keep": Line("不撤回，返回", "No, keep it"),
    "not_found_title": Line("找不到这张单", "Ticket not found"),
    "not_found_text": Line(
        "请直接扫描回执上的二维码，并确认二维码完整、清晰；也可以带上回执到服务台，工作人员会按单号为您查询。",
        "Please scan the QR code on your receipt again, making sure it is whole and clear, or "
        "bring the receipt to the service desk: staff can look the ticket up by its number.",
    ),
    "too_many_title": Line("尝试次数过多", "Too many tries"),
    "too_many_text": Line(
        "来自您网络的查询失败次数过多。请在 {minutes} 分钟后再试，或到服务台咨询。",
        "There were too many failed look-ups from your network. Please try again in {minutes} "
        "minutes, or ask at the service desk.",
    ),
    "unavailable_title": Line("暂时无法查询", "Not available right now"),
    "unavailable_text": Line(
        "查询服务暂时出了问题，请稍后再试，或到服务台咨询。",
        "Ticket tracking is having trouble. Please try again later, or ask at the service desk.",
    ),
    "not_allowed_title": Line("无法这样打开", "This page cannot be opened this way"),
    "not_allowed_text": Line(
        "请直接扫描回执上的二维码打开查询页。",
        "Please open the tracking page by scanning the QR code on your receipt.",
    ),
    "service": Line("顾客服务", "Customer service"),
    "rating_missing": Line("请选择 1 到 5 分。", "Please pick a rating from 1 to 5."),
    "comment_too_long": Line(
        "想说的话最多 {max} 字，您写了 {length} 字，请删减后再提交。",
        "Please keep it to {max} characters: yours has {length}.",
    ),
    "unreadable_title": Line("无法识别提交的内容", "What was sent could not be read"),
    "unreadable_text": Line(
        "请回到查询页重新填写后再提交。",
        "Please go back to the tracking page and fill it in again.",
    ),
    "done_rated": Line("您的评价已提交。", "Your rating has been sent."),
    "done_withdrawn": Line(
        "此单已撤回，我们不再处理。", "Withdrawn: we will not work on it further."
    ),
    "already_rated": Line(
        "此单已经评价过了，谢谢！", "This ticket has been rated already. Thank you!"
    ),
    "rate_not_now": Line(
        "处理完成后才能评价。", "You can rate the ticket once the work on it is finished."
    ),
    "withdraw_not_now": Line(
        "此单已不能撤回：它已处理完毕、已撤回，或不是投诉或建议。",
        "This ticket can no longer be withdrawn: it is finished, already withdrawn, or not a "
        "complaint or suggestion.",
    ),
}
"""The page's fixed text; `{name}` parts are filled in by the page."""

_MONTHS = (
    *("January", "February", "March", "April", "May", "June"),
    *("July", "August", "September", "October", "November", "December"),
)


def status_tone(status: str) -> str:
    return _TONES.get(status, "")


def kind_name(view: TicketView) -> Line:
    """The kind, with the feedback type or complaint category the shopper chose."""
    if view.kind == "feedback" and view.feedback_type is not None:
        return Line(label(view.feedback_type, "zh"), label(view.feedback_type, "en"))
    kind = _KINDS.get(view.kind, Line(view.kind, view.kind))
    if view.kind == "complaint" and view.category is not None:
        zh, en = label(view.category, "zh"), label(view.category, "en")
        return Line(f"{kind.zh} · {zh}", f"{kind.en} · {en}")
    return kind


def title(view: TicketView) -> Line:
    if view.kind == "feedback" and view.feedback_type is not None:
        return _FEEDBACK_TITLES.get(view.feedback_type, _TITLES["feedback"])
    return _TITLES.get(view.kind, Line("您的单据", "Your ticket"))


def local_time(when: dt.datetime, zone: dt.tzinfo) -> str:
    return when.astimezone(zone).strftime("%Y-%m-%d %H:%M")


def local_date(day: dt.date, lang: str) -> str:
    if lang == "zh":
        return f"{day.year}年{day.month}月{day.day}日"
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


# --- what happens next ------------------------------------------------------------------------


def next_steps(view: TicketView, lang: str) -> list[str]:
    """What the shopper can expect or should do now, by the ticket's kind and status."""
    if view.kind in ("complaint", "feedback"):
        lines = _complaint(view)
    elif view.kind == "return_request":
        lines = _return(view, lang)
    elif view.kind == "repair_request":
        lines = _repair(view, lang)
    else:
        lines = []
    return [line.text(lang) for line in lines or [_help(view)]]


def _help(view: TicketView) -> Line:
    phone = view.venue.phone
    if phone:
        return Line(
            f"如有疑问，请带上回执到服务台咨询，或致电 {phone}。",
            f"Any questions? Bring your receipt to the service desk, or call {phone}.",
        )
    return Line(
        "如有疑问，请带上回执到服务台咨询。",
        "Any questions? Bring your receipt to the service desk.",
    )


def _regulator(view: TicketView) -> list[Line]:
    return [
        _help(view),
        Line(
            "您也可以拨打 12315 向市场监督管理部门反映。",
            "You may also take the matter to the market regulator on 12315.",
        ),
    ]


def _first_response(view: TicketView) -> Line:
    minutes = view.venue.times.first_response_minutes
    hours = view.venue.times.complex_case_hours
    return Line(
        f"营业时间内，我们会在 {minutes} 分钟内首次联系您；复杂问题在 {hours} 小时内答复。",
        f"During opening hours we contact you within {minutes} minutes; complex cases are "
        f"answered within {hours} hours.",
    )


_NO_CALLBACK = Line(
    "您没有留下联系电话，我们无法回电。处理进展会在本页和自助机的“查询单号”中更新。",
    "You left no phone number, so we cannot call you back. Progress appears on this page and "
    "under “Check my ticket” at any kiosk.",
)
_THANKS = Line(
    "感谢您的反馈！我们会转交相关部门。", "Thank you! We pass it on to the team concerned."
)
_WITHDRAWN = Line(
    "此单已撤回，我们不再处理。如需再次反映，请在自助机上重新提交。",
    "This ticket was withdrawn and is no longer handled. To raise it again, file a new one at "
    "any kiosk.",
)
_DUPLICATE = Line(
    "此单与另一张单重复，我们会在那张单中一并处理。",
    "This ticket repeats another one; we handle both under the other ticket.",
)


def _complaint(view: TicketView) -> list[Line]:
    """A complaint, or feedback (a suggestion, praise or question)."""
    hours = view.venue.times.complex_case_hours
    # Complaints and questions are answered; suggestions and praise are thanked for.
    answered = view.kind == "complaint" or view.feedback_type is FeedbackType.CONSULTATION
    if not answered:
        waiting = [_THANKS]
    elif view.callback_possible:
        waiting = [_first_response(view)]
    else:
        waiting = [_NO_CALLBACK]
    resolved = [Line("已处理完毕，结果见下方处理记录。", "It is resolved: see the history below.")]
    if view.callback_possible:
        resolved.append(
            Line(
                "我们可能会回访您，了解您对处理结果是否满意。",
                "We may call you to ask whether you are happy with the outcome.",
            )
        )
    working = [
        Line(
            f"工作人员正在处理，复杂问题会在 {hours} 小时内答复。",
            f"Staff are working on it; complex cases are answered within {hours} hours.",
        )
    ]
    if not answered:
        working = [_THANKS]
    elif not view.callback_possible:
        working.append(_NO_CALLBACK)
    steps: Mapping[str, list[Line]] = {
        "submitted": waiting,
        "received": waiting,
        "acknowledged": waiting,
        "reopened": waiting,
        "in_progress": working,
        "escalated": [
            Line(
                "已交由上级（区域或公司）处理，我们会尽快答复，并告知处理结果。",
                "It has been passed to the area or company level; we will answer as soon as we "
                "can and tell you the outcome.",
            )
        ],
        "resolved": [*resolved, _unhappy(view)],
        "closed": [
            Line("此单已结案，感谢您的反馈。", "This ticket is closed. Thank you."),
            _unhappy(view),
        ],
        "not_accepted": [
            Line(
                "此单未予受理，原因见下方处理记录。", "It was not accepted: see the history below."
            ),
            *_regulator(view),
        ],
        WITHDRAWN: [_WITHDRAWN],
        "duplicate": [_DUPLICATE],
    }
    return steps.get(view.status, [])


def _unhappy(view: TicketView) -> Line:
    phone = view.venue.phone
    call_zh, call_en = (f"或致电 {phone}，", f" or call {phone}") if phone else ("", "")
    return Line(
        f"如对结果不满意，请到服务台{call_zh}我们会重新处理。",
        f"Not happy with the outcome? Come to the service desk{call_en}, and we will look at it "
        "again.",
    )


def _deadline(view: TicketView, lang: str) -> str:
    filed = view.created_at.astimezone(view.venue.zone).date()
    return local_date(filed + dt.timedelta(days=view.venue.times.request_valid_days), lang)


def _where(view: TicketView) -> Line:
    if view.store_name:
        return Line(f"{view.store_name}或商场服务台", f"{view.store_name} or the service desk")
    return Line("商场服务台", "the service desk")


_EXPIRED = Line(
    "申请已过期：物品没有在期限内送到。如仍需办理，请在自助机上重新提交。",
    "The request has expired: the goods were not brought in in time. To go ahead, file a new "
    "request at any kiosk.",
)
_CANCELLED = Line("申请已取消。", "The request was cancelled.")
_COMPLETED = Line("已办结，感谢您的耐心。", "All done. Thank you for your patience.")


def _return(view: TicketView, lang: str) -> list[Line]:
    status = view.status
    if status in ("submitted", "received", "acknowledged"):
        by = _deadline(view, lang)
        where = _where(view)
        return [
            Line(
                f"请在 {by} 前，携带商品及完整的包装、配件、赠品和购物凭证（小票或发票），"
                f"到{where.zh}办理，并出示回执上的二维码。",
                f"Bring the goods with their packaging, accessories, free gifts and proof of "
                f"purchase (slip or invoice) to {where.en} by {by}, and show the QR code on your "
                "receipt.",
            ),
            Line(
                "逾期未办理，申请将失效。",
                "If they are not brought in by then, the request expires.",
            ),
        ]
    steps: Mapping[str, list[Line]] = {
        "checked_in": [_INSPECTING],
        "inspected": [_INSPECTING],
        "approved": [Line("申请已批准，正在为您办理。", "Approved: it is being carried out.")],
        "rejected": [
            Line("申请未通过，原因见下方处理记录。", "Declined: see the history below."),
            *_regulator(view),
        ],
        "refunded": [
            Line(
                "退款已办理，将按原支付方式退回；到账时间以银行或支付平台为准。",
                "Refunded to how you paid; when it arrives depends on your bank or payment app.",
            )
        ],
        "exchanged": [Line("换货已办理。", "The goods have been exchanged.")],
        "repair_in_progress": [_REPAIRING],
        "ready_for_pickup": [_PICKUP],
        "completed": [_COMPLETED],
        "cancelled": [_CANCELLED],
        "expired": [_EXPIRED],
    }
    return steps.get(status, [])


_INSPECTING = Line(
    "服务台已登记，正在检验，结果会在本页更新。",
    "Checked in at the service desk and being inspected; the result will appear here.",
)
_REPAIRING = Line(
    "正在维修，修好后会通知您。", "Being repaired; we will tell you when it is ready."
)
_PICKUP = Line(
    "请带上回执到服务台取回物品。", "Please collect it at the service desk; bring your receipt."
)


def _repair(view: TicketView, lang: str) -> list[Line]:
    status, delivery = view.status, view.pickup == "delivery"
    back = (
        Line(
            "修好后我们会致电与您确认送货地址和时间。",
            "When it is repaired we call you to agree the delivery address and time.",
        )
        if delivery
        else Line(
            "修好后请凭回执到服务台取件。", "When it is repaired, collect it at the service desk."
        )
    )
    quote = Line(
        "检测后我们会告知维修方案和可能产生的费用。",
        "After a check we tell you what the repair involves and what it may cost.",
    )
    if status in ("submitted", "received", "acknowledged"):
        by = _deadline(view, lang)
        where = _where(view)
        return [
            Line(
                f"维修工单已建立。请在 {by} 前把物品（连同配件和购物凭证，如有）送到{where.zh}，"
                "并出示回执上的二维码。",
                f"Your repair work order is open. Bring the item (with its accessories and proof "
                f"of purchase, if you have them) to {where.en} by {by}, and show the QR code on "
                "your receipt.",
            ),
            quote,
            back,
        ]
    ready = (
        Line("已修好，我们会联系您安排送货。", "Repaired: we will call you to arrange delivery.")
        if delivery
        else Line(
            "已修好，请带上回执到服务台取件。",
            "Repaired: please collect it at the service desk; bring your receipt.",
        )
    )
    steps: Mapping[str, list[Line]] = {
        "checked_in": [Line("物品已登记，正在检测。", "Checked in and being checked."), quote],
        "inspected": [quote],
        "approved": [Line("维修方案已确认。", "The repair has been agreed."), back],
        "repair_in_progress": [_REPAIRING, back],
        "ready_for_pickup": [ready],
        "completed": [Line("维修已完成。", "The repair is complete.")],
        "rejected": [
            Line(
                "无法按此申请维修，原因见下方处理记录。",
                "The repair was declined: see the history.",
            ),
            *_regulator(view),
        ],
        "cancelled": [_CANCELLED],
        "expired": [_EXPIRED],
    }
    return steps.get(status, [])
