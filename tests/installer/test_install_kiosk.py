"""install-kiosk.sh and uninstall.sh into a temporary staging root (--root): what lands where,
with which mode, what a re-run (an upgrade) keeps, and what --dry-run leaves alone."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from tests.installer.conftest import INSTALLER, REPO, Run, mode, run_script

# Where each of our files lands, and its mode.
KIOSK_FILES = {
    "etc/systemd/system/mall-kiosk.service": (INSTALLER / "systemd/mall-kiosk.service", 0o644),
    "etc/udev/rules.d/60-mall-kiosk.rules": (INSTALLER / "udev/60-mall-kiosk.rules", 0o644),
    "etc/modprobe.d/mall-kiosk-usblp.conf": (
        INSTALLER / "modprobe.d/mall-kiosk-usblp.conf",
        0o644,
    ),
    "etc/sysusers.d/mall-kiosk.conf": (INSTALLER / "sysusers.d/mall-kiosk.conf", 0o644),
    "etc/tmpfiles.d/mall-kiosk.conf": (INSTALLER / "tmpfiles.d/mall-kiosk.conf", 0o644),
    "opt/mall-kiosk/bin/mall-kiosk-session": (INSTALLER / "bin/mall-kiosk-session", 0o755),
    "usr/local/bin/mall-kiosk": (INSTALLER / "bin/mall-kiosk", 0o755),
    "etc/default/mall-kiosk": (INSTALLER / "default/mall-kiosk", 0o644),
    "etc/mall-kiosk/device.toml": (REPO / "config/example-device.toml", 0o640),
}
KIOSK_DIRS = {"etc/mall-kiosk": 0o770, "var/lib/mall-kiosk": 0o750, "var/log/mall-kiosk": 0o750}
WANTS = "etc/systemd/system/multi-user.target.wants/mall-kiosk.service"
GETTY = "etc/systemd/system/getty.target.wants/getty@tty1.service"


def test_dry_run_into_a_staging_root_changes_nothing_and_says_what_it_would_do(
    staging_root: Path,
) -> None:
    done = run_script("install-kiosk.sh", "--root", str(staging_root), "--no-apt", "--dry-run")
    assert list(staging_root.iterdir()) == []
    for path in (*KIOSK_FILES, *KIOSK_DIRS):
        assert f"/{path}" in done.stderr, path
    assert "would link /" + WANTS in done.stderr
    # No Python in an empty root: a real run would stop there, and the dry run says so.
    assert "would fail" in done.stderr
    assert "/usr/bin/python3" in done.stderr


def test_install_puts_every_file_in_place_with_its_mode(staging_root: Path, install: Run) -> None:
    getty = staging_root / GETTY
    getty.parent.mkdir(parents=True)
    getty.symlink_to("/lib/systemd/system/getty@.service")

    install()

    for path, (source, wanted) in KIOSK_FILES.items():
        landed = staging_root / path
        assert landed.is_file(), path
        assert mode(landed) == wanted, f"{path}: {oct(mode(landed))}"
        assert landed.read_bytes() == source.read_bytes(), path
    for path, wanted in KIOSK_DIRS.items():
        assert (staging_root / path).is_dir(), path
        assert mode(staging_root / path) == wanted, f"{path}: {oct(mode(staging_root / path))}"
    wants = staging_root / WANTS
    assert wants.is_symlink()
    assert os.readlink(wants) == "/etc/systemd/system/mall-kiosk.service"
    assert not getty.is_symlink()  # tty1 is the kiosk's
    assert not (staging_root / "opt/mall-kiosk/venv").exists()  # --no-venv


def test_a_re_run_upgrades_our_files_and_keeps_the_site_s(staging_root: Path, install: Run) -> None:
    install()
    device = staging_root / "etc/mall-kiosk/device.toml"
    settings = staging_root / "etc/default/mall-kiosk"
    unit = staging_root / "etc/systemd/system/mall-kiosk.service"
    device.write_text('[device]\ncode = "K12"\n', encoding="utf-8")
    settings.write_text("MALLKIOSK_OUTPUT_TRANSFORM=90\n", encoding="utf-8")
    unit.write_text("[Service]\nExecStart=/bin/false\n", encoding="utf-8")

    done = install()

    assert device.read_text(encoding="utf-8") == '[device]\ncode = "K12"\n'
    assert settings.read_text(encoding="utf-8") == "MALLKIOSK_OUTPUT_TRANSFORM=90\n"
    assert "keeping /etc/mall-kiosk/device.toml" in done.stderr
    assert unit.read_bytes() == (INSTALLER / "systemd/mall-kiosk.service").read_bytes()


def test_keep_usblp_leaves_the_printer_driver_alone(staging_root: Path, install: Run) -> None:
    install()
    blacklist = staging_root / "etc/modprobe.d/mall-kiosk-usblp.conf"
    assert "blacklist usblp" in blacklist.read_text(encoding="utf-8")
    install("--keep-usblp")
    assert not blacklist.exists()


def test_bad_options_are_refused_clearly(staging_root: Path) -> None:
    done = run_script("install-kiosk.sh", "--frobnicate", check=False)
    assert done.returncode != 0
    assert "unknown option --frobnicate" in done.stderr
    done = run_script("install-kiosk.sh", "--root", str(staging_root / "nowhere"), check=False)
    assert done.returncode != 0
    assert "no such directory" in done.stderr
    done = run_script(
        "install-kiosk.sh", "--wheel", str(REPO / "pyproject.toml"), "--dry-run", check=False
    )
    assert done.returncode != 0
    assert "not a wheel" in done.stderr
    assert list(staging_root.iterdir()) == []


def test_help_lists_the_options() -> None:
    done = run_script("install-kiosk.sh", "--help")
    for option in ("--dry-run", "--root", "--wheel", "--no-apt", "--no-venv", "--keep-usblp"):
        assert option in done.stdout


@pytest.mark.skipif(shutil.which("runuser") is None, reason="needs runuser to drop root")
def test_without_root_it_stops_with_a_clear_message() -> None:
    # A copy another user can read wherever the checkout is.
    copy = Path(tempfile.mkdtemp(prefix="installer-"))
    try:
        shutil.copytree(INSTALLER, copy / "installer")
        copy.chmod(0o755)
        for path in copy.rglob("*"):
            path.chmod(0o755 if path.is_dir() else path.stat().st_mode | 0o444)
        command = ["bash", str(copy / "installer/install-kiosk.sh"), "--no-apt"]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "nobody", "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    finally:
        shutil.rmtree(copy)
    assert done.returncode == 1, done.stderr
    assert "run this as root" in done.stderr
    assert "--dry-run" in done.stderr


def test_uninstall_keeps_data_and_the_device_file_unless_purge(
    staging_root: Path, install: Run
) -> None:
    install()
    data = staging_root / "var/lib/mall-kiosk"
    (data / "cache.sqlite3").write_bytes(b"outbox")
    run_script("uninstall.sh", "--root", str(staging_root))

    for path in KIOSK_FILES:
        if path in ("etc/mall-kiosk/device.toml", "etc/default/mall-kiosk"):
            assert (staging_root / path).exists(), path
        else:
            assert not (staging_root / path).exists(), path
    assert not (staging_root / WANTS).is_symlink()
    assert (data / "cache.sqlite3").read_bytes() == b"outbox"
    assert (staging_root / "var/log/mall-kiosk").is_dir()

    done = run_script("uninstall.sh", "--root", str(staging_root), "--purge", "--dry-run")
    assert "would remove /var/lib/mall-kiosk" in done.stderr
    assert data.exists()
    run_script("uninstall.sh", "--root", str(staging_root), "--purge")
    for path in ("var/lib/mall-kiosk", "var/log/mall-kiosk", "etc/mall-kiosk"):
        assert not (staging_root / path).exists(), path
    assert not (staging_root / "etc/default/mall-kiosk").exists()


def _copy_accounts(root: Path) -> None:
    (root / "etc").mkdir(exist_ok=True)
    for name in ("passwd", "group", "shadow", "gshadow"):
        if Path("/etc", name).exists():
            shutil.copy2(Path("/etc", name), root / "etc" / name)


@pytest.mark.skipif(os.geteuid() != 0, reason="setting owners needs root")
@pytest.mark.skipif(
    shutil.which("systemd-sysusers") is None or shutil.which("systemd-tmpfiles") is None,
    reason="needs systemd-sysusers and systemd-tmpfiles",
)
def test_an_image_root_gets_the_user_its_groups_and_the_owners(
    staging_root: Path, install: Run
) -> None:
    _copy_accounts(staging_root)
    install()
    install()  # idempotent: no second user, no error

    users = [
        line.split(":")
        for line in (staging_root / "etc/passwd").read_text(encoding="utf-8").splitlines()
    ]
    kiosk = [u for u in users if u[0] == "mallkiosk"]
    assert len(kiosk) == 1
    _name, _pw, uid, gid, _gecos, home, shell = kiosk[0]
    assert home == "/var/lib/mall-kiosk"
    assert shell in ("/usr/sbin/nologin", "/sbin/nologin")
    assert int(uid) < 1000  # a system user
    groups = {
        fields[0]: (int(fields[2]), fields[3].split(","))
        for fields in (
            line.split(":")
            for line in (staging_root / "etc/group").read_text(encoding="utf-8").splitlines()
        )
    }
    for group in ("lp", "dialout", "video", "render", "input"):
        assert "mallkiosk" in groups[group][1], group
    kiosk_gid = groups["mallkiosk"][0]
    assert int(gid) == kiosk_gid

    def owner(path: str) -> tuple[int, int]:
        st = (staging_root / path).stat()
        return st.st_uid, st.st_gid

    assert owner("etc/mall-kiosk") == (0, kiosk_gid)
    assert owner("etc/mall-kiosk/device.toml") == (0, kiosk_gid)
    assert owner("var/lib/mall-kiosk") == (int(uid), kiosk_gid)
    assert owner("var/log/mall-kiosk") == (int(uid), kiosk_gid)
    assert mode(staging_root / "etc/mall-kiosk/device.toml") == 0o640
