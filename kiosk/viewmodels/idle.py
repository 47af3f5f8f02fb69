"""The idle watchdog: after a quiet spell it asks "are you still there?", then ends the session."""

from __future__ import annotations

from PySide6.QtCore import Property, QObject, QTimer, Signal, Slot
from PySide6.QtQml import QmlElement, QmlUncreatable

from kiosk.services.session import IdlePolicy, ScreenKind
from kiosk.viewmodels import QML_IMPORT_MAJOR_VERSION, QML_IMPORT_NAME

__all__ = ["QML_IMPORT_MAJOR_VERSION", "QML_IMPORT_NAME", "IdleViewModel"]


@QmlElement
@QmlUncreatable("created by the application")
class IdleViewModel(QObject):  # type: ignore[operator]  # PySide6 stub: QmlUncreatable lacks __call__
    """Counts quiet time on the current screen.

    Signals: `expired` when the countdown runs out (the shell then wipes the session).
    Properties: `promptVisible`, `secondsLeft`, `countdownSeconds`, `timeoutSeconds`.
    It is armed only while a shopper is in a session, and paused while printing.
    """

    promptVisibleChanged = Signal()
    secondsLeftChanged = Signal()
    timeoutSecondsChanged = Signal()
    expired = Signal()
    # Emitted from any thread (the printer's): queued to this object's thread, then setPaused.
    printing = Signal(bool)

    def __init__(self, policy: IdlePolicy, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._policy = policy
        self._kind = ScreenKind.BROWSE
        self._accessible = False
        self._armed = False
        self._paused = False
        self._prompt = False
        self._seconds_left = policy.countdown_s
        self._quiet = QTimer(self, singleShot=True)
        self._quiet.timeout.connect(self._show_prompt)
        self._tick = QTimer(self, interval=1000)
        self._tick.timeout.connect(self._on_tick)
        self.printing.connect(self.setPaused)
        self._apply_interval()

    # --- properties ------------------------------------------------------------------------
    def _get_prompt(self) -> bool:
        return self._prompt

    promptVisible = Property(bool, _get_prompt, notify=promptVisibleChanged)

    def _get_seconds_left(self) -> int:
        return self._seconds_left

    secondsLeft = Property(int, _get_seconds_left, notify=secondsLeftChanged)

    def _get_countdown(self) -> int:
        return self._policy.countdown_s

    countdownSeconds = Property(int, _get_countdown, constant=True)

    def _get_timeout(self) -> int:
        return self._policy.timeout_s(self._kind, accessible=self._accessible)

    timeoutSeconds = Property(int, _get_timeout, notify=timeoutSecondsChanged)

    # --- inputs ----------------------------------------------------------------------------
    def set_screen_kind(self, kind: ScreenKind) -> None:
        if kind != self._kind:
            self._kind = kind
            self._apply_interval()

    def set_accessible(self, accessible: bool) -> None:
        if accessible != self._accessible:
            self._accessible = accessible
            self._apply_interval()

    def arm(self) -> None:
        """A session started: begin watching for quiet time."""
        self._armed = True
        self._restart()

    def disarm(self) -> None:
        """No session (attract screen): nothing to time out."""
        self._armed = False
        self._quiet.stop()
        self._tick.stop()
        self._set_prompt(False)

    @Slot()
    def activity(self) -> None:
        """Any touch or key press. While the prompt shows only Continue extends the session."""
        if self._armed and not self._prompt:
            self._restart()

    @Slot()
    def extend(self) -> None:
        """The shopper pressed Continue: hide the prompt and start a fresh quiet period."""
        if self._armed:
            self._restart()

    @Slot(bool)
    def setPaused(self, paused: bool) -> None:
        """Printing in progress: the shopper is waiting for paper, not away."""
        self._paused = paused
        if paused:
            self._quiet.stop()
            self._tick.stop()
            self._set_prompt(False)
        elif self._armed:
            self._restart()

    def prompt_now(self) -> None:
        """Show the prompt at once (screenshots and the maintenance preview)."""
        if self._armed:
            self._quiet.stop()
            self._show_prompt()

    # --- internals -------------------------------------------------------------------------
    def _apply_interval(self) -> None:
        self._quiet.setInterval(self._get_timeout() * 1000)
        self.timeoutSecondsChanged.emit()
        if self._armed and not self._prompt:
            self._restart()

    def _restart(self) -> None:
        self._tick.stop()
        self._set_prompt(False)
        if not self._paused:
            self._quiet.start()

    def _show_prompt(self) -> None:
        self._set_seconds_left(self._policy.countdown_s)
        self._set_prompt(True)
        self._tick.start()

    def _on_tick(self) -> None:
        self._set_seconds_left(self._seconds_left - 1)
        if self._seconds_left <= 0:
            self._tick.stop()
            self._set_prompt(False)
            self.expired.emit()

    def _set_prompt(self, visible: bool) -> None:
        if visible != self._prompt:
            self._prompt = visible
            self.promptVisibleChanged.emit()

    def _set_seconds_left(self, value: int) -> None:
        if value != self._seconds_left:
            self._seconds_left = value
            self.secondsLeftChanged.emit()
