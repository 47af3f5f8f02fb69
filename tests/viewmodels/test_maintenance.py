"""The PIN pad's hidden corner, and maintenance mode's actions on the real kiosk: enrolling with
the real central service, the test print, kept-aside submissions, export to a USB folder."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from kiosk.app import Kiosk, _current_pin_hash, build
from kiosk.config import KioskConfig, setting_field
from kiosk.maintenance.audit import AuditAction, AuditLog
from kiosk.maintenance.pin import PinGuard, hash_pin
from kiosk.maintenance.setting_words import DESCRIPTIONS_ZH
from kiosk.store import outbox_repo
from kiosk.store.db import open_cache
from kiosk.viewmodels.maintenance import SECTIONS
from kiosk.viewmodels.pinpad import CORNER_TAPS, CORNER_WINDOW_S, PinPadViewModel
from tests.central import Central
from tests.e2e.conftest import FAST_IDLE

PIN = "246813"


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def pinpad(tmp_path: Path) -> Iterator[tuple[PinPadViewModel, Clock]]:
    engine, sessions = open_cache(tmp_path / "cache.sqlite3")
    guard = PinGuard(sessions, AuditLog(sessions), hash_pin(PIN, n=2**10))
    clock = Clock()
    vm = PinPadViewModel(guard, clock=clock)
    yield vm, clock
    vm.join()
    engine.dispose()


def test_five_quick_corner_taps_open_the_pad(pinpad: tuple[PinPadViewModel, Clock]) -> None:
    vm, clock = pinpad
    for _ in range(CORNER_TAPS - 1):
        vm.cornerTapped()
        clock.now += 0.5
    assert not vm.shown
    vm.cornerTapped()
    assert vm.shown
    assert vm.messageEn == "Enter the maintenance PIN"


def test_taps_spread_out_do_not_add_up(pinpad: tuple[PinPadViewModel, Clock]) -> None:
    vm, clock = pinpad
    for _ in range(CORNER_TAPS * 3):
        vm.cornerTapped()
        clock.now += CORNER_WINDOW_S / (CORNER_TAPS - 1) + 0.01
    assert not vm.shown


def test_the_pin_opens_and_is_forgotten(
    qtbot: QtBot, pinpad: tuple[PinPadViewModel, Clock]
) -> None:
    vm, _ = pinpad
    for _ in range(CORNER_TAPS):
        vm.cornerTapped()
    for digit in PIN:
        vm.press(digit)
    vm.press("x")  # not a digit: ignored
    assert vm.digits == len(PIN)
    with qtbot.waitSignal(vm.granted, timeout=5000):
        vm.submit()
    assert vm.digits == 0
    assert not vm.shown


@pytest.fixture
def kiosk(  # type: ignore[no-untyped-def]
    qapp, qtbot: QtBot, make_config: Callable[..., KioskConfig], central: Central, tmp_path: Path
) -> Iterator[Kiosk]:
    config = make_config(f'[sync]\nserver_url = "{central.base_url}"\n[printer]\nbackend = "png"\n')
    k = build(
        config, qapp, idle_policy=FAST_IDLE, windowed=True, device_file=tmp_path / "device.toml"
    )
    qtbot.waitExposed(k.window)
    k.maintenance.open()
    yield k
    k.close()


def settle(qtbot: QtBot, kiosk: Kiosk) -> None:
    qtbot.waitUntil(lambda: not kiosk.maintenance.is_working(), timeout=15_000)


def test_enroll_from_maintenance_mode(qtbot: QtBot, kiosk: Kiosk, central: Central) -> None:
    assert kiosk.sync_agent is not None
    assert not kiosk.sync_agent.is_enrolled
    kiosk.maintenance.setStaff("Zhang Wei")
    kiosk.maintenance.enroll("WRONG-CODE-123")
    settle(qtbot, kiosk)
    assert "Enrolled" not in kiosk.maintenance.last_message()
    kiosk.maintenance.enroll(central.mint_code())
    settle(qtbot, kiosk)
    assert kiosk.maintenance.last_message().startswith("Enrolled as kiosk K01")
    assert kiosk.sync_agent.is_enrolled
    actions = [(e.who, e.action) for e in kiosk.audit.recent(10)]
    assert ("Zhang Wei", AuditAction.ENROLL) in actions
    assert ("Zhang Wei", AuditAction.ENROLL_FAILED) in actions


def test_test_print_and_kept_aside_items(qtbot: QtBot, kiosk: Kiosk, data_dir: Path) -> None:
    kiosk.maintenance.testPrint()
    qtbot.waitUntil(lambda: "printed" in kiosk.maintenance.last_message(), timeout=10_000)
    assert list((data_dir / "receipts").glob("*.png"))

    with kiosk.sessions.begin() as session:
        item = str(uuid.uuid4())
        outbox_repo.add(
            session,
            uuid=item,
            kind="complaint",
            ticket_no="C-K01-0001-V",
            payload={},
            token_sha256="0" * 64,
            created_at=dt.datetime.now(dt.UTC),
        )
        outbox_repo.reject(session, item, "store_id: unknown store")
    kiosk.maintenance.refresh()
    settle(qtbot, kiosk)
    rows = kiosk.maintenance.rejected.rows()
    assert [(r.ticketNo, r.reason) for r in rows] == [("C-K01-0001-V", "store_id: unknown store")]


def test_export_logs_and_diagnostics(qtbot: QtBot, kiosk: Kiosk, tmp_path: Path) -> None:
    kiosk.maintenance.exportTo(str(tmp_path / "no-stick-here"))
    settle(qtbot, kiosk)
    assert "is not a folder" in kiosk.maintenance.last_message()

    stick = tmp_path / "usb"
    stick.mkdir()
    kiosk.maintenance.exportTo(str(stick))
    settle(qtbot, kiosk)
    assert "written to" in kiosk.maintenance.last_message()
    (folder,) = stick.iterdir()
    # The screen says it in the kiosk's language (Chinese by default), the folder filled in.
    assert kiosk.maintenance.message == f"日志和诊断报告已写入 {folder}。"
    assert (folder / "kiosk.log").is_file()
    report = (folder / "diagnostics.txt").read_text("utf-8")
    for part in (
        "Kiosk: K01",
        "== sync ==",
        "Central service: ",
        "(device file)",
        "== settings ==",
        "== doctor ==",
        "== audit log",
    ):
        assert part in report
    assert "scrypt$" not in report
    assert kiosk.audit.recent(1)[0].action == AuditAction.EXPORT


def test_settings_of_a_page(qtbot: QtBot, kiosk: Kiosk) -> None:
    kiosk.maintenance.showSection("printer")
    settle(qtbot, kiosk)
    qtbot.waitUntil(lambda: bool(kiosk.maintenance.settings_rows()), timeout=5000)
    rows = {r.key: r for r in kiosk.maintenance.settings_rows()}
    assert rows["printer.backend"].value == '"png"'
    # Where each value comes from, in the kiosk's language (Chinese by default).
    assert rows["printer.backend"].source == "设备配置文件"
    assert rows["printer.paper_mm"].source == "默认值"
    assert rows["printer.port"].description == DESCRIPTIONS_ZH["printer.port"]


def test_every_setting_staff_see_is_described_in_chinese() -> None:
    shown = {key for keys in SECTIONS.values() for key in keys}
    assert shown == set(DESCRIPTIONS_ZH)
    for key in shown:
        # The same numbers as the English description (ranges, ports, widths).
        english = setting_field(key).description or ""  # type: ignore[union-attr]
        assert sorted(re.findall(r"\d+", DESCRIPTIONS_ZH[key])) == sorted(
            re.findall(r"\d+", english)
        ), key


def test_a_new_pin_applies_without_a_restart(qtbot: QtBot, tmp_path: Path) -> None:
    device = tmp_path / "device.toml"
    device.write_text(f'[maintenance]\npin_hash = "{hash_pin(PIN, n=2**10)}"\n', "utf-8")
    engine, sessions = open_cache(tmp_path / "cache.sqlite3")
    guard = PinGuard(sessions, AuditLog(sessions), hash_pin(PIN, n=2**10))
    vm = PinPadViewModel(guard, current_hash=lambda: _current_pin_hash(device, "unused"))
    try:
        new_pin = "864213"
        # `mall-kiosk set-pin` on the running kiosk: only the device file changes.
        device.write_text(f'[maintenance]\npin_hash = "{hash_pin(new_pin, n=2**10)}"\n', "utf-8")
        for _ in range(CORNER_TAPS):
            vm.cornerTapped()
        for digit in PIN:
            vm.press(digit)
        vm.submit()
        qtbot.waitUntil(lambda: not vm.busy, timeout=5000)
        assert "Wrong PIN" in vm.messageEn  # the old PIN no longer opens it
        for digit in new_pin:
            vm.press(digit)
        with qtbot.waitSignal(vm.granted, timeout=5000):
            vm.submit()
    finally:
        vm.join()
        engine.dispose()


def test_a_failing_check_leaves_the_pad_usable(
    qtbot: QtBot, pinpad: tuple[PinPadViewModel, Clock], tmp_path: Path
) -> None:
    vm, _ = pinpad
    for _ in range(CORNER_TAPS):
        vm.cornerTapped()
    # The cache file is overwritten with junk under the running kiosk: the check meets a
    # database error nobody planned for.
    vm._guard._sessions.kw["bind"].dispose()  # type: ignore[attr-defined]
    for path in tmp_path.glob("cache.sqlite3-*"):
        path.unlink()
    (tmp_path / "cache.sqlite3").write_bytes(b"not a database " * 1000)
    for digit in PIN:
        vm.press(digit)
    vm.submit()
    qtbot.waitUntil(lambda: not vm.busy, timeout=5000)
    assert "cannot be opened" in vm.messageEn
    vm.cancel()
    for _ in range(CORNER_TAPS):
        vm.cornerTapped()
    vm.press("1")
    assert vm.digits == 1  # not stuck busy
