"""The real kiosk built by the composition root, its QML loaded offscreen, driven by taps."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtQuick import QQuickItem
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from kiosk.app import Kiosk, build
from kiosk.config import KioskConfig
from kiosk.services.session import IdlePolicy

# Short enough to wait out in a test, long enough for taps to land first.
FAST_IDLE = IdlePolicy(browse_s=3, form_s=3, member_s=3, countdown_s=2, accessible_factor=1.0)


def find_items(root: QQuickItem, name: str) -> list[QQuickItem]:
    """Depth-first search of the visual item tree (StackView pages are not QObject children)."""
    found = [root] if root.objectName() == name else []
    for child in root.childItems():
        found.extend(find_items(child, name))
    return found


def find_item(root: QQuickItem, name: str) -> QQuickItem | None:
    """The item of that name, preferring a visible one (a page under the current one in the
    StackView may hold an item of the same name)."""
    found = find_items(root, name)
    return next((i for i in found if i.isVisible()), found[0] if found else None)


class Driver:
    """Taps on named items the way a finger would: a press and release at the item's centre."""

    def __init__(self, kiosk: Kiosk, qtbot: QtBot) -> None:
        self.kiosk = kiosk
        self.qtbot = qtbot

    def find(self, name: str) -> QQuickItem | None:
        """The item, searching popups in the overlay too; None when it is not in the scene."""
        root = self.kiosk.window.contentItem()
        return find_item(root.parentItem() or root, name)

    def item(self, name: str) -> QQuickItem:
        found = self.find(name)
        assert found is not None, f"no item named {name!r} on screen"
        return found

    def shows(self, name: str) -> bool:
        found = self.find(name)
        return found is not None and found.isVisible()

    def visible_item(self, name: str) -> QQuickItem:
        item = self.item(name)
        assert item.isVisible(), f"{name!r} is not visible"
        return item

    def tap(self, name: str) -> None:
        # A StackView ignores input while a transition runs, as it does for a finger.
        stack = self.item("screenStack")
        self.wait_for(lambda: not stack.property("busy"))
        item = self.visible_item(name)
        assert item.isEnabled(), f"{name!r} is disabled"

        def centre() -> QPointF:
            return item.mapToScene(QPointF(item.width() / 2, item.height() / 2))

        # A popup that just opened is still being laid out; a finger lands on where it settles.
        last = QPointF(-1, -1)
        while (now := centre()) != last:
            last = now
            self.qtbot.wait(30)
        QTest.mouseClick(
            self.kiosk.window,
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
            last.toPoint(),
        )

    def wait_for(self, check: Callable[[], bool], timeout: int = 3000) -> None:
        self.qtbot.waitUntil(check, timeout=timeout)


@pytest.fixture
def kiosk(qapp, qtbot: QtBot, config: KioskConfig, qt_messages) -> Iterator[Kiosk]:  # type: ignore[no-untyped-def]
    k = build(config, qapp, idle_policy=FAST_IDLE, windowed=True)
    qtbot.waitExposed(k.window)
    yield k
    k.close()
    qtbot.wait(50)
    assert qt_messages.problems() == []


@pytest.fixture
def driver(kiosk: Kiosk, qtbot: QtBot) -> Driver:
    return Driver(kiosk, qtbot)
