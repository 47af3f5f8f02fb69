"""The central service's HTTP API (FastAPI), versioned under /v1.

Every request and reply is a model of `sync.schemas`, so /openapi.json publishes the protocol.
Every error is an ErrorReply: validation (422), auth (401), enrollment (403), size (413), rate
(429, with Retry-After) and bugs (500, logged here with the traceback, never sent); member
lookups add their own (404, 400, 410, 423, 429, 503: see `_MEMBER_STATUS`).
"""

# No `from __future__ import annotations`: FastAPI reads the route signatures, whose dependency
# types are local to _routes() and _member_routes().
import datetime as dt
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import asynccontextmanager
from typing import Annotated, Any, TypeVar

import anyio
import anyio.to_thread
from anyio.lowlevel import RunVar
from fastapi import APIRouter, Depends, FastAPI, Header, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.gzip import GZipMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sync.schemas import (
    PROTOCOL_VERSION,
    CatalogReply,
    EnrollReply,
    EnrollRequest,
    ErrorReply,
    Heartbeat,
    HeartbeatReply,
    MemberCard,
    MemberCodeReply,
    MemberCodeRequest,
    MemberScanRequest,
    MemberVerifyRequest,
    StatusReply,
    SubmissionBatch,
    SubmissionBatchReply,
    utcnow,
)
from sync.server import devices, submissions
from sync.server.catalog import CatalogCache, catalog_body, catalog_head
from sync.server.db import Database, open_database
from sync.server.devices import DeviceIdentity, EnrollmentRefusedError
from sync.server.members import MemberPolicy, MemberRefusedError, MemberService
from sync.server.ratelimit import RateLimiter
from sync.server.sms import SmsGateway
from sync.server.web.route import route_pages
from sync.server.web.tracking import tracking_pages

log = logging.getLogger(__name__)
_T = TypeVar("_T")

DEFAULT_RATE = 5.0
"""Requests per second a device regains."""
DEFAULT_BURST = 30
"""Requests a device may make at once (a kiosk draining its outbox after an outage)."""
DEFAULT_MAX_BODY = 1024 * 1024
KEEP_ALIVE_S = 75
"""Idle seconds before the server closes a connection: longer than a kiosk's sync interval,
so a kiosk reuses its connection and never sends on one the server is just closing."""
# Few threads for database work: with many, the one holding SQLite's write lock waits its turn
# for the interpreter lock behind all the others.
DB_THREADS = 8
_db_threads: RunVar[anyio.CapacityLimiter] = RunVar("central_db_threads")
GZIP_MINIMUM = 1024
# A body over the limit is still read up to this much, so the client gets its 413 instead of a
# reset connection; past this the connection is cut.
_DRAIN_LIMIT = 16 * 1024 * 1024

_STATUS_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    410: "gone",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "invalid_request",
    423: "locked",
    429: "rate_limited",
    500: "internal_error",
    503: "service_unavailable",
}
# The HTTP status of each refusal of a member lookup (sync.server.members).
_MEMBER_STATUS = {
    "member_not_found": 404,
    "code_wrong": 400,
    "code_expired": 410,
    "member_locked": 423,
    "too_many_codes": 429,
    "too_many_lookups": 429,
    "sms_unavailable": 503,
}
# Member data must not be kept by a proxy or the kiosk's HTTP stack.
_NO_STORE = {"Cache-Control": "no-store"}


class ApiError(Exception):
    """An error reply: HTTP status, stable code, a sentence, extra headers, and the optional
    fields of ErrorReply."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        headers: dict[str, str] | None = None,
        *,
        attempts_left: int | None = None,
        retry_after_s: int | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}
        self.attempts_left = attempts_left
        self.retry_after_s = retry_after_s


def error_response(
    status: int,
    code: str,
    message: str,
    headers: Mapping[str, str] | None = None,
    *,
    attempts_left: int | None = None,
    retry_after_s: int | None = None,
) -> JSONResponse:
    reply = ErrorReply(
        error=code, message=message, attempts_left=attempts_left, retry_after_s=retry_after_s
    )
    # Fields that do not apply are left out rather than sent as null.
    return JSONResponse(reply.model_dump(exclude_none=True), status_code=status, headers=headers)


def _error_doc(description: str, *, retry_after: bool = False) -> dict[str, Any]:
    doc: dict[str, Any] = {"model": ErrorReply, "description": description}
    if retry_after:
        doc["headers"] = {
            "Retry-After": {
                "description": "Seconds to wait (also in retry_after_s)",
                "schema": {"type": "integer"},
            }
        }
    return doc


_ERRORS: dict[int | str, dict[str, Any]] = {
    413: _error_doc("The request body is larger than the server accepts"),
    422: _error_doc("The request does not match the protocol"),
    500: _error_doc("A bug in the server; the details are in its log"),
}
_DEVICE_ERRORS: dict[int | str, dict[str, Any]] = {
    **_ERRORS,
    401: _error_doc("No device token, or the token is unknown or revoked"),
    429: _error_doc(
        "Too many requests from this device; see Retry-After (seconds)", retry_after=True
    ),
}
_NO_STORE_DOC: dict[int | str, dict[str, Any]] = {
    200: {"headers": {"Cache-Control": {"description": "no-store, on refusals too"}}},
}
_NOT_FOUND_DOC = _error_doc("member_not_found: no member has this card, app code or number")


# --- middleware -------------------------------------------------------------------------------


class _BodyLimit:
    """Refuse request bodies over `max_body` bytes with 413, before the app reads any of it."""

    def __init__(self, app: ASGIApp, max_body: int) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > _DRAIN_LIMIT:
            await self._refuse(scope, receive, send)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away; there is no one to answer
            chunk = message.get("body", b"")
            size += len(chunk)
            if size <= self.max_body:
                chunks.append(chunk)
            elif size > _DRAIN_LIMIT:
                break
            if not message.get("more_body", False):
                break
        if size > self.max_body:
            await self._refuse(scope, receive, send)
            return
        await self.app(scope, _replay(b"".join(chunks), receive), send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = error_response(
            413,
            "payload_too_large",
            f"the request body is larger than {self.max_body} bytes; send smaller batches",
            headers={"Connection": "close"},
        )
        await response(scope, receive, send)


def _replay(body: bytes, receive: Receive) -> Receive:
    """A receive() that first hands out the buffered body, then the real messages."""
    pending = [{"type": "http.request", "body": body, "more_body": False}]

    async def replay() -> Message:
        if pending:
            return pending.pop()
        return await receive()

    return replay


class _CatchUnexpected:
    """Turn an exception that escaped the app into a 500 ErrorReply; the traceback goes to the
    log only."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception:
            log.exception("unexpected error answering %s %s", scope["method"], scope["path"])
            if started:
                raise
            response = error_response(
                500, "internal_error", "the server failed to answer; the error has been logged"
            )
            await response(scope, receive, send)


# --- the application --------------------------------------------------------------------------


async def _in_thread(work: Callable[[], _T]) -> _T:
    """Run blocking database work on one of the DB_THREADS worker threads."""
    try:
        limiter = _db_threads.get()
    except LookupError:
        limiter = anyio.CapacityLimiter(DB_THREADS)
        _db_threads.set(limiter)
    return await anyio.to_thread.run_sync(work, limiter=limiter)


def _etag_matches(header: str | None, etag: str) -> bool:
    if not header:
        return False
    tags = [tag.strip().removeprefix("W/") for tag in header.split(",")]
    return "*" in tags or etag in tags


def _member_error(exc: MemberRefusedError) -> ApiError:
    headers = dict(_NO_STORE)
    if exc.retry_after_s is not None:
        headers["Retry-After"] = str(exc.retry_after_s)
    return ApiError(
        _MEMBER_STATUS[exc.code],
        exc.code,
        str(exc),
        headers,
        attempts_left=exc.attempts_left,
        retry_after_s=exc.retry_after_s,
    )


def _routes(db: Database, limiter: RateLimiter | None, members: MemberService) -> APIRouter:
    router = APIRouter(prefix="/v1")
    cache = CatalogCache()
    bearer = HTTPBearer(auto_error=False, description="The device token that /v1/enroll handed out")

    unauthorized = {"WWW-Authenticate": "Bearer"}

    async def device_token(
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    ) -> str:
        if credentials is None:
            raise ApiError(401, "unauthorized", "a device token is required", headers=unauthorized)
        return credentials.credentials

    DeviceToken = Annotated[str, Depends(device_token)]  # noqa: N806 - a type alias

    def authorize(token: str) -> DeviceIdentity:
        device = devices.authenticate(db, token)
        if device is None:
            raise ApiError(
                401,
                "unauthorized",
                "the device token is not valid: enroll this kiosk again",
                headers=unauthorized,
            )
        if limiter is not None and (wait := limiter.acquire(device.id)):
            raise ApiError(
                429,
                "rate_limited",
                f"too many requests from this kiosk; retry in {wait} s",
                headers={"Retry-After": str(wait)},
                retry_after_s=wait,
            )
        return device

    # Endpoints are async and run their database work, authentication included, in one worker
    # thread call: each hop between the event loop and a worker costs more than the queries.

    @router.post(
        "/enroll",
        response_model=EnrollReply,
        responses={**_ERRORS, 403: _error_doc("The code is wrong, already used or expired")},
        summary="Exchange a one-time enrollment code for a device token",
    )
    async def enroll(request: EnrollRequest) -> EnrollReply:
        try:
            return await _in_thread(lambda: devices.enroll(db, request))
        except EnrollmentRefusedError as exc:
            raise ApiError(403, "enrollment_refused", str(exc)) from exc

    @router.get(
        "/catalog",
        response_model=CatalogReply,
        responses={
            **_DEVICE_ERRORS,
            200: {"headers": {"ETag": {"description": 'The new cursor, quoted: "<cursor>"'}}},
            304: {"description": "Nothing changed since the ETag given in If-None-Match"},
        },
        summary="Reference data changed since a cursor, or a full snapshot",
    )
    async def catalog(
        token: DeviceToken,
        since: Annotated[str | None, Query(description="The cursor of the last pull")] = None,
        if_none_match: Annotated[
            str | None, Header(description="The ETag of the last pull: 304 if still current")
        ] = None,
        accept_encoding: Annotated[str | None, Header(include_in_schema=False)] = None,
    ) -> Response:
        def work() -> Response:
            device = authorize(token)
            with db.reads() as session:
                head = catalog_head(session, device.venue_id)
                etag = f'"{head.cursor}"'
                if _etag_matches(if_none_match, etag):
                    return Response(status_code=304, headers={"ETag": etag})
                body = catalog_body(session, head, since, cache)
            headers = {"ETag": etag, "Cache-Control": "no-cache", "Vary": "Accept-Encoding"}
            content = body.body
            if len(content) >= GZIP_MINIMUM and "gzip" in (accept_encoding or ""):
                # Served pre-compressed (the gzip middleware leaves encoded replies alone).
                content = body.gzipped()
                headers["Content-Encoding"] = "gzip"
            return Response(content, media_type="application/json", headers=headers)

        return await _in_thread(work)

    @router.post(
        "/submissions",
        response_model=SubmissionBatchReply,
        responses=_DEVICE_ERRORS,
        summary="Push submissions; each is stored once whatever the retries",
    )
    async def push_submissions(batch: SubmissionBatch, token: DeviceToken) -> SubmissionBatchReply:
        def work() -> SubmissionBatchReply:
            return submissions.store_batch(db, authorize(token), batch)

        return await _in_thread(work)

    @router.get(
        "/status",
        response_model=StatusReply,
        responses=_DEVICE_ERRORS,
        summary="Status changes of this kiosk's submissions after a cursor",
    )
    async def status(
        token: DeviceToken,
        since: Annotated[str | None, Query(description="The cursor of the last pull")] = None,
    ) -> StatusReply:
        def work() -> StatusReply:
            return submissions.status_since(db, authorize(token), since)

        return await _in_thread(work)

    @router.post(
        "/heartbeat",
        response_model=HeartbeatReply,
        responses=_DEVICE_ERRORS,
        summary="Report the kiosk's health",
    )
    async def heartbeat(beat: Heartbeat, token: DeviceToken) -> HeartbeatReply:
        def work() -> HeartbeatReply:
            devices.record_heartbeat(db, authorize(token), beat)
            return HeartbeatReply(server_time=utcnow())

        return await _in_thread(work)

    _member_routes(router, members, device_token, authorize)
    return router


def _member_routes(
    router: APIRouter,
    members: MemberService,
    device_token: Callable[..., Awaitable[str]],
    authorize: Callable[[str], DeviceIdentity],
) -> None:
    """Member lookups: asked live, answered masked, and kept by no one on the way."""
    DeviceToken = Annotated[str, Depends(device_token)]  # noqa: N806 - a type alias

    async def answer(work: Callable[[], _T], response: Response) -> _T:
        try:
            reply = await _in_thread(work)
        except MemberRefusedError as exc:
            raise _member_error(exc) from exc
        response.headers.update(_NO_STORE)
        return reply

    @router.post(
        "/members/scan",
        response_model=MemberCard,
        responses={
            **_DEVICE_ERRORS,
            **_NO_STORE_DOC,
            404: _NOT_FOUND_DOC,
            429: _error_doc(
                "too_many_lookups: this kiosk's scans found no member too many times within the "
                "hour, and every scan is refused until the oldest of those is an hour old; or "
                "rate_limited: too many requests from this kiosk",
                retry_after=True,
            ),
        },
        summary="The member card behind a scanned card number or app QR code",
    )
    async def member_scan(
        request: MemberScanRequest, token: DeviceToken, response: Response
    ) -> MemberCard:
        return await answer(lambda: members.scan(authorize(token), request.code), response)

    @router.post(
        "/members/sms",
        response_model=MemberCodeReply,
        responses={
            **_DEVICE_ERRORS,
            **_NO_STORE_DOC,
            423: _error_doc(
                "member_locked: too many wrong codes for this number", retry_after=True
            ),
            429: _error_doc(
                "too_many_codes: this number or kiosk had too many codes lately, or "
                "rate_limited: too many requests from this kiosk",
                retry_after=True,
            ),
            503: _error_doc(
                "sms_unavailable: the text message could not be sent, or sign-in by SMS is not "
                "set up on this server (no SMS gateway)"
            ),
        },
        summary="Text a one-time code to a mobile number (member or not)",
    )
    async def member_sms(
        request: MemberCodeRequest, token: DeviceToken, response: Response
    ) -> MemberCodeReply:
        return await answer(lambda: members.send_code(authorize(token), request.phone), response)

    @router.post(
        "/members/verify",
        response_model=MemberCard,
        responses={
            **_DEVICE_ERRORS,
            **_NO_STORE_DOC,
            400: _error_doc("code_wrong: not the code sent; attempts_left says how many remain"),
            404: _NOT_FOUND_DOC,
            410: _error_doc("code_expired: no code pending for this number (used, expired)"),
            423: _error_doc(
                "member_locked: too many wrong codes for this number", retry_after=True
            ),
        },
        summary="The member card of a mobile number, given the code texted to it",
    )
    async def member_verify(
        request: MemberVerifyRequest, token: DeviceToken, response: Response
    ) -> MemberCard:
        return await answer(
            lambda: members.verify(authorize(token), request.phone, request.code), response
        )


def _validation_message(exc: RequestValidationError) -> str:
    """The first few problems as "where: what", without the values sent (they may be long or
    personal)."""
    errors = exc.errors()
    parts = []
    for error in errors[:3]:
        if error.get("type") == "json_invalid":
            parts.append("the request body is not valid JSON")
            continue
        loc = [str(p) for p in error.get("loc", ())]
        where = ".".join(loc[1:]) if loc[:1] in (["body"], ["query"], ["header"]) else ""
        parts.append(f"{where or '.'.join(loc) or 'request'}: {error.get('msg', 'invalid')}")
    if len(errors) > 3:
        parts.append(f"and {len(errors) - 3} more problems")
    return "; ".join(parts)


def create_app(
    db_url: str,
    *,
    rate: float | None = DEFAULT_RATE,
    burst: int | None = None,
    max_body: int = DEFAULT_MAX_BODY,
    sms_gateway: SmsGateway | None = None,
    member_policy: MemberPolicy | None = None,
    clock: Callable[[], dt.datetime] = utcnow,
) -> FastAPI:
    """The central service on the database at `db_url` (migrated to the newest schema first).

    `rate` is the requests per second each device regains (None: no limit), `burst` how many it
    may make at once (default DEFAULT_BURST, at least `rate`), `max_body` the largest request
    body in bytes. Member sign-in texts its codes through `sms_gateway` (default: none, and
    sign-in by SMS is refused as not set up) under `member_policy`; `clock` is the member
    service's time (tests move it).
    """
    db = open_database(db_url)
    members = MemberService(db, sms_gateway, member_policy, clock)
    limiter = None
    if rate is not None:
        limiter = RateLimiter(rate, max(burst or DEFAULT_BURST, rate, 1))

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        # A restarted server reconnects lazily; this just closes idle connections.
        db.dispose()

    app = FastAPI(
        title="MallKiosk central service",
        version=str(PROTOCOL_VERSION),
        description="What kiosks sync with: enrollment, reference data, submissions, status, "
        "and member cards asked for live.",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.db = db
    app.include_router(_routes(db, limiter, members))
    app.include_router(route_pages(db))
    app.include_router(tracking_pages(db))

    async def on_api_error(_request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ApiError)
        return error_response(
            exc.status,
            exc.code,
            exc.message,
            exc.headers,
            attempts_left=exc.attempts_left,
            retry_after_s=exc.retry_after_s,
        )

    async def on_http_error(_request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        code = _STATUS_CODES.get(exc.status_code, "error")
        return error_response(exc.status_code, code, str(exc.detail), exc.headers)

    async def on_validation_error(_request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        return error_response(422, "invalid_request", _validation_message(exc))

    app.add_exception_handler(ApiError, on_api_error)
    app.add_exception_handler(StarletteHTTPException, on_http_error)
    app.add_exception_handler(RequestValidationError, on_validation_error)
    # Added innermost first: the catch-all wraps everything, the body limit runs before routing.
    app.add_middleware(_BodyLimit, max_body=max_body)
    app.add_middleware(GZipMiddleware, minimum_size=GZIP_MINIMUM, compresslevel=6)
    app.add_middleware(_CatchUnexpected)
    return app
