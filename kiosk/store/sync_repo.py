"""What the sync agent keeps in the cache: cursors and state, catalog pulls, ticket statuses.

A catalog pull is applied by `apply_catalog` inside the caller's transaction: the venue files
are parsed and checked in full first, so an unusable venue raises before anything is written
and the caller's rollback leaves the old cache as it was.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid as uuidlib
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from kiosk.domain.imdf import ImportReport, parse_files
from kiosk.store import models as m
from kiosk.store import venue_repo
from kiosk.store.pushed import SETTINGS
from sync.schemas import CatalogReply, PromotionDoc, StatusChange, VenueDoc

CATALOG_CURSOR = "catalog_cursor"
CATALOG_ETAG = "catalog_etag"
STATUS_CURSOR = "status_cursor"
LAST_SYNC_AT = "last_sync_at"
LAST_ERROR = "last_error"
VENUE_DOC_VERSION = "venue_doc_version"

RETURN_POLICY = "return_policy"


class CatalogError(ValueError):
    """A catalog reply that is well-formed JSON but cannot be applied as it stands."""


# --- key/value state ------------------------------------------------------------------------------


def get_state(session: Session, key: str) -> str | None:
    row = session.get(m.SyncState, key)
    return row.value if row is not None else None


def set_state(session: Session, key: str, value: str | None) -> None:
    row = session.get(m.SyncState, key)
    if row is None:
        session.add(m.SyncState(key=key, value=value))
    else:
        row.value = value


def clear_cursors(session: Session) -> None:
    """Forget where the pulls stopped: the next ones fetch everything (after enrolling anew)."""
    session.execute(
        delete(m.SyncState).where(
            m.SyncState.key.in_((CATALOG_CURSOR, CATALOG_ETAG, STATUS_CURSOR, VENUE_DOC_VERSION))
        )
    )


def last_sync_at(session: Session) -> dt.datetime | None:
    value = get_state(session, LAST_SYNC_AT)
    return dt.datetime.fromisoformat(value) if value else None


def set_last_sync_at(session: Session, when: dt.datetime) -> None:
    set_state(session, LAST_SYNC_AT, when.astimezone(dt.UTC).isoformat())


# --- catalog --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CatalogApplied:
    """What a catalog pull changed in the cache."""

    cursor: str
    full: bool
    venue_version: str | None  # set when the venue was replaced
    promotions: int | None  # set when the promotions were replaced
    docs: tuple[str, ...]  # return_policy / settings when they were replaced
    warnings: tuple[str, ...]


def parse_venue(doc: VenueDoc) -> ImportReport:
    """The venue in a catalog reply as domain data. Raises ImdfError when it is unusable."""
    # The canonical encoding the central service computes the venue version over, so the
    # version recorded here matches the one it reports.
    return parse_files(
        {
            name: json.dumps(
                obj, ensure_ascii=False, sort_keys=True, separators=(",", ":")
            ).encode()
            for name, obj in doc.files.items()
        }
    )


def apply_catalog(
    session: Session,
    reply: CatalogReply,
    source: str,
    etag: str | None = None,
    parsed: ImportReport | None = None,
) -> CatalogApplied:
    """Apply a catalog pull in the caller's transaction, all of it or (raising) none of it.

    `source` is recorded as where the venue came from. `parsed` is `parse_venue(reply.venue)`
    when the caller already parsed it (outside the transaction, to keep write locks short).
    Raises ImdfError (the venue files cannot be used) or CatalogError before writing anything.
    """
    if reply.promotions is not None:
        ids = [p.id for p in reply.promotions]
        if len(set(ids)) != len(ids):
            raise CatalogError("the catalog lists a promotion twice")
    report = None
    if reply.venue is not None:
        report = parsed if parsed is not None else parse_venue(reply.venue)
    venue_version = None
    warnings: tuple[str, ...] = ()
    if report is not None and reply.venue is not None:
        data = report.data
        warnings = report.warnings
        meta = session.scalar(select(m.VenueMeta).limit(1))
        unchanged = meta is not None and meta.version == data.version and meta.source == source
        if not unchanged:
            kept = _promotion_docs(session) if not data.promotions else []
            venue_repo.replace_venue(session, data, source)
            if reply.promotions is None and kept:
                # The venue files carry no promotions and the pull did not change them.
                session.flush()
                _replace_promotions(session, kept)
        venue_version = data.version
        set_state(session, VENUE_DOC_VERSION, reply.venue.version)
    if reply.promotions is not None:
        _replace_promotions(session, reply.promotions)
    docs = []
    for name, doc in ((RETURN_POLICY, reply.return_policy), (SETTINGS, reply.settings)):
        if doc is not None:
            session.merge(m.CatalogDoc(name=name, doc=doc, updated_at=m.utcnow()))
            docs.append(name)
    set_state(session, CATALOG_CURSOR, reply.cursor)
    set_state(session, CATALOG_ETAG, etag)
    return CatalogApplied(
        cursor=reply.cursor,
        full=reply.full,
        venue_version=venue_version,
        promotions=len(reply.promotions) if reply.promotions is not None else None,
        docs=tuple(docs),
        warnings=warnings,
    )


def venue_source(session: Session) -> str | None:
    """Where the cached venue came from (None when the cache holds none)."""
    return session.scalar(select(m.VenueMeta.source).limit(1))


def _promotion_docs(session: Session) -> list[PromotionDoc]:
    return [
        PromotionDoc(
            id=p.id,
            title_zh=p.title_zh,
            title_en=p.title_en,
            body_zh=p.body_zh,
            body_en=p.body_en,
            store_id=p.store_id,
            starts=p.starts,
            ends=p.ends,
        )
        for p in session.scalars(select(m.Promotion))
    ]


def _replace_promotions(session: Session, promotions: Iterable[PromotionDoc]) -> None:
    session.execute(delete(m.Promotion))
    session.add_all(
        m.Promotion(
            id=p.id,
            title_zh=p.title_zh,
            title_en=p.title_en,
            body_zh=p.body_zh,
            body_en=p.body_en,
            store_id=p.store_id,
            starts=p.starts,
            ends=p.ends,
        )
        for p in promotions
    )


# --- ticket status --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TicketStatusView:
    uuid: str
    ticket_no: str
    status: str
    note: str | None
    changed_at: dt.datetime  # aware, UTC


def upsert_status(session: Session, changes: Iterable[StatusChange]) -> int:
    """Record status changes; an older change never overwrites a newer one. Returns how many
    rows changed."""
    latest: dict[str, StatusChange] = {}
    for change in changes:  # the newest change per ticket wins within a page too
        key = str(change.uuid)
        seen = latest.get(key)
        if seen is None or seen.changed_at <= change.changed_at:
            latest[key] = change
    if not latest:
        return 0
    rows = {
        row.uuid: row
        for row in session.scalars(
            select(m.TicketStatus).where(m.TicketStatus.uuid.in_(list(latest)))
        )
    }
    changed = 0
    for key, change in latest.items():
        when = change.changed_at.astimezone(dt.UTC)
        row = rows.get(key)
        if row is None:
            session.add(
                m.TicketStatus(
                    uuid=key,
                    ticket_no=change.ticket_no,
                    status=change.status,
                    note=change.note,
                    changed_at=when,
                )
            )
        elif _aware(row.changed_at) <= when:
            row.ticket_no = change.ticket_no
            row.status = change.status
            row.note = change.note
            row.changed_at = when
        else:
            continue
        changed += 1
    return changed


def ticket_status(session: Session, ticket_no: str) -> TicketStatusView | None:
    row = session.scalar(select(m.TicketStatus).where(m.TicketStatus.ticket_no == ticket_no))
    if row is None:
        return None
    return TicketStatusView(
        uuid=row.uuid,
        ticket_no=row.ticket_no,
        status=row.status,
        note=row.note,
        changed_at=_aware(row.changed_at),
    )


def status_of(session: Session, uuid: uuidlib.UUID | str) -> str | None:
    row = session.get(m.TicketStatus, str(uuid))
    return row.status if row is not None else None


def _aware(value: dt.datetime) -> dt.datetime:
    """SQLite keeps no offset: what was stored as UTC comes back naive."""
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)
