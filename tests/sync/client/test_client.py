"""SyncClient against the real central service: replies validated, errors classified, retries
bounded and jittered, Retry-After honoured, timeouts enforced."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import socket
import time
import uuid
from pathlib import Path

import pytest

from sync.client import (
    NO_RETRY,
    BadReply,
    CatalogUpdate,
    NotModified,
    Offline,
    RateLimited,
    Rejected,
    RetryPolicy,
    ServerError,
    SyncClient,
    Unauthorized,
)
from sync.schemas import Heartbeat, SubmissionIn
from sync.server.testing import mint_code, run_server
from tests.central import Central
from tests.sync.client.conftest import APP_VERSION, KIOSK, fast_client, server_uuids
from tests.sync.client.faults import FaultProxy, Rule


def beat() -> Heartbeat:
    return Heartbeat(app_version=APP_VERSION, queue_depth=0, printer_state="ok", free_disk_bytes=1)


def item(n: int) -> SubmissionIn:
    return SubmissionIn.model_validate(
        {
            "uuid": uuid.uuid4(),
            "kind": "feedback",
            "ticket_no": f"F-{KIOSK}-{n:06d}",
            "created_at": dt.datetime.now(dt.UTC),
            "token_sha256": "0" * 64,
            "payload": {"text": "more benches on 3F please"},
        }
    )


class Sleeps:
    """Records the waits the retry loop asks for, and really waits (short in these tests)."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)
        time.sleep(seconds)


def exhaust(client: SyncClient) -> RateLimited:
    """Heartbeats until the server's rate limit answers 429."""
    for _ in range(100):
        try:
            client.heartbeat(beat())
        except RateLimited as exc:
            return exc
    raise AssertionError("the server never limited the rate")


def enrolled(base_url: str, central: Central, **kwargs: object) -> SyncClient:
    token = fast_client(central.base_url).enroll(central.mint_code(), KIOSK, APP_VERSION)
    return fast_client(base_url, token.device_token, **kwargs)


def test_every_call_round_trips_with_validated_replies(central: Central) -> None:
    with fast_client(central.base_url) as anonymous:
        reply = anonymous.enroll(central.mint_code(), KIOSK, APP_VERSION)
    assert (reply.kiosk_code, reply.venue_id) == (KIOSK, central.venue_id)
    with fast_client(central.base_url, reply.device_token) as client:
        full = client.catalog(None, None)
        assert isinstance(full, CatalogUpdate)
        assert full.reply.full
        assert full.reply.venue is not None
        assert full.etag
        assert client.catalog(full.reply.cursor, full.etag) == NotModified(full.etag)
        pushed = client.push([item(1)])
        assert [r.status for r in pushed.results] == ["accepted"]
        status = client.status(None)
        assert [c.status for c in status.changes] == ["received"]
        assert client.heartbeat(beat()).server_time.tzinfo is not None


def test_a_used_or_wrong_code_is_unauthorized(central: Central) -> None:
    code = central.mint_code()
    with fast_client(central.base_url) as client:
        client.enroll(code, KIOSK, APP_VERSION)
        with pytest.raises(Unauthorized, match="403"):
            client.enroll(code, "K08", APP_VERSION)
        with pytest.raises(Unauthorized):
            client.enroll("WRONG-CODE-0000", "K08", APP_VERSION)


def test_calls_without_a_token_never_leave_the_kiosk(proxy: FaultProxy) -> None:
    with fast_client(proxy.base_url) as client, pytest.raises(Unauthorized, match="not enrolled"):
        client.status(None)
    assert proxy.seen == []


def test_a_revoked_token_is_unauthorized(central: Central) -> None:
    client = enrolled(central.base_url, central)
    client.heartbeat(beat())
    assert central.revoke(KIOSK) == 1
    with client, pytest.raises(Unauthorized, match="401"):
        client.heartbeat(beat())


def test_a_refused_request_is_rejected_with_the_servers_words(
    central: Central, proxy: FaultProxy
) -> None:
    # The server caps request bodies; a batch far over the cap is refused, not retried.
    big = [
        item(n).model_copy(update={"payload": {"text": "x" * 4000, "more": "y" * 4000}})
        for n in range(200)
    ]
    with enrolled(proxy.base_url, central) as client, pytest.raises(Rejected) as caught:
        client.push(big)
    assert caught.value.status == 413
    assert caught.value.code == "payload_too_large"
    assert len(proxy.requests("/v1/submissions")) == 1


def test_nothing_listening_is_offline_after_bounded_retries(tmp_path: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nothing listens there
    sleeps = Sleeps()
    policy = RetryPolicy(attempts=4, base_s=0.01, cap_s=0.05, total_s=5.0, sleep=sleeps)
    client = SyncClient(f"http://127.0.0.1:{port}", "token", retries=policy)
    with client, pytest.raises(Offline) as caught:
        client.heartbeat(beat())
    assert not caught.value.request_sent
    assert len(sleeps.waits) == 3  # four tries
    assert all(0 <= w <= 0.05 for w in sleeps.waits)


def test_server_errors_are_retried_with_full_jitter(central: Central, proxy: FaultProxy) -> None:
    sleeps = Sleeps()
    policy = RetryPolicy(attempts=5, base_s=0.05, cap_s=0.4, total_s=10.0, sleep=sleeps)
    client = enrolled(proxy.base_url, central, retries=policy)
    proxy.add(
        Rule("/v1/heartbeat", "status", status=500, body=b'{"error":"x","message":"y"}', times=3)
    )
    with client:
        client.heartbeat(beat())
    assert [s.status for s in proxy.requests("/v1/heartbeat")] == [500, 500, 500, 200]
    # Try n waits uniformly in [0, min(cap, base * 2**n)].
    ceilings = [min(0.4, 0.05 * 2**n) for n in (1, 2, 3)]
    assert all(0 <= w <= c for w, c in zip(sleeps.waits, ceilings, strict=True))


def test_persistent_server_errors_end_in_server_error(central: Central, proxy: FaultProxy) -> None:
    client = enrolled(proxy.base_url, central)
    proxy.add(Rule("/v1/status", "status", status=503, body=b"<html>busy</html>"))
    with client, pytest.raises(ServerError) as caught:
        client.status(None)
    assert caught.value.status == 503
    assert "busy" in str(caught.value)
    assert len(proxy.requests("/v1/status")) == 3  # FAST: three tries


def test_rate_limit_retry_after_is_honoured(tmp_path: Path, central: Central) -> None:
    # A real server of our own with a slow refill: 30 requests at once, then 1 per 2 s.
    db_url = f"sqlite:///{tmp_path / 'limited.sqlite3'}"
    shutil.copyfile(central.db_path, tmp_path / "limited.sqlite3")
    with run_server(db_url, rate=0.5) as server:
        token = fast_client(server.base_url).enroll(
            mint_code(db_url, central.venue_id), KIOSK, APP_VERSION
        )
        with SyncClient(server.base_url, token.device_token, retries=NO_RETRY) as burst:
            limited = exhaust(burst)
        assert limited.retry_after is not None
        assert limited.retry_after >= 1
        sleeps = Sleeps()
        policy = RetryPolicy(attempts=3, base_s=0.01, cap_s=0.02, total_s=10.0, sleep=sleeps)
        patient = SyncClient(server.base_url, token.device_token, retries=policy)
        started = time.monotonic()
        with patient:
            patient.heartbeat(beat())
        assert sleeps.waits
        assert sleeps.waits[0] >= limited.retry_after - 1  # whole seconds, refilling
        assert time.monotonic() - started >= sleeps.waits[0]


def test_a_retry_after_beyond_the_budget_is_left_to_the_caller(
    central: Central, proxy: FaultProxy
) -> None:
    client = enrolled(proxy.base_url, central)
    proxy.add(
        Rule("/v1/heartbeat", "status", status=429, headers={"Retry-After": "120"}, body=b"{}")
    )
    started = time.monotonic()
    with client, pytest.raises(RateLimited) as caught:
        client.heartbeat(beat())
    assert caught.value.retry_after == 120
    assert time.monotonic() - started < 10  # far from the 120 s asked for
    assert len(proxy.requests("/v1/heartbeat")) == 1


def test_a_retry_after_date_is_understood(central: Central, proxy: FaultProxy) -> None:
    sleeps = Sleeps()
    client = enrolled(
        proxy.base_url,
        central,
        retries=RetryPolicy(attempts=2, base_s=0.01, cap_s=0.01, total_s=10, sleep=sleeps),
    )
    when = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=3)
    date = when.strftime("%a, %d %b %Y %H:%M:%S GMT")
    proxy.add(Rule("/v1/heartbeat", "status", status=429, headers={"Retry-After": date}, times=1))
    with client:
        client.heartbeat(beat())
    assert 1 <= sleeps.waits[0] <= 3


def test_a_slow_reply_past_the_read_timeout_is_offline(central: Central, proxy: FaultProxy) -> None:
    client = enrolled(proxy.base_url, central, timeout=(1.0, 0.3), retries=NO_RETRY)
    proxy.add(Rule("/v1/heartbeat", "delay", delay_s=3.0, times=1))
    started = time.monotonic()
    with client, pytest.raises(Offline, match="did not answer in time"):
        client.heartbeat(beat())
    assert time.monotonic() - started < 2.5  # gave up before the reply's 3 s


def test_a_reply_trickling_in_is_cut_at_the_deadline(central: Central, proxy: FaultProxy) -> None:
    # Each byte comes well within the read timeout, the whole reply would take minutes.
    client = enrolled(proxy.base_url, central, timeout=(1.0, 1.0), deadline_s=1.0, retries=NO_RETRY)
    proxy.add(Rule("/v1/catalog", "trickle", delay_s=0.02, times=1))
    started = time.monotonic()
    with client, pytest.raises(Offline, match="took longer"):
        client.catalog(None, None)
    assert time.monotonic() - started < 10  # the whole reply would take minutes


@pytest.mark.parametrize(
    ("body", "why"),
    [
        (b"<html>proxy login</html>", "Invalid JSON"),
        (b'{"cursor": 5, "full": "maybe"}', "cursor"),
        (json.dumps({"cursor": "c", "full": True, "promotions": [{"id": 1}]}).encode(), "promo"),
        (b"", "EOF"),
    ],
)
def test_malformed_replies_are_bad_replies(
    central: Central, proxy: FaultProxy, body: bytes, why: str
) -> None:
    client = enrolled(proxy.base_url, central)
    proxy.add(Rule("/v1/catalog", "status", status=200, body=body))
    with client, pytest.raises(BadReply, match=why):
        client.catalog(None, None)
    assert len(proxy.requests("/v1/catalog")) == 1  # not worth retrying


def test_enrollment_is_not_repeated_once_the_server_may_have_used_the_code(
    central: Central, proxy: FaultProxy
) -> None:
    proxy.add(Rule("/v1/enroll", "drop", times=1))
    with fast_client(proxy.base_url) as client, pytest.raises(Offline) as caught:
        client.enroll(central.mint_code(), KIOSK, APP_VERSION)
    assert caught.value.request_sent
    assert len(proxy.requests("/v1/enroll")) == 1


def test_a_push_whose_reply_was_lost_is_acknowledged_as_duplicate(
    central: Central, proxy: FaultProxy
) -> None:
    client = enrolled(proxy.base_url, central, retries=NO_RETRY)
    items = [item(n) for n in range(3)]
    proxy.add(Rule("/v1/submissions", "drop", times=1))
    with client:
        with pytest.raises(Offline):
            client.push(items)
        again = client.push(items)
    assert {r.status for r in again.results} == {"duplicate"}
    assert sorted(server_uuids(central)) == sorted(str(i.uuid) for i in items)
