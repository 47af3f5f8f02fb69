"""Screenshots of the central service's ticket tracking page as a phone shows it (390 px wide).

Files a few tickets in a scratch database holding the demo mall (a complaint in progress, a
resolved one to rate, a rated one, a return request, a suggestion to withdraw), serves the
tracking pages on 127.0.0.1 and photographs them with headless Chromium, as
`tools/phone_screenshots.py` does the route pages (`apt-get install chromium`):

    python tools/tracking_screenshots.py [OUT_DIR]      # default docs/screenshots

Writes phone-tracking-<case>.png. Times are relative to now, so they differ from run to run.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import shutil
import sys
import tempfile
import uuid
from pathlib import Path
from typing import Any

import requests
from fastapi import FastAPI
from phone_screenshots import shoot  # the same camera as the route pages

from sync.schemas import EnrollRequest, SubmissionBatch, SubmissionIn
from sync.server import devices, followup, submissions
from sync.server.db import Database, open_database
from sync.server.testing import ServerHandle, seed_demo
from sync.server.web.tracking import tracking_pages

CONTACT = {"name": "王小明", "phone": "13800138000", "preferred_time": "anytime", "consent": True}


def file_tickets(db: Database, venue_id: str) -> dict[str, str]:
    """Ticket number -> tracking token of the demo tickets, in the states photographed."""
    code = devices.mint_enrollment_code(db, venue_id)
    reply = devices.enroll(db, EnrollRequest(code=code, kiosk_code="K07", app_version="demo"))
    device = devices.authenticate(db, reply.device_token)
    assert device is not None
    now = dt.datetime.now(dt.UTC)
    tokens: dict[str, str] = {}

    def complaint(category: str, store: str | None, callback: bool) -> dict[str, Any]:
        return {
            "v": 1,
            "type": "complaint",
            "category": category,
            "store": {"id": None, "name": store or "云汇广场"},
            "contact": CONTACT if callback else None,
            "callback_possible": callback,
        }

    items = []
    for ticket, kind, payload, minutes_ago in (
        ("C-K07-0042-V", "complaint", complaint("service_attitude", "星巴克 Starbucks", True), 50),
        ("C-K07-0043-K", "complaint", complaint("product_quality", "优衣库 UNIQLO", True), 180),
        ("C-K07-0046-2", "complaint", complaint("environment", None, False), 300),
        (
            "R-K07-0044-7",
            "return_request",
            {"v": 1, "store": {"id": None, "name": "华为授权体验店"}, "contact": None},
            20,
        ),
        ("S-K07-0045-Q", "feedback", {"v": 1, "type": "suggestion", "contact": None}, 10),
    ):
        tokens[ticket] = secrets.token_urlsafe(32)
        items.append(
            SubmissionIn(
                uuid=uuid.uuid4(),
                kind=kind,
                ticket_no=ticket,
                created_at=now - dt.timedelta(minutes=minutes_ago),
                token_sha256=hashlib.sha256(tokens[ticket].encode()).hexdigest(),
                payload=payload,
            )
        )
    submissions.store_batch(db, device, SubmissionBatch(items=items))
    for ticket, status, note in (
        ("C-K07-0042-V", "acknowledged", "已受理，客服会尽快与您联系。"),
        (
            "C-K07-0042-V",
            "in_progress",
            "已与星巴克店长沟通，正在核实当时情况。\nWe are checking with the store manager.",
        ),
        ("C-K07-0043-K", "acknowledged", None),
        (
            "C-K07-0043-K",
            "resolved",
            "商户已为您办理换货，并致歉。\nThe store exchanged the item and apologised.",
        ),
        ("C-K07-0046-2", "closed", "B1 洗手间已修好。"),
    ):
        submissions.set_status(db, ticket, status, note=note)
    followup.Tickets(db).rate("C-K07-0046-2", tokens["C-K07-0046-2"], 4, "修得很快")
    return tokens


def main() -> int:
    out_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("docs/screenshots")
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        print(
            "tracking_screenshots: no chromium on PATH (apt-get install chromium)", file=sys.stderr
        )
        return 1
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        db_url = f"sqlite:///{Path(tmp) / 'central.sqlite3'}"
        db = open_database(db_url)
        tokens = file_tickets(db, seed_demo(db_url))

        def page(ticket: str, lang: str, action: str = "", **query: str) -> str:
            extra = "".join(f"&{key}={value}" for key, value in query.items())
            return f"/T/{ticket}{action}?t={tokens[ticket]}&lang={lang}{extra}"

        cases = {
            "zh-complaint-in-progress": page("C-K07-0042-V", "zh"),
            "en-complaint-in-progress": page("C-K07-0042-V", "en"),
            "zh-resolved-rating": page("C-K07-0043-K", "zh"),
            "en-resolved-rating": page("C-K07-0043-K", "en"),
            "zh-rated": page("C-K07-0046-2", "zh", done="rated"),
            "en-return": page("R-K07-0044-7", "en"),
            "zh-withdraw-confirm": page("S-K07-0045-Q", "zh", "/withdraw"),
            "zh-not-found": "/T/C-K07-0042-V?t=wrong&lang=zh",
            "en-not-found": "/T/C-K07-0042-V?t=wrong&lang=en",
        }
        app = FastAPI()
        app.include_router(tracking_pages(db))
        server = ServerHandle(app)
        server.start()
        try:
            for name, path in cases.items():
                out = out_dir / f"phone-tracking-{name}.png"
                shoot(browser, server.base_url + path, out)
                print(out)
            # The rating form refusing too long a comment: the answer to a POST, from a file.
            refused = requests.post(
                f"{server.base_url}/T/C-K07-0043-K/rating?lang=zh",
                data={"t": tokens["C-K07-0043-K"], "rating": "2", "comment": "太" * 501},
                timeout=10,
            )
            answer = Path(tmp) / "rating-error.html"
            answer.write_text(refused.text, encoding="utf-8")
            out = out_dir / "phone-tracking-zh-rating-error.png"
            shoot(browser, answer.as_uri(), out)
            print(out)
        finally:
            server.stop()
            db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
