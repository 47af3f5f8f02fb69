"""The service as a whole: rate limits, error bodies, the OpenAPI document, starting and
stopping the test server."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
import requests

from sync.schemas import ErrorReply
from sync.server.app import create_app
from sync.server.sms import MemoryGateway
from sync.server.testing import ManualClock, ServerHandle, run_server
from tests.central import Central
from tests.sync.server.conftest import TIMEOUT, Kiosk, enroll_kiosk


def test_a_kiosk_over_its_rate_gets_429_with_retry_after(
    central_db: tuple[str, Path, str],
) -> None:
    db_url, path, venue_id = central_db
    with run_server(db_url, rate=0.5, burst=3) as server:
        central = Central(server, db_url, path, venue_id, MemoryGateway(), ManualClock())
        busy, calm = enroll_kiosk(central, "K01"), enroll_kiosk(central, "K02")
        codes = [busy.get("/v1/status").status_code for _ in range(4)]
        assert codes == [200, 200, 200, 429]
        limited = busy.get("/v1/status")
        assert limited.status_code == 429
        assert 1 <= int(limited.headers["Retry-After"]) <= 2
        error = ErrorReply.model_validate(limited.json())
        assert error.error == "rate_limited"
        assert error.retry_after_s == int(limited.headers["Retry-After"])
        assert calm.get("/v1/status").status_code == 200
        busy.close()
        calm.close()


def test_an_unexpected_error_is_a_500_error_reply_logged_with_its_traceback(
    central_db: tuple[str, Path, str], caplog: pytest.LogCaptureFixture
) -> None:
    app = create_app(central_db[0])

    @app.get("/v1/boom")
    def boom() -> None:
        raise RuntimeError("secret detail: password=hunter2")

    server = ServerHandle(app)
    server.start()
    try:
        with caplog.at_level(logging.ERROR, logger="sync.server.app"):
            reply = requests.get(f"{server.base_url}/v1/boom", timeout=TIMEOUT)
    finally:
        server.stop()
        app.state.db.dispose()
    assert reply.status_code == 500
    error = ErrorReply.model_validate(reply.json())
    assert error.error == "internal_error"
    assert "hunter2" not in reply.text
    assert "Traceback" not in reply.text
    (record,) = [r for r in caplog.records if r.name == "sync.server.app"]
    assert record.exc_info is not None
    assert "hunter2" in str(record.exc_info[1])
    assert "/v1/boom" in record.getMessage()


@pytest.mark.parametrize(
    ("method", "path", "status", "code"),
    [
        ("GET", "/v1/nowhere", 404, "not_found"),
        ("GET", "/", 404, "not_found"),
        ("DELETE", "/v1/catalog", 405, "method_not_allowed"),
        ("GET", "/v1/submissions", 405, "method_not_allowed"),
    ],
)
def test_every_error_is_an_error_reply(
    kiosk: Kiosk, method: str, path: str, status: int, code: str
) -> None:
    reply = kiosk.http.request(method, f"{kiosk.base_url}{path}", timeout=TIMEOUT)
    assert reply.status_code == status
    assert ErrorReply.model_validate(reply.json()).error == code


def test_the_openapi_document_publishes_the_protocol(central: Central) -> None:
    reply = requests.get(f"{central.base_url}/openapi.json", timeout=TIMEOUT)
    assert reply.status_code == 200
    doc = reply.json()
    schemas = set(doc["components"]["schemas"])
    assert {
        "EnrollRequest",
        "EnrollReply",
        "CatalogReply",
        "VenueDoc",
        "PromotionDoc",
        "SubmissionBatch",
        "SubmissionIn",
        "SubmissionBatchReply",
        "SubmissionResult",
        "StatusReply",
        "StatusChange",
        "Heartbeat",
        "HeartbeatReply",
        "ErrorReply",
        "MemberScanRequest",
        "MemberCodeRequest",
        "MemberCodeReply",
        "MemberVerifyRequest",
        "MemberCard",
        "MemberTier",
        "MemberCoupon",
        "ExpiringPoints",
        "PointsTransaction",
    } <= schemas
    assert "HTTPValidationError" not in schemas
    assert set(doc["paths"]) == {
        "/v1/enroll",
        "/v1/catalog",
        "/v1/submissions",
        "/v1/status",
        "/v1/heartbeat",
        "/v1/members/scan",
        "/v1/members/sms",
        "/v1/members/verify",
    }
    catalog = doc["paths"]["/v1/catalog"]["get"]
    assert catalog["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/CatalogReply"
    }
    assert catalog["responses"]["401"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ErrorReply"
    }
    assert "304" in catalog["responses"]
    assert doc["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"
    assert "security" not in doc["paths"]["/v1/enroll"]["post"]


def test_the_server_stops_and_starts_again_on_the_same_port(central: Central) -> None:
    kiosk = enroll_kiosk(central, "K07")
    port = central.server.port
    central.server.stop()
    assert not central.server.running
    with pytest.raises(requests.ConnectionError):
        kiosk.get("/v1/status")
    central.server.start()
    assert central.server.port == port
    assert kiosk.get("/v1/status").status_code == 200
    kiosk.close()
