"""Keeping the cached venue in step with its source.

Where the cached venue came from is recorded with it: the embedded demo mall (`DEMO_SOURCE`),
the configured IMDF file, an archive staff imported (`import:<path>`) or the central service
(`sync:<url>`). At start-up the configured source is loaded when the cache is empty or already
follows that source; an imported or synced venue stays until staff reload on purpose.
"""

from __future__ import annotations

import logging
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from kiosk.domain.imdf import demo_venue_path
from kiosk.errors import KnownError
from kiosk.services.venue_import import ImportResult, VenueImportError, import_archive
from kiosk.store import venue_repo
from kiosk.store.venue_repo import VenueSummary

log = logging.getLogger(__name__)

DEMO_SOURCE = "embedded-demo"
IMPORT_PREFIX = "import:"
# A venue pulled from the central service (see kiosk.services.sync_agent.SYNC_SOURCE_PREFIX).
SYNC_PREFIX = "sync:"


class VenueLoadError(KnownError):
    """The venue source could not be used; the previous venue data stays in place."""


class VenueService:
    """Loads venue data into the cache from the configured source or an imported archive."""

    def __init__(self, sessions: sessionmaker[Session], source: Path | None = None) -> None:
        self._sessions = sessions
        self._source = source

    @property
    def source_label(self) -> str:
        return str(self._source.resolve()) if self._source else DEMO_SOURCE

    def _path(self) -> Path:
        return self._source or demo_venue_path()

    def load(self, *, force: bool = False) -> VenueSummary:
        """Load the configured source (skipped when that version is cached, unless `force`)."""
        self._import(self._path(), self.source_label, skip_same_version=not force)
        return self.summary_or_raise()

    def import_archive(self, archive: Path) -> ImportResult:
        """Staff import of an IMDF archive; it stays in use until reloaded on purpose."""
        return self._import(
            archive, IMPORT_PREFIX + str(archive.resolve()), skip_same_version=False
        )

    def ensure_loaded(self) -> VenueSummary:
        """Start-up: keep an imported venue, else follow the configured source. If that source
        is unusable keep what the cache has, or fall back to the embedded demo mall so the
        kiosk still serves shoppers."""
        existing = self.summary()
        if existing is not None and existing.source.startswith((IMPORT_PREFIX, SYNC_PREFIX)):
            log.info("keeping the venue %s from %s", existing.version, existing.source)
            return existing
        try:
            return self.load()
        except VenueLoadError as exc:
            log.error("%s", exc)
            if existing is not None:
                return existing
            if self._source is None:
                raise
            log.warning("falling back to the embedded demo mall")
            self._import(demo_venue_path(), DEMO_SOURCE, skip_same_version=True)
            return self.summary_or_raise()

    def summary(self) -> VenueSummary | None:
        with self._sessions() as session:
            return venue_repo.summary(session)

    def summary_or_raise(self) -> VenueSummary:
        found = self.summary()
        if found is None:
            raise VenueLoadError("no venue data is loaded")
        return found

    def _import(self, path: Path, label: str, *, skip_same_version: bool) -> ImportResult:
        try:
            return import_archive(
                self._sessions, path, source=label, skip_same_version=skip_same_version
            )
        except VenueImportError as exc:
            raise VenueLoadError(str(exc)) from exc
