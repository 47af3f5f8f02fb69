"""Importing an IMDF archive into the cache: validate everything, then swap the venue at once.

The archive is parsed and checked in full before the database is touched; the swap runs in one
transaction, so a bad archive or a database failure leaves the previous venue exactly as it was.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from kiosk.domain.imdf import ImdfError, load_venue_with_report
from kiosk.domain.routelink import ShortIdCollisionError, check_unique
from kiosk.domain.venue import Names, VenueData
from kiosk.errors import KnownError
from kiosk.store import venue_repo

log = logging.getLogger(__name__)

MAX_REPORTED_WARNINGS = 20


class VenueImportError(KnownError):
    """The archive was not imported; the previous venue is unchanged.

    `file` and `feature_id` say where the archive is wrong (None for a database failure).
    """

    def __init__(self, message: str, file: str | None = None, feature_id: str | None = None):
        super().__init__(message)
        self.file = file
        self.feature_id = feature_id


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What an import put in the cache, and what in the archive could not be used."""

    venue_id: str
    name: Names
    version: str
    previous_version: str | None
    levels: int
    units: int
    openings: int
    amenities: int
    occupants: int
    kiosks: int
    promotions: int
    warnings: tuple[str, ...]
    changed: bool = True


def import_archive(
    sessions: sessionmaker[Session],
    archive: Path,
    *,
    source: str | None = None,
    skip_same_version: bool = False,
) -> ImportResult:
    """Replace the cached venue with the one in `archive` (an IMDF .zip or directory).

    `source` is recorded as where the venue came from (default: the archive's path); with
    `skip_same_version` a cache already holding this version is left alone (`changed` False).
    Raises VenueImportError naming the file and feature when the archive is unusable, or when the
    database cannot be written; either way nothing is changed.
    """
    try:
        report = load_venue_with_report(archive)
    except ImdfError as exc:
        raise VenueImportError(
            f"{archive.name} was not imported, the current venue is kept: {exc}",
            exc.file,
            exc.feature_id,
        ) from exc
    data = report.data
    warnings = (*report.warnings, *_route_link_warnings(data))
    try:
        with sessions.begin() as session:
            previous = venue_repo.current_version(session)
            changed = not (skip_same_version and previous == data.version)
            if changed:
                venue_repo.replace_venue(session, data, source or str(archive.resolve()))
    except SQLAlchemyError as exc:
        cause = exc.orig if isinstance(exc, DBAPIError) else exc
        raise VenueImportError(
            f"{archive.name} was not imported, the current venue is kept: "
            f"the local database could not be written: {cause}"
        ) from exc
    if not changed:
        log.info(
            "venue %s version %s from %s is already cached", data.venue.id, data.version, archive
        )
    else:
        log.info(
            "imported venue %s version %s from %s (%d warnings)",
            data.venue.id,
            data.version,
            archive,
            len(warnings),
        )
    return ImportResult(
        venue_id=data.venue.id,
        name=data.venue.name,
        version=data.version,
        previous_version=previous,
        levels=len(data.levels),
        units=len(data.units),
        openings=len(data.openings),
        amenities=len(data.amenities),
        occupants=len(data.occupants),
        kiosks=len(data.kiosks),
        promotions=len(data.promotions),
        warnings=warnings,
        changed=changed,
    )


def _route_link_warnings(data: VenueData) -> list[str]:
    """Places a phone route link could not tell apart (see kiosk.domain.routelink)."""
    warnings: list[str] = []
    try:
        check_unique([*(o.id for o in data.occupants), *(a.id for a in data.amenities)])
    except ShortIdCollisionError as exc:
        warnings.extend(
            f"route links to {' and '.join(ids)} share the key {key}; phone routes to them are "
            "ambiguous"
            for key, ids in exc.collisions.items()
        )
    codes = Counter(k.code for k in data.kiosks)
    warnings.extend(
        f'kiosk.geojson: {n} kiosks share the code "{code}"' for code, n in codes.items() if n > 1
    )
    return warnings


def format_report(result: ImportResult) -> str:
    """A few lines for the command line."""
    if result.previous_version is None:
        replaced = "the cache held no venue before"
    elif result.previous_version == result.version:
        replaced = "same version as before, reloaded"
    else:
        replaced = f"replaces version {result.previous_version}"
    lines = [
        f"Imported {result.name.en} (venue {result.venue_id}), version {result.version}; "
        f"{replaced}.",
        f"{result.levels} levels, {result.units} units, {result.openings} openings, "
        f"{result.amenities} amenities, {result.occupants} occupants, {result.kiosks} kiosks, "
        f"{result.promotions} promotions.",
    ]
    if not result.warnings:
        lines.append("No warnings.")
        return "\n".join(lines)
    count = len(result.warnings)
    lines.append(f"{count} warning{'s' if count > 1 else ''}:")
    lines.extend(f"  - {w}" for w in result.warnings[:MAX_REPORTED_WARNINGS])
    if count > MAX_REPORTED_WARNINGS:
        lines.append(f"  ... and {count - MAX_REPORTED_WARNINGS} more")
    return "\n".join(lines)
