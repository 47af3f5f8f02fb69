"""The systemd units: `systemd-analyze verify` on them as installed in a staging root, and the
settings the kiosk depends on (watchdog, core dumps, hardening that must not hide the GPU)."""

from __future__ import annotations

import configparser
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.installer.conftest import (
    INSTALLER,
    add_executable,
    add_system_units,
    run_script,
    systemd_units_dir,
)

needs_systemd_analyze = pytest.mark.skipif(
    shutil.which("systemd-analyze") is None or systemd_units_dir() is None,
    reason="needs systemd-analyze and the system's unit files",
)


def unit(name: str) -> dict[str, list[str]]:
    """KEY -> every value it is given in the unit (keys may repeat), section by section."""
    values: dict[str, list[str]] = {}
    section = ""
    for raw in (INSTALLER / "systemd" / name).read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            section = line.strip("[]")
            continue
        key, _, value = line.partition("=")
        values.setdefault(f"{section}.{key}", []).append(value)
    return values


def verify(root: Path, *units: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["systemd-analyze", "verify", f"--root={root}", *units],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@needs_systemd_analyze
def test_systemd_analyze_verifies_both_units_as_installed(staging_root: Path) -> None:
    for script in ("install-kiosk.sh", "install-central.sh"):
        run_script(script, "--root", str(staging_root), "--no-apt", "--no-venv")
    add_system_units(staging_root)
    # What Debian's cage package and the virtual environment would provide.
    add_executable(staging_root, "/usr/bin/cage")
    add_executable(staging_root, "/opt/mall-central/venv/bin/mall-central")

    done = verify(staging_root, "mall-kiosk.service", "mall-central.service")
    assert done.returncode == 0, done.stderr
    assert (done.stdout + done.stderr).strip() == ""  # not even a warning


@needs_systemd_analyze
def test_systemd_analyze_catches_a_broken_unit(staging_root: Path) -> None:
    run_script("install-kiosk.sh", "--root", str(staging_root), "--no-apt", "--no-venv")
    add_system_units(staging_root)
    done = verify(staging_root, "mall-kiosk.service")  # no cage in this root
    assert done.returncode != 0
    assert "/usr/bin/cage" in done.stderr

    add_executable(staging_root, "/usr/bin/cage")
    installed = staging_root / "etc/systemd/system/mall-kiosk.service"
    installed.write_text(
        installed.read_text(encoding="utf-8").replace("Type=notify", "Typ=notify"),
        encoding="utf-8",
    )
    done = verify(staging_root, "mall-kiosk.service")
    assert "Unknown key" in done.stderr


def test_the_kiosk_unit_runs_cage_on_tty1_with_a_watchdog_the_kiosk_can_feed() -> None:
    kiosk = unit("mall-kiosk.service")
    assert kiosk["Service.ExecStart"] == [
        "/usr/bin/cage -d -- /opt/mall-kiosk/bin/mall-kiosk-session"
    ]  # no -s: no switching to a console from the kiosk's keyboard
    assert kiosk["Service.User"] == ["mallkiosk"]
    assert kiosk["Service.PAMName"] == ["login"]
    assert kiosk["Service.TTYPath"] == ["/dev/tty1"]
    assert kiosk["Service.Type"] == ["notify"]
    # The kiosk is cage's child, not the main process: with NotifyAccess=main systemd would
    # drop its READY=1 and WATCHDOG=1.
    assert kiosk["Service.NotifyAccess"] == ["all"]
    assert int(kiosk["Service.WatchdogSec"][0]) >= 10
    assert kiosk["Service.Restart"] == ["always"]
    assert kiosk["Service.LimitCORE"] == ["0"]
    environment = dict(v.split("=", 1) for v in kiosk["Service.Environment"])
    assert environment["QT_QPA_PLATFORM"] == "wayland"
    assert environment["QT_IM_MODULE"] == "qtvirtualkeyboard"
    assert environment["MALLKIOSK_CONFIG"] == "/etc/mall-kiosk/device.toml"
    assert environment["MALLKIOSK__PATHS__DATA_DIR"] == "/var/lib/mall-kiosk"


def test_the_kiosk_unit_s_hardening_leaves_cage_its_devices_and_runtime_dir() -> None:
    kiosk = unit("mall-kiosk.service")
    assert kiosk["Service.ProtectSystem"] == ["strict"]
    assert kiosk["Service.NoNewPrivileges"] == ["yes"]
    assert kiosk["Service.PrivateTmp"] == ["yes"]
    writable = " ".join(kiosk["Service.ReadWritePaths"]).split()
    for path in ("/var/lib/mall-kiosk", "/etc/mall-kiosk", "/run/user"):
        assert path in writable
    # Each of these would cut cage off from /dev/dri, /dev/input or its Wayland socket.
    for key in ("PrivateDevices", "DevicePolicy", "ProtectClock", "ProtectHome", "PrivateUsers"):
        assert f"Service.{key}" not in kiosk, key
    assert "-/home" in " ".join(kiosk["Service.InaccessiblePaths"]).split()


def test_the_central_unit_runs_as_its_own_user_with_its_database_in_var_lib() -> None:
    central = unit("mall-central.service")
    assert central["Service.User"] == ["mallcentral"]
    assert central["Service.ExecStart"][0].startswith(
        "/opt/mall-central/venv/bin/mall-central serve"
    )
    environment = dict(v.split("=", 1) for v in central["Service.Environment"])
    assert environment["MALL_CENTRAL_DB"] == "sqlite:////var/lib/mall-central/central.sqlite3"
    assert central["Service.StateDirectory"] == ["mall-central"]
    assert central["Service.ProtectSystem"] == ["strict"]
    assert central["Service.ProtectHome"] == ["yes"]
    assert central["Service.LimitCORE"] == ["0"]


def test_the_units_parse_as_ini() -> None:
    for name in ("mall-kiosk.service", "mall-central.service"):
        parser = configparser.ConfigParser(strict=False, interpolation=None)
        parser.optionxform = str  # type: ignore[assignment,method-assign]
        parser.read(INSTALLER / "systemd" / name, encoding="utf-8")
        assert parser.sections() == ["Unit", "Service", "Install"]
        assert parser["Install"]["WantedBy"] == "multi-user.target"
