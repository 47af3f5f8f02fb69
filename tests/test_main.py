"""The `mall-kiosk` command as staff meet it: bad configuration gives one clear message."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


def run_kiosk(
    *args: str, env_extra: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MALLKIOSK")}
    env["QT_QPA_PLATFORM"] = "offscreen"
    env.update(env_extra or {})
    return subprocess.run(
        [sys.executable, "-m", "kiosk", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    ("toml", "expected"),
    [
        ("[session]\nidle_timeout_s = 5\n", "session.idle_timeout_s"),
        ('[display]\nlanguage = "fr"\n', "display.language"),
        ("[sesion]\nidle_timeout_s = 60\n", "sesion"),
        ("[session\n", "line 1"),
    ],
)
def test_bad_config_stops_with_one_clear_message(tmp_path: Path, toml: str, expected: str) -> None:
    device = tmp_path / "device.toml"
    device.write_text(toml, encoding="utf-8")
    result = run_kiosk("--config", str(device))
    assert result.returncode == 2
    assert str(device) in result.stderr
    assert expected in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_missing_config_file(tmp_path: Path) -> None:
    result = run_kiosk("--config", str(tmp_path / "nope.toml"))
    assert result.returncode == 2
    assert "nope.toml" in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_environment_variable(tmp_path: Path) -> None:
    result = run_kiosk(env_extra={"MALLKIOSK__SESSION__COUNTDOWN_S": "5"})
    assert result.returncode == 2
    assert "MALLKIOSK__SESSION__COUNTDOWN_S" in result.stderr
    assert "Traceback" not in result.stderr


def test_screenshot_command_writes_pngs(tmp_path: Path) -> None:
    out = tmp_path / "shots"
    result = run_kiosk(
        "--screenshot",
        str(out),
        env_extra={"MALLKIOSK__PATHS__DATA_DIR": f'"{(tmp_path / "data").as_posix()}"'},
    )
    assert result.returncode == 0, result.stderr
    assert (out / "zh_CN-home.png").stat().st_size > 10_000
    assert (out / "en-home.png").stat().st_size > 10_000
    assert (tmp_path / "data" / "logs" / "kiosk.log").exists()
