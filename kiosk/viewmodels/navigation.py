"""Screen navigation as a stack of screen names; QML's StackView follows `navigated`."""

from __future__ import annotations

from PySide6.QtCore import Property, QObject, Signal, Slot
from PySide6.QtQml import QmlElement, QmlUncreatable

from kiosk.services.session import ScreenKind
from kiosk.viewmodels import QML_IMPORT_MAJOR_VERSION, QML_IMPORT_NAME

__all__ = ["QML_IMPORT_MAJOR_VERSION", "QML_IMPORT_NAME", "SCREENS", "NavigationViewModel"]

ATTRACT = "attract"
HOME = "home"

# Every screen the shell knows and how long a shopper may stay quiet on it.
SCREENS: dict[str, ScreenKind] = {
    ATTRACT: ScreenKind.BROWSE,
    HOME: ScreenKind.BROWSE,
    "wayfinding": ScreenKind.BROWSE,
    "place": ScreenKind.BROWSE,
    "route": ScreenKind.BROWSE,
    "member": ScreenKind.MEMBER,
    "returns": ScreenKind.FORM,
    "complaints": ScreenKind.FORM,
    "status": ScreenKind.FORM,
    "maintenance": ScreenKind.MAINTENANCE,
}


@QmlElement
@QmlUncreatable("created by the application")
class NavigationViewModel(QObject):  # type: ignore[operator]  # PySide6 stub: QmlUncreatable lacks __call__
    """The stack of open screens.

    Signals: `navigated(action, screen)` with action "push", "pop" or "reset";
    `currentChanged` for `current`, `depth` and `canGoBack`.
    """

    currentChanged = Signal()
    navigated = Signal(str, str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._stack = [ATTRACT]

    def _get_current(self) -> str:
        return self._stack[-1]

    current = Property(str, _get_current, notify=currentChanged)

    def _get_depth(self) -> int:
        return len(self._stack)

    depth = Property(int, _get_depth, notify=currentChanged)

    def _get_can_go_back(self) -> bool:
        return len(self._stack) > 2  # never back from home to the attract screen

    canGoBack = Property(bool, _get_can_go_back, notify=currentChanged)

    def current_screen(self) -> str:
        return self._stack[-1]

    def kind(self) -> ScreenKind:
        return SCREENS[self._stack[-1]]

    def stack(self) -> list[str]:
        return list(self._stack)

    @Slot(str)
    def push(self, screen: str) -> None:
        if screen not in SCREENS or screen == ATTRACT:
            raise ValueError(f"unknown screen {screen!r}")
        if screen == self._stack[-1]:
            return
        self._stack.append(screen)
        self._emit("push")

    @Slot()
    def back(self) -> None:
        if self._get_can_go_back():
            self._stack.pop()
            self._emit("pop")

    @Slot()
    def home(self) -> None:
        self._reset_to(HOME)

    def attract(self) -> None:
        self._reset_to(ATTRACT)

    def _reset_to(self, screen: str) -> None:
        if self._stack not in ([ATTRACT, screen], [screen]):
            self._stack = [screen] if screen == ATTRACT else [ATTRACT, screen]
            self._emit("reset")

    def _emit(self, action: str) -> None:
        self.currentChanged.emit()
        self.navigated.emit(action, self._stack[-1])
