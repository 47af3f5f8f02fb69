"""Keeping the cached venue in step with its source (the embedded demo mall or an IMDF archive)."""

from __future__ import annotations

import logging
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from kiosk.domain.imdf import ImdfError, demo_venue_path, load_venue
from kiosk.errors import KnownError
from kiosk.store import venue_repo
from kiosk.store.venue_repo import VenueSummary

log = logging.getLogger(__name__)


class VenueLoadError(KnownError):
    """The venue source could not be used; the previous venue data stays in place."""


class VenueService:
    """Loads venue data into the cache when the cache is empty or holds another version."""

    def __init__(self, sessions: sessionmaker[Session], source: Path | None = None) -> None:
        self._sessions = sessions
        self._source = source or demo_venue_path()

    @property
    def source(self) -> Path:
        return self._source

    def load(self, source: Path | None = None, *, force: bool = False) -> VenueSummary:
        """Load `source` (default: the configured one) unless that version is already cached."""
        path = source or self._source
        try:
            data = load_venue(path)
        except ImdfError as exc:
            raise VenueLoadError(f"venue data in {path} was not loaded: {exc}") from exc
        with self._sessions.begin() as session:
            if force or venue_repo.current_version(session) != data.version:
                venue_repo.replace_venue(session, data, str(path))
                log.info("loaded venue %s version %s from %s", data.venue.id, data.version, path)
        return self.summary_or_raise()

    def ensure_loaded(self) -> VenueSummary:
        """Start-up: use the configured source; if it is unusable keep what the cache has, or
        fall back to the embedded demo mall so the kiosk still serves shoppers."""
        try:
            return self.load()
        except VenueLoadError as exc:
            log.error("%s", exc)
            existing = self.summary()
            if existing is not None:
                return existing
            if self._source == demo_venue_path():
                raise
            log.warning("falling back to the embedded demo mall")
            return self.load(demo_venue_path())

    def summary(self) -> VenueSummary | None:
        with self._sessions() as session:
            return venue_repo.summary(session)

    def summary_or_raise(self) -> VenueSummary:
        found = self.summary()
        if found is None:
            raise VenueLoadError("no venue data is loaded")
        return found
