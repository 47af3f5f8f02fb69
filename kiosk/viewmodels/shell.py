"""The shell: language, accessibility mode, session start and the total wipe at its end."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Protocol

from PySide6.QtCore import Property, QObject, QTimer, Signal, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtQml import QmlElement, QmlUncreatable

from kiosk.services.session import SessionScratch
from kiosk.viewmodels import QML_IMPORT_MAJOR_VERSION, QML_IMPORT_NAME
from kiosk.viewmodels.idle import IdleViewModel
from kiosk.viewmodels.navigation import ATTRACT, NavigationViewModel

__all__ = ["QML_IMPORT_MAJOR_VERSION", "QML_IMPORT_NAME", "Resettable", "ShellViewModel"]

log = logging.getLogger(__name__)


class Resettable(Protocol):
    def reset(self) -> None: ...


@QmlElement
@QmlUncreatable("created by the application")
class ShellViewModel(QObject):  # type: ignore[operator]  # PySide6 stub: QmlUncreatable lacks __call__
    """State every screen shares.

    Properties: `language` ("zh_CN" | "en"), `accessibilityMode`, `notice` (a calm message, or
    empty), `keyboardDataPath` (this session's private directory for the keyboard's learning),
    `mallNameZh`, `mallNameEn`, `fullscreen`.
    Signals: `sessionEnded` after the wipe, so QML clears fields and the keyboard.
    """

    languageChanged = Signal()
    accessibilityModeChanged = Signal()
    noticeChanged = Signal()
    keyboardDataPathChanged = Signal()
    sessionEnded = Signal()

    def __init__(
        self,
        *,
        nav: NavigationViewModel,
        idle: IdleViewModel,
        scratch: SessionScratch,
        default_language: str,
        accessible_by_default: bool = False,
        mall_name: tuple[str, str],
        fullscreen: bool,
        resettables: Sequence[Resettable] = (),
        apply_language: Callable[[str], None] = lambda _lang: None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._nav = nav
        self._idle = idle
        self._scratch = scratch
        self._default_language = default_language
        self._language = default_language
        self._accessible_default = accessible_by_default
        self._accessible = False
        self._notice = ""
        self._mall_name = mall_name
        self._fullscreen = fullscreen
        self._resettables = list(resettables)
        self._apply_language = apply_language
        self._notice_timer = QTimer(self, singleShot=True, interval=6000)
        self._notice_timer.timeout.connect(lambda: self._set_notice(""))
        nav.currentChanged.connect(self._on_screen_changed)
        idle.expired.connect(self.endSession)

    def add_resettable(self, item: Resettable) -> None:
        self._resettables.append(item)

    # --- properties ------------------------------------------------------------------------
    def _get_language(self) -> str:
        return self._language

    language = Property(str, _get_language, notify=languageChanged)

    def _get_accessible(self) -> bool:
        return self._accessible

    accessibilityMode = Property(bool, _get_accessible, notify=accessibilityModeChanged)

    def _get_notice(self) -> str:
        return self._notice

    notice = Property(str, _get_notice, notify=noticeChanged)

    def _get_keyboard_path(self) -> str:
        return str(self._scratch.path)

    keyboardDataPath = Property(str, _get_keyboard_path, notify=keyboardDataPathChanged)

    def _get_mall_zh(self) -> str:
        return self._mall_name[0]

    mallNameZh = Property(str, _get_mall_zh, constant=True)

    def _get_mall_en(self) -> str:
        return self._mall_name[1]

    mallNameEn = Property(str, _get_mall_en, constant=True)

    def _get_fullscreen(self) -> bool:
        return self._fullscreen

    fullscreen = Property(bool, _get_fullscreen, constant=True)

    # --- slots -----------------------------------------------------------------------------
    @Slot()
    def start(self) -> None:
        """A touch on the attract screen: open the home screen and start watching for idle."""
        self._nav.home()
        self.setAccessibilityMode(self._accessible_default)
        self._idle.arm()

    @Slot(str)
    def setLanguage(self, language: str) -> None:
        if language != self._language:
            self._apply_language(language)
            self._language = language
            self.languageChanged.emit()

    @Slot()
    def toggleLanguage(self) -> None:
        self.setLanguage("en" if self._language == "zh_CN" else "zh_CN")

    @Slot(bool)
    def setAccessibilityMode(self, on: bool) -> None:
        if on != self._accessible:
            self._accessible = on
            self._idle.set_accessible(on)
            self.accessibilityModeChanged.emit()

    @Slot()
    def toggleAccessibilityMode(self) -> None:
        self.setAccessibilityMode(not self._accessible)

    @Slot()
    def endSession(self) -> None:
        """The total wipe: every view model reset, this session's keyboard data deleted,
        language and accessibility back to the defaults, the attract screen shown."""
        for item in self._resettables:
            item.reset()
        self._idle.disarm()
        # Drop any half-typed pre-edit text and hide the keyboard before the next shopper.
        input_method = QGuiApplication.inputMethod()
        input_method.reset()
        input_method.hide()
        self._scratch.renew()
        self.keyboardDataPathChanged.emit()
        self.setAccessibilityMode(self._accessible_default)
        self.setLanguage(self._default_language)
        self._set_notice("")
        self._nav.attract()
        self.sessionEnded.emit()
        log.info("session ended and wiped")

    def recover_from_error(self) -> None:
        """An unexpected error in a handler: tell the shopper calmly and go home."""
        self._set_notice(self.tr("Something went wrong. Returning to the home screen."))
        self._notice_timer.start()
        if self._nav.current_screen() != ATTRACT:
            self._nav.home()

    # --- internals -------------------------------------------------------------------------
    def _on_screen_changed(self) -> None:
        self._idle.set_screen_kind(self._nav.kind())

    def _set_notice(self, text: str) -> None:
        if text != self._notice:
            self._notice = text
            self.noticeChanged.emit()
