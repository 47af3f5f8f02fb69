"""Maintenance mode end to end, offscreen: the hidden corner, the PIN pad and its lockout, the
audit log, a setting changed on screen and saved to the device file, leaving by itself."""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from kiosk.app import Kiosk, build
from kiosk.config import KioskConfig
from kiosk.maintenance.audit import AuditAction
from kiosk.maintenance.pin import hash_pin
from kiosk.services.session import IdlePolicy
from tests.e2e.conftest import Driver

pytestmark = pytest.mark.e2e

PIN = "246813"
IDLE = IdlePolicy(
    browse_s=30, form_s=30, member_s=30, countdown_s=2, accessible_factor=1.0, maintenance_s=3
)


@pytest.fixture
def device_file(tmp_path: Path) -> Path:
    return tmp_path / "device.toml"


@pytest.fixture
def kiosk(  # type: ignore[no-untyped-def]
    qapp, qtbot: QtBot, make_config: Callable[..., KioskConfig], device_file: Path, qt_messages
) -> Iterator[Kiosk]:
    # A cheap hash keeps the test quick; the kiosk reads the cost from the hash itself.
    config = make_config(
        f'[maintenance]\npin_hash = "{hash_pin(PIN, n=2**10)}"\nlockout_attempts = 3\n'
    )
    k = build(config, qapp, idle_policy=IDLE, windowed=True, device_file=device_file)
    qtbot.waitExposed(k.window)
    yield k
    k.close()
    qtbot.wait(50)
    assert qt_messages.problems() == []


def tap_corner(driver: Driver, times: int) -> None:
    for _ in range(times):
        QTest.mouseClick(
            driver.kiosk.window,
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
            QPointF(20, 20).toPoint(),
        )
        driver.qtbot.wait(60)


def type_pin(driver: Driver, pin: str) -> None:
    for digit in pin:
        driver.tap(f"pin_{digit}")
    driver.tap("pinOk")


def audit_actions(kiosk: Kiosk) -> list[str]:
    return [entry.action for entry in kiosk.audit.recent(100)]


def test_corner_pin_and_a_setting_saved(driver: Driver, kiosk: Kiosk, device_file: Path) -> None:
    tap_corner(driver, 4)  # four is not enough
    driver.qtbot.wait(100)
    assert not kiosk.pinpad.shown
    driver.qtbot.wait(3200)  # and taps spread over more than three seconds do not add up
    tap_corner(driver, 5)
    driver.wait_for(lambda: driver.shows("pinPadContent"))
    # The pad shows how many digits, never which.
    driver.tap("pin_2")
    driver.tap("pin_4")
    assert driver.item("pinDots").property("text") == "●●"
    driver.tap("pinBackspace")
    driver.tap("pinBackspace")
    type_pin(driver, PIN)
    driver.wait_for(lambda: kiosk.nav.current == "maintenance", timeout=5000)
    assert not kiosk.pinpad.shown
    assert AuditAction.PIN_OK in audit_actions(kiosk)

    # Staff sign the log, then change the default language on the Display page.
    driver.tap("maintenanceStaff")
    for char in "Li":
        QTest.keyClick(kiosk.window, char)
    driver.tap("maintenanceTab_3")
    driver.wait_for(lambda: driver.shows("settingValue_display.language"))
    driver.tap("settingValue_display.language")
    for char in "en":
        QTest.keyClick(kiosk.window, char)
    driver.tap("settingSave_display.language")
    driver.wait_for(lambda: "Saved display.language" in kiosk.maintenance.last_message(), 5000)
    assert tomllib.loads(device_file.read_text("utf-8"))["display"]["language"] == "en"
    entry = kiosk.audit.recent(1)[0]
    assert entry.action == AuditAction.CONFIG_SET
    assert entry.who == "Li"

    # A value the kiosk cannot use is refused with a message, and the file keeps its value.
    driver.tap("settingValue_session.idle_timeout_s")
    for char in "abc":
        QTest.keyClick(kiosk.window, char)
    driver.tap("settingSave_session.idle_timeout_s")
    driver.wait_for(lambda: "idle_timeout_s" in kiosk.maintenance.last_message(), 5000)
    assert "Saved" not in kiosk.maintenance.last_message()
    assert "idle_timeout_s" not in tomllib.loads(device_file.read_text("utf-8")).get("session", {})

    driver.tap("maintenanceLeave")
    driver.wait_for(lambda: kiosk.nav.current == "home")
    assert kiosk.audit.recent(1)[0].action == AuditAction.MAINTENANCE_CLOSED


def test_wrong_pins_lock_the_pad_and_are_audited(driver: Driver, kiosk: Kiosk) -> None:
    tap_corner(driver, 5)
    driver.wait_for(lambda: driver.shows("pinPadContent"))
    for left in (2, 1):
        type_pin(driver, "999000")
        driver.wait_for(lambda left=left: f"{left} tries left" in kiosk.pinpad.messageEn, 5000)
    type_pin(driver, "999000")
    driver.wait_for(lambda: kiosk.pinpad.locked, 5000)
    assert "Try again in" in kiosk.pinpad.messageEn
    assert not driver.item("pin_1").isEnabled()
    assert kiosk.nav.current != "maintenance"
    # Locked: even the right PIN does not open it (the pad refuses before checking).
    kiosk.pinpad.press("2")
    assert kiosk.pinpad.digits == 0
    driver.tap("pinCancel")
    driver.wait_for(lambda: not driver.shows("pinPadContent"))
    tap_corner(driver, 5)
    driver.wait_for(lambda: driver.shows("pinPadContent"))
    assert kiosk.pinpad.locked
    actions = audit_actions(kiosk)
    assert actions.count(AuditAction.PIN_FAILED) == 3
    assert AuditAction.PIN_OK not in actions


def test_maintenance_mode_leaves_by_itself(driver: Driver, kiosk: Kiosk) -> None:
    tap_corner(driver, 5)
    driver.wait_for(lambda: driver.shows("pinPadContent"))
    type_pin(driver, PIN)
    driver.wait_for(lambda: kiosk.nav.current == "maintenance", timeout=5000)
    # Idle for maintenance_s, then the countdown: back to the attract screen, audited.
    driver.wait_for(lambda: kiosk.nav.current == "attract", timeout=10_000)
    entry = kiosk.audit.recent(1)[0]
    assert entry.action == AuditAction.MAINTENANCE_CLOSED
    assert entry.details.get("how") == "idle"
