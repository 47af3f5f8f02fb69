"""The kiosk's HTTP client for the central service's /v1 protocol (see sync/schemas.py).

Every call has a connect/read timeout and a total deadline, and every reply is validated with
its pydantic model before it is returned: a malformed reply raises `BadReply` and never reaches
the cache. Failures are a small hierarchy under `SyncError`, so callers can tell "the network is
down, try later" (`Offline`, `ServerError`, `RateLimited`) from "this device must be enrolled
again" (`Unauthorized`) and "the server refused this request" (`Rejected`).

All calls are retried with exponential backoff and full jitter, honouring `Retry-After`, within
a bounded number of attempts and total time: each one is safe to repeat (reads, the heartbeat,
submissions keyed by their UUID). Enrollment is the exception: the service uses the one-time
code up on the first try, so enroll() is repeated only when the request cannot have reached the
service (no connection made, 429, 503).
"""

# The error names say what happened, as callers read them (`except Offline:`).
# ruff: noqa: N818

from __future__ import annotations

import datetime as dt
import email.utils
import logging
import math
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from types import TracebackType
from typing import Self, TypeVar

import requests
from pydantic import BaseModel, ValidationError
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception,
    retry_if_exception_type,
    stop_after_attempt,
    stop_before_delay,
    wait_random_exponential,
)
from urllib3.exceptions import (
    DecodeError,
    HTTPError,
    MaxRetryError,
    NameResolutionError,
    NewConnectionError,
    ReadTimeoutError,
)

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
    SubmissionIn,
)

log = logging.getLogger(__name__)

_ReplyT = TypeVar("_ReplyT", bound=BaseModel)
_T = TypeVar("_T")

USER_AGENT = f"MallKiosk-sync/{PROTOCOL_VERSION}"
# The largest reply accepted: a full catalog of a big mall is a few MB of GeoJSON.
MAX_REPLY_BYTES = 64 * 1024 * 1024
_CHUNK = 64 * 1024


# --- errors ---------------------------------------------------------------------------------------


class SyncError(Exception):
    """Talking to the central service failed; str(err) says how, in words."""


class Offline(SyncError):
    """The service could not be reached: connection refused or reset, timeout, DNS failure.

    `request_sent` is False when the request certainly never reached the service (no
    connection could be made), True when it may have been processed without a reply.
    """

    def __init__(self, message: str, *, request_sent: bool = True) -> None:
        super().__init__(message)
        self.request_sent = request_sent


class Unauthorized(SyncError):
    """The device token (or enrollment code) was refused (401/403): enroll the kiosk again."""


class RateLimited(SyncError):
    """The service asked the kiosk to slow down (429); `retry_after` is in seconds if given,
    `code` is the service's error code ("rate_limited", "too_many_codes")."""

    def __init__(
        self, message: str, retry_after: float | None = None, code: str | None = None
    ) -> None:
        super().__init__(message)
        self.retry_after = retry_after
        self.code = code


class ServerError(SyncError):
    """The service failed (5xx); `retry_after` is in seconds when it said when to come back,
    `code` is its error code when it gave one ("sms_unavailable")."""

    def __init__(
        self,
        message: str,
        status: int,
        retry_after: float | None = None,
        code: str | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after
        self.code = code


class BadReply(SyncError):
    """The reply was not what the protocol promises (bad JSON, wrong schema, too large)."""


class Rejected(SyncError):
    """The service refused the request (4xx other than 401/403/429); `code` is its error code,
    `attempts_left` and `retry_after` (seconds) come with member sign-in refusals."""

    def __init__(
        self,
        message: str,
        status: int,
        code: str | None = None,
        *,
        attempts_left: int | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.attempts_left = attempts_left
        self.retry_after = retry_after


# --- results and policy ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NotModified:
    """The catalog did not change since the ETag the kiosk sent (HTTP 304)."""

    etag: str | None = None


@dataclass(frozen=True, slots=True)
class CatalogUpdate:
    """A catalog reply plus the ETag to send with the next pull (If-None-Match)."""

    reply: CatalogReply
    etag: str | None


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Bounded retries: at most `attempts` tries and `total_s` seconds including waits.

    The wait before try n is uniform in [0, min(cap_s, base_s * 2**n)] ("full jitter"), or
    the server's Retry-After when that is longer; a Retry-After beyond the time left ends the
    retries at once so the caller can schedule the next try itself.
    """

    attempts: int = 4
    base_s: float = 0.5
    cap_s: float = 8.0
    total_s: float = 30.0
    sleep: Callable[[float], None] = time.sleep


NO_RETRY = RetryPolicy(attempts=1)
# A shopper is waiting: one more try at most, and only within a few seconds.
INTERACTIVE_RETRY = RetryPolicy(attempts=2, base_s=0.25, cap_s=1.0, total_s=4.0)
_RETRYABLE = (Offline, ServerError, RateLimited)


class SyncClient:
    """One kiosk's connection to the central service at `base_url` (thread-compatible: use it
    from one thread at a time). `token` is the device token; only enroll() works without it."""

    def __init__(
        self,
        base_url: str,
        token: str | None = None,
        *,
        timeout: tuple[float, float] = (3.05, 10.0),
        retries: RetryPolicy = RetryPolicy(),
        session: requests.Session | None = None,
        deadline_s: float | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.timeout = timeout
        # A slow trickle of bytes never trips the read timeout; the deadline bounds the call.
        self.deadline_s = deadline_s if deadline_s is not None else 3 * sum(timeout)
        self.retries = retries
        self._owns_session = session is None
        self._http = session or requests.Session()

    # --- protocol -----------------------------------------------------------------------------

    def enroll(self, code: str, kiosk_code: str, app_version: str) -> EnrollReply:
        body = EnrollRequest(code=code, kiosk_code=kiosk_code, app_version=app_version)
        return self._call(
            "POST", "/v1/enroll", EnrollReply, json=body, auth=False, retry_if=_never_processed
        )

    def catalog(self, since: str | None, etag: str | None) -> CatalogUpdate | NotModified:
        params = {"since": since} if since else None
        headers = {"If-None-Match": etag} if etag else None

        def once() -> CatalogUpdate | NotModified:
            response = self._send("GET", "/v1/catalog", params=params, headers=headers)
            if response.status == 304:
                return NotModified(response.headers.get("ETag") or etag)
            reply = self._parse(response, CatalogReply)
            return CatalogUpdate(reply, response.headers.get("ETag"))

        return self._retrying("GET /v1/catalog", once)

    def push(self, items: Iterable[SubmissionIn]) -> SubmissionBatchReply:
        batch = SubmissionBatch(items=list(items))
        return self._call("POST", "/v1/submissions", SubmissionBatchReply, json=batch)

    def status(self, since: str | None) -> StatusReply:
        params = {"since": since} if since else None
        return self._call("GET", "/v1/status", StatusReply, params=params)

    def heartbeat(self, hb: Heartbeat) -> HeartbeatReply:
        return self._call("POST", "/v1/heartbeat", HeartbeatReply, json=hb)

    # Member calls are asked live for a shopper who is waiting. They are repeated only when the
    # request cannot have reached the service: a verify that did reach it used its code up.

    def member_scan(self, code: str) -> MemberCard:
        """The member card behind a scanned card number or app QR code."""
        body = MemberScanRequest(code=code)
        return self._call(
            "POST", "/v1/members/scan", MemberCard, json=body, retry_if=_never_processed
        )

    def member_request_code(self, phone: str) -> MemberCodeReply:
        """Ask the service to text a one-time code to `phone`."""
        body = MemberCodeRequest(phone=phone)
        return self._call(
            "POST", "/v1/members/sms", MemberCodeReply, json=body, retry_if=_never_processed
        )

    def member_verify(self, phone: str, code: str) -> MemberCard:
        """The member card of `phone`, once `code` proves the shopper holds that phone."""
        body = MemberVerifyRequest(phone=phone, code=code)
        return self._call(
            "POST", "/v1/members/verify", MemberCard, json=body, retry_if=_never_processed
        )

    # --- lifecycle ----------------------------------------------------------------------------

    def close(self) -> None:
        if self._owns_session:
            self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # --- plumbing -----------------------------------------------------------------------------

    def _call(
        self,
        method: str,
        path: str,
        model: type[_ReplyT],
        *,
        json: BaseModel | None = None,
        params: Mapping[str, str] | None = None,
        auth: bool = True,
        retry_if: Callable[[BaseException], bool] | None = None,
    ) -> _ReplyT:
        # Serialise once: a retry sends exactly the same bytes.
        body = json.model_dump_json().encode() if json is not None else None

        def once() -> _ReplyT:
            response = self._send(method, path, body=body, params=params, auth=auth)
            return self._parse(response, model)

        return self._retrying(f"{method} {path}", once, retry_if)

    def _retrying(
        self,
        what: str,
        once: Callable[[], _T],
        retry_if: Callable[[BaseException], bool] | None = None,
    ) -> _T:
        policy = self.retries
        retrying = Retrying(
            retry=retry_if_exception(retry_if) if retry_if else retry_if_exception_type(_RETRYABLE),
            stop=stop_after_attempt(policy.attempts) | stop_before_delay(policy.total_s),
            wait=_wait(policy),
            sleep=policy.sleep,
            reraise=True,
            before_sleep=lambda state: _log_retry(what, state),
        )
        return retrying(once)

    def _send(
        self,
        method: str,
        path: str,
        *,
        body: bytes | None = None,
        params: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        auth: bool = True,
    ) -> _Response:
        sent = {"Accept": "application/json", "User-Agent": USER_AGENT, **(headers or {})}
        if body is not None:
            sent["Content-Type"] = "application/json"
        if auth:
            if not self.token:
                raise Unauthorized("this kiosk is not enrolled with the central service")
            sent["Authorization"] = f"Bearer {self.token}"
        url = self.base_url + path
        started = time.monotonic()
        try:
            with self._http.request(
                method,
                url,
                data=body,
                params=params,
                headers=sent,
                timeout=self.timeout,
                allow_redirects=False,
                stream=True,
            ) as response:
                content = self._read(response, started)
                return _Response(response.status_code, response.headers, content)
        except requests.ConnectTimeout as exc:
            raise Offline(
                f"cannot reach the central service at {self.base_url}: connection timed out",
                request_sent=False,
            ) from exc
        except requests.Timeout as exc:
            raise Offline(f"the central service did not answer in time ({url})") from exc
        except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError) as exc:
            raise Offline(
                f"cannot reach the central service at {self.base_url}: {_reason(exc)}",
                request_sent=not _no_connection(exc),
            ) from exc
        except requests.exceptions.ContentDecodingError as exc:
            raise BadReply(f"undecodable reply from {url}: {exc}") from exc
        except requests.RequestException as exc:
            # Invalid URL, too many redirects…: the configuration is wrong, not the network.
            raise SyncError(f"cannot call {url}: {exc}") from exc

    def _read(self, response: requests.Response, started: float) -> bytes:
        """The (decoded) body, within the deadline and the size limit.

        read1 returns what one receive brings, so a server trickling bytes is caught at the
        deadline instead of after a whole chunk.
        """
        chunks: list[bytes] = []
        size = 0
        raw = response.raw
        try:
            while chunk := raw.read1(_CHUNK, decode_content=True):
                size += len(chunk)
                if size > MAX_REPLY_BYTES:
                    raise BadReply(
                        f"reply from {response.url} is larger than {MAX_REPLY_BYTES} bytes"
                    )
                if time.monotonic() - started > self.deadline_s:
                    raise Offline(
                        f"the reply from {response.url} took longer than {self.deadline_s} s"
                    )
                chunks.append(chunk)
        except DecodeError as exc:
            raise BadReply(f"undecodable reply from {response.url}: {exc}") from exc
        except ReadTimeoutError as exc:
            raise Offline(f"the central service did not answer in time ({response.url})") from exc
        except HTTPError as exc:  # connection reset or closed in the middle of the reply
            raise Offline(f"the reply from {response.url} was cut off: {exc}") from exc
        return b"".join(chunks)

    def _parse(self, response: _Response, model: type[_ReplyT]) -> _ReplyT:
        status = response.status
        if 200 <= status < 300:
            try:
                return model.model_validate_json(response.content)
            except ValidationError as exc:
                raise BadReply(
                    f"malformed {model.__name__} from the central service: "
                    f"{exc.error_count()} problem(s), first: {_first_error(exc)}"
                ) from exc
        err = _error_of(response)
        code, message = err.error, err.message
        retry_after = _retry_after(response.headers.get("Retry-After"))
        if retry_after is None and err.retry_after_s is not None:
            retry_after = float(max(0, err.retry_after_s))
        text = f"HTTP {status} {code or ''}: {message}".replace("  ", " ")
        if status in (401, 403):
            raise Unauthorized(f"the central service refused this kiosk's credentials ({text})")
        if status == 429:
            raise RateLimited(f"the central service asks to slow down ({text})", retry_after, code)
        if status >= 500:
            raise ServerError(f"the central service failed ({text})", status, retry_after, code)
        if status >= 400:
            raise Rejected(
                f"the central service refused the request ({text})",
                status,
                code,
                attempts_left=err.attempts_left,
                retry_after=retry_after,
            )
        raise BadReply(f"unexpected HTTP {status} from the central service")


@dataclass(frozen=True, slots=True)
class _Response:
    status: int
    headers: Mapping[str, str]
    content: bytes


def _never_processed(exc: BaseException) -> bool:
    """Failures after which the service certainly did not act on the request."""
    if isinstance(exc, Offline):
        return not exc.request_sent
    if isinstance(exc, ServerError):
        return exc.status == 503
    return isinstance(exc, RateLimited)


def _no_connection(exc: requests.RequestException) -> bool:
    reason = exc.args[0] if exc.args else None
    if isinstance(reason, MaxRetryError):
        reason = reason.reason
    return isinstance(reason, NewConnectionError)  # refused, unreachable, DNS failure


def _reason(exc: requests.RequestException) -> str:
    reason = exc.args[0] if exc.args else exc
    if isinstance(reason, MaxRetryError) and reason.reason is not None:
        reason = reason.reason
    if isinstance(reason, NewConnectionError):
        return "connection refused or host unreachable"
    if isinstance(reason, NameResolutionError):
        return "host name not found"
    return str(reason)


def _wait(policy: RetryPolicy) -> Callable[[RetryCallState], float]:
    jitter = wait_random_exponential(multiplier=policy.base_s, max=policy.cap_s)

    def wait(state: RetryCallState) -> float:
        delay = jitter(state)
        exc = state.outcome.exception() if state.outcome else None
        asked = getattr(exc, "retry_after", None)
        if asked is not None:
            delay = max(delay, asked)
        return float(delay)

    return wait


def _log_retry(what: str, state: RetryCallState) -> None:
    exc = state.outcome.exception() if state.outcome else None
    log.info(
        "%s failed (try %d): %s; again in %.2f s",
        what,
        state.attempt_number,
        exc,
        state.upcoming_sleep,
    )


def _first_error(exc: ValidationError) -> str:
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err["loc"]) or "(root)"
    return f"{where}: {err['msg']}"


@dataclass(frozen=True, slots=True)
class _Error:
    error: str | None
    message: str
    attempts_left: int | None = None
    retry_after_s: int | None = None


def _error_of(response: _Response) -> _Error:
    """The service's error reply, or a short excerpt of whatever it sent."""
    try:
        err = ErrorReply.model_validate_json(response.content)
    except ValidationError:
        excerpt = response.content[:200].decode("utf-8", "replace").strip()
        return _Error(None, excerpt or "(no details)")
    return _Error(err.error, err.message, err.attempts_left, err.retry_after_s)


def _retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header: delta-seconds or an HTTP date (RFC 9110 10.2.3)."""
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=dt.UTC)
        seconds = (when - dt.datetime.now(dt.UTC)).total_seconds()
    if not math.isfinite(seconds):
        return None
    return max(0.0, seconds)
