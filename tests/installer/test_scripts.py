"""The installer's shell scripts: syntax, shellcheck where installed, the Debian package lists
(one shared with tools/dev.sh), the session script cage runs, and the central service's
install and uninstall."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.installer.conftest import INSTALLER, REPO, mode, run_script

SCRIPTS = sorted(
    [
        *INSTALLER.glob("*.sh"),
        *(INSTALLER / "bin").iterdir(),
        REPO / "tools/dev.sh",
    ]
)


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: str(p.relative_to(REPO)))
def test_bash_parses_every_script(script: Path) -> None:
    done = subprocess.run(["bash", "-n", str(script)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


def test_the_scripts_are_strict_and_executable() -> None:
    for script in SCRIPTS:
        text = script.read_text(encoding="utf-8")
        if script.name == "lib.sh":  # sourced, so it runs under its caller's settings
            assert text.startswith("# shellcheck shell=bash")
            continue
        assert text.startswith("#!/usr/bin/env bash\n"), script
        assert "\nset -euo pipefail\n" in text, script
        assert os.access(script, os.X_OK), script


@pytest.mark.skipif(shutil.which("shellcheck") is None, reason="shellcheck is not installed")
def test_shellcheck_finds_nothing() -> None:
    done = subprocess.run(
        ["shellcheck", "--external-sources", *map(str, SCRIPTS)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stdout


def read_packages(name: str) -> list[str]:
    words = []
    for line in (INSTALLER / name).read_text(encoding="utf-8").splitlines():
        words.extend(line.partition("#")[0].split())
    return words


@pytest.mark.parametrize(
    "name", ["debian-packages.txt", "debian-packages-kiosk.txt", "debian-packages-central.txt"]
)
def test_package_lists_hold_debian_package_names(name: str) -> None:
    packages = read_packages(name)
    assert packages
    assert len(set(packages)) == len(packages)
    for package in packages:
        assert re.fullmatch(r"[a-z0-9][a-z0-9+.-]+", package), package


def test_dev_sh_and_the_installer_read_one_package_list() -> None:
    dev = (REPO / "tools/dev.sh").read_text(encoding="utf-8")
    assert "installer/debian-packages.txt" in dev
    assert "fonts-noto-cjk" not in dev  # no second copy of the list
    # dev.sh's reading of the file gives the same names as the installer's.
    loop = dev[dev.index("DEB_PACKAGES=()") : dev.index("done <", dev.index("DEB_PACKAGES=()"))]
    script = (
        f'set -euo pipefail; ROOT="{REPO}"; {loop}done <"$ROOT/installer/debian-packages.txt"\n'
        'printf "%s\\n" "${DEB_PACKAGES[@]}"'
    )
    done = subprocess.run(["bash", "-c", script], capture_output=True, text=True, check=True)
    assert done.stdout.split() == read_packages("debian-packages.txt")
    assert "fonts-noto-cjk" in done.stdout.split()
    assert "cage" in read_packages("debian-packages-kiosk.txt")


def _fake_bin(directory: Path, name: str, body: str) -> None:
    path = directory / name
    path.write_text(f"#!/usr/bin/env bash\n{body}\n", encoding="utf-8")
    path.chmod(0o755)


@pytest.mark.parametrize(
    ("transform", "rotation", "output", "expected"),
    [
        ("", "0", "", []),
        ("normal", "90", "", []),  # /etc/default/mall-kiosk wins over the device file
        ("90", "0", "", ["--output HDMI-A-1 --transform 90", "--output DP-2 --transform 90"]),
        ("270", "0", "DP-2", ["--output DP-2 --transform 270"]),
        # Nothing in /etc/default: the device file's [display] rotation, set in maintenance mode.
        ("", "180", "", ["--output HDMI-A-1 --transform 180", "--output DP-2 --transform 180"]),
    ],
)
def test_the_session_script_turns_the_screen_then_becomes_the_kiosk(
    tmp_path: Path, transform: str, rotation: str, output: str, expected: list[str]
) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    calls = tmp_path / "calls"
    listing = tmp_path / "listing"
    listing.write_text(
        'HDMI-A-1 "Some Panel (HDMI-A-1)"\n  Enabled: yes\n'
        'DP-2 "Other Panel (DP-2)"\n  Enabled: yes\n',
        encoding="utf-8",
    )
    _fake_bin(
        bin_dir,
        "wlr-randr",
        f'if [ $# -eq 0 ]; then cat "{listing}"; else echo "$*" >>"{calls}"; fi',
    )
    _fake_bin(
        bin_dir,
        "kiosk",
        f'if [ "$1" = config ]; then echo "{rotation}"; exit 0; fi; echo "kiosk $*"; echo "pid $$"',
    )
    env = {
        "PATH": f"{bin_dir}:/usr/bin:/bin",
        "MALLKIOSK_BIN": str(bin_dir / "kiosk"),
        "MALLKIOSK_OUTPUT_TRANSFORM": transform,
        "MALLKIOSK_OUTPUT": output,
    }
    done = subprocess.run(
        [str(INSTALLER / "bin/mall-kiosk-session"), "--windowed"],
        capture_output=True,
        text=True,
        env=env,
        timeout=30,
        check=True,
    )
    assert done.stdout.splitlines()[0] == "kiosk --windowed"
    made = calls.read_text(encoding="utf-8").splitlines() if calls.exists() else []
    assert made == expected


def test_the_session_script_still_starts_the_kiosk_without_wlr_randr(tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    _fake_bin(
        bin_dir, "kiosk", 'if [ "$1" = config ]; then echo 0; exit 0; fi; echo "kiosk started"'
    )
    done = subprocess.run(
        [str(INSTALLER / "bin/mall-kiosk-session")],
        capture_output=True,
        text=True,
        env={
            "PATH": f"{bin_dir}:/usr/bin:/bin",
            "MALLKIOSK_BIN": str(bin_dir / "kiosk"),
            "MALLKIOSK_OUTPUT_TRANSFORM": "90",
        },
        timeout=30,
        check=True,
    )
    assert done.stdout.strip() == "kiosk started"
    if shutil.which("wlr-randr") is None:
        assert "wlr-randr is not installed" in done.stderr


def test_central_install_and_uninstall_in_a_staging_root(staging_root: Path) -> None:
    dry = run_script("install-central.sh", "--root", str(staging_root), "--no-apt", "--dry-run")
    assert list(staging_root.iterdir()) == []
    assert "/etc/systemd/system/mall-central.service" in dry.stderr

    run_script("install-central.sh", "--root", str(staging_root), "--no-apt", "--no-venv")
    expected = {
        "etc/systemd/system/mall-central.service": 0o644,
        "usr/local/bin/mall-central": 0o755,
        "etc/default/mall-central": 0o600,  # may hold a database password
        "etc/sysusers.d/mall-central.conf": 0o644,
        "etc/tmpfiles.d/mall-central.conf": 0o644,
    }
    for path, wanted in expected.items():
        assert mode(staging_root / path) == wanted, path
    assert mode(staging_root / "var/lib/mall-central") == 0o750
    wants = staging_root / "etc/systemd/system/multi-user.target.wants/mall-central.service"
    assert os.readlink(wants) == "/etc/systemd/system/mall-central.service"

    run_script("uninstall.sh", "--central", "--root", str(staging_root))
    assert not (staging_root / "etc/systemd/system/mall-central.service").exists()
    assert not (staging_root / "usr/local/bin/mall-central").exists()
    assert not wants.is_symlink()
    assert (staging_root / "var/lib/mall-central").is_dir()  # the database stays
    assert (staging_root / "etc/default/mall-central").exists()
