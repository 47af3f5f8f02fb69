"""`mall-kiosk doctor`: every check passes on a good machine and, made to fail, says so with a fix.

The failures are real: a missing font directory, a Python without PySide6, a dead port, a
corrupt database file, a revoked token, a disk "full" by threshold, a broken device file.
"""

from __future__ import annotations

import shutil
import socket
import sqlite3
import sys
from pathlib import Path

import pytest

from kiosk.config import KioskConfig
from kiosk.maintenance import doctor
from kiosk.maintenance.doctor import (
    CheckResult,
    check_central,
    check_config,
    check_database,
    check_disk,
    check_display_libraries,
    check_enrollment,
    check_fonts,
    check_pin,
    check_printer,
    check_qt_platform,
    check_virtual_keyboard,
    format_results,
    has_failures,
    run_checks,
)
from kiosk.printing.config import PrinterConfig
from kiosk.store.db import HEAD_REVISION, open_cache
from tests.central import Central, enroll_data_dir

NOTO = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
needs_noto = pytest.mark.skipif(not NOTO.is_file(), reason="fonts-noto-cjk is not installed")


def assert_fails(result: CheckResult, *fragments: str) -> None:
    assert result.status == "FAIL", result
    for fragment in fragments:
        assert fragment in f"{result.summary}\n{result.fix}", result
    assert result.fix


@pytest.fixture
def dead_port() -> int:
    """A port on 127.0.0.1 where nothing listens."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# --- configuration ------------------------------------------------------------------------------


def test_config_check_passes_and_fails(tmp_path: Path) -> None:
    good = tmp_path / "good.toml"
    good.write_text('[display]\nlanguage = "en"\n', encoding="utf-8")
    result, report = check_config(good, {})
    assert result.status == "PASS"
    assert report is not None
    assert report.config is not None

    broken = tmp_path / "broken.toml"
    broken.write_text("[session]\nidle_timeout_s = 5\n", encoding="utf-8")
    result, report = check_config(broken, {})
    assert_fails(result, "session.idle_timeout_s = 5", "mall-kiosk config set")
    assert report is not None
    assert report.config is None

    unreadable = tmp_path / "not-toml.toml"
    unreadable.write_text("[session\n", encoding="utf-8")
    result, report = check_config(unreadable, {})
    assert_fails(result, "line 1")
    assert report is None


def test_pin_check() -> None:
    assert check_pin(KioskConfig()).status == "WARN"
    assert "set-pin" in str(check_pin(KioskConfig()).fix)
    with_pin = KioskConfig.model_validate(
        {"maintenance": {"pin_hash": "scrypt$n=1024,r=8,p=1$c2FsdA==$a2V5"}}
    )
    assert check_pin(with_pin).status == "PASS"


# --- display, fonts, keyboard ---------------------------------------------------------------------


def test_display_libraries_pass_here_and_name_the_package_of_a_missing_one() -> None:
    assert check_display_libraries().status == "PASS"
    from ctypes.util import find_library

    def without_egl_and_xkb(name: str) -> str | None:
        return None if name in ("EGL", "xkbcommon") else find_library(name)

    result = check_display_libraries(without_egl_and_xkb, platform="linux")
    assert_fails(result, "libEGL", "libxkbcommon", "apt install libegl1 libxkbcommon0")
    assert check_display_libraries(lambda _: None, platform="win32").status == "PASS"


def test_qt_platform_starts_here_and_fails_without_pyside6() -> None:
    result = check_qt_platform()
    assert result.status == "PASS", result
    assert "offscreen" in result.summary
    # -S: no site-packages, so no PySide6 — a broken install, for real.
    result = check_qt_platform((sys.executable, "-S"))
    assert_fails(result, "No module named 'PySide6'", "pip install PySide6")


@needs_noto
def test_fonts_found_with_fontconfig_and_in_a_font_directory(tmp_path: Path) -> None:
    assert check_fonts().status == "PASS"
    fonts = tmp_path / "fonts"
    fonts.mkdir()
    (fonts / NOTO.name).symlink_to(NOTO)
    result = check_fonts(font_dirs=[fonts], use_fontconfig=False)
    assert result.status == "PASS"
    assert str(fonts) in result.summary


def test_no_chinese_font_fails_with_the_package_to_install(tmp_path: Path) -> None:
    empty = tmp_path / "fonts"
    empty.mkdir()
    result = check_fonts(font_dirs=[empty, tmp_path / "missing"], use_fontconfig=False)
    assert_fails(result, "Noto Sans CJK", "apt install fonts-noto-cjk")


def test_a_damaged_font_file_fails(tmp_path: Path) -> None:
    fonts = tmp_path / "fonts"
    fonts.mkdir()
    (fonts / "NotoSansCJK-Regular.ttc").write_bytes(b"not a font" * 100)
    result = check_fonts(font_dirs=[fonts], use_fontconfig=False)
    assert_fails(result, "cannot be loaded", "--reinstall fonts-noto-cjk")


def test_a_configured_receipt_font_that_is_missing_fails(tmp_path: Path) -> None:
    result = check_fonts(str(tmp_path / "nope.ttf"), use_fontconfig=False)
    assert_fails(result, "printer.font_path", "nope.ttf")


def test_virtual_keyboard_is_found_in_pyside6_and_missing_parts_are_named(
    tmp_path: Path,
) -> None:
    result = check_virtual_keyboard()
    assert result.status == "PASS", result

    qt = tmp_path / "Qt"
    (qt / "plugins" / "platforminputcontexts").mkdir(parents=True)
    assert_fails(check_virtual_keyboard(qt), "Virtual Keyboard plugin", "PySide6-Addons==")
    (qt / "plugins" / "platforminputcontexts" / "libqtvirtualkeyboardplugin.so").touch()
    assert_fails(check_virtual_keyboard(qt), "Pinyin", "PySide6-Addons==")
    pinyin = qt / "qml" / "QtQuick" / "VirtualKeyboard" / "Plugins" / "Pinyin"
    pinyin.mkdir(parents=True)
    (pinyin / "libqtvkbpinyinplugin.so").touch()
    assert check_virtual_keyboard(qt).status == "PASS"


# --- printer ----------------------------------------------------------------------------------


def test_printer_none_is_a_warning(tmp_path: Path) -> None:
    result = check_printer(PrinterConfig(), tmp_path)
    assert result.status == "WARN"
    assert "printer.backend" in str(result.fix)


def test_a_network_printer_that_does_not_answer_fails(tmp_path: Path, dead_port: int) -> None:
    config = PrinterConfig(backend="network", host="127.0.0.1", port=dead_port, timeout_s=1.0)
    result = check_printer(config, tmp_path)
    assert_fails(result, f"127.0.0.1:{dead_port}", "printer.host")


def test_a_network_printer_that_answers_ok_passes(tmp_path: Path) -> None:
    import threading

    server = socket.create_server(("127.0.0.1", 0))
    port = server.getsockname()[1]

    def printer() -> None:  # a printer that is online with paper
        conn, _ = server.accept()
        with conn:
            for reply in (b"\x16", b"\x12", b"\x12"):
                conn.recv(3)
                conn.sendall(reply)

    thread = threading.Thread(target=printer)
    thread.start()
    try:
        config = PrinterConfig(backend="network", host="127.0.0.1", port=port, timeout_s=5.0)
        result = check_printer(config, tmp_path)
    finally:
        thread.join(10)
        server.close()
    assert result.status == "PASS", result


def test_a_file_printer_on_a_missing_device_fails(tmp_path: Path) -> None:
    config = PrinterConfig(backend="file", path=str(tmp_path / "no-such-dir" / "lp0"))
    assert_fails(check_printer(config, tmp_path), "does not exist", "printer.path")
    # A file it can write to: the printer never answers, so its state stays unknown.
    writable = PrinterConfig(backend="file", path=str(tmp_path / "lp0"))
    assert check_printer(writable, tmp_path).status == "WARN"


def test_an_image_printer_whose_directory_cannot_be_written_fails(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "receipts").write_text("a file where the directory should be", encoding="utf-8")
    result = check_printer(PrinterConfig(backend="png"), locked)
    assert_fails(result, "png printer", "printer.output_dir")
    assert check_printer(PrinterConfig(backend="png"), tmp_path / "fine").status == "PASS"


# --- central service and enrollment -------------------------------------------------------------


def test_central_reachable_and_unreachable(central: Central, dead_port: int) -> None:
    result = check_central(central.base_url)
    assert result.status == "PASS", result
    assert "MallKiosk central service" in result.summary

    result = check_central(f"http://127.0.0.1:{dead_port}", timeout_s=1.0)
    assert_fails(result, f"127.0.0.1:{dead_port}", "sync.server_url")
    assert check_central("").status == "WARN"


def test_central_url_of_something_else_is_a_warning(central: Central) -> None:
    result = check_central(central.base_url + "/v1")
    assert result.status == "WARN"


def test_enrollment_not_enrolled_enrolled_and_revoked(central: Central, data_dir: Path) -> None:
    assert_fails(check_enrollment(central.base_url, data_dir), "not enrolled", "mall-kiosk enroll")

    enroll_data_dir(central, data_dir)
    result = check_enrollment(central.base_url, data_dir)
    assert result.status == "PASS", result
    assert "K07" in result.summary

    assert_fails(
        check_enrollment("http://central.other.example", data_dir), "enrolled with", "enroll"
    )

    assert central.revoke("K07") == 1
    assert_fails(check_enrollment(central.base_url, data_dir), "refuses", "mall-kiosk enroll")


def test_enrollment_cannot_be_checked_while_the_service_is_down(
    central: Central, data_dir: Path
) -> None:
    enroll_data_dir(central, data_dir)
    central.server.stop()
    result = check_enrollment(central.base_url, data_dir, timeout_s=1.0)
    assert result.status == "WARN"
    assert "could not be checked" in result.summary


# --- database and disk ----------------------------------------------------------------------


def test_database_intact_missing_damaged_old_and_newer(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite3"
    assert check_database(path).status == "WARN"  # created at the next start

    engine, _ = open_cache(path)
    engine.dispose()
    result = check_database(path)
    assert result.status == "PASS", result
    assert HEAD_REVISION in result.summary

    with sqlite3.connect(path) as con:
        con.execute("UPDATE alembic_version SET version_num = '0003'")
    assert check_database(path).status == "WARN"
    with sqlite3.connect(path) as con:
        con.execute("UPDATE alembic_version SET version_num = '9999'")
    assert_fails(check_database(path), "newer version", "move the file aside")

    garbage = tmp_path / "garbage.sqlite3"
    garbage.write_bytes(b"this is not a database" * 200)
    assert_fails(check_database(garbage), "damaged", "restart the kiosk")


def test_a_database_with_a_damaged_page_fails_the_integrity_check(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite3"
    engine, sessions = open_cache(path)
    from sqlalchemy import text

    with sessions.begin() as session:
        session.execute(text("PRAGMA wal_checkpoint"))
    engine.dispose()
    with sqlite3.connect(path) as con:
        con.execute("PRAGMA journal_mode=DELETE")
        page_size = con.execute("PRAGMA page_size").fetchone()[0]
        pages = con.execute("PRAGMA page_count").fetchone()[0]
    assert pages > 3
    data = bytearray(path.read_bytes())
    # Scribble over the middle of the file: table pages, not the header.
    start = page_size * (pages // 2)
    data[start : start + page_size] = b"\xff" * page_size
    path.write_bytes(bytes(data))
    assert_fails(check_database(path), "damaged")


def test_disk_passes_and_fails_by_threshold(tmp_path: Path) -> None:
    data = tmp_path / "data" / "not-yet"
    free = shutil.disk_usage(tmp_path).free
    assert check_disk(data, min_free_bytes=1).status == "PASS"
    # Margins on both sides: other programs write to this disk meanwhile.
    assert check_disk(data, min_free_bytes=int(free * 0.75)).status == "WARN"
    assert_fails(check_disk(data, min_free_bytes=free * 2), "MB free", "free space")


def test_disk_that_cannot_be_written_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(doctor.os, "access", lambda _path, _mode: False)
    assert_fails(check_disk(tmp_path), "cannot write", "paths.data_dir")


# --- all together --------------------------------------------------------------------------


def test_run_checks_on_a_healthy_setup_has_no_failure(
    tmp_path: Path, data_dir: Path, central: Central
) -> None:
    device = tmp_path / "device.toml"
    device.write_text(
        f'[paths]\ndata_dir = "{data_dir.as_posix()}"\n[sync]\nserver_url = "{central.base_url}"\n',
        encoding="utf-8",
    )
    enroll_data_dir(central, data_dir)
    engine, _ = open_cache(data_dir / "cache.sqlite3")
    engine.dispose()
    results = run_checks(device, {}, min_free_bytes=1)
    names = [r.name for r in results]
    assert names == [
        "config",
        "maintenance PIN",
        "display libraries",
        "Qt platform",
        "fonts",
        "virtual keyboard",
        "printer",
        "central service",
        "enrollment",
        "database",
        "disk",
    ]
    failed = [r for r in results if r.status == "FAIL"]
    assert failed == [] or (failed[0].name == "fonts" and not NOTO.is_file())
    by_name = {r.name: r for r in results}
    assert by_name["enrollment"].status == "PASS"
    assert by_name["database"].status == "PASS"


def test_run_checks_with_a_broken_config_still_checks_the_machine(
    tmp_path: Path, data_dir: Path
) -> None:
    device = tmp_path / "device.toml"
    device.write_text(
        f'[paths]\ndata_dir = "{data_dir.as_posix()}"\n[session]\nidle_timeout_s = 5\n',
        encoding="utf-8",
    )
    (data_dir / "cache.sqlite3").write_bytes(b"garbage" * 500)
    results = {r.name: r for r in run_checks(device, {}, min_free_bytes=1)}
    assert results["config"].status == "FAIL"
    assert results["printer"].summary.startswith("not checked")
    # [paths] is still read: the damaged cache in the configured data directory is found.
    assert_fails(results["database"], str(data_dir / "cache.sqlite3"))
    assert has_failures(results.values())


def test_format_results_one_line_per_check_and_the_fix_under_a_problem() -> None:
    text = format_results(
        [
            CheckResult("config", "PASS", "device.toml is valid"),
            CheckResult("fonts", "FAIL", "no Noto Sans CJK font", "apt install fonts-noto-cjk"),
            CheckResult("printer", "WARN", "first line\nsecond line", "load paper"),
        ]
    )
    lines = text.splitlines()
    assert lines[0] == "PASS  config   device.toml is valid"
    assert lines[1] == "FAIL  fonts    no Noto Sans CJK font"
    assert lines[2].strip() == "fix: apt install fonts-noto-cjk"
    assert lines[3] == "WARN  printer  first line"
    assert lines[4].strip() == "second line"
    assert lines[5].strip() == "fix: load paper"
    assert lines[-1] == "summary: 1 PASS, 1 WARN, 1 FAIL"


def test_has_failures_only_for_fail() -> None:
    assert not has_failures([CheckResult("a", "PASS", ""), CheckResult("b", "WARN", "")])
    assert has_failures([CheckResult("a", "FAIL", "", "x")])
