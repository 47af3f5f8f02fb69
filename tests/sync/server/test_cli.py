"""`mall-central`: every command on a real database; failures are one line, exit status 1."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
import requests

from kiosk.domain.imdf import demo_venue_path, load_venue
from sync.server.app import DEFAULT_BURST, DEFAULT_MAX_BODY, DEFAULT_RATE
from sync.server.cli import build_parser, main
from tests.central import Central
from tests.sync.server.conftest import TIMEOUT, Kiosk


def run(db_url: str, *args: str) -> int:
    return main(["--db", db_url, *args])


def one_line_error(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    assert "Traceback" not in err
    return err


def test_init_load_and_enroll_from_scratch(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'new' / 'central.sqlite3'}"
    assert run(url, "init") == 0
    assert run(url, "init") == 0
    archive = tmp_path / "mall.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for path in demo_venue_path().iterdir():
            zf.write(path, f"mall/{path.name}")
    capsys.readouterr()
    assert run(url, "load-venue", str(archive)) == 0
    out, err = capsys.readouterr()
    promotions = len(load_venue(demo_venue_path()).promotions)
    assert out.rstrip().endswith(f"created with {promotions} promotions")
    assert "not used by the kiosk" in err
    venue_id = out.split()[1]
    assert run(url, "load-venue", str(demo_venue_path())) == 0
    assert capsys.readouterr().out.rstrip().endswith("unchanged")
    assert run(url, "enroll-code", "--venue", venue_id, "--hours", "2") == 0
    code = capsys.readouterr().out.strip()
    assert len(code) == 14
    assert code.count("-") == 2


def test_an_enroll_code_printed_by_the_cli_enrolls_a_kiosk(
    central: Central, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(central.db_url, "enroll-code", "--venue", central.venue_id) == 0
    code = capsys.readouterr().out.strip()
    reply = requests.post(
        f"{central.base_url}/v1/enroll",
        json={"code": code, "kiosk_code": "K07", "app_version": "1.0"},
        timeout=TIMEOUT,
    )
    assert reply.status_code == 200


def test_devices_lists_kiosks_with_their_heartbeat(
    central: Central, kiosk: Kiosk, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert run(central.db_url, "devices") == 0
    assert "K07" in capsys.readouterr().out
    kiosk.post(
        "/v1/heartbeat",
        json={
            "app_version": "2.0.1",
            "queue_depth": 42,
            "printer_state": "cover_open",
            "free_disk_bytes": 3 * 1024**3,
        },
    )
    assert run(central.db_url, "devices") == 0
    header, row, *_ = capsys.readouterr().out.splitlines()
    assert header.split()[:3] == ["KIOSK", "VENUE", "STATE"]
    for shown in ("K07", "active", "42", "cover_open", "3 GB", "2.0.1"):
        assert shown in row
    assert run(central.db_url, "revoke", "K07") == 0
    assert run(central.db_url, "devices") == 0
    assert "revoked" in capsys.readouterr().out
    assert run(central.db_url, "revoke", "K07") == 1
    assert "K07" in one_line_error(capsys)


def test_add_staff_and_set_status_as_them(
    central: Central,
    kiosk: Kiosk,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import io

    item = kiosk.item()
    kiosk.push(item)
    monkeypatch.setattr("sys.stdin", io.StringIO("correct horse battery\n"))
    assert run(central.db_url, "add-staff", "li.na", "--password-stdin") == 0
    ticket = item["ticket_no"]
    assert run(central.db_url, "set-status", ticket, "acknowledged", "--staff", "li.na") == 0
    assert run(central.db_url, "set-status", ticket, "resolved", "--staff", "nobody") == 1
    assert "nobody" in one_line_error(capsys)
    assert [c["status"] for c in kiosk.get("/v1/status").json()["changes"]] == [
        "received",
        "acknowledged",
    ]


def test_serve_refuses_an_sms_gateway_it_cannot_load(
    central_db: tuple[str, Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(central_db[0], "serve", "--sms-gateway", "no_such_carrier:Gateway") == 1
    assert "no_such_carrier" in one_line_error(capsys)


def _serve_without_serving(
    monkeypatch: pytest.MonkeyPatch, options: list[dict[str, Any]] | None = None
) -> list[Any]:
    """Make `serve` build its app but not run it; the apps it would have served (and in
    `options`, what it would have told uvicorn)."""
    apps: list[Any] = []

    def run(app: Any, **kwargs: Any) -> None:
        apps.append(app)
        if options is not None:
            options.append(kwargs)
        app.state.db.dispose()

    monkeypatch.setattr("uvicorn.run", run)
    return apps


def test_serve_has_no_sms_gateway_by_default_and_warns(
    central_db: tuple[str, Path, str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert build_parser().parse_args(["serve"]).sms_gateway == "none"
    apps = _serve_without_serving(monkeypatch)
    assert run(central_db[0], "serve") == 0
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    assert "warning" in err
    assert "member sign-in by SMS is off" in err
    assert len(apps) == 1
    assert run(central_db[0], "serve", "--sms-gateway", "log") == 0
    assert "warning" not in capsys.readouterr().err
    assert len(apps) == 2


def test_serve_tells_uvicorn_which_proxies_to_trust(
    central_db: tuple[str, Path, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Behind a reverse proxy, the tracking page's misses count per shopper only when uvicorn
    believes the proxy's X-Forwarded-For."""
    options: list[dict[str, Any]] = []
    _serve_without_serving(monkeypatch, options)
    proxies = "10.0.0.5,192.168.10.0/24"
    assert (
        run(central_db[0], "serve", "--sms-gateway", "log", "--forwarded-allow-ips", proxies) == 0
    )
    assert options[-1]["forwarded_allow_ips"] == proxies
    # Not given: uvicorn's own default ($FORWARDED_ALLOW_IPS, else this host).
    assert run(central_db[0], "serve", "--sms-gateway", "log") == 0
    assert options[-1]["forwarded_allow_ips"] is None


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["load-venue", "/nonexistent/mall"], "does not exist"),
        (["enroll-code", "--venue", "no-such-venue"], "no-such-venue"),
        (["load-policy", "/nonexistent.json"], "cannot read"),
        (["set-status", "C-K01-0001-X", "resolved"], "C-K01-0001-X"),
    ],
)
def test_failures_are_one_line_and_status_1(
    central_db: tuple[str, Path, str],
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    needle: str,
) -> None:
    assert run(central_db[0], *args) == 1
    assert needle in one_line_error(capsys)


def test_a_bad_document_or_archive_is_one_line(
    central_db: tuple[str, Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "list.json").write_text(json.dumps([1, 2]))
    assert run(central_db[0], "load-policy", str(tmp_path / "list.json")) == 1
    assert "JSON object" in one_line_error(capsys)
    (tmp_path / "broken.json").write_text("{")
    assert run(central_db[0], "load-settings", str(tmp_path / "broken.json")) == 1
    assert "not valid JSON" in one_line_error(capsys)
    (tmp_path / "empty").mkdir()
    assert run(central_db[0], "load-venue", str(tmp_path / "empty")) == 1
    assert "required file is missing" in one_line_error(capsys)


def test_an_unusable_database_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("nonsense://", "devices") == 1
    one_line_error(capsys)
    (tmp_path / "garbage.sqlite3").write_bytes(b"not a database" * 100)
    assert run(f"sqlite:///{tmp_path / 'garbage.sqlite3'}", "devices") == 1
    one_line_error(capsys)
    assert run("sqlite://", "init") == 1
    assert "in-memory" in one_line_error(capsys)


def test_help_documents_every_command_and_option(capsys: pytest.CaptureFixture[str]) -> None:
    parser = build_parser()
    with pytest.raises(SystemExit):
        parser.parse_args(["--help"])
    top = capsys.readouterr().out
    for command in ("serve", "init", "load-venue", "load-policy", "enroll-code", "revoke",
                    "devices", "set-status", "load-members"):  # fmt: skip
        assert command in top
    with pytest.raises(SystemExit):
        parser.parse_args(["serve", "--help"])
    serve = capsys.readouterr().out
    for option in ("--host", "--port", "--rate", "--burst", "--max-body", "--log-level",
                   "--sms-gateway", "--forwarded-allow-ips"):  # fmt: skip
        assert option in serve
    assert "8700" in serve
    defaults = parser.parse_args(["serve"])
    assert (defaults.rate, defaults.burst, defaults.max_body) == (
        DEFAULT_RATE,
        DEFAULT_BURST,
        DEFAULT_MAX_BODY,
    )
