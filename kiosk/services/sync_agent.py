"""The background sync agent: sends the outbox, pulls reference data and ticket statuses,
and reports the kiosk's health to the central service.

One run (`run_once`) pushes the outbox oldest first in batches, deleting a row only once the
server acknowledged it (accepted or duplicate); pulls the catalog (If-None-Match) and applies it
in one transaction or not at all; pulls status changes; and sends a heartbeat. `start()` runs
that every `interval_s` on a daemon thread, backing off exponentially with full jitter while the
service is unreachable and honouring its Retry-After. Every run ends in a `SyncSnapshot` handed
to the listener (on the worker thread: a view model re-emits it as a Qt signal).

The device token lives in `<data_dir>/device.json` (mode 0600, replaced atomically), not in the
cache: a corrupt cache is rebuilt from the service, which needs the token to survive.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import random
import shutil
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import ValidationError
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from kiosk.domain.imdf import ImdfError
from kiosk.services.credentials import (
    CREDENTIALS_FILE,
    DeviceCredentials,
    load_credentials,
    save_credentials,
)
from kiosk.store import outbox_repo, sync_repo, venue_repo
from kiosk.store.outbox_repo import OutboxEntry
from sync.client import (
    BadReply,
    NotModified,
    Offline,
    RateLimited,
    Rejected,
    ServerError,
    SyncClient,
    SyncError,
    Unauthorized,
)
from sync.schemas import Heartbeat, SubmissionIn, SubmissionResult

log = logging.getLogger(__name__)

SYNC_SOURCE_PREFIX = "sync:"
BATCH_SIZE = 100
STATUS_PAGES_PER_RUN = 20
# A whole batch refused for its content (bad request, too large, invalid): split it to find the
# item the server will not take, and set only that one aside. Any other 4xx (404 from a wrong
# URL…) leaves the outbox alone.
_SPLIT_ON = frozenset({400, 413, 422})

# Failures that another try soon would most likely meet again.
_BACK_OFF_ON = (Offline, ServerError, RateLimited, Unauthorized)

PrinterState = Literal["ok", "paper_out", "cover_open", "offline", "unknown", "none"]
ClientFactory = Callable[[str, str | None], SyncClient]


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True, slots=True)
class SyncSnapshot:
    """How syncing stands after a run.

    online: the central service answered the last run.
    last_sync_at: when the last run got through (outbox sent, catalog and statuses pulled).
    queue_depth: submissions still waiting to be sent; rejected_count: set aside for staff.
    last_error: what went wrong in the last run, in words (None when it all went through).
    enrolled: the kiosk holds a device token for this service; auth_failed: the service
    refused it (staff must enroll the kiosk again).
    venue_version / catalog_cursor: change when a pull changed the venue / any reference data.
    """

    online: bool
    last_sync_at: dt.datetime | None
    queue_depth: int
    rejected_count: int
    last_error: str | None
    enrolled: bool = True
    auth_failed: bool = False
    venue_version: str | None = None
    catalog_cursor: str | None = None


@dataclass(frozen=True, slots=True)
class Enrollment:
    kiosk_code: str
    venue_id: str
    enrolled_at: dt.datetime


class _StopRequestedError(Exception):
    """stop() was called while the client waited to retry: end the run."""


class _Run:
    """What one run found: the error that stopped it (if any) and lesser problems."""

    def __init__(self) -> None:
        self.stopped_by: SyncError | None = None
        self.problems: list[str] = []
        self.reached_server = False


class SyncAgent:
    """Keeps the kiosk's cache and outbox in step with the central service at `base_url`.

    Methods are thread-safe; one run happens at a time. `listener` is called with every new
    `SyncSnapshot` from the thread that ran the sync (the worker thread after start()).
    """

    def __init__(
        self,
        sessions: sessionmaker[Session],
        data_dir: Path,
        base_url: str,
        kiosk_code: str,
        app_version: str,
        *,
        interval_s: float = 30.0,
        client_factory: ClientFactory = SyncClient,
        clock: Callable[[], dt.datetime] = utcnow,
        listener: Callable[[SyncSnapshot], None] | None = None,
        printer_state: Callable[[], PrinterState] = lambda: "none",
        batch_size: int = BATCH_SIZE,
        backoff_base_s: float = 1.0,
        backoff_cap_s: float = 300.0,
        rng: random.Random | None = None,
    ) -> None:
        self._sessions = sessions
        self._data_dir = data_dir
        self._base_url = base_url.rstrip("/")
        self._kiosk_code = kiosk_code
        self._app_version = app_version
        self._interval_s = interval_s
        self._client_factory = client_factory
        self._clock = clock
        self._listener = listener
        self._printer_state = printer_state
        self._batch_size = batch_size
        self._backoff_base_s = backoff_base_s
        self._backoff_cap_s = backoff_cap_s
        self._rng = rng or random.Random()
        self._creds_path = data_dir / CREDENTIALS_FILE
        self._creds = self._usable(load_credentials(self._creds_path))
        self._client: SyncClient | None = None
        self._run_lock = threading.Lock()
        self._thread_lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self._wake = threading.Event()
        self._snapshot: SyncSnapshot | None = None
        self._failures = 0
        self._last_stop: SyncError | None = None

    # --- public API -----------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        return self._base_url

    @property
    def source(self) -> str:
        """How a venue synced from this service is labelled in the cache."""
        return SYNC_SOURCE_PREFIX + self._base_url

    @property
    def is_enrolled(self) -> bool:
        return self._creds is not None

    @property
    def snapshot(self) -> SyncSnapshot:
        """The latest snapshot (read from the cache before the first run)."""
        return self._snapshot or self._make_snapshot(_Run(), online=False)

    def enroll(self, code: str) -> Enrollment:
        """Enroll this kiosk with a one-time code from staff; the next pulls fetch everything.

        Raises a SyncError (Unauthorized or Rejected for a bad or used code, Offline…).
        """
        with self._run_lock:
            client = self._client_factory(self._base_url, None)
            try:
                reply = client.enroll(code, self._kiosk_code, self._app_version)
            finally:
                client.close()
            creds = DeviceCredentials(
                base_url=self._base_url,
                kiosk_code=reply.kiosk_code,
                venue_id=reply.venue_id,
                device_token=reply.device_token,
                enrolled_at=self._clock(),
            )
            save_credentials(self._creds_path, creds)
            with self._sessions.begin() as session:
                sync_repo.clear_cursors(session)
            self._creds = creds
            self._drop_client()
            self._failures = 0
        log.info("enrolled as kiosk %s of venue %s", creds.kiosk_code, creds.venue_id)
        self.trigger()
        return Enrollment(creds.kiosk_code, creds.venue_id, creds.enrolled_at)

    def run_once(self) -> SyncSnapshot:
        """One full sync; never raises for network or server trouble (see the snapshot)."""
        with self._run_lock:
            run = _Run()
            online = False
            if self._creds is not None:
                self._sync(self._creds, run)
                online = run.reached_server and not isinstance(
                    run.stopped_by, Offline | ServerError
                )
                self._note_outcome(run)
            snapshot = self._make_snapshot(run, online=online)
            self._snapshot = snapshot
        if self._listener is not None:
            self._listener(snapshot)
        return snapshot

    def start(self) -> None:
        """Sync now and then every interval_s on a daemon thread, until stop()."""
        with self._thread_lock:
            if self._thread is not None and self._thread.is_alive():
                return
            self._stopping.clear()
            self._wake.clear()
            self._thread = threading.Thread(target=self._loop, name="sync-agent", daemon=True)
            self._thread.start()

    def trigger(self) -> None:
        """Ask the worker for a run now (after a new submission, or from maintenance)."""
        self._wake.set()

    def stop(self, timeout: float = 30.0) -> bool:
        """Stop the worker after its current step; True once the thread has ended."""
        with self._thread_lock:
            thread = self._thread
            if thread is None:
                return True
            self._stopping.set()
            self._wake.set()
            thread.join(timeout)
            if thread.is_alive():
                log.warning("the sync worker did not stop within %.1f s", timeout)
                return False
            self._thread = None
            self._stopping.clear()  # run_once() may still be called directly
        with self._run_lock:
            self._drop_client()
        return True

    # --- the worker ---------------------------------------------------------------------------

    def _loop(self) -> None:
        while not self._stopping.is_set():
            self._wake.clear()
            try:
                self.run_once()
                delay = self._next_delay()
            except Exception:
                # A bug, logged with its traceback; the kiosk keeps syncing rather than let
                # submissions pile up behind a dead thread.
                log.exception("sync run failed")
                self._failures += 1
                delay = self._backoff(None)
            self._wake.wait(delay)

    def _next_delay(self) -> float:
        stop = self._last_stop
        if isinstance(stop, _BACK_OFF_ON):
            return self._backoff(getattr(stop, "retry_after", None))
        # ±10 % so a fleet that started together does not keep syncing in lockstep.
        return self._interval_s * self._rng.uniform(0.9, 1.1)

    def _backoff(self, retry_after: float | None) -> float:
        ceiling = min(self._backoff_cap_s, self._backoff_base_s * 2 ** min(self._failures, 30))
        delay = self._rng.uniform(0, ceiling)  # full jitter
        if retry_after is not None:
            delay = max(delay, retry_after)
        return max(delay, 0.05)

    def _note_outcome(self, run: _Run) -> None:
        self._last_stop = run.stopped_by
        if isinstance(run.stopped_by, _BACK_OFF_ON):
            self._failures += 1
        else:
            self._failures = 0

    # --- one run ------------------------------------------------------------------------------

    def _sync(self, creds: DeviceCredentials, run: _Run) -> None:
        client = self._client_for(creds)
        try:
            self._push(client, run)
            if self._stopping.is_set():
                return
            self._pull_catalog(client, run)
            self._pull_status(client, run)
            synced_at = self._clock()
            with self._sessions.begin() as session:
                sync_repo.set_last_sync_at(session, synced_at)
            self._heartbeat(client, synced_at)
        except _StopRequestedError:
            log.info("sync run ended early: the agent is stopping")
            run.problems.append("stopped before the sync finished")
        except SyncError as exc:
            log.warning("sync with %s stopped: %s", self._base_url, exc)
            run.stopped_by = exc
            if not isinstance(exc, Offline):
                run.reached_server = True
        except OperationalError as exc:
            # The local database is locked or the disk is full: an environment error.
            log.error("sync could not use the local database: %s", exc)
            run.problems.insert(0, f"the local database could not be used: {exc.orig}")
        else:
            run.reached_server = True
        error = self._error_text(run)
        try:
            with self._sessions.begin() as session:
                sync_repo.set_state(session, sync_repo.LAST_ERROR, error)
        except OperationalError as exc:
            log.error("could not record the sync outcome: %s", exc)

    def _push(self, client: SyncClient, run: _Run) -> None:
        while not self._stopping.is_set():
            with self._sessions() as session:
                entries = outbox_repo.pending(session, self._batch_size)
            if not entries:
                return
            items, invalid = wire_items(entries)
            results: list[SubmissionResult] = []
            if items:
                try:
                    results = self._send(client, items)
                except SyncError as exc:
                    with self._sessions.begin() as session:
                        outbox_repo.note_failure(session, [str(i.uuid) for i in items], str(exc))
                    raise
            if not self._settle(entries, results, invalid, run):
                return  # some rows got no answer: try them again next run

    def _send(self, client: SyncClient, items: Sequence[SubmissionIn]) -> list[SubmissionResult]:
        try:
            return list(client.push(items).results)
        except Rejected as exc:
            if exc.status not in _SPLIT_ON:
                raise
            if len(items) == 1:
                log.warning("submission %s refused: %s", items[0].uuid, exc)
                return [SubmissionResult(uuid=items[0].uuid, status="rejected", reason=str(exc))]
            half = len(items) // 2
            return self._send(client, items[:half]) + self._send(client, items[half:])

    def _settle(
        self,
        entries: Sequence[OutboxEntry],
        results: Sequence[SubmissionResult],
        invalid: dict[str, str],
        run: _Run,
    ) -> bool:
        """Apply the server's answers; True when every row sent got one."""
        answers = {str(r.uuid): r for r in results}
        acked = [
            e.uuid
            for e in entries
            if (r := answers.get(e.uuid)) is not None and r.status in ("accepted", "duplicate")
        ]
        refused = {
            e.uuid: (r.reason or "refused by the central service")
            for e in entries
            if (r := answers.get(e.uuid)) is not None and r.status == "rejected"
        }
        refused.update(invalid)
        unanswered = [e.uuid for e in entries if e.uuid not in answers and e.uuid not in invalid]
        # The acknowledgement is its own transaction: nothing else can roll it back.
        if acked:
            with self._sessions.begin() as session:
                outbox_repo.ack(session, acked)
        if refused or unanswered:
            with self._sessions.begin() as session:
                for uuid, reason in refused.items():
                    outbox_repo.reject(session, uuid, reason)
                outbox_repo.note_failure(session, unanswered, "no answer for this submission")
        for uuid, reason in refused.items():
            log.warning("submission %s set aside: %s", uuid, reason)
        if unanswered:
            run.problems.append(f"{len(unanswered)} submission(s) got no answer from the server")
        return not unanswered

    def _pull_catalog(self, client: SyncClient, run: _Run) -> None:
        with self._sessions() as session:
            cursor = sync_repo.get_state(session, sync_repo.CATALOG_CURSOR)
            etag = sync_repo.get_state(session, sync_repo.CATALOG_ETAG)
            source = sync_repo.venue_source(session)
        if source != self.source:
            # The cached venue is not (or no longer) the one this service sent — a fresh or
            # rebuilt cache, or another source loaded over it: the cursor no longer describes
            # the cache, so ask for everything.
            cursor = etag = None
        try:
            got = client.catalog(cursor, etag)
        except BadReply as exc:
            log.error("catalog reply refused, the cached reference data is kept: %s", exc)
            run.problems.append(str(exc))
            return
        if isinstance(got, NotModified):
            return
        reply = got.reply
        try:
            # Parsed before the transaction: the write lock is held only while writing.
            parsed = sync_repo.parse_venue(reply.venue) if reply.venue is not None else None
            with self._sessions.begin() as session:
                applied = sync_repo.apply_catalog(session, reply, self.source, got.etag, parsed)
        except (ImdfError, sync_repo.CatalogError, IntegrityError) as exc:
            log.error("the catalog from the central service is unusable, kept ours: %s", exc)
            run.problems.append(f"the catalog from the central service is unusable: {exc}")
            return
        log.info(
            "catalog %s applied (full=%s venue=%s promotions=%s docs=%s)",
            applied.cursor,
            applied.full,
            applied.venue_version,
            applied.promotions,
            ",".join(applied.docs) or "-",
        )

    def _pull_status(self, client: SyncClient, run: _Run) -> None:
        # The service answers a page at a time without saying whether more follow: read until
        # a page comes back empty (one extra request, only when there were changes).
        for _ in range(STATUS_PAGES_PER_RUN):
            with self._sessions() as session:
                since = sync_repo.get_state(session, sync_repo.STATUS_CURSOR)
            try:
                reply = client.status(since)
            except BadReply as exc:
                log.error("status reply refused: %s", exc)
                run.problems.append(str(exc))
                return
            with self._sessions.begin() as session:
                sync_repo.upsert_status(session, reply.changes)
                sync_repo.set_state(session, sync_repo.STATUS_CURSOR, reply.cursor)
            if not reply.changes or reply.cursor == since:
                return

    def _heartbeat(self, client: SyncClient, synced_at: dt.datetime) -> None:
        with self._sessions() as session:
            depth = outbox_repo.depth(session)
        try:
            free = shutil.disk_usage(self._data_dir).free
        except OSError:
            free = 0
        client.heartbeat(
            Heartbeat(
                app_version=self._app_version,
                queue_depth=depth,
                last_sync_at=synced_at,
                printer_state=self._printer_state(),
                free_disk_bytes=free,
            )
        )

    # --- helpers ------------------------------------------------------------------------------

    def _usable(self, creds: DeviceCredentials | None) -> DeviceCredentials | None:
        # Never send a device token to a service other than the one that issued it.
        if creds is not None and creds.base_url.rstrip("/") != self._base_url:
            log.warning(
                "device.json was issued by %s, not %s: the kiosk must be enrolled again",
                creds.base_url,
                self._base_url,
            )
            return None
        return creds

    def _client_for(self, creds: DeviceCredentials) -> SyncClient:
        if self._client is None or self._client.token != creds.device_token:
            self._drop_client()
            client = self._client_factory(self._base_url, creds.device_token)
            # stop() should not wait out the client's retry waits.
            client.retries = dataclasses.replace(client.retries, sleep=self._retry_sleep)
            self._client = client
        return self._client

    def _retry_sleep(self, seconds: float) -> None:
        if self._stopping.wait(seconds):
            raise _StopRequestedError

    def _drop_client(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def _error_text(self, run: _Run) -> str | None:
        exc = run.stopped_by
        if isinstance(exc, Unauthorized):
            return f"this kiosk must be enrolled again: {exc}"
        if exc is not None:
            return str(exc)
        return run.problems[0] if run.problems else None

    def _make_snapshot(self, run: _Run, *, online: bool) -> SyncSnapshot:
        enrolled = self._creds is not None
        with self._sessions() as session:
            depth = outbox_repo.depth(session)
            rejected = outbox_repo.rejected_count(session)
            last = sync_repo.last_sync_at(session)
            version = venue_repo.current_version(session)
            cursor = sync_repo.get_state(session, sync_repo.CATALOG_CURSOR)
        error = self._error_text(run) if enrolled else "this kiosk is not enrolled yet"
        return SyncSnapshot(
            online=online,
            last_sync_at=last,
            queue_depth=depth,
            rejected_count=rejected,
            last_error=error,
            enrolled=enrolled,
            auth_failed=isinstance(run.stopped_by, Unauthorized),
            venue_version=version,
            catalog_cursor=cursor,
        )


def wire_items(entries: Sequence[OutboxEntry]) -> tuple[list[SubmissionIn], dict[str, str]]:
    """Outbox rows as wire items, and the rows no server could accept (uuid -> why)."""
    items: list[SubmissionIn] = []
    invalid: dict[str, str] = {}
    for e in entries:
        try:
            items.append(
                SubmissionIn.model_validate(
                    {
                        "uuid": e.uuid,
                        "kind": e.kind,
                        "ticket_no": e.ticket_no,
                        "created_at": e.created_at,
                        "token_sha256": e.token_sha256,
                        "payload": e.payload,
                    }
                )
            )
        except ValidationError as exc:
            invalid[e.uuid] = f"invalid on this kiosk, not sent: {exc.errors()[0]['msg']}"
    return items, invalid
