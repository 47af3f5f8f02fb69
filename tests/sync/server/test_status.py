"""Status changes flow back: staff set a status (command line), the kiosk pulls after its cursor."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from sync.schemas import StatusReply
from sync.server.cli import main
from sync.server.submissions import STATUS_PAGE
from tests.central import Central
from tests.sync.server.conftest import Kiosk


def pull(kiosk: Kiosk, since: str | None = None) -> StatusReply:
    reply = kiosk.get("/v1/status", params={"since": since} if since is not None else None)
    assert reply.status_code == 200, reply.text
    return StatusReply.model_validate(reply.json())


def set_status(central: Central, *args: str) -> int:
    return main(["--db", central.db_url, "set-status", *args])


def test_status_changes_come_back_in_order_after_the_cursor(
    central: Central, kiosk: Kiosk, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = kiosk.item(), kiosk.item()
    kiosk.push(first, second)
    received = pull(kiosk)
    assert [(str(c.uuid), c.status) for c in received.changes] == [
        (first["uuid"], "received"),
        (second["uuid"], "received"),
    ]
    assert pull(kiosk, received.cursor).changes == []

    assert set_status(central, first["ticket_no"], "acknowledged") == 0
    assert set_status(central, first["ticket_no"], "resolved", "--note", "已退款 Refunded") == 0
    assert first["ticket_no"] in capsys.readouterr().out
    later = pull(kiosk, received.cursor)
    assert [(c.ticket_no, c.status, c.note) for c in later.changes] == [
        (first["ticket_no"], "acknowledged", None),
        (first["ticket_no"], "resolved", "已退款 Refunded"),
    ]
    assert later.changes[0].changed_at <= later.changes[1].changed_at
    assert int(later.cursor) > int(received.cursor)
    assert pull(kiosk, later.cursor) == StatusReply(cursor=later.cursor, changes=[])


def test_a_kiosk_sees_only_its_own_tickets(
    central: Central, enroll: Callable[[str], Kiosk]
) -> None:
    k07, k08 = enroll("K07"), enroll("K08")
    mine, theirs = k07.item(), k08.item()
    k07.push(mine)
    k08.push(theirs)
    set_status(central, theirs["ticket_no"], "in_progress")
    assert [c.ticket_no for c in pull(k07).changes] == [mine["ticket_no"]]
    assert [c.status for c in pull(k08).changes] == ["received", "in_progress"]


def test_a_re_enrolled_kiosk_still_hears_about_its_tickets(
    central: Central, enroll: Callable[[str], Kiosk]
) -> None:
    before = enroll("K07")
    item = before.item()
    before.push(item)
    after = enroll("K07")
    central.set_status(item["ticket_no"], "checked_in")
    assert [c.status for c in pull(after).changes] == ["received", "checked_in"]


@pytest.mark.parametrize("cursor", ["garbage", "-1", "99999999"])
def test_a_cursor_the_server_does_not_know_starts_from_the_beginning(
    kiosk: Kiosk, cursor: str
) -> None:
    kiosk.push(kiosk.item())
    assert len(pull(kiosk, cursor).changes) == 1


def test_pulls_are_paged(central: Central, kiosk: Kiosk) -> None:
    for _ in range(3):
        kiosk.push(*(kiosk.item(payload={}) for _ in range(200)))
    page = pull(kiosk)
    assert len(page.changes) == STATUS_PAGE
    rest = pull(kiosk, page.cursor)
    assert len(rest.changes) == 600 - STATUS_PAGE
    assert {c.uuid for c in page.changes}.isdisjoint({c.uuid for c in rest.changes})


def test_set_status_refuses_unknown_tickets_in_one_line(
    central: Central, capsys: pytest.CaptureFixture[str]
) -> None:
    assert set_status(central, "C-K99-0001-X", "resolved") == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "C-K99-0001-X" in err
    assert "Traceback" not in err
