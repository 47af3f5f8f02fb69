"""The staff commands in process: the interactive PIN prompt, which subprocess tests cannot type
into, and the device file named after the command."""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kiosk.main import parse_args
from kiosk.maintenance.commands import run
from kiosk.maintenance.pin import verify_pin


def prompts(*answers: str) -> tuple[list[str], Callable[[str], str]]:
    asked: list[str] = []
    replies: Iterator[str] = iter(answers)

    def read_pin(prompt: str) -> str:
        asked.append(prompt)
        return next(replies)

    return asked, read_pin


@pytest.fixture
def env(data_dir: Path) -> dict[str, str]:
    return {"MALLKIOSK__PATHS__DATA_DIR": f'"{data_dir.as_posix()}"'}


def test_set_pin_asks_twice_and_saves_the_hash(tmp_path: Path, env: dict[str, str]) -> None:
    device = tmp_path / "device.toml"
    asked, read_pin = prompts("246810", "246810")
    args = parse_args(["set-pin", "--config", str(device), "--staff", "Wang Li"])
    assert run(args, env=env, read_pin=read_pin) == 0
    assert len(asked) == 2
    stored = tomllib.loads(device.read_text(encoding="utf-8"))["maintenance"]["pin_hash"]
    assert verify_pin("246810", stored)


def test_set_pin_refuses_two_different_pins(
    tmp_path: Path, env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    device = tmp_path / "device.toml"
    _, read_pin = prompts("246810", "246811")
    args = parse_args(["--config", str(device), "set-pin"])
    assert run(args, env=env, read_pin=read_pin) == 1
    assert "the two PINs differ" in capsys.readouterr().err
    assert not device.exists()


def test_set_pin_refuses_a_bad_pin_before_asking_again(
    tmp_path: Path, env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    asked, read_pin = prompts("111111")
    args = parse_args(["--config", str(tmp_path / "device.toml"), "set-pin"])
    assert run(args, env=env, read_pin=read_pin) == 1
    assert len(asked) == 1
    assert "one digit repeated" in capsys.readouterr().err


def test_the_device_file_may_come_from_the_environment(
    tmp_path: Path, env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    device = tmp_path / "device.toml"
    args = parse_args(["config", "set", "display.language", "en"])
    assert run(args, env={**env, "MALLKIOSK_CONFIG": str(device)}) == 0
    assert f"saved in {device}" in capsys.readouterr().out
    assert tomllib.loads(device.read_text(encoding="utf-8")) == {"display": {"language": "en"}}


def test_a_change_hidden_by_the_environment_says_so(
    tmp_path: Path, env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    device = tmp_path / "device.toml"
    env = {**env, "MALLKIOSK__DISPLAY__LANGUAGE": "zh_CN"}
    args = parse_args(["--config", str(device), "config", "set", "display.language", "en"])
    assert run(args, env=env) == 0
    assert "MALLKIOSK__DISPLAY__LANGUAGE sets display.language" in capsys.readouterr().out


def test_config_unset(tmp_path: Path, env: dict[str, str]) -> None:
    device = tmp_path / "device.toml"
    device.write_text('[display]\nlanguage = "en"\n', encoding="utf-8")
    args = parse_args(["--config", str(device), "config", "unset", "display.language"])
    assert run(args, env=env) == 0
    assert tomllib.loads(device.read_text(encoding="utf-8")) == {"display": {}}
