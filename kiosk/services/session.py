"""Session policy for a shared public terminal: idle timeouts per kind of screen, and the
per-session scratch directory that holds anything a shopper's typing may leave behind."""

from __future__ import annotations

import logging
import shutil
import tempfile
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

log = logging.getLogger(__name__)


class ScreenKind(StrEnum):
    BROWSE = "browse"
    FORM = "form"
    MEMBER = "member"
    MAINTENANCE = "maintenance"


@dataclass(frozen=True, slots=True)
class IdlePolicy:
    browse_s: int
    form_s: int
    member_s: int
    countdown_s: int
    accessible_factor: float
    maintenance_s: int = 180

    def timeout_s(self, kind: ScreenKind, *, accessible: bool) -> int:
        base = {
            ScreenKind.BROWSE: self.browse_s,
            ScreenKind.FORM: self.form_s,
            ScreenKind.MEMBER: self.member_s,
            ScreenKind.MAINTENANCE: self.maintenance_s,
        }[kind]
        return round(base * self.accessible_factor) if accessible else base


class SessionScratch:
    """A private temporary directory per shopper session.

    The Qt Virtual Keyboard's Pinyin engine learns what is typed and stores it under its user
    data path; pointing that path here and deleting the directory at the end of each session
    means nothing a shopper typed survives them.
    """

    def __init__(self, parent: Path | None = None) -> None:
        self._parent = parent
        self._path = self._fresh()

    def _fresh(self) -> Path:
        return Path(tempfile.mkdtemp(prefix="mallkiosk-session-", dir=self._parent))

    @property
    def path(self) -> Path:
        return self._path

    def renew(self) -> Path:
        """Delete this session's directory and start an empty one."""
        self.discard()
        self._path = self._fresh()
        return self._path

    def discard(self) -> None:
        shutil.rmtree(self._path, ignore_errors=True)
        if self._path.exists():
            log.error("could not delete session scratch %s", self._path)
