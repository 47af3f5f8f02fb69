"""The hidden way into maintenance mode: five taps in the top-left corner within three seconds
open a PIN pad; the right PIN opens maintenance mode.

The digits live here, not in QML, and are dropped after every try. A PIN is checked on a worker
thread (the slow hash takes about a tenth of a second) and the result comes back by a queued
signal. Wrong PINs, the lockout and the way in are audited by `PinGuard`.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from PySide6.QtCore import Property, QObject, QTimer, Signal, Slot
from PySide6.QtQml import QmlElement, QmlUncreatable

from kiosk.errors import KnownError
from kiosk.maintenance.pin import PinAttempt, PinGuard, PinPadState
from kiosk.viewmodels import QML_IMPORT_MAJOR_VERSION, QML_IMPORT_NAME

__all__ = ["QML_IMPORT_MAJOR_VERSION", "QML_IMPORT_NAME", "PinPadViewModel"]

log = logging.getLogger(__name__)

CORNER_TAPS = 5
CORNER_WINDOW_S = 3.0
MAX_DIGITS = 12
PAD_IDLE_MS = 60_000


@QmlElement
@QmlUncreatable("created by the application")
class PinPadViewModel(QObject):  # type: ignore[operator]  # PySide6 stub: QmlUncreatable lacks __call__
    """Properties: `shown`, `digits` (how many are typed; never which), `busy`, `locked`,
    `messageZh/En`. Signal `granted` once the right PIN was typed."""

    changed = Signal()
    granted = Signal()
    _checked = Signal(object)

    def __init__(
        self,
        guard: PinGuard,
        *,
        current_hash: Callable[[], str] | None = None,
        clock: Callable[[], float] = time.monotonic,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._guard = guard
        # The PIN as the device file has it now: `mall-kiosk set-pin` works without a restart.
        self._current_hash = current_hash
        self._clock = clock
        self._generation = 0
        # While locked, the countdown and the buttons follow the clock.
        self._lock_tick = QTimer(self, interval=1000)
        self._lock_tick.timeout.connect(self._refresh_state)
        # A pad left open (on the attract screen nothing else times it out) closes itself.
        self._untouched = QTimer(self, singleShot=True, interval=PAD_IDLE_MS)
        self._untouched.timeout.connect(self.reset)
        self._taps: list[float] = []
        self._open = False
        self._pin = ""
        self._busy = False
        self._locked = False
        self._message = ("", "")
        self._thread: threading.Thread | None = None
        self._checked.connect(self._on_checked)

    # --- slots ---------------------------------------------------------------------------------
    @Slot()
    def cornerTapped(self) -> None:
        now = self._clock()
        self._taps = [t for t in self._taps if now - t <= CORNER_WINDOW_S] + [now]
        if len(self._taps) >= CORNER_TAPS and not self._open:
            self._taps.clear()
            self._show()

    @Slot(str)
    def press(self, digit: str) -> None:
        self._untouched.start()
        refused = self._busy or self._locked or not digit.isdigit()
        if self._open and not refused and len(self._pin) < MAX_DIGITS:
            self._pin += digit
            self.changed.emit()

    @Slot()
    def backspace(self) -> None:
        if self._pin and not self._busy:
            self._pin = self._pin[:-1]
            self.changed.emit()

    @Slot()
    def submit(self) -> None:
        if not self._open or self._busy or not self._pin:
            return
        pin, self._pin = self._pin, ""
        self._busy = True
        self.changed.emit()
        self._thread = threading.Thread(
            target=self._check, args=(pin, self._generation), name="pin", daemon=True
        )
        self._thread.start()

    @Slot()
    def cancel(self) -> None:
        self.reset()

    def reset(self) -> None:
        """Close the pad and forget what was typed (session wipe, or Cancel); a check still
        running is ignored when it ends."""
        self._generation += 1
        self._open = False
        self._busy = False
        self._pin = ""
        self._lock_tick.stop()
        self._untouched.stop()
        self._taps.clear()
        self._message = ("", "")
        self.changed.emit()

    def join(self, timeout: float = 10.0) -> None:
        if self._thread is not None:
            self._thread.join(timeout)

    # --- internals -----------------------------------------------------------------------------
    def _show(self) -> None:
        self._open = True
        self._pin = ""
        self._untouched.start()
        self._refresh_state()

    def _refresh_state(self) -> None:
        try:
            if self._current_hash is not None:
                self._guard.set_pin_hash(self._current_hash())
            self._describe(self._guard.state())
        except KnownError as exc:
            log.error("PIN pad: %s", exc)
            self._message = _BROKEN
        except Exception:  # e.g. a damaged cache: staff must still see the pad, not a crash
            log.exception("PIN pad: the lockout state cannot be read")
            self._message = _BROKEN
        self.changed.emit()

    def _check(self, pin: str, generation: int) -> None:
        try:
            if self._current_hash is not None:
                self._guard.set_pin_hash(self._current_hash())
            result: PinAttempt | Exception = self._guard.attempt(pin)
        except Exception as exc:  # reported on the GUI thread; the pad must not stay busy
            result = exc
        self._checked.emit((generation, result))

    def _on_checked(self, answer: tuple[int, PinAttempt | Exception]) -> None:
        generation, result = answer
        if generation != self._generation:
            return  # cancelled (or wiped) while the PIN was being checked
        self._busy = False
        if isinstance(result, PinAttempt):
            if result.result == "ok":
                self._open = False
                self._message = ("", "")
                self.changed.emit()
                self.granted.emit()
                return
            self._describe(result.state, wrong=result.result == "wrong")
        else:
            if isinstance(result, KnownError):
                log.error("PIN check failed: %s", result)
            else:
                log.error("PIN check failed", exc_info=result)
            self._message = _BROKEN
        self.changed.emit()

    def _describe(self, state: PinPadState, *, wrong: bool = False) -> None:
        self._locked = state.locked
        if state.locked:
            self._lock_tick.start()
        else:
            self._lock_tick.stop()
        if not state.pin_set:
            self._message = (
                "本机尚未设置维护密码：请在终端运行 mall-kiosk set-pin。",
                "No maintenance PIN is set on this kiosk: run `mall-kiosk set-pin`.",
            )
        elif state.locked:
            minutes, seconds = divmod(state.retry_in_s, 60)
            wait = f"{minutes}:{seconds:02d}"
            self._message = (
                f"密码错误次数过多，请 {wait} 后再试。",
                f"Too many wrong PINs. Try again in {wait}.",
            )
        elif wrong:
            left = state.attempts_left
            self._message = (
                f"密码不对，还可以再试 {left} 次。",
                f"Wrong PIN. {left} tries left before the pad locks.",
            )
        else:
            self._message = ("请输入维护密码", "Enter the maintenance PIN")

    # --- properties ----------------------------------------------------------------------------
    def _get_open(self) -> bool:
        return self._open

    shown = Property(bool, _get_open, notify=changed)

    def _get_digits(self) -> int:
        return len(self._pin)

    digits = Property(int, _get_digits, notify=changed)

    def _get_busy(self) -> bool:
        return self._busy

    busy = Property(bool, _get_busy, notify=changed)

    def _get_locked(self) -> bool:
        return self._locked

    locked = Property(bool, _get_locked, notify=changed)

    def _get_message_zh(self) -> str:
        return self._message[0]

    messageZh = Property(str, _get_message_zh, notify=changed)

    def _get_message_en(self) -> str:
        return self._message[1]

    messageEn = Property(str, _get_message_en, notify=changed)


_BROKEN = (
    "维护模式暂时无法打开，请查看日志。",
    "Maintenance mode cannot be opened right now; see the log.",
)
