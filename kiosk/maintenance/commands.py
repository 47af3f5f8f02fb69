"""The staff commands of `mall-kiosk`: doctor, set-pin, config show|set|unset, audit.

`kiosk.main` parses the command line and imports this module only for these commands, so the
kiosk's own start-up never pays for it. Each command prints what it did on stdout, or one line
per problem on stderr (never a traceback), and returns the exit status: 0 done, 1 not done.

Changes are written to the device file the kiosk is started with (--config or
$MALLKIOSK_CONFIG) and recorded in the audit log of the kiosk's database, as done by `--staff`
(default: the login name).
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

from sqlalchemy.orm import Session, sessionmaker

from kiosk.config import (
    ENV_CONFIG_FILE,
    SECRET_KEYS,
    ConfigError,
    ConfigReport,
    KioskConfig,
    explain_config,
    named_device_file,
    resolved_database,
    setting_field,
    unknown_setting_message,
)
from kiosk.errors import KnownError
from kiosk.maintenance.audit import AuditLog, staff_name
from kiosk.maintenance.pin import check_pin_rules
from kiosk.maintenance.settings import (
    DeviceSettings,
    pushed_settings,
    show_value,
    without_device_file,
)

__all__ = ["run"]

PROG = "mall-kiosk"


class CommandError(KnownError):
    """A staff command cannot be done; str(err) says why."""


def run(
    args: argparse.Namespace,
    *,
    env: Mapping[str, str] | None = None,
    stdin: TextIO | None = None,
    read_pin: Callable[[str], str] = getpass.getpass,
) -> int:
    """Run the staff command `args` names; returns the exit status."""
    environ: Mapping[str, str] = os.environ if env is None else env
    commands: dict[str, Callable[[], int]] = {
        "doctor": lambda: _doctor(args, environ),
        "set-pin": lambda: _set_pin(args, environ, stdin or sys.stdin, read_pin),
        "config": lambda: _config(args, environ),
        "audit": lambda: _audit(args, environ),
    }
    try:
        return commands[args.command]()
    except KnownError as err:
        print(f"{PROG}: {err}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"{PROG}: cancelled, nothing changed", file=sys.stderr)
        return 1
    except BrokenPipeError:  # `mall-kiosk config show | head`: the reader has gone
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # so the interpreter's final flush stays quiet
        return 1


# --- doctor ---------------------------------------------------------------------------------------


def _doctor(args: argparse.Namespace, env: Mapping[str, str]) -> int:
    from kiosk.maintenance.doctor import (  # noqa: PLC0415 - Pillow, requests: only here
        format_results,
        has_failures,
        run_checks,
    )

    results = run_checks(
        args.config,
        env,
        min_free_bytes=int(args.min_free_mb * 1024 * 1024),
        timeout_s=args.timeout,
    )
    print(format_results(results))
    return 1 if has_failures(results) else 0


# --- set-pin --------------------------------------------------------------------------------------


def _set_pin(
    args: argparse.Namespace,
    env: Mapping[str, str],
    stdin: TextIO,
    read_pin: Callable[[str], str],
) -> int:
    path = _device_file(args, env)
    if args.pin_stdin:
        pin = stdin.readline().rstrip("\r\n")
    else:
        pin = read_pin("New maintenance PIN (6-12 digits): ")
        check_pin_rules(pin)  # say so before asking again
        if read_pin("The same PIN again: ") != pin:
            raise CommandError("the two PINs differ: nothing changed")
    check_pin_rules(pin)
    with _audited(path, env) as settings:
        settings.set_pin(pin, _who(args))
    print(f"maintenance PIN set (its hash is saved in {path})")
    return 0


# --- config ---------------------------------------------------------------------------------------


def _config(args: argparse.Namespace, env: Mapping[str, str]) -> int:
    if args.config_command == "show":
        return _config_show(args, env)
    if args.config_command == "get":
        return _config_get(args, env)
    path = _device_file(args, env)
    with _audited(path, env) as settings:
        if args.config_command == "set":
            change = settings.set(args.key, args.value, _who(args))
        else:
            change = settings.unset(args.key, _who(args))
    print(f"{change.key}: {change.old} -> {change.new} (saved in {path})")
    if change.overridden:
        print(
            f"note: {change.in_effect.where} sets {change.key}, so that value stays in effect",
        )
    for problem in change.remaining:
        print(f"note: still to fix: {problem}")
    return 0


def _effective(
    args: argparse.Namespace, env: Mapping[str, str]
) -> tuple[ConfigReport, KioskConfig, Path | None, Path | None]:
    """The configuration in effect (defaults, device file, pushed settings, environment)."""
    named = named_device_file(args.config, env)
    existing = named if named is not None and named.exists() else None
    env = without_device_file(env)
    try:
        first = explain_config(existing, env)
    except ConfigError as err:
        raise CommandError(str(err)) from None
    pushed = _read_pushed(KioskConfig(paths=first.paths))
    report = explain_config(existing, env, pushed)
    if report.config is None:
        raise CommandError("\n".join(report.problems))
    return report, report.config, named, existing


def _config_get(args: argparse.Namespace, env: Mapping[str, str]) -> int:
    """One key's value in effect, bare (a string without quotes), for scripts."""
    if setting_field(args.key) is None:
        raise CommandError(unknown_setting_message(args.key))
    if args.key in SECRET_KEYS:
        raise CommandError(f"{args.key} is secret: `config show` says whether it is set")
    _, config, _, _ = _effective(args, env)
    section, _, name = args.key.partition(".")
    value = config.model_dump()[section][name]
    print(value if isinstance(value, str) else show_value(args.key, value))
    return 0


def _config_show(args: argparse.Namespace, env: Mapping[str, str]) -> int:
    report, config, named, existing = _effective(args, env)
    if named is not None and existing is None:
        print(f"# {named} does not exist yet: defaults and environment only")
    values = config.model_dump()
    rows = []
    for key, source in report.sources.items():
        section, _, name = key.partition(".")
        rows.append((f"{key} = {show_value(key, values[section][name])}", source))
    width = max(len(text) for text, _ in rows)
    for text, source in rows:
        where = "" if source.kind == "default" else f" ({source.where})"
        print(f"{text.ljust(width)}  # {source.kind}{where}")
    for note in report.ignored:
        print(f"# {note}")
    return 0


def _read_pushed(config: KioskConfig) -> dict[str, Any] | None:
    """The pushed settings in the kiosk's cache; none when there is no cache yet (a look at
    the configuration must not create one)."""
    from kiosk.store.db import open_cache  # noqa: PLC0415 - SQLAlchemy only when needed

    database = resolved_database(config)
    if not database.exists():
        return None
    engine, sessions = open_cache(database)
    try:
        return pushed_settings(sessions)
    finally:
        engine.dispose()


# --- audit ---------------------------------------------------------------------------------------


def _audit(args: argparse.Namespace, env: Mapping[str, str]) -> int:
    with _database(named_device_file(args.config, env), env) as sessions:
        entries = AuditLog(sessions).recent(args.limit)
    for entry in reversed(entries):
        print(entry.summary())
    if not entries:
        print("the audit log is empty")
    return 0


# --- helpers -------------------------------------------------------------------------------------


def _device_file(args: argparse.Namespace, env: Mapping[str, str]) -> Path:
    path = named_device_file(args.config, env)
    if path is None:
        raise CommandError(
            f"which device file? Give --config PATH or set {ENV_CONFIG_FILE}: the file the "
            "kiosk is started with (it is created if it does not exist)"
        )
    return path


@contextmanager
def _audited(path: Path, env: Mapping[str, str]) -> Iterator[DeviceSettings]:
    """The device file's settings, audited in the kiosk's database."""
    with _database(path, env) as sessions:
        audit = AuditLog(sessions)
        yield DeviceSettings(path, audit, env=env, pushed=pushed_settings(sessions))


@contextmanager
def _database(device_file: Path | None, env: Mapping[str, str]) -> Iterator[sessionmaker[Session]]:
    """The kiosk's database, found through [paths] even when another setting is broken."""
    from kiosk.store.db import open_cache  # noqa: PLC0415 - SQLAlchemy only when needed

    existing = device_file if device_file is not None and device_file.exists() else None
    try:
        report = explain_config(existing, without_device_file(env))
    except ConfigError as err:
        raise CommandError(f"{err}; fix it by hand first") from None
    engine, sessions = open_cache(resolved_database(KioskConfig(paths=report.paths)))
    try:
        yield sessions
    finally:
        engine.dispose()


def _who(args: argparse.Namespace) -> str:
    return staff_name(args.staff)
