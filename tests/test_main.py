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


def test_import_imdf_command_and_the_import_survives_a_restart(tmp_path: Path) -> None:
    import shutil
    import sqlite3

    from kiosk.domain.imdf import demo_venue_path

    data = {"MALLKIOSK__PATHS__DATA_DIR": f'"{(tmp_path / "data").as_posix()}"'}
    archive = tmp_path / "mall"
    shutil.copytree(demo_venue_path(), archive)
    # A different venue version: rename the mall.
    venue = archive / "venue.geojson"
    venue.write_text(venue.read_text(encoding="utf-8").replace("云汇广场", "云汇广场二期"), "utf-8")

    result = run_kiosk("import-imdf", str(archive), env_extra=data)
    assert result.returncode == 0, result.stderr
    assert "Imported" in result.stdout
    assert "176 occupants" in result.stdout

    # A restart keeps the imported venue instead of reloading the demo mall.
    assert run_kiosk("--bench-startup", env_extra=data).returncode == 0
    with sqlite3.connect(tmp_path / "data" / "cache.sqlite3") as con:
        name, source = con.execute("SELECT name_zh, source FROM venue_meta").fetchone()
    assert name == "云汇广场二期"
    assert source.startswith("import:")

    broken = tmp_path / "broken"
    shutil.copytree(archive, broken)
    (broken / "unit.geojson").write_text("[", encoding="utf-8")
    result = run_kiosk("import-imdf", str(broken), env_extra=data)
    assert result.returncode == 1
    assert "unit.geojson" in result.stderr
    assert "Traceback" not in result.stderr
    with sqlite3.connect(tmp_path / "data" / "cache.sqlite3") as con:
        assert con.execute("SELECT name_zh FROM venue_meta").fetchone()[0] == "云汇广场二期"
