"""Render every screen offscreen into PNG files, in both languages, for documentation and review.

Also used by the start-up benchmark to tell when the home screen is interactive.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEventLoop, QPointF, Qt, QTimer
from PySide6.QtQuick import QQuickItem
from PySide6.QtTest import QTest

from kiosk.app import Kiosk
from kiosk.viewmodels.navigation import SCREENS

log = logging.getLogger(__name__)

#: Screens reached from a home tile; the wayfinding sub-screens are shot along a sample route.
SERVICE_SCREENS = [name for name in SCREENS if name not in ("attract", "home", "place", "route")]


def settle(kiosk: Kiosk, ms: int = 300) -> None:
    """Let transitions finish (grabWindow renders a fresh frame itself)."""
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def wait_frame(kiosk: Kiosk, timeout_ms: int = 3000) -> None:
    loop = QEventLoop()
    kiosk.window.frameSwapped.connect(loop.quit)
    QTimer.singleShot(timeout_ms, loop.quit)
    kiosk.window.requestUpdate()
    loop.exec()
    kiosk.window.frameSwapped.disconnect(loop.quit)


def find_item(root: QQuickItem, name: str) -> QQuickItem | None:
    """The visible item called `name` under `root` (StackView pages are not QObject children)."""
    if root.objectName() == name and root.isVisible():
        return root
    for child in root.childItems():
        if (found := find_item(child, name)) is not None:
            return found
    return None


def wait_until(kiosk: Kiosk, done: Callable[[], bool], timeout_ms: int = 5000) -> bool:
    waited = 0
    while not done() and waited < timeout_ms:
        QTest.qWait(10)
        waited += 10
    return done()


def tap_center(kiosk: Kiosk) -> None:
    w = kiosk.window
    QTest.mouseClick(
        w, Qt.MouseButton.LeftButton, pos=QPointF(w.width() / 2, w.height() / 2).toPoint()
    )


def wait_for_home(kiosk: Kiosk) -> None:
    """Tap the attract screen like a shopper and return once home has drawn a frame."""
    wait_frame(kiosk)
    tap_center(kiosk)
    if not wait_until(kiosk, lambda: kiosk.nav.current_screen() == "home"):
        raise RuntimeError("the home screen did not open")
    wait_frame(kiosk)


def shoot_wayfinding(kiosk: Kiosk, lang: str, shot: Callable[[str], None]) -> None:
    """Search, a place card and a route across levels, walking and step-free."""
    kiosk.nav.push("wayfinding")
    shot(f"{lang}-wayfinding")
    kiosk.wayfinding.setQuery("haidilao")
    shot(f"{lang}-wayfinding-results")
    first = kiosk.wayfinding.result_rows()[0]
    kiosk.wayfinding.select(first.id)
    kiosk.nav.push("place")
    shot(f"{lang}-place")
    kiosk.route.routeTo(first.id, False)
    kiosk.nav.push("route")
    shot(f"{lang}-route")
    kiosk.route.setStepFree(True)
    shot(f"{lang}-route-step-free")
    kiosk.nav.home()
    kiosk.wayfinding.reset()


# Demo members of the central service's demo data (sync/server/demo_members.json): a card to
# scan, and a mobile number per language (a number may be sent one code a minute).
DEMO_MEMBER_CARD = "886000000001"
DEMO_MEMBER_PHONES = {"zh_CN": "13800138000", "en": "13700137000"}


def shoot_member(kiosk: Kiosk, lang: str, shot: Callable[[str], None]) -> None:
    """The sign-in screen; with a central service that knows the demo members, also the code
    screen and a member's card."""
    kiosk.nav.push("member")
    shot(f"{lang}-member")
    member = kiosk.member
    if member.available:
        member.requestCode(DEMO_MEMBER_PHONES[lang])
        answered = wait_until(kiosk, lambda: not member.is_busy(), 10_000)
        if answered and member.current_stage() == "code":
            shot(f"{lang}-member-code")
        member.changeNumber()
        member.scan(DEMO_MEMBER_CARD)
        answered = wait_until(kiosk, lambda: not member.is_busy(), 10_000)
        if answered and member.current_stage() == "card":
            shot(f"{lang}-member-card")
            card = find_item(kiosk.window.contentItem(), "memberCard")
            if card is not None:  # the rest of the card: benefits and recent points
                card.setProperty("contentY", card.property("contentHeight") - card.height())
                shot(f"{lang}-member-card-end")
    kiosk.nav.back()


def shoot_maintenance(kiosk: Kiosk, lang: str, shot: Callable[[str], None]) -> None:
    """The PIN pad the hidden corner opens, and maintenance mode's pages (opened directly)."""
    for _ in range(5):
        kiosk.pinpad.cornerTapped()
    shot(f"{lang}-pinpad")
    kiosk.pinpad.cancel()
    kiosk.maintenance.open()
    wait_until(kiosk, lambda: not kiosk.maintenance.is_working())
    shot(f"{lang}-maintenance")
    page = find_item(kiosk.window.contentItem(), "screen_maintenance")
    if page is not None:
        page.setProperty("tab", 1)
        kiosk.maintenance.syncNow()  # its outcome line, in the kiosk's language
        wait_until(kiosk, lambda: not kiosk.maintenance.is_working())
        shot(f"{lang}-maintenance-sync")
    kiosk.maintenance.leave()


def capture_all(kiosk: Kiosk, out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []

    def shot(name: str) -> None:
        settle(kiosk)
        path = out_dir / f"{name}.png"
        if not kiosk.window.grabWindow().save(str(path)):
            raise OSError(f"could not write {path}")
        written.append(path)
        log.info("screenshot %s", path)

    for lang in ("zh_CN", "en"):
        kiosk.shell.endSession()
        kiosk.shell.setLanguage(lang)
        shot(f"{lang}-attract")
        kiosk.shell.start()
        shot(f"{lang}-home")
        for screen in SERVICE_SCREENS:
            if screen == "wayfinding":
                continue
            if screen == "member":
                shoot_member(kiosk, lang, shot)
                continue
            kiosk.nav.push(screen)
            shot(f"{lang}-{screen}")
            kiosk.nav.back()
        shoot_wayfinding(kiosk, lang, shot)
        shoot_maintenance(kiosk, lang, shot)
        kiosk.idle.prompt_now()
        shot(f"{lang}-idle-prompt")
        kiosk.idle.extend()
        kiosk.shell.setAccessibilityMode(True)
        shot(f"{lang}-home-accessible")
        kiosk.shell.setAccessibilityMode(False)
        size = kiosk.window.size()
        kiosk.window.resize(size.height(), size.width())
        shot(f"{lang}-home-landscape")
        kiosk.window.resize(size)
    kiosk.shell.endSession()
    return written
