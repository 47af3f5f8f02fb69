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

    result = run_kiosk("import-imdf", str(archive), "--staff", "staff-a", env_extra=data)
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

    # Going back to the configured source on purpose.
    assert run_kiosk("--reload-venue", "--bench-startup", env_extra=data).returncode == 0
    with sqlite3.connect(tmp_path / "data" / "cache.sqlite3") as con:
        assert con.execute("SELECT name_zh FROM venue_meta").fetchone()[0] == "云汇广场"

    # Each of these is in the audit log, the failed import with its reason.
    audit = run_kiosk("audit", env_extra=data)
    assert audit.returncode == 0, audit.stderr
    lines = audit.stdout.splitlines()
    imports = [line for line in lines if "venue_import" in line]
    assert len(imports) == 2
    assert any("staff-a" in line and "failed" not in line for line in imports)
    assert any("failed" in line and "unit.geojson" in line for line in imports)
    (reload,) = [line for line in lines if "venue_reload" in line]
    assert "import:" in reload


# --- staff commands ----------------------------------------------------------------------------


def staff_env(tmp_path: Path) -> dict[str, str]:
    return {"MALLKIOSK__PATHS__DATA_DIR": f'"{(tmp_path / "data").as_posix()}"'}


def assert_one_clear_error(result: subprocess.CompletedProcess[str], *fragments: str) -> None:
    assert result.returncode == 1, result
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("mall-kiosk: ")
    for fragment in fragments:
        assert fragment in result.stderr


def test_staff_commands_are_not_imported_when_the_kiosk_starts() -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, kiosk.main; print(sorted(m for m in sys.modules "
            "if m.startswith(('kiosk.maintenance', 'tomlkit', 'kiosk.store'))))",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.strip() == "[]"


def test_set_pin_config_set_show_and_audit(tmp_path: Path) -> None:
    import tomllib

    from kiosk.maintenance.pin import verify_pin

    device = tmp_path / "device.toml"
    env = staff_env(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "kiosk", "--config", str(device), "set-pin", "--pin-stdin"],
        input="246810\n",
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert verify_pin("246810", tomllib.loads(device.read_text("utf-8"))["maintenance"]["pin_hash"])

    result = run_kiosk(
        "config", "set", "session.idle_timeout_s", "90", "--config", str(device),
        "--staff", "Wang Li", env_extra=env,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "session.idle_timeout_s: 60 -> 90" in result.stdout

    result = run_kiosk("--config", str(device), "config", "show", env_extra=env)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert any(
        line.startswith("session.idle_timeout_s = 90") and f"# file ({device})" in line
        for line in lines
    )
    assert any(line.startswith("maintenance.pin_hash = set ") for line in lines)
    assert any(
        line.startswith('paths.data_dir = "') and "MALLKIOSK__PATHS__DATA_DIR" in line
        for line in lines
    )
    assert "scrypt" not in result.stdout

    # `config get`: one value, bare, for scripts (the kiosk session reads display.rotation).
    got = run_kiosk(
        "--config", str(device), "config", "get", "session.idle_timeout_s", env_extra=env
    )
    assert (got.returncode, got.stdout) == (0, "90\n")
    got = run_kiosk("--config", str(device), "config", "get", "display.language", env_extra=env)
    assert got.stdout == "zh_CN\n"
    secret = run_kiosk(
        "--config", str(device), "config", "get", "maintenance.pin_hash", env_extra=env
    )
    assert secret.returncode == 1
    assert "scrypt" not in secret.stdout + secret.stderr

    result = run_kiosk("--config", str(device), "audit", env_extra=env)
    assert result.returncode == 0, result.stderr
    audit_lines = result.stdout.splitlines()
    assert "pin_set" in audit_lines[0]
    assert "Wang Li  config_set" in audit_lines[1]
    assert "old: 60, new: 90" in audit_lines[1]


def test_staff_commands_refuse_with_one_clear_message(tmp_path: Path) -> None:
    device = tmp_path / "device.toml"
    env = staff_env(tmp_path)

    result = run_kiosk("config", "set", "display.language", "en", env_extra=env)
    assert_one_clear_error(result, "--config", "MALLKIOSK_CONFIG")

    result = run_kiosk(
        "--config", str(device), "config", "set", "session.idle_timeout_s", "5", env_extra=env
    )
    assert_one_clear_error(result, "session.idle_timeout_s = 5", "between 10 and 3600")
    assert not device.exists()

    result = run_kiosk(
        "--config", str(device), "config", "set", "display.langage", "en", env_extra=env
    )
    assert_one_clear_error(result, "did you mean 'display.language'?")

    bad_pin = subprocess.run(
        [sys.executable, "-m", "kiosk", "--config", str(device), "set-pin", "--pin-stdin"],
        input="123456\n",
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=120,
        check=False,
    )
    assert_one_clear_error(bad_pin, "consecutive digits")
    assert not device.exists()


def test_config_show_of_a_broken_file_lists_its_problems(tmp_path: Path) -> None:
    device = tmp_path / "device.toml"
    device.write_text("[session]\nidle_timeout_s = 5\n", encoding="utf-8")
    result = run_kiosk("--config", str(device), "config", "show", env_extra=staff_env(tmp_path))
    assert_one_clear_error(result, str(device), "session.idle_timeout_s = 5")
    # ... and config set repairs it, which the kiosk itself cannot start to do.
    result = run_kiosk(
        "--config", str(device), "config", "set", "session.idle_timeout_s", "60",
        env_extra=staff_env(tmp_path),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "session.idle_timeout_s: 5 -> 60" in result.stdout


def test_doctor_exit_status_follows_its_failures(tmp_path: Path) -> None:
    env = staff_env(tmp_path)
    result = run_kiosk("doctor", "--min-free-mb", "1", env_extra=env)
    failed = [line for line in result.stdout.splitlines() if line.startswith("FAIL")]
    assert result.returncode == (1 if failed else 0), result.stdout
    assert result.stdout.splitlines()[0].startswith("PASS  config")
    assert "Traceback" not in result.stderr

    broken = tmp_path / "device.toml"
    broken.write_text('[display]\nlanguage = "fr"\n', encoding="utf-8")
    result = run_kiosk("--config", str(broken), "doctor", "--min-free-mb", "1", env_extra=env)
    assert result.returncode == 1
    assert result.stdout.startswith("FAIL  config")
    assert "fix: correct the key with `mall-kiosk config set KEY VALUE`" in result.stdout


def test_a_self_restart_does_not_reload_the_venue_again() -> None:
    from kiosk.main import restart_arguments

    argv = ["--config", "/etc/mall-kiosk/device.toml", "--reload-venue", "--windowed"]
    assert restart_arguments(argv) == ["--config", "/etc/mall-kiosk/device.toml", "--windowed"]
    assert restart_arguments(["--windowed"]) == ["--windowed"]
