"""Member cards over HTTP against the real server: scanning a card or app code, signing in with
a code texted to a mobile number and every guard around it, and what a reply never holds."""

from __future__ import annotations

import datetime as dt
import json
import logging
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import func, select

from sync.schemas import ErrorReply, MemberCard, MemberCodeReply
from sync.server.db import open_database
from sync.server.member_data import demo_members
from sync.server.members import CHINA_TIME, MemberPolicy, tier_view
from sync.server.models import MemberScanMiss, SmsChallenge, Tier, Venue
from sync.server.sms import LoggingSmsGateway, MemoryGateway
from sync.server.testing import ManualClock, mint_code, run_server, seed_members
from tests.central import Central
from tests.sync.server.conftest import TIMEOUT, Kiosk, enroll_kiosk

WANG = "13800138000"  # 王小明, gold, the demo member with everything
LI = "13900139000"  # 李娜, silver
NOBODY = "13600136000"  # not a member
WANG_CARD = "886000000001"
WANG_APP = "YH:M:7F3K9Q2M8XW4"
STARBUCKS = "2eb40182-9c1e-5467-91c1-0a81c0df7454"


def scan(kiosk: Kiosk, code: str) -> requests.Response:
    return kiosk.post("/v1/members/scan", json={"code": code})


def send_code(kiosk: Kiosk, phone: str) -> requests.Response:
    return kiosk.post("/v1/members/sms", json={"phone": phone})


def verify(kiosk: Kiosk, phone: str, code: str) -> requests.Response:
    return kiosk.post("/v1/members/verify", json={"phone": phone, "code": code})


def error(reply: requests.Response, status: int) -> ErrorReply:
    assert reply.status_code == status, reply.text
    return ErrorReply.model_validate(reply.json())


def card(reply: requests.Response) -> MemberCard:
    assert reply.status_code == 200, reply.text
    return MemberCard.model_validate(reply.json())


def wrong(code: str) -> str:
    """A code that is not `code`."""
    return f"{(int(code) + 1) % 1_000_000:06d}"


def sign_in(central: Central, kiosk: Kiosk, phone: str) -> requests.Response:
    assert send_code(kiosk, phone).status_code == 200
    return verify(kiosk, phone, central.sms.last_code(phone))


def today(central: Central) -> dt.date:
    return central.clock().astimezone(CHINA_TIME).date()


# --- scanning ---------------------------------------------------------------------------------


def test_a_card_number_and_the_app_code_find_the_same_masked_card(
    central: Central, kiosk: Kiosk
) -> None:
    by_card = card(scan(kiosk, WANG_CARD))
    by_app = card(scan(kiosk, WANG_APP))
    assert by_card == by_app
    assert (by_card.name_masked, by_card.phone_masked, by_card.card_masked) == (
        "王*明",
        "138****8000",
        "**** 0001",
    )
    assert (by_card.tier.code, by_card.tier.name_zh, by_card.tier.next_name_en) == (
        "gold",
        "金卡",
        "Diamond",
    )
    assert by_card.as_of == central.clock()
    other = card(scan(kiosk, "886000000002"))
    assert (other.name_masked, other.phone_masked) == ("李*", "139****9000")


def test_an_unknown_code_is_404_member_not_found(kiosk: Kiosk) -> None:
    assert error(scan(kiosk, "886000009999"), 404).error == "member_not_found"
    # A code is matched exactly, as the scanner typed it.
    assert error(scan(kiosk, WANG_APP.lower()), 404).error == "member_not_found"
    bad = error(scan(kiosk, "卡号 0001"), 422)
    assert bad.error == "invalid_request"
    assert "0001" not in bad.message


def test_a_kiosk_whose_scans_find_no_one_20_times_an_hour_is_refused_lookups(
    central: Central, enroll: Callable[[str], Kiosk]
) -> None:
    kiosk = enroll("K07")
    unknown = iter(f"88600000{n:04d}" for n in range(9000, 9100))
    for _ in range(10):
        assert error(scan(kiosk, next(unknown)), 404).error == "member_not_found"
    # A card found does not count.
    assert card(scan(kiosk, WANG_CARD)).name_masked == "王*明"
    central.clock.advance(minutes=10)
    for _ in range(10):
        assert error(scan(kiosk, next(unknown)), 404).error == "member_not_found"
    # Twenty misses, the first ten 10 min ago: a real card is refused too, for 50 min.
    refused = scan(kiosk, WANG_CARD)
    refusal = error(refused, 429)
    assert refusal.error == "too_many_lookups"
    assert refusal.retry_after_s == 50 * 60
    assert refused.headers["Retry-After"] == str(50 * 60)
    assert refused.headers["Cache-Control"] == "no-store"
    assert WANG_CARD not in refused.text
    assert error(scan(kiosk, next(unknown)), 429).error == "too_many_lookups"
    # Counted by kiosk code: re-enrolling does not reset it; another kiosk is not affected.
    kiosk = enroll("K07")
    assert error(scan(kiosk, WANG_CARD), 429).error == "too_many_lookups"
    other = enroll("K08")
    assert card(scan(other, WANG_CARD)).name_masked == "王*明"
    assert error(scan(other, next(unknown)), 404).error == "member_not_found"
    central.clock.advance(minutes=50, seconds=-1)
    assert error(scan(kiosk, WANG_CARD), 429).retry_after_s == 1
    central.clock.advance(seconds=1)
    assert card(scan(kiosk, WANG_CARD)).name_masked == "王*明"
    # The ten misses of 50 min ago still count, the refused lookups never did.
    for _ in range(10):
        assert error(scan(kiosk, next(unknown)), 404).error == "member_not_found"
    assert error(scan(kiosk, WANG_CARD), 429).retry_after_s == 10 * 60
    central.clock.advance(hours=1)
    assert card(scan(kiosk, WANG_CARD)).name_masked == "王*明"


def test_the_cap_on_lookups_survives_a_restart_of_the_central_service(
    central_db: tuple[str, Path, str],
) -> None:
    db_url, path, venue_id = central_db
    clock = ManualClock()
    unknown = iter(f"88600000{n:04d}" for n in range(9000, 9100))
    with run_server(db_url, clock=clock) as server:
        central = Central(server, db_url, path, venue_id, MemoryGateway(), clock)
        kiosk = enroll_kiosk(central, "K07")
        for _ in range(20):
            assert error(scan(kiosk, next(unknown)), 404).error == "member_not_found"
        assert error(scan(kiosk, WANG_CARD), 429).retry_after_s == 60 * 60
        kiosk.close()
    clock.advance(minutes=15)
    # A new server (a new member service) on the same database, as after a restart.
    with run_server(db_url, clock=clock) as server:
        kiosk = Kiosk(server.base_url, "K07", kiosk.token)
        refused = scan(kiosk, WANG_CARD)
        assert error(refused, 429).error == "too_many_lookups"
        assert refused.headers["Retry-After"] == str(45 * 60)
        clock.advance(minutes=45)
        assert card(scan(kiosk, WANG_CARD)).name_masked == "王*明"
        kiosk.close()


def test_misses_keep_the_kiosk_and_time_only_and_go_an_hour_later(
    central: Central, kiosk: Kiosk
) -> None:
    codes = [f"88600000{n:04d}" for n in range(9000, 9003)]
    for code in codes:
        assert error(scan(kiosk, code), 404).error == "member_not_found"
    db = open_database(central.db_url)
    try:
        with db.reads() as session:
            rows = session.execute(select(MemberScanMiss.kiosk_code, MemberScanMiss.at)).all()
        assert rows == [("K07", central.clock())] * 3
        parts = [central.db_path, central.db_path.with_name(central.db_path.name + "-wal")]
        stored = b"".join(p.read_bytes() for p in parts if p.exists())
        for code in codes:
            assert code.encode() not in stored
        # The kiosk's next miss deletes those that no longer count.
        central.clock.advance(hours=1)
        assert error(scan(kiosk, "886000009999"), 404).error == "member_not_found"
        with db.reads() as session:
            left = session.scalars(select(MemberScanMiss.at)).all()
        assert left == [central.clock()]
    finally:
        db.dispose()


def test_the_card_shows_its_points_lapsing_soon_tier_coupons_and_movements(
    central: Central, kiosk: Kiosk
) -> None:
    # The demo's dates count from the day they are loaded: load them on the clock's day.
    t = today(central)
    seed_members(central.db_url, today=t)

    def on(days: int) -> dt.date:
        return t + dt.timedelta(days=days)

    shown = card(scan(kiosk, WANG_CARD))
    # Earned 300 (lapsed 55 days ago), 3200, 1880, 2600, 2400, 86, 368; spent 2000 then 500,
    # both from the 3200 that lapses first.
    assert shown.points == 8034
    assert [(e.on, e.points) for e in shown.expiring] == [
        (on(25), 700),
        (on(52), 1880),
        (on(80), 2600),
    ]
    # Earned over the last year: 10534; Diamond needs 20000.
    assert (shown.tier.next_name_zh, shown.tier.points_to_next) == ("钻石卡", 9466)
    assert shown.tier.benefits_en[0] == "1.5 points for every ¥1 spent"
    # Used and past coupons are gone; the rest by the day they end.
    assert [c.code for c in shown.coupons] == ["YH-C-0001-SBUX", "YH-C-0003-BDAY", "YH-C-0002-PARK"]
    sbux, _, park = shown.coupons
    assert (sbux.store_ids, sbux.valid_from, sbux.valid_until) == ([STARBUCKS], on(-5), on(20))
    assert park.store_ids == []
    moves = [(m.points, m.description_en) for m in shown.transactions]
    assert moves[:4] == [
        (368, "Purchase · Haidilao"),
        (-500, "Points as cash · Yunhui Supermarket"),
        (-2000, "Points for a gift"),
        (86, "Purchase · Starbucks"),
    ]
    assert moves[4] == (-300, "Points expired")
    midnight = dt.datetime.combine(on(-54), dt.time(), tzinfo=CHINA_TIME)
    assert shown.transactions[4].at == midnight
    assert len(moves) == 10
    assert [m.at for m in shown.transactions] == sorted(
        (m.at for m in shown.transactions), reverse=True
    )

    quiet = card(scan(kiosk, "886000000004"))
    assert (quiet.name_masked, quiet.points, quiet.expiring, quiet.coupons) == (
        "欧*娜",
        335,
        [],
        [],
    )
    top = card(scan(kiosk, "886000000003"))
    assert (top.name_masked, top.tier.code, top.tier.points_to_next) == (
        "A*** W***",
        "diamond",
        None,
    )
    assert top.tier.next_name_zh is None


def test_the_card_moves_with_the_clock(central: Central, kiosk: Kiosk) -> None:
    seed_members(central.db_url, today=today(central))
    before = card(scan(kiosk, WANG_CARD))
    central.clock.advance(days=26)
    after = card(scan(kiosk, WANG_CARD))
    # The 700 lapsing in 25 days are gone, and so is the Starbucks coupon ending in 20.
    assert after.points == before.points - 700
    assert [e.points for e in after.expiring] == [1880, 2600]
    assert "YH-C-0001-SBUX" not in [c.code for c in after.coupons]
    assert after.transactions[0].points == -700


def test_coupons_are_those_of_the_kiosks_venue(central: Central, kiosk: Kiosk) -> None:
    db = open_database(central.db_url)
    with db.write() as session:
        session.add(
            Venue(
                id="other-mall",
                name_zh="别的广场",
                name_en="Other Plaza",
                version="1",
                files={},
                cursor_epoch="00000000",
                catalog_seq=0,
                pruned_seq=0,
            )
        )
    db.dispose()
    elsewhere = enroll_kiosk(central, "K99", mint_code(central.db_url, "other-mall"))
    try:
        there = card(scan(elsewhere, WANG_CARD))
    finally:
        elsewhere.close()
    here = card(scan(kiosk, WANG_CARD))
    assert here.coupons
    assert there.coupons == []
    assert there.points == here.points


# --- signing in by SMS ------------------------------------------------------------------------


def test_a_code_texted_to_a_members_number_gives_their_card(central: Central, kiosk: Kiosk) -> None:
    reply = send_code(kiosk, WANG)
    assert reply.status_code == 200
    assert MemberCodeReply.model_validate(reply.json()) == MemberCodeReply(
        sent_to="138****8000", expires_in_s=300, resend_after_s=60
    )
    (sms,) = central.sms.sent
    assert sms.phone == WANG
    assert "云汇广场" in sms.text
    signed_in = card(verify(kiosk, WANG, central.sms.last_code(WANG)))
    assert signed_in == card(scan(kiosk, WANG_CARD))


def test_a_wrong_code_counts_down_then_locks_the_number_for_15_minutes(
    central: Central, kiosk: Kiosk
) -> None:
    assert send_code(kiosk, WANG).status_code == 200
    code = central.sms.last_code(WANG)
    left = [error(verify(kiosk, WANG, wrong(code)), 400).attempts_left for _ in range(4)]
    assert left == [4, 3, 2, 1]
    locked = verify(kiosk, WANG, wrong(code))
    refusal = error(locked, 423)
    assert (refusal.error, refusal.attempts_left, refusal.retry_after_s) == (
        "member_locked",
        0,
        900,
    )
    assert locked.headers["Retry-After"] == "900"
    # Locked: even the right code, and no new code.
    assert error(verify(kiosk, WANG, code), 423).error == "member_locked"
    central.clock.advance(minutes=10)
    still = send_code(kiosk, WANG)
    assert error(still, 423).retry_after_s == 300
    assert still.headers["Retry-After"] == "300"
    assert len(central.sms.sent) == 1
    # Another number is not affected.
    assert card(sign_in(central, kiosk, LI)).phone_masked == "139****9000"

    central.clock.advance(minutes=4, seconds=59)
    assert error(verify(kiosk, WANG, code), 423).retry_after_s == 1
    central.clock.advance(seconds=1)
    # The code pending at the lock is void; a new one works, with the count started afresh.
    assert error(verify(kiosk, WANG, code), 410).error == "code_expired"
    assert send_code(kiosk, WANG).status_code == 200
    assert error(verify(kiosk, WANG, wrong(central.sms.last_code(WANG))), 400).attempts_left == 4
    assert card(verify(kiosk, WANG, central.sms.last_code(WANG))).name_masked == "王*明"


def test_a_new_code_does_not_reset_the_count_of_wrong_ones(central: Central, kiosk: Kiosk) -> None:
    send_code(kiosk, WANG)
    for _ in range(3):
        verify(kiosk, WANG, wrong(central.sms.last_code(WANG)))
    central.clock.advance(seconds=60)
    assert send_code(kiosk, WANG).status_code == 200
    fresh = central.sms.last_code(WANG)
    assert error(verify(kiosk, WANG, wrong(fresh)), 400).attempts_left == 1
    assert error(verify(kiosk, WANG, wrong(fresh)), 423).error == "member_locked"


def wrong_four_times(central: Central, kiosk: Kiosk, phone: str) -> None:
    code = central.sms.last_code(phone)
    left = [error(verify(kiosk, phone, wrong(code)), 400).attempts_left for _ in range(4)]
    assert left == [4, 3, 2, 1]


def test_wrong_codes_are_forgotten_after_an_hour(central: Central, kiosk: Kiosk) -> None:
    send_code(kiosk, WANG)
    wrong_four_times(central, kiosk, WANG)
    central.clock.advance(hours=1)
    send_code(kiosk, WANG)
    assert error(verify(kiosk, WANG, wrong(central.sms.last_code(WANG))), 400).attempts_left == 4


def test_a_right_code_clears_the_count_of_wrong_ones(central: Central, kiosk: Kiosk) -> None:
    send_code(kiosk, WANG)
    wrong_four_times(central, kiosk, WANG)
    assert card(verify(kiosk, WANG, central.sms.last_code(WANG))).points >= 0
    central.clock.advance(seconds=60)
    send_code(kiosk, WANG)
    assert error(verify(kiosk, WANG, wrong(central.sms.last_code(WANG))), 400).attempts_left == 4


def test_a_code_expires_after_five_minutes(central: Central, kiosk: Kiosk) -> None:
    send_code(kiosk, WANG)
    code = central.sms.last_code(WANG)
    central.clock.advance(seconds=300)
    assert error(verify(kiosk, WANG, code), 410).error == "code_expired"
    send_code(kiosk, WANG)
    central.clock.advance(seconds=299)
    assert card(verify(kiosk, WANG, central.sms.last_code(WANG))).name_masked == "王*明"


def test_a_code_works_once(central: Central, kiosk: Kiosk) -> None:
    send_code(kiosk, WANG)
    code = central.sms.last_code(WANG)
    card(verify(kiosk, WANG, code))
    assert error(verify(kiosk, WANG, code), 410).error == "code_expired"


def test_without_a_code_asked_for_verify_is_410(kiosk: Kiosk) -> None:
    assert error(verify(kiosk, WANG, "123456"), 410).error == "code_expired"


def test_a_new_code_replaces_the_pending_one(central: Central, kiosk: Kiosk) -> None:
    send_code(kiosk, WANG)
    old = central.sms.last_code(WANG)
    new = old
    while new == old:  # codes are random: one in a million repeats
        central.clock.advance(seconds=60)
        assert send_code(kiosk, WANG).status_code == 200
        new = central.sms.last_code(WANG)
    assert error(verify(kiosk, WANG, old), 400).error == "code_wrong"
    assert card(verify(kiosk, WANG, new)).name_masked == "王*明"


def test_one_number_gets_a_code_a_minute_and_five_an_hour(central: Central, kiosk: Kiosk) -> None:
    assert send_code(kiosk, WANG).status_code == 200
    central.clock.advance(seconds=20)
    soon = send_code(kiosk, WANG)
    assert (error(soon, 429).error, soon.headers["Retry-After"]) == ("too_many_codes", "40")
    assert ErrorReply.model_validate(soon.json()).retry_after_s == 40
    for _ in range(4):
        central.clock.advance(seconds=60)
        assert send_code(kiosk, WANG).status_code == 200
    central.clock.advance(seconds=60)
    # Five codes, the first 5 min 20 s ago: it leaves the hour 54 min 40 s from now.
    sixth = send_code(kiosk, WANG)
    assert error(sixth, 429).error == "too_many_codes"
    assert sixth.headers["Retry-After"] == str(3600 - 320)
    assert len(central.sms.messages_to(WANG)) == 5
    assert send_code(kiosk, LI).status_code == 200
    central.clock.advance(seconds=3600 - 321)
    assert send_code(kiosk, WANG).status_code == 429
    central.clock.advance(seconds=1)
    assert send_code(kiosk, WANG).status_code == 200


def test_a_kiosk_may_ask_for_so_many_codes_an_hour(central_db: tuple[str, Path, str]) -> None:
    db_url, path, venue_id = central_db
    sms, clock = MemoryGateway(), ManualClock()
    policy = MemberPolicy(codes_per_device_per_hour=3)
    with run_server(db_url, sms_gateway=sms, member_policy=policy, clock=clock) as server:
        central = Central(server, db_url, path, venue_id, sms, clock)
        busy = enroll_kiosk(central, "K01")
        phones = [f"1370000000{n}" for n in range(4)]
        assert [send_code(busy, p).status_code for p in phones[:3]] == [200, 200, 200]
        clock.advance(minutes=10)
        capped = send_code(busy, phones[3])
        assert error(capped, 429).error == "too_many_codes"
        assert capped.headers["Retry-After"] == str(50 * 60)
        # Re-enrolling does not reset it; another kiosk is not affected.
        again = enroll_kiosk(central, "K01")
        assert send_code(again, phones[3]).status_code == 429
        calm = enroll_kiosk(central, "K02")
        assert send_code(calm, phones[3]).status_code == 200
        clock.advance(minutes=50)
        assert send_code(again, "13700000009").status_code == 200
        assert len(sms.sent) == 5
        for kiosk in (busy, again, calm):
            kiosk.close()


def test_a_number_that_is_no_members_gets_a_code_then_404(central: Central, kiosk: Kiosk) -> None:
    reply = send_code(kiosk, NOBODY)
    member_reply = send_code(kiosk, LI)
    # The kiosk cannot tell who is a member from the answer.
    assert reply.status_code == member_reply.status_code == 200
    assert {**reply.json(), "sent_to": ""} == {**member_reply.json(), "sent_to": ""}
    assert len(central.sms.messages_to(NOBODY)) == 1
    code = central.sms.last_code(NOBODY)
    assert error(verify(kiosk, NOBODY, wrong(code)), 400).attempts_left == 4
    assert error(verify(kiosk, NOBODY, code), 404).error == "member_not_found"
    # The code was used all the same.
    assert error(verify(kiosk, NOBODY, code), 410).error == "code_expired"


def test_a_text_that_cannot_be_sent_is_503_and_does_not_count(
    central: Central, kiosk: Kiosk, caplog: pytest.LogCaptureFixture
) -> None:
    central.sms.failure = f"carrier refused {WANG}: quota"
    with caplog.at_level(logging.WARNING, logger="sync.server.members"):
        failed = send_code(kiosk, WANG)
    assert error(failed, 503).error == "sms_unavailable"
    assert WANG not in caplog.text
    assert "138****8000" in caplog.text
    central.sms.failure = None
    # No code is pending and none was counted: a new one goes at once.
    assert error(verify(kiosk, WANG, "000000"), 410).error == "code_expired"
    assert card(sign_in(central, kiosk, WANG)).name_masked == "王*明"


def test_without_an_sms_gateway_sign_in_by_sms_is_503_not_set_up(
    central_db: tuple[str, Path, str],
) -> None:
    db_url, path, venue_id = central_db
    clock = ManualClock()
    with run_server(db_url, clock=clock) as server:
        central = Central(server, db_url, path, venue_id, MemoryGateway(), clock)
        kiosk = enroll_kiosk(central, "K07")
        reply = send_code(kiosk, WANG)
        refusal = error(reply, 503)
        assert refusal.error == "sms_unavailable"
        assert "member sign-in by SMS is not set up" in refusal.message
        assert WANG not in reply.text
        assert reply.headers["Cache-Control"] == "no-store"
        assert error(verify(kiosk, WANG, "123456"), 410).error == "code_expired"
        # Scanning a card still works.
        assert card(scan(kiosk, WANG_CARD)).name_masked == "王*明"
        kiosk.close()
    db = open_database(db_url)
    with db.reads() as session:
        assert session.scalar(select(func.count()).select_from(SmsChallenge)) == 0
    db.dispose()


def test_a_database_error_logs_no_number_or_card_number(
    central: Central, kiosk: Kiosk, caplog: pytest.LogCaptureFixture
) -> None:
    assert send_code(kiosk, WANG).status_code == 200
    code = central.sms.last_code(WANG)
    # Behind the server's back, in this test's own database file (foreign keys off here).
    con = sqlite3.connect(central.db_path, isolation_level=None)
    try:
        con.execute("DROP TABLE member_identifiers")
        con.execute("DROP TABLE members")
    finally:
        con.close()
    with caplog.at_level(logging.ERROR, logger="sync.server.app"):
        replies = [scan(kiosk, WANG_CARD), verify(kiosk, WANG, code)]
    for reply in replies:
        assert error(reply, 500).error == "internal_error"
        assert WANG not in reply.text
        assert WANG_CARD not in reply.text
    logged = [r for r in caplog.records if r.name == "sync.server.app"]
    assert len(logged) == 2
    assert all(r.exc_info is not None for r in logged)
    assert "no such table" in caplog.text
    assert "SQL parameters hidden" in caplog.text
    for secret in (WANG, WANG[-8:], WANG_CARD):
        assert secret not in caplog.text, secret


def test_a_malformed_number_or_code_is_422_without_echoing_it(kiosk: Kiosk) -> None:
    for body in ({"phone": "12345678901"}, {"phone": "138 0013 8000"}, {"phone": WANG, "x": 1}):
        refusal = error(kiosk.post("/v1/members/sms", json=body), 422)
        assert "12345678901" not in refusal.message
        assert "0013" not in refusal.message
    refusal = error(kiosk.post("/v1/members/verify", json={"phone": WANG, "code": "12345"}), 422)
    assert refusal.message.startswith("code")
    assert WANG not in refusal.message


# --- what a kiosk is told, and who may ask ----------------------------------------------------


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/v1/members/scan", {"code": WANG_CARD}),
        ("/v1/members/sms", {"phone": WANG}),
        ("/v1/members/verify", {"phone": WANG, "code": "123456"}),
    ],
)
def test_member_calls_need_a_valid_device_token(
    central: Central, enroll: Callable[[str], Kiosk], path: str, body: dict[str, Any]
) -> None:
    anonymous = requests.post(f"{central.base_url}{path}", json=body, timeout=TIMEOUT)
    assert error(anonymous, 401).error == "unauthorized"
    revoked = enroll("K07")
    central.revoke("K07")
    assert error(revoked.post(path, json=body), 401).error == "unauthorized"
    assert central.sms.sent == []


def _members_in_demo() -> list[dict[str, Any]]:
    members: list[dict[str, Any]] = demo_members()["members"]
    return members


def test_no_reply_holds_a_full_name_number_card_number_or_id(
    central: Central, kiosk: Kiosk
) -> None:
    replies: list[str] = []
    for member in _members_in_demo():
        for code in (*member["cards"], *member.get("app_codes", [])):
            replies.append(scan(kiosk, code).text)
        replies.append(send_code(kiosk, member["mobile"]).text)
        replies.append(
            verify(kiosk, member["mobile"], wrong(central.sms.last_code(member["mobile"]))).text
        )
        replies.append(
            verify(kiosk, member["mobile"], central.sms.last_code(member["mobile"])).text
        )
    assert len(replies) == 4 * 3 + 7
    everything = "\n".join(replies)
    for member in _members_in_demo():
        secrets = [member["mobile"], member["mobile"][-8:], *member["cards"]]
        secrets += member.get("app_codes", [])
        secrets += [word for word in member["name"].split() if len(word) > 1]
        if " " not in member["name"]:
            secrets.append(member["name"][:2])
        for secret in secrets:
            assert secret not in everything, secret
    for text in replies:
        assert not {"id", "member_id", "name", "mobile", "phone"} & set(json.loads(text))


def test_member_replies_are_not_to_be_kept(central: Central, kiosk: Kiosk) -> None:
    send_code(kiosk, WANG)
    code = central.sms.last_code(WANG)
    for reply in (
        scan(kiosk, WANG_CARD),
        scan(kiosk, "000000000000"),
        verify(kiosk, WANG, wrong(code)),
        verify(kiosk, WANG, code),
        send_code(kiosk, WANG),
    ):
        assert reply.headers["Cache-Control"] == "no-store", reply.status_code


def test_numbers_and_codes_are_stored_only_hashed(central: Central, kiosk: Kiosk) -> None:
    send_code(kiosk, NOBODY)
    code = central.sms.last_code(NOBODY)
    verify(kiosk, NOBODY, wrong(code))
    parts = [central.db_path, central.db_path.with_name(central.db_path.name + "-wal")]
    stored = b"".join(p.read_bytes() for p in parts if p.exists())
    assert NOBODY.encode() not in stored
    assert code.encode() not in stored
    assert wrong(code).encode() not in stored


def test_codes_are_forgotten_a_day_later(central: Central, kiosk: Kiosk) -> None:
    send_code(kiosk, NOBODY)
    send_code(kiosk, WANG)
    central.clock.advance(days=1, seconds=1)
    send_code(kiosk, LI)
    db = open_database(central.db_url)
    with db.reads() as session:
        assert session.scalar(select(func.count()).select_from(SmsChallenge)) == 1
    db.dispose()


def test_the_log_holds_masked_numbers_only(
    central_db: tuple[str, Path, str], caplog: pytest.LogCaptureFixture
) -> None:
    db_url, path, venue_id = central_db
    clock = ManualClock()
    with run_server(db_url, sms_gateway=LoggingSmsGateway(), clock=clock) as server:
        central = Central(server, db_url, path, venue_id, MemoryGateway(), clock)
        kiosk = enroll_kiosk(central, "K07")
        with caplog.at_level(logging.INFO):
            for phone in (WANG, NOBODY):
                assert send_code(kiosk, phone).status_code == 200
                verify(kiosk, phone, "000000")
            scan(kiosk, WANG_CARD)
        kiosk.close()
    sent = [r.getMessage() for r in caplog.records if r.name == "sync.server.sms"]
    assert len(sent) == 2
    assert sent[0].startswith("SMS to 138****8000: 【云汇广场】")
    text = caplog.text
    for secret in (WANG, NOBODY, "王小明"):
        assert secret not in text
    assert "136****6000" in text


# --- tiers ------------------------------------------------------------------------------------


def _tiers() -> list[Tier]:
    def tier(code: str, rank: int, name: str, min_points: int) -> Tier:
        return Tier(
            code=code,
            rank=rank,
            name_zh=name,
            name_en=code.title(),
            benefits_zh=[f"{name}权益"],
            benefits_en=[f"{code} perk"],
            min_points=min_points,
        )

    # Out of order on purpose: rank decides.
    return [
        tier("gold", 2, "金卡", 5000),
        tier("diamond", 3, "钻石卡", 20000),
        tier("silver", 1, "银卡", 0),
    ]


@pytest.mark.parametrize(
    ("code", "qualifying", "upper", "to_next"),
    [
        ("silver", 0, "Gold", 5000),
        ("silver", 1200, "Gold", 3800),
        ("gold", 10534, "Diamond", 9466),
        # Qualified already: the upgrade comes at the programme's review.
        ("gold", 25000, "Diamond", 0),
        ("diamond", 0, None, None),
    ],
)
def test_a_tier_and_the_points_to_the_next(
    code: str, qualifying: int, upper: str | None, to_next: int | None
) -> None:
    view = tier_view(_tiers(), code, qualifying)
    assert view.code == code
    assert view.benefits_en == [f"{code} perk"]
    assert (view.next_name_en, view.points_to_next) == (upper, to_next)


# --- the protocol's document ------------------------------------------------------------------


def test_the_openapi_document_lists_the_member_endpoints(central: Central) -> None:
    doc = requests.get(f"{central.base_url}/openapi.json", timeout=TIMEOUT).json()
    scan_doc = doc["paths"]["/v1/members/scan"]["post"]
    sms_doc = doc["paths"]["/v1/members/sms"]["post"]
    verify_doc = doc["paths"]["/v1/members/verify"]["post"]
    assert scan_doc["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/MemberCard"
    }
    assert {"401", "404", "422", "429"} <= set(scan_doc["responses"])
    assert {"401", "423", "429", "503"} <= set(sms_doc["responses"])
    assert {"400", "401", "404", "410", "423", "429"} <= set(verify_doc["responses"])
    assert "Retry-After" in verify_doc["responses"]["423"]["headers"]
    assert "Retry-After" in sms_doc["responses"]["429"]["headers"]
    assert "Retry-After" in scan_doc["responses"]["429"]["headers"]
    assert "too_many_lookups" in scan_doc["responses"]["429"]["description"]
    assert "not set up" in sms_doc["responses"]["503"]["description"]
    assert verify_doc["responses"]["410"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ErrorReply"
    }
    assert {"attempts_left", "retry_after_s"} <= set(
        doc["components"]["schemas"]["ErrorReply"]["properties"]
    )
    for op in (scan_doc, sms_doc, verify_doc):
        assert op["security"] == [{"HTTPBearer": []}]
