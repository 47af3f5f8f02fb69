"""Member lookups against the real central service on 127.0.0.1: scan, SMS code, and every
way it can say no, each turned into a sentence the shopper can act on."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

import pytest

from kiosk.services.credentials import device_token
from kiosk.services.member import MemberLookupError, MemberService, ProblemKind
from sync.schemas import MemberCard
from tests.central import Central, enroll_data_dir

WANG = "13800138000"
WANG_CARD = "886000000001"
WANG_QR = "YH:M:7F3K9Q2M8XW4"
NOT_A_MEMBER = "13600136000"


@pytest.fixture
def service(central: Central, data_dir: Path) -> MemberService:
    enroll_data_dir(central, data_dir)
    return MemberService(central.base_url, lambda: device_token(data_dir, central.base_url))


def refused(call: object, kind: ProblemKind) -> MemberLookupError:
    assert callable(call)
    with pytest.raises(MemberLookupError) as caught:
        call()
    assert caught.value.kind is kind, (caught.value.kind, caught.value.en)
    assert caught.value.zh
    assert caught.value.en
    return caught.value


def assert_is_wang(card: MemberCard) -> None:
    assert card.name_masked == "王*明"
    assert card.phone_masked == "138****8000"
    assert card.card_masked.endswith("0001")
    assert WANG_CARD not in card.card_masked
    assert card.tier.code == "gold"
    assert card.points > 0
    assert card.expiring
    assert card.coupons


@pytest.mark.parametrize("scanned", [WANG_CARD, "8860 0000 0001\r", WANG_QR, f"  {WANG_QR}\n"])
def test_scan_finds_the_member(service: MemberService, scanned: str) -> None:
    assert_is_wang(service.scan(scanned))


def test_scan_of_an_unknown_code(service: MemberService) -> None:
    problem = refused(lambda: service.scan("886099999999"), ProblemKind.NOT_FOUND)
    assert "service desk" in problem.en


def test_scan_of_garbage_is_refused_without_asking(
    service: MemberService, central: Central
) -> None:
    central.server.stop()  # nothing is sent: the kiosk refuses it before
    problem = refused(lambda: service.scan("会员 卡"), ProblemKind.INVALID)
    assert "scan again" in problem.en


def test_sms_code_happy_path(service: MemberService, central: Central) -> None:
    phone, reply = service.request_code("138 0013 8000")
    assert phone == WANG
    assert reply.sent_to == "138****8000"
    assert reply.resend_after_s > 0
    code = central.sms.last_code(WANG)
    assert code is not None
    assert_is_wang(service.verify(phone, code))
    # A code is good once.
    refused(lambda: service.verify(phone, code), ProblemKind.CODE_EXPIRED)


def test_a_mistyped_number_is_refused_before_any_text_is_sent(
    service: MemberService, central: Central
) -> None:
    problem = refused(lambda: service.request_code("1380013800"), ProblemKind.INVALID)
    assert "11-digit" in problem.en
    assert central.sms.sent == []


def test_wrong_code_counts_down_then_locks(service: MemberService, central: Central) -> None:
    phone, _ = service.request_code(WANG)
    right = central.sms.last_code(WANG)
    wrong = "000000" if right != "000000" else "111111"
    lefts = []
    for _ in range(4):
        problem = refused(lambda: service.verify(phone, wrong), ProblemKind.WRONG_CODE)
        lefts.append(problem.attempts_left)
        assert str(problem.attempts_left) in problem.en
    assert lefts == [4, 3, 2, 1]
    locked = refused(lambda: service.verify(phone, wrong), ProblemKind.LOCKED)
    assert locked.retry_after_s is not None
    assert "15 minutes" in locked.en
    # Locked: even the right code is refused, and so is a new one.
    refused(lambda: service.verify(phone, right), ProblemKind.LOCKED)
    refused(lambda: service.request_code(WANG), ProblemKind.LOCKED)
    # The lock ends.
    central.clock.advance(minutes=16)
    phone, _ = service.request_code(WANG)
    assert_is_wang(service.verify(phone, central.sms.last_code(WANG) or ""))


def test_expired_code(service: MemberService, central: Central) -> None:
    phone, reply = service.request_code(WANG)
    code = central.sms.last_code(WANG) or ""
    central.clock.advance(seconds=reply.expires_in_s + 1)
    problem = refused(lambda: service.verify(phone, code), ProblemKind.CODE_EXPIRED)
    assert "new one" in problem.en


def test_asking_again_within_the_minute_says_the_code_is_on_its_way(
    service: MemberService, central: Central
) -> None:
    service.request_code(WANG)
    problem = refused(lambda: service.request_code(WANG), ProblemKind.CODE_JUST_SENT)
    assert "just sent" in problem.en
    assert problem.retry_after_s is not None
    assert 0 < problem.retry_after_s <= 60


def test_too_many_codes_in_an_hour(service: MemberService, central: Central) -> None:
    for _ in range(5):
        service.request_code(WANG)
        central.clock.advance(seconds=61)
    problem = refused(lambda: service.request_code(WANG), ProblemKind.TOO_MANY_CODES)
    assert "minutes" in problem.en


def test_a_number_without_membership(service: MemberService, central: Central) -> None:
    # The code is sent all the same, so the kiosk tells no one who is a member...
    phone, _ = service.request_code(NOT_A_MEMBER)
    code = central.sms.last_code(NOT_A_MEMBER)
    assert code is not None
    # ...until the shopper has proved the number is theirs.
    refused(lambda: service.verify(phone, code), ProblemKind.NOT_FOUND)


def test_revoked_device_token(service: MemberService, central: Central) -> None:
    assert central.revoke("K07") == 1
    problem = refused(lambda: service.scan(WANG_CARD), ProblemKind.NOT_SET_UP)
    assert "service desk" in problem.en


def test_not_enrolled(central: Central, data_dir: Path) -> None:
    service = MemberService(central.base_url, lambda: device_token(data_dir, central.base_url))
    assert not service.available()
    refused(lambda: service.scan(WANG_CARD), ProblemKind.NOT_SET_UP)


def test_no_central_service_configured() -> None:
    service = MemberService("", lambda: "a-token")
    assert not service.available()
    refused(lambda: service.scan(WANG_CARD), ProblemKind.NOT_SET_UP)


def test_offline_says_the_network_is_needed(service: MemberService, central: Central) -> None:
    central.server.stop()
    problem = refused(lambda: service.scan(WANG_CARD), ProblemKind.OFFLINE)
    assert "need the network" in problem.en


def test_sms_gateway_down_is_reported_as_unavailable_not_as_wrong_input(
    service: MemberService, central: Central
) -> None:
    central.sms.failure = "carrier down"
    problem = refused(lambda: service.request_code(WANG), ProblemKind.SMS_UNAVAILABLE)
    assert "scan your member code" in problem.en


def test_too_many_unknown_cards_from_one_kiosk(service: MemberService) -> None:
    for n in range(20):
        refused(lambda n=n: service.scan(f"8860999{n:05d}"), ProblemKind.NOT_FOUND)
    problem = refused(lambda: service.scan(WANG_CARD), ProblemKind.TOO_MANY_LOOKUPS)
    assert "service desk" in problem.en


def test_a_bug_in_a_call_still_answers_and_logs_nothing_typed(
    service: MemberService, caplog: pytest.LogCaptureFixture
) -> None:
    results: list[object] = []

    def broken() -> object:
        raise ValueError(f"could not handle {WANG_CARD}")

    service.call_async(broken, results.append)
    service.join()
    (result,) = results
    assert isinstance(result, MemberLookupError)
    assert result.kind is ProblemKind.UNAVAILABLE
    assert WANG_CARD not in caplog.text
    assert "ValueError" in caplog.text


def test_call_async_hands_over_the_card_or_the_problem(service: MemberService) -> None:
    results: list[object] = []
    done = threading.Event()

    def collect(result: object) -> None:
        results.append(result)
        if len(results) == 2:
            done.set()

    service.call_async(lambda: service.scan(WANG_CARD), collect)
    service.call_async(lambda: service.scan("886099999999"), collect)
    assert done.wait(10)
    service.join()
    kinds = {type(r) for r in results}
    assert kinds == {MemberCard, MemberLookupError}


def test_the_log_names_what_failed_never_who(
    service: MemberService, central: Central, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    phone, _ = service.request_code(WANG)
    code = central.sms.last_code(WANG) or ""
    refused(
        lambda: service.verify(phone, "000000" if code != "000000" else "111111"),
        ProblemKind.WRONG_CODE,
    )
    service.verify(phone, code)
    refused(lambda: service.scan("886099999999"), ProblemKind.NOT_FOUND)
    text = caplog.text
    assert "member verify: wrong_code" in text
    for secret in (WANG, code, "886099999999", "王小明"):
        assert secret not in text


def test_plain_http_across_the_network_keeps_member_services_off(
    caplog: pytest.LogCaptureFixture,
) -> None:
    service = MemberService("http://10.0.0.5:8700", lambda: "a-token")
    assert not service.available()
    refused(lambda: service.scan(WANG_CARD), ProblemKind.NOT_SET_UP)
    assert "need https" in caplog.text
