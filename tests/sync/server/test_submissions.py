"""Submissions push: each item stored once whatever the retries, and per-item answers."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from sqlalchemy import func, select

from sync.schemas import MAX_BATCH, MAX_TEXT, ErrorReply, SubmissionBatchReply
from sync.server.db import open_database
from sync.server.models import StatusEvent, Submission
from tests.central import Central
from tests.sync.server.conftest import Kiosk


def stored(central: Central) -> list[Submission]:
    db = open_database(central.db_url)
    try:
        with db.reads() as session:
            return list(session.scalars(select(Submission).order_by(Submission.ticket_no)))
    finally:
        db.dispose()


def statuses(results: list[dict[str, Any]]) -> list[str]:
    return [r["status"] for r in results]


def test_new_items_are_accepted_and_stored_with_a_received_event(
    central: Central, kiosk: Kiosk
) -> None:
    items = [kiosk.item(), kiosk.item(kind="return_request", payload={"order": "R1"})]
    reply = kiosk.post("/v1/submissions", json={"items": items})
    assert reply.status_code == 200
    results = SubmissionBatchReply.model_validate(reply.json()).results
    assert [str(r.uuid) for r in results] == [i["uuid"] for i in items]
    assert [r.status for r in results] == ["accepted", "accepted"]
    rows = stored(central)
    assert [r.ticket_no for r in rows] == [i["ticket_no"] for i in items]
    assert rows[1].payload == {"order": "R1"}
    assert rows[0].payload == items[0]["payload"]
    assert all(r.status == "received" and r.kiosk_code == "K07" for r in rows)
    db = open_database(central.db_url)
    with db.reads() as session:
        assert session.scalar(select(func.count()).select_from(StatusEvent)) == 2
    db.dispose()


def test_a_replayed_batch_is_answered_duplicate_and_stored_once(
    central: Central, kiosk: Kiosk
) -> None:
    items = [kiosk.item() for _ in range(3)]
    assert statuses(kiosk.push(*items[:2])) == ["accepted", "accepted"]
    # The kiosk lost the first answer and retries with one more item.
    assert statuses(kiosk.push(*items)) == ["duplicate", "duplicate", "accepted"]
    assert statuses(kiosk.push(items[0], items[0])) == ["duplicate", "duplicate"]
    assert len(stored(central)) == 3


def test_the_same_uuid_twice_in_one_batch_is_stored_once(central: Central, kiosk: Kiosk) -> None:
    item = kiosk.item()
    assert statuses(kiosk.push(item, item)) == ["accepted", "duplicate"]
    assert len(stored(central)) == 1


def test_a_uuid_of_another_kiosk_is_rejected(
    central: Central, enroll: Callable[[str], Kiosk]
) -> None:
    k07, k08 = enroll("K07"), enroll("K08")
    item = k07.item()
    assert statuses(k07.push(item)) == ["accepted"]
    (result,) = k08.push({**item, "ticket_no": "C-K08-0001-X"})
    assert result["status"] == "rejected"
    assert "another kiosk" in result["reason"]
    assert [r.kiosk_code for r in stored(central)] == ["K07"]


def test_a_ticket_number_used_by_another_submission_is_rejected(
    central: Central, kiosk: Kiosk
) -> None:
    first = kiosk.item()
    clash = kiosk.item(ticket_no=first["ticket_no"])
    fine = kiosk.item()
    results = kiosk.push(first, clash, fine)
    assert statuses(results) == ["accepted", "rejected", "accepted"]
    assert first["ticket_no"] in results[1]["reason"]
    (later,) = kiosk.push(kiosk.item(ticket_no=fine["ticket_no"]))
    assert later["status"] == "rejected"
    assert len(stored(central)) == 2


def test_payloads_failing_server_checks_are_rejected_with_a_reason(
    central: Central, kiosk: Kiosk
) -> None:
    long_text = kiosk.item(payload={"text": "x" * (MAX_TEXT + 1)})
    long_nested = kiosk.item(payload={"items": [{"note": "长" * (MAX_TEXT + 1)}]})
    deep: dict[str, Any] = {"v": 1}
    for _ in range(10):
        deep = {"d": deep}
    too_deep = kiosk.item(payload=deep)
    not_a_number = kiosk.item(payload={"amount": float("nan")})
    just_fits = kiosk.item(payload={"text": "x" * MAX_TEXT})
    # requests refuses to send NaN; a kiosk's own JSON encoder might not.
    body = json.dumps({"items": [long_text, long_nested, too_deep, not_a_number, just_fits]})
    reply = kiosk.post("/v1/submissions", data=body, headers={"Content-Type": "application/json"})
    assert reply.status_code == 200
    results = reply.json()["results"]
    assert statuses(results) == ["rejected", "rejected", "rejected", "rejected", "accepted"]
    assert "payload.text is longer than" in results[0]["reason"]
    assert "payload.items[0].note" in results[1]["reason"]
    assert "nested deeper" in results[2]["reason"]
    assert "NaN" in results[3]["reason"]
    assert len(stored(central)) == 1


def test_an_item_not_matching_the_protocol_fails_the_batch_with_422(
    central: Central, kiosk: Kiosk
) -> None:
    for bad in (
        {**kiosk.item(), "extra": 1},
        kiosk.item(ticket_no="c-k07 1"),
        kiosk.item(created_at="2026-01-01T00:00:00"),
        kiosk.item(token_sha256="not-a-hash"),
        kiosk.item(kind="compliment"),
        kiosk.item(payload={f"k{i}": i for i in range(65)}),
    ):
        reply = kiosk.post("/v1/submissions", json={"items": [kiosk.item(), bad]})
        assert reply.status_code == 422, bad
        error = ErrorReply.model_validate(reply.json())
        assert error.error == "invalid_request"
        assert error.message.startswith("items.1"), error.message
    assert stored(central) == []


def test_a_batch_over_the_limit_is_422(kiosk: Kiosk) -> None:
    items = [kiosk.item(payload={}) for _ in range(MAX_BATCH + 1)]
    reply = kiosk.post("/v1/submissions", json={"items": items})
    assert reply.status_code == 422
    assert "at most 200" in ErrorReply.model_validate(reply.json()).message
    assert kiosk.post("/v1/submissions", json={"items": []}).status_code == 422
    assert kiosk.post("/v1/submissions", data=b"{not json").status_code == 422


def test_a_body_over_the_size_limit_is_413(central: Central, kiosk: Kiosk) -> None:
    items = [kiosk.item(payload={"text": "字" * 3000}) for _ in range(150)]
    reply = kiosk.post("/v1/submissions", json={"items": items})
    assert reply.status_code == 413
    assert ErrorReply.model_validate(reply.json()).error == "payload_too_large"
    # The connection may be closed by the server; the same session still works.
    assert statuses(kiosk.push(*items[:10])) == ["accepted"] * 10
    assert len(stored(central)) == 10


def test_a_chunked_body_over_the_size_limit_is_413(kiosk: Kiosk) -> None:
    def chunks() -> Any:
        yield b'{"items": ['
        for _ in range(200):
            yield b'"' + b"x" * 10_000 + b'",'
        yield b"1]}"

    reply = kiosk.post(
        "/v1/submissions", data=chunks(), headers={"Content-Type": "application/json"}
    )
    assert reply.status_code == 413


def test_concurrent_retries_of_one_batch_store_each_item_once(
    central: Central, kiosk: Kiosk
) -> None:
    items = [kiosk.item() for _ in range(50)]
    # One session per thread, like a kiosk whose retry overlaps its timed-out first try.
    clients = [Kiosk(kiosk.base_url, kiosk.kiosk_code, kiosk.token) for _ in range(4)]
    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(lambda client: client.push(*items), clients))
    for client in clients:
        client.close()
    per_item = list(zip(*(statuses(a) for a in answers), strict=True))
    assert all(sorted(s) == ["accepted", "duplicate", "duplicate", "duplicate"] for s in per_item)
    assert len(stored(central)) == 50
    assert {r.uuid for r in stored(central)} == {uuid.UUID(i["uuid"]) for i in items}
