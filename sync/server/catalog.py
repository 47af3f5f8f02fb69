"""The reference data kiosks pull: loading venues and documents, and the replies to a cursor.

Every change appends a row to `catalog_changes`; a kiosk's cursor names the last change it has
(`<epoch>.<seq>`), so a pull sends only the parts changed since, or everything when the cursor
means nothing here. Replies are serialised once per (cursor, state) and kept in a small cache:
after a change, every kiosk of the venue asks the same question.
"""

from __future__ import annotations

import gzip
import json
import secrets
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from kiosk.domain.imdf import MANIFEST, USED_TYPES, ImdfError, parse_files, read_source
from kiosk.domain.venue import VenueData
from sync.schemas import CatalogReply, PromotionDoc, VenueDoc
from sync.server.db import Database
from sync.server.errors import CentralError
from sync.server.models import (
    CATALOG_PARTS,
    DOC_PARTS,
    CatalogChange,
    Promotion,
    Venue,
    VenueDocument,
    utcnow,
)

# Changes kept per venue; a kiosk whose cursor is older gets a full snapshot.
KEEP_CHANGES = 500
MAX_DOCUMENT_BYTES = 1024 * 1024


def canonical_json(obj: object) -> bytes:
    """The bytes a stored JSON object stands for; the venue version is computed over these."""
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


# --- loading ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class VenueArchive:
    """A validated IMDF archive: the files served to kiosks and what the kiosk will make of them."""

    files: dict[str, Any]
    data: VenueData
    promotions: tuple[PromotionDoc, ...]
    warnings: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class VenueLoad:
    venue_id: str
    name_en: str
    version: str
    created: bool
    venue_changed: bool
    promotions_changed: bool
    promotions: int
    warnings: tuple[str, ...]


def _served(name: str) -> bool:
    stem, _, ext = name.partition(".")
    return name == MANIFEST or (ext == "geojson" and stem in USED_TYPES)


def read_venue_archive(source: Path) -> VenueArchive:
    """Read and validate an IMDF directory or zip; raises CentralError saying what is wrong."""
    try:
        raw, warnings = read_source(source)
        full = parse_files(raw)
        # Kiosks get only the files their importer reads, promotions travel separately; check
        # that exactly what will be served parses, and take its version.
        files = {name: json.loads(blob.decode("utf-8-sig")) for name, blob in raw.items()}
        files = {name: obj for name, obj in files.items() if _served(name)}
        served = parse_files({name: canonical_json(obj) for name, obj in files.items()})
    except ImdfError as exc:
        raise CentralError(f"{source} is not a usable IMDF archive: {exc}") from exc
    promotions = tuple(
        PromotionDoc(
            id=p.id,
            title_zh=p.title.zh,
            title_en=p.title.en,
            body_zh=p.body.zh,
            body_en=p.body.en,
            store_id=p.occupant_id,
            starts=p.starts,
            ends=p.ends,
        )
        for p in full.data.promotions
    )
    return VenueArchive(files, served.data, promotions, (*warnings, *full.warnings))


def record_change(session: Session, venue: Venue, part: str) -> int:
    """Append a change of `part` to the venue's log and move its cursor there."""
    if part not in CATALOG_PARTS:
        raise ValueError(f"unknown catalog part {part!r}")
    change = CatalogChange(venue_id=venue.id, part=part, at=utcnow())
    session.add(change)
    session.flush()
    venue.catalog_seq = change.seq
    return change.seq


def prune_changes(session: Session, venue: Venue, keep: int = KEEP_CHANGES) -> None:
    """Forget all but the newest `keep` changes; older cursors then get a full snapshot."""
    cutoff = session.scalar(
        select(CatalogChange.seq)
        .where(CatalogChange.venue_id == venue.id)
        .order_by(CatalogChange.seq.desc())
        .offset(keep)
        .limit(1)
    )
    if cutoff is None:
        return
    session.execute(
        delete(CatalogChange).where(CatalogChange.venue_id == venue.id, CatalogChange.seq <= cutoff)
    )
    venue.pruned_seq = max(venue.pruned_seq, cutoff)


def _promotion_docs(session: Session, venue_id: str) -> list[PromotionDoc]:
    rows = session.scalars(
        select(Promotion).where(Promotion.venue_id == venue_id).order_by(Promotion.position)
    )
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
        for p in rows
    ]


def load_venue(db: Database, source: Path) -> VenueLoad:
    """Import the IMDF archive at `source` as a venue, or update the venue with its id.

    Only what differs from the stored venue is recorded as changed (files, promotions).
    """
    archive = read_venue_archive(source)
    info = archive.data.venue
    version = archive.data.version
    with db.write() as session:
        venue = session.get(Venue, info.id)
        created = venue is None
        if venue is None:
            venue = Venue(
                id=info.id,
                name_zh=info.name.zh,
                name_en=info.name.en,
                version=version,
                files=archive.files,
                cursor_epoch=secrets.token_hex(4),
                catalog_seq=0,
                pruned_seq=0,
                loaded_at=utcnow(),
            )
            session.add(venue)
            session.flush()
        venue_changed = created or venue.version != version
        if venue_changed:
            venue.name_zh, venue.name_en = info.name.zh, info.name.en
            venue.version = version
            venue.files = archive.files
            venue.loaded_at = utcnow()
            record_change(session, venue, "venue")
        promotions_changed = created or _promotion_docs(session, venue.id) != list(
            archive.promotions
        )
        if promotions_changed:
            session.execute(delete(Promotion).where(Promotion.venue_id == venue.id))
            session.add_all(
                Promotion(venue_id=venue.id, position=i, **p.model_dump())
                for i, p in enumerate(archive.promotions)
            )
            record_change(session, venue, "promotions")
        prune_changes(session, venue)
    return VenueLoad(
        venue_id=info.id,
        name_en=info.name.en,
        version=version,
        created=created,
        venue_changed=venue_changed,
        promotions_changed=promotions_changed,
        promotions=len(archive.promotions),
        warnings=archive.warnings,
    )


def read_json_document(path: Path) -> dict[str, Any]:
    """A JSON object from a file, or CentralError saying why not."""
    try:
        if path.stat().st_size > MAX_DOCUMENT_BYTES:
            raise CentralError(f"{path} is larger than {MAX_DOCUMENT_BYTES} bytes")
        doc = json.loads(path.read_text(encoding="utf-8-sig"))
    except OSError as exc:
        raise CentralError(f"cannot read {path}: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise CentralError(f"{path} is not UTF-8 text") from exc
    except json.JSONDecodeError as exc:
        raise CentralError(f"{path} is not valid JSON: {exc.msg} at line {exc.lineno}") from exc
    if not isinstance(doc, dict):
        raise CentralError(f"{path} must hold a JSON object")
    return doc


def venue_ids(session: Session) -> list[str]:
    return list(session.scalars(select(Venue.id).order_by(Venue.id)))


def resolve_venue(session: Session, venue_id: str | None) -> Venue:
    """The venue named, or the only one when none is named."""
    if venue_id is None:
        known = venue_ids(session)
        if len(known) != 1:
            raise CentralError(
                "name the venue with --venue: "
                + ("no venue is loaded yet" if not known else f"known venues: {', '.join(known)}")
            )
        venue_id = known[0]
    venue = session.get(Venue, venue_id)
    if venue is None:
        known = venue_ids(session)
        raise CentralError(
            f'no venue "{venue_id}"; '
            + (f"known venues: {', '.join(known)}" if known else "no venue is loaded yet")
        )
    return venue


def load_document(db: Database, part: str, doc: dict[str, Any], venue_id: str | None) -> bool:
    """Store the return policy or settings document of a venue; False when it is unchanged."""
    if part not in DOC_PARTS:
        raise ValueError(f"unknown document part {part!r}")
    with db.write() as session:
        venue = resolve_venue(session, venue_id)
        row = session.get(VenueDocument, (venue.id, part))
        if row is not None and canonical_json(row.doc) == canonical_json(doc):
            return False
        if row is None:
            session.add(VenueDocument(venue_id=venue.id, part=part, doc=doc, updated_at=utcnow()))
        else:
            row.doc, row.updated_at = doc, utcnow()
        record_change(session, venue, part)
        prune_changes(session, venue)
    return True


# --- pulling ----------------------------------------------------------------------------------


def format_cursor(epoch: str, seq: int) -> str:
    return f"{epoch}.{seq}"


def parse_cursor(cursor: str | None, epoch: str) -> int | None:
    """The sequence number in `cursor` when it was issued for this venue, else None."""
    if not cursor:
        return None
    tag, _, number = cursor.partition(".")
    if tag != epoch or not number.isdigit() or len(number) > 18:
        return None
    return int(number)


@dataclass(frozen=True, slots=True)
class CatalogHead:
    """Where a venue's catalog stands; enough to answer a conditional request."""

    venue_id: str
    epoch: str
    seq: int
    pruned_seq: int

    @property
    def cursor(self) -> str:
        return format_cursor(self.epoch, self.seq)


class CatalogBody:
    """A serialised CatalogReply, with its gzip form made on first demand."""

    __slots__ = ("_gzipped", "body", "cursor")

    def __init__(self, cursor: str, body: bytes) -> None:
        self.cursor = cursor
        self.body = body
        self._gzipped: bytes | None = None

    def gzipped(self) -> bytes:
        if self._gzipped is None:
            # mtime=0: the same reply compresses to the same bytes.
            self._gzipped = gzip.compress(self.body, compresslevel=6, mtime=0)
        return self._gzipped


class CatalogCache:
    """The last few serialised replies, keyed by (venue, epoch, base seq or None, seq)."""

    def __init__(self, size: int = 32) -> None:
        self._size = size
        self._items: OrderedDict[tuple[str, str, int | None, int], CatalogBody] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[str, str, int | None, int]) -> CatalogBody | None:
        with self._lock:
            body = self._items.get(key)
            if body is not None:
                self._items.move_to_end(key)
            return body

    def put(self, key: tuple[str, str, int | None, int], body: CatalogBody) -> None:
        with self._lock:
            self._items[key] = body
            self._items.move_to_end(key)
            while len(self._items) > self._size:
                self._items.popitem(last=False)


def catalog_head(session: Session, venue_id: str) -> CatalogHead:
    row = session.execute(
        select(Venue.cursor_epoch, Venue.catalog_seq, Venue.pruned_seq).where(Venue.id == venue_id)
    ).one()
    return CatalogHead(venue_id, row.cursor_epoch, row.catalog_seq, row.pruned_seq)


def base_seq(head: CatalogHead, since: str | None) -> int | None:
    """The change a pull from `since` starts after; None (send everything) when `since` is
    missing, foreign, older than the oldest change kept or newer than the newest."""
    base = parse_cursor(since, head.epoch)
    if base is None or not head.pruned_seq <= base <= head.seq:
        return None
    return base


def build_reply(session: Session, head: CatalogHead, base: int | None) -> CatalogReply:
    """The parts changed after change `base` (a full snapshot when None) as of `head`."""
    if base is None:
        parts = set(CATALOG_PARTS)
    else:
        parts = set(
            session.scalars(
                select(CatalogChange.part)
                .distinct()
                .where(
                    CatalogChange.venue_id == head.venue_id,
                    CatalogChange.seq > base,
                    CatalogChange.seq <= head.seq,
                )
            )
        )
    venue_doc: VenueDoc | None = None
    if "venue" in parts:
        venue = session.execute(
            select(Venue.version, Venue.files).where(Venue.id == head.venue_id)
        ).one()
        venue_doc = VenueDoc(venue_id=head.venue_id, version=venue.version, files=venue.files)
    docs: dict[str, dict[str, Any]] = {}
    if parts & set(DOC_PARTS):
        docs = {
            row.part: row.doc
            for row in session.scalars(
                select(VenueDocument).where(
                    VenueDocument.venue_id == head.venue_id, VenueDocument.part.in_(parts)
                )
            )
        }
    return CatalogReply(
        cursor=head.cursor,
        full=base is None,
        venue=venue_doc,
        promotions=_promotion_docs(session, head.venue_id) if "promotions" in parts else None,
        return_policy=docs.get("return_policy"),
        settings=docs.get("settings"),
    )


def catalog_body(
    session: Session, head: CatalogHead, since: str | None, cache: CatalogCache
) -> CatalogBody:
    """build_reply serialised, from the cache when the same question was answered before."""
    base = base_seq(head, since)
    key = (head.venue_id, head.epoch, base, head.seq)
    body = cache.get(key)
    if body is None:
        reply = build_reply(session, head, base)
        body = CatalogBody(reply.cursor, reply.model_dump_json().encode())
        cache.put(key, body)
    return body
