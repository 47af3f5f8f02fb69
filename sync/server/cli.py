"""`mall-central`: run the central service and administer it (venues, kiosks, tickets, ratings,
members).

Every command works on the database named by --db (or $MALL_CENTRAL_DB), created and migrated
on first use. A failure prints one line on stderr and exits with status 1.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from sqlalchemy.exc import OperationalError

from sync.server import catalog, devices, followup, member_data, staff, submissions
from sync.server.db import Database, default_db_url, describe_db_error, open_database
from sync.server.errors import CentralError

PROG = "mall-central"
# The web server's defaults, repeated so that administration commands need not import it
# (a test checks they agree with sync.server.app).
RATE, BURST, MAX_BODY = 5.0, 30, 1024 * 1024
DB_ENV = "MALL_CENTRAL_DB"


def _say(text: str) -> None:
    print(text)


def _when(value: dt.datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value is not None else "-"


def _bytes(value: int | None) -> str:
    if value is None:
        return "-"
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024:
            return f"{value:.0f} {unit}"
        value //= 1024
    return f"{value} TB"


# --- commands ---------------------------------------------------------------------------------


def _init(db: Database, _args: argparse.Namespace) -> int:
    _say(f"database ready: {db.engine.url.render_as_string(hide_password=True)}")
    return 0


def _serve(db: Database, args: argparse.Namespace) -> int:
    import uvicorn  # noqa: PLC0415 - only this command needs the web server

    from sync.server.accesslog import hide_queries  # noqa: PLC0415
    from sync.server.app import KEEP_ALIVE_S, create_app  # noqa: PLC0415

    logging.basicConfig(
        level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    # Alembic narrates every start-up migration check at INFO.
    logging.getLogger("alembic").setLevel(max(logging.WARNING, logging.getLogger().level))
    from sync.server.sms import load_gateway  # noqa: PLC0415

    gateway = load_gateway(args.sms_gateway)
    if gateway is None:
        print(
            f"{PROG}: warning: no SMS gateway (--sms-gateway): member sign-in by SMS is off",
            file=sys.stderr,
        )
    db.dispose()
    app = create_app(
        args.db,
        rate=args.rate or None,
        burst=args.burst,
        max_body=args.max_body,
        sms_gateway=gateway,
    )
    # Tracking links carry their secret in the query: the access log gets the path only.
    hide_queries()
    uvicorn.run(
        app,
        host=args.host,
        port=args.port,
        log_level=args.log_level,
        timeout_keep_alive=KEEP_ALIVE_S,
        forwarded_allow_ips=args.forwarded_allow_ips,
    )
    return 0


def _load_venue(db: Database, args: argparse.Namespace) -> int:
    result = catalog.load_venue(db, Path(args.path))
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if result.created:
        what = f"created with {result.promotions} promotions"
    else:
        changed = [
            name
            for name, flag in (
                ("map", result.venue_changed),
                ("promotions", result.promotions_changed),
            )
            if flag
        ]
        what = f"updated ({', '.join(changed)})" if changed else "unchanged"
    _say(f"venue {result.venue_id} ({result.name_en}) version {result.version}: {what}")
    return 0


def _load_document(part: str) -> Callable[[Database, argparse.Namespace], int]:
    def load(db: Database, args: argparse.Namespace) -> int:
        doc = catalog.read_json_document(Path(args.path))
        changed = catalog.load_document(db, part, doc, args.venue)
        label = part.replace("_", " ")
        _say(f"{label} {'loaded' if changed else 'unchanged'}")
        return 0

    return load


def _load_members(db: Database, args: argparse.Namespace) -> int:
    if (args.path is None) == (not args.demo):
        raise CentralError("give either a member data file or --demo")
    doc = (
        member_data.demo_members() if args.demo else member_data.read_members_file(Path(args.path))
    )
    result = member_data.load_members(db, doc, venue_id=args.venue)
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    _say(
        f"members loaded: {result.tiers} tiers, {result.members} members, "
        f"{result.entries} points entries, {result.coupons} coupons"
    )
    return 0


def _enroll_code(db: Database, args: argparse.Namespace) -> int:
    code = devices.mint_enrollment_code(db, args.venue, hours=args.hours)
    _say(code)
    return 0


def _revoke(db: Database, args: argparse.Namespace) -> int:
    if devices.revoke(db, args.kiosk_code) == 0:
        raise CentralError(f"kiosk {args.kiosk_code} has no active device token")
    _say(f"kiosk {args.kiosk_code}: token revoked; it must be enrolled again")
    return 0


def _devices(db: Database, _args: argparse.Namespace) -> int:
    with db.reads() as session:
        rows = devices.list_devices(session)
    if not rows:
        _say("no kiosk is enrolled")
        return 0
    header = (
        *("KIOSK", "VENUE", "STATE", "LAST SEEN", "LAST SYNC"),
        *("QUEUE", "PRINTER", "DISK", "APP"),
    )
    table = [header]
    for r in rows:
        table.append(
            (
                r.kiosk_code,
                r.venue_name,
                f"revoked {_when(r.revoked_at)}" if r.revoked_at else "active",
                _when(r.last_seen),
                _when(r.last_sync_at),
                "-" if r.queue_depth is None else str(r.queue_depth),
                r.printer_state or "-",
                _bytes(r.free_disk),
                r.app_version or "-",
            )
        )
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    for row in table:
        _say("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
    _say("times are UTC")
    return 0


def _set_status(db: Database, args: argparse.Namespace) -> int:
    seq = submissions.set_status(db, args.ticket, args.status, note=args.note, staff=args.staff)
    _say(f"{args.ticket}: {args.status} (status event {seq})")
    return 0


def _satisfaction(db: Database, args: argparse.Namespace) -> int:
    since = None if args.days is None else dt.datetime.now(dt.UTC) - dt.timedelta(days=args.days)
    rows = followup.ratings(db, since)
    span = "ever" if args.days is None else f"in the last {args.days:g} days"
    if not rows:
        _say(f"no ticket was rated {span}")
        return 0
    header = ("RATED", "RATING", "TICKET", "KIND", "KIOSK", "STATUS", "COMMENT")
    table = [header]
    for r in rows:
        # Shoppers' words, on one line and without control characters (stored without them).
        comment = " / ".join((r.comment or "-").split("\n"))
        kind = r.kind.replace("_request", "")
        table.append(
            (_when(r.rated_at), f"{r.rating}/5", r.ticket_no, kind, r.kiosk_code, r.status, comment)
        )
    widths = [max(len(row[i]) for row in table) for i in range(len(header) - 1)]
    for row in table:
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        _say("  ".join([*cells, row[-1]]).rstrip())
    satisfied = sum(1 for r in rows if r.rating >= 4)
    average = sum(r.rating for r in rows) / len(rows)
    _say(
        f"{len(rows)} rating{'s' if len(rows) != 1 else ''} {span}: average {average:.1f} of 5, "
        f"satisfied (4 or 5) {100 * satisfied / len(rows):.0f} %; times are UTC"
    )
    return 0


def _add_staff(db: Database, args: argparse.Namespace) -> int:
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass(f"password for {args.name}: ")
        if getpass.getpass("again: ") != password:
            raise CentralError("the two passwords differ")
    staff.add_staff(db, args.name, password)
    _say(f"staff account {args.name} created")
    return 0


# --- parsing ----------------------------------------------------------------------------------


def _number(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text}") from None
    if not value >= 0:  # also refuses NaN
        raise argparse.ArgumentTypeError("must not be negative")
    return value


def _positive(text: str) -> float:
    value = _number(text)
    if value == 0:
        raise argparse.ArgumentTypeError("must be greater than 0")
    return value


def _count(text: str) -> int:
    value = _positive(text)
    if value != int(value):
        raise argparse.ArgumentTypeError(f"not a whole number: {text}")
    return int(value)


def _port(text: str) -> int:
    value = _number(text)
    if value != int(value) or value > 65535:
        raise argparse.ArgumentTypeError(f"not a port number: {text}")
    return int(value)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="The central service MallKiosk kiosks sync with, and its administration.",
    )
    parser.add_argument(
        "--db",
        metavar="URL",
        default=os.environ.get(DB_ENV) or default_db_url(),
        help=f"SQLAlchemy database URL, e.g. sqlite:////srv/central.sqlite3 or "
        f"postgresql+psycopg://user@host/db (default: ${DB_ENV}, else %(default)s)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def command(name: str, run: object, help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.set_defaults(run=run)
        return sub

    command("init", _init, "create the database or migrate it to the newest schema")

    serve = command("serve", _serve, "run the HTTP API kiosks sync with")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (%(default)s)")
    serve.add_argument("--port", type=_port, default=8700, help="port to listen on (%(default)s)")
    serve.add_argument(
        "--rate",
        type=_number,
        default=RATE,
        metavar="N",
        help="requests per second each kiosk regains; 0 disables the limit (%(default)s)",
    )
    serve.add_argument(
        "--burst",
        type=_count,
        default=BURST,
        metavar="N",
        help="requests a kiosk may make at once before the rate applies (%(default)s)",
    )
    serve.add_argument(
        "--max-body",
        type=_count,
        default=MAX_BODY,
        metavar="BYTES",
        help="largest request body accepted; larger ones get 413 (%(default)s)",
    )
    serve.add_argument(
        "--sms-gateway",
        default="none",
        metavar="SPEC",
        help='how member codes are texted: "none" turns member sign-in by SMS off; "log" writes '
        "the codes to the log with the number masked, for demos only; "
        '"package.module:Class" a gateway class with send(phone, text) (%(default)s)',
    )
    serve.add_argument(
        "--forwarded-allow-ips",
        metavar="ADDRESSES",
        help="comma-separated addresses (or networks, or *) of reverse proxies trusted to say "
        "whom they forward for (X-Forwarded-For, X-Forwarded-Proto): the tracking page counts "
        "failed look-ups per shopper address, and behind an untrusted proxy every shopper is the "
        "proxy (default: $FORWARDED_ALLOW_IPS, else this host: 127.0.0.1,::1)",
    )
    serve.add_argument(
        "--log-level",
        choices=("debug", "info", "warning", "error"),
        default="info",
        help="how much to log (%(default)s)",
    )

    load = command(
        "load-venue",
        _load_venue,
        "import an IMDF archive (folder or .zip, with its promotions.json) as a venue, or update "
        "the venue with the same id; kiosks get what changed on their next pull",
    )
    load.add_argument("path", metavar="PATH", help="IMDF folder or zip archive")

    for name, part, what in (
        ("load-policy", "return_policy", "the return policy"),
        ("load-settings", "settings", "the kiosk settings"),
    ):
        sub = command(name, _load_document(part), f"store {what} (a JSON object) for a venue")
        sub.add_argument("path", metavar="PATH.json", help="the JSON document, stored as is")
        sub.add_argument(
            "--venue", metavar="VENUE_ID", help="venue id (default: the only venue loaded)"
        )

    members = command(
        "load-members",
        _load_members,
        "load member tiers, members, their points and coupons from a JSON file; a member "
        "replaces the one with the same mobile number, and dates may be relative to today",
    )
    members.add_argument("path", metavar="PATH.json", nargs="?", help="the member data file")
    members.add_argument(
        "--demo", action="store_true", help="load the demo members shipped for the demo mall"
    )
    members.add_argument(
        "--venue",
        metavar="VENUE_ID",
        help="venue of the coupons (default: the file's venue_id, else the only venue loaded)",
    )

    code = command("enroll-code", _enroll_code, "print a new one-time code that enrolls one kiosk")
    code.add_argument("--venue", metavar="VENUE_ID", required=True, help="venue the kiosk is in")
    code.add_argument(
        "--hours", type=_positive, default=24.0, help="hours until the code expires (%(default)s)"
    )

    revoke = command("revoke", _revoke, "revoke a kiosk's device token (it must enroll again)")
    revoke.add_argument("kiosk_code", metavar="KIOSK_CODE", help="e.g. K07")

    command("devices", _devices, "list kiosks: state, last seen, queue depth, printer, disk")

    status = command("set-status", _set_status, "record a status change of a ticket")
    status.add_argument("ticket", metavar="TICKET", help="the ticket number, e.g. C-K07-0042-X")
    status.add_argument(
        "status",
        metavar="STATUS",
        choices=submissions.TICKET_STATUSES,
        help="one of: " + ", ".join(submissions.TICKET_STATUSES),
    )
    status.add_argument("--note", metavar="TEXT", help="a note the kiosk may show the shopper")
    status.add_argument("--staff", metavar="NAME", help="the staff account making the change")

    rated = command(
        "satisfaction",
        _satisfaction,
        "list the shoppers' ratings of finished tickets (from the tracking page), newest first, "
        "with their average and the share satisfied",
    )
    rated.add_argument(
        "--days",
        type=_positive,
        default=30.0,
        metavar="N",
        help="ratings given in the last N days (%(default)g)",
    )
    rated.add_argument(
        "--all", dest="days", action="store_const", const=None, help="every rating ever given"
    )

    add_staff = command("add-staff", _add_staff, "create a staff account (asks for its password)")
    add_staff.add_argument("name", metavar="NAME", help="the staff member's login name")
    add_staff.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    db: Database | None = None
    try:
        db = open_database(args.db)
        code: int = args.run(db, args)
        return code
    except CentralError as exc:
        print(f"{PROG}: {exc}", file=sys.stderr)
        return 1
    except OperationalError as exc:
        print(f"{PROG}: database error: {describe_db_error(exc)}", file=sys.stderr)
        return 1
    finally:
        if db is not None:
            db.dispose()


if __name__ == "__main__":
    sys.exit(main())
