"""What the tracking page says for every kind and status, in both languages."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import pytest

from kiosk.domain.submissions import ComplaintCategory, FeedbackType, ServiceTimes
from sync.server.followup import TicketView, VenueFacts, _from_files, can_withdraw, clean_comment
from sync.server.members import CHINA_TIME
from sync.server.submissions import TICKET_STATUSES
from sync.server.web import tracking_words as words

KINDS = ("complaint", "feedback", "return_request", "repair_request")
VENUE = VenueFacts("云汇广场", "Yunhui Plaza", CHINA_TIME, "021-6188 8000", ServiceTimes())


def view(kind: str, status: str, **changes: object) -> TicketView:
    base = TicketView(
        ticket_no="C-K07-0042-X",
        kind=kind,
        kiosk_code="K07",
        created_at=dt.datetime(2026, 1, 31, 17, 0, tzinfo=dt.UTC),  # 1 February, 01:00 in China
        status=status,
        events=(),
        venue=VENUE,
        store_name="UNIQLO",
        feedback_type=None,
        category=None,
        callback_possible=False,
        pickup=None,
        rating=None,
        rated_at=None,
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_status_of_every_kind_says_something_whole(kind: str, lang: str) -> None:
    for status in TICKET_STATUSES:
        lines = words.next_steps(view(kind, status), lang)
        assert lines, (kind, status)
        for line in lines:
            assert not re.search(r"[{}]", line), line
            assert bool(re.search(r"[\u4e00-\u9fff]", line)) == (lang == "zh"), line
        assert words.status_name(status).text(lang) != words.status_name("no such").text(lang)


def test_an_unknown_status_or_kind_falls_back_to_the_service_desk() -> None:
    assert words.next_steps(view("complaint", "on_the_moon"), "en") == [
        "Any questions? Bring your receipt to the service desk, or call 021-6188 8000."
    ]
    assert words.status_name("on_the_moon").en == "Status updated"
    assert words.next_steps(view("parcel", "received"), "zh")[0].startswith("如有疑问")


def test_the_promises_are_the_venues() -> None:
    times = ServiceTimes(first_response_minutes=10, complex_case_hours=3, request_valid_days=7)
    venue = dataclasses.replace(VENUE, times=times)
    called = view("complaint", "received", callback_possible=True, venue=venue)
    assert words.next_steps(called, "en") == [
        "During opening hours we contact you within 10 minutes; complex cases are answered "
        "within 3 hours."
    ]
    # Filed on 1 February in the mall's time: valid for 7 days.
    returned = words.next_steps(view("return_request", "received", venue=venue), "zh")
    assert "请在 2026年2月8日 前" in returned[0]


def test_suggestions_are_thanked_for_and_questions_answered() -> None:
    thanks = view("feedback", "received", feedback_type=FeedbackType.SUGGESTION)
    assert words.next_steps(thanks, "zh") == ["感谢您的反馈！我们会转交相关部门。"]
    assert words.title(thanks).zh == "您的建议"
    question = view(
        "feedback", "in_progress", feedback_type=FeedbackType.CONSULTATION, callback_possible=False
    )
    assert words.next_steps(question, "en")[-1].startswith("You left no phone number")
    assert words.kind_name(question).zh == "咨询"
    complaint = view("complaint", "received", category=ComplaintCategory.SAFETY)
    assert words.kind_name(complaint).en == "Complaint · Safety"


def test_refusals_point_to_the_regulator() -> None:
    for kind, status in (("complaint", "not_accepted"), ("return_request", "rejected")):
        assert "12315" in " ".join(words.next_steps(view(kind, status), "zh"))


def test_only_open_complaints_and_suggestions_can_be_withdrawn() -> None:
    allowed = {
        (kind, status) for kind in KINDS for status in TICKET_STATUSES if can_withdraw(kind, status)
    }
    open_ = {"submitted", "received", "acknowledged", "in_progress", "escalated", "reopened"}
    assert allowed == {(kind, status) for kind in ("complaint", "feedback") for status in open_}


def test_comments_keep_their_lines_and_lose_control_characters() -> None:
    assert clean_comment("  好\r\n很好\r\x1b[2J\u2028 ") == "好\n很好\n[2J"


def test_the_venue_may_name_its_time_zone_and_shanghai_is_the_default() -> None:
    def venue(**ext: str) -> dict[str, object]:
        props = {"phone": "021-6188 8000", "ext": ext}
        return {"venue.geojson": {"features": [{"properties": props}]}}

    tokyo, phone = _from_files(venue(timezone="Asia/Tokyo"))
    assert (str(tokyo), phone) == ("Asia/Tokyo", "021-6188 8000")
    assert str(_from_files(venue())[0]) == "Asia/Shanghai"
    assert str(_from_files(venue(timezone="Mars/Olympus_Mons"))[0]) == "Asia/Shanghai"
    assert _from_files(None) == (_from_files(venue())[0], None)
