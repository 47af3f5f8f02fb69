"""Helpers for the installer tests: run the scripts into a temporary staging root."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
INSTALLER = REPO / "installer"

Run = Callable[..., subprocess.CompletedProcess[str]]


def run_script(script: str, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run installer/SCRIPT with ARGS; output as text, no network needed."""
    env = {**os.environ, "LC_ALL": "C.UTF-8"}
    done = subprocess.run(
        ["bash", str(INSTALLER / script), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    if check and done.returncode != 0:
        pytest.fail(f"{script} {' '.join(args)} exited {done.returncode}:\n{done.stderr}")
    return done


@pytest.fixture
def staging_root(tmp_path: Path) -> Path:
    root = tmp_path / "root"
    root.mkdir()
    return root


@pytest.fixture
def install(staging_root: Path) -> Run:
    """install-kiosk.sh into the staging root, without apt or the virtual environment."""

    def run(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return run_script(
            "install-kiosk.sh",
            "--root",
            str(staging_root),
            "--no-apt",
            "--no-venv",
            *args,
            check=check,
        )

    return run


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def systemd_units_dir() -> Path | None:
    for candidate in (Path("/lib/systemd/system"), Path("/usr/lib/systemd/system")):
        if (candidate / "multi-user.target").exists():
            return candidate
    return None


def add_system_units(root: Path) -> None:
    """The host's own units (targets, getty@), so systemd-analyze can load ours in the root."""
    units = systemd_units_dir()
    assert units is not None
    shutil.copytree(units, root / "lib/systemd/system", symlinks=True, dirs_exist_ok=True)


def add_executable(root: Path, path: str) -> None:
    """A stand-in for a program a Debian package or the virtual environment provides."""
    exe = root / path.lstrip("/")
    exe.parent.mkdir(parents=True, exist_ok=True)
    exe.write_text("#!/bin/sh\nexit 0\n", encoding="utf-8")
    exe.chmod(0o755)
