"""Screenshots of the central service's route page as a phone shows it (390 px wide).

Serves the route pages of a scratch database holding the demo mall on 127.0.0.1, at a fixed
time (a Wednesday afternoon, so opening hours read the same every time), and photographs the
links a kiosk makes with headless Chromium (`apt-get install chromium`):

    python tools/phone_screenshots.py [OUT_DIR]      # default docs/screenshots

Writes phone-route-<case>.png, each cut below the page's end.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from fastapi import FastAPI
from PIL import Image, ImageChops

from kiosk.domain.imdf import demo_venue_path, load_venue
from kiosk.domain.routelink import KioskOrigin, Origin, route_url
from sync.server.db import open_database
from sync.server.testing import ServerHandle, seed_demo
from sync.server.web.route import route_pages

WIDTH = 390
AT = dt.datetime(2025, 6, 4, 15, 0)


def shoot(browser: str, url: str, out: Path) -> None:
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
             "--force-device-scale-factor=1", f"--user-data-dir={profile}",
             f"--window-size={WIDTH},2600", f"--screenshot={out}", url],
            check=True, capture_output=True, timeout=120,
        )  # fmt: skip
    with Image.open(out) as shot:
        image = shot.convert("RGB")
    background = Image.new("RGB", image.size, image.getpixel((WIDTH // 2, image.height - 1)))
    box = ImageChops.difference(image, background).getbbox()
    bottom = min(image.height, (box[3] if box else image.height) + 16)
    image.crop((0, 0, WIDTH, bottom)).save(out, optimize=True)


def main() -> int:
    out_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("docs/screenshots")
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        print("phone_screenshots: no chromium on PATH (apt-get install chromium)", file=sys.stderr)
        return 1
    venue = load_venue(demo_venue_path())

    def store(name_en: str) -> str:
        return next(o.id for o in venue.occupants if o.name.en == name_en)

    def link(origin: Origin, destination: str, step_free: bool, lang: str) -> str:
        url = route_url("http://x/R", venue.venue.id, origin, destination, step_free)
        return "/R" + url.split("/R", 1)[1] + f"?lang={lang}"

    k01, k09 = KioskOrigin("K01"), KioskOrigin("K09")
    cases = {
        "zh-walk": link(k01, store("Haidilao"), False, "zh"),
        "en-walk": link(k01, store("Haidilao"), False, "en"),
        "zh-step-free": link(k01, store("Haidilao"), True, "zh"),
        "en-step-free": link(k01, store("Haidilao"), True, "en"),
        "zh-404-store": link(k01, "a-store-that-closed", False, "zh"),
        "en-404-start": link(k09, store("DJI"), False, "en"),
        "en-400": "/R/PE940CJ2/K-K01/12E5?lang=en",
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        db_url = f"sqlite:///{Path(tmp) / 'central.sqlite3'}"
        seed_demo(db_url)
        db = open_database(db_url)
        app = FastAPI()
        app.include_router(route_pages(db, now=lambda: AT))
        server = ServerHandle(app)
        server.start()
        try:
            for name, path in cases.items():
                out = out_dir / f"phone-route-{name}.png"
                shoot(browser, server.base_url + path, out)
                print(out)
        finally:
            server.stop()
            db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
