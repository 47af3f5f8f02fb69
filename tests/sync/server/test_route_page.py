"""The route page a phone opens from a kiosk's route QR code, against the real central service:
the kiosk's own wayfinding service makes the link, its QR code is drawn as the kiosk draws it
and read back with a real decoder, and the page must show the route the kiosk computed."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import shutil
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
import zxingcpp
from fastapi import FastAPI
from PIL import Image
from sqlalchemy.orm import Session, sessionmaker

from kiosk.domain import hours
from kiosk.domain.directions import directions, format_distance, format_duration
from kiosk.domain.imdf import demo_venue_path, load_venue
from kiosk.domain.placement import KioskPosition
from kiosk.domain.route import RouteOptions, find_route
from kiosk.domain.routelink import KioskOrigin, make_qr_png, route_url, short_id
from kiosk.domain.venue import Names, VenueData
from kiosk.services.venue import VenueService
from kiosk.services.wayfinding import RouteResult, RouteSettings, WayfindingService
from kiosk.store.db import open_cache
from sync.server.catalog import load_document
from sync.server.catalog import load_venue as load_central_venue
from sync.server.db import open_database
from sync.server.testing import ServerHandle
from sync.server.web.route import VenueRoutesCache, route_pages
from tests.central import Central
from tests.domain import demo as demo_mall
from tests.sync.server.conftest import TIMEOUT

# A walkway point of the demo mall on every level, to six decimals as a link carries it.
WALKWAY = (121.469632, 31.229765)


class Page(HTMLParser):
    """What a test reads off a route page: the heading, level headings, steps, maps, links."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.h1 = ""
        self.h2: list[str] = []
        self.steps: list[str] = []
        self.links: list[str] = []
        self.svgs = re.findall(r"<svg.*?</svg>", html, re.DOTALL)
        self._into: list[str] | None = None
        self._text: list[str] = []
        self.feed(html)
        self.text = re.sub(r"\s+", " ", "".join(self._text))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "a" and found.get("href"):
            self.links.append(found["href"] or "")
        if tag in ("h1", "h2") or (tag == "li" and found.get("class") == "step"):
            self._into = []
            self._tag = tag

    def handle_endtag(self, tag: str) -> None:
        if self._into is not None and tag == self._tag:
            text = re.sub(r"\s+", " ", "".join(self._into)).strip()
            if tag == "h1":
                self.h1 = text
            elif tag == "h2":
                self.h2.append(text)
            else:
                self.steps.append(text)
            self._into = None

    def handle_data(self, data: str) -> None:
        self._text.append(data)
        if self._into is not None:
            self._into.append(data)


@pytest.fixture(scope="module")
def demo() -> VenueData:
    return load_venue(demo_venue_path())


@pytest.fixture(scope="module")
def kiosk_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[sessionmaker[Session]]:
    """The kiosk's own cache holding the embedded demo mall, as on a kiosk."""
    engine, factory = open_cache(tmp_path_factory.mktemp("kiosk") / "cache.sqlite3")
    VenueService(factory).ensure_loaded()
    yield factory
    engine.dispose()


def wayfinding(
    central: Central,
    sessions: sessionmaker[Session],
    code: str = "K01",
    position: KioskPosition | None = None,
) -> WayfindingService:
    """The kiosk's wayfinding service with its route links pointed at the test server."""
    return WayfindingService(
        sessions, code, RouteSettings(f"{central.base_url}/R"), position=position
    )


def store(demo: VenueData, name_en: str) -> str:
    return next(o.id for o in demo.occupants if o.name.en == name_en)


def scan(result: RouteResult) -> str:
    """The route's QR code as the kiosk draws it, read back by a real decoder."""
    with Image.open(io.BytesIO(make_qr_png(result.link, box_size=8, border=4))) as image:
        found = zxingcpp.read_barcodes(image)
    assert [r.format for r in found] == [zxingcpp.BarcodeFormat.QRCode]
    assert found[0].text == result.link
    return found[0].text


def open_page(url: str, **kwargs: object) -> tuple[requests.Response, Page]:
    reply = requests.get(url, timeout=TIMEOUT, **kwargs)  # type: ignore[arg-type]
    assert reply.headers["content-type"].startswith("text/html")
    assert reply.headers["cache-control"] == "no-store"
    assert "default-src 'none'" in reply.headers["content-security-policy"]
    assert "Traceback" not in reply.text
    assert "<script" not in reply.text
    return reply, Page(reply.text)


def texts(result: RouteResult, lang: str) -> list[str]:
    return [s.text_zh if lang == "zh" else s.text_en for s in result.steps]


# --- the route, as the kiosk computed it ---------------------------------------------------


@pytest.mark.parametrize(
    "case",
    [
        # kiosk, destination, language, how the language is asked for
        ("K01", "Haidilao", "zh", "default"),
        ("K01", "Haidilao", "en", "header"),
        ("K02", "DJI", "en", "query"),
        ("K01", "Apple", "zh", "query"),
    ],
)
def test_the_qr_link_opens_the_route_the_kiosk_showed(
    central: Central,
    kiosk_cache: sessionmaker[Session],
    demo: VenueData,
    case: tuple[str, str, str, str],
) -> None:
    code, destination, lang, how = case
    result = wayfinding(central, kiosk_cache, code).route_to(
        store(demo, destination), step_free=False
    )
    url = scan(result)
    assert f"/K-{code}/" in url
    kwargs: dict[str, object] = {}
    if how == "header":
        kwargs["headers"] = {"Accept-Language": "en-GB,en;q=0.9,zh;q=0.5"}
    elif how == "query":
        url += f"?lang={lang}"
    reply, page = open_page(url, **kwargs)
    assert reply.status_code == 200
    assert page.h1 == result.destination.name.get(lang)
    assert page.steps == texts(result, lang)
    assert format_distance(result.route.length_m)[lang == "en"] in page.text
    assert format_duration(result.route.seconds)[lang == "en"] in page.text
    # A map per level the route crosses, in order, each well-formed and small.
    shorts = {lv.id: lv.short_name.get(lang) for lv in demo.levels}
    crossed = [shorts[leg.level_id] for leg in result.route.legs]
    assert [h.split()[0] for h in page.h2] == crossed
    assert len(page.svgs) == len(crossed)
    for svg in page.svgs:
        root = ET.fromstring(svg)
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
        assert len(svg) < 12_000
    assert result.destination.level.get(lang) in page.text
    if result.destination.unit_no:
        assert result.destination.unit_no in page.text


def test_a_facility_on_another_floor_is_a_destination_too(
    central: Central, kiosk_cache: sessionmaker[Session]
) -> None:
    service = wayfinding(central, kiosk_cache)
    facility = next(v for v in service.nearest_facilities("restroom") if v.level.en == "3F")
    result = service.route_to(facility.id, step_free=True)
    reply, page = open_page(scan(result) + "?lang=en")
    assert reply.status_code == 200
    assert page.h1 == facility.name.en
    assert page.steps == texts(result, "en")
    assert [h.split()[0] for h in page.h2] == ["1F", "3F"]


def test_the_page_speaks_the_language_asked_for(
    central: Central, kiosk_cache: sessionmaker[Session], demo: VenueData
) -> None:
    result = wayfinding(central, kiosk_cache).route_to(store(demo, "Haidilao"), step_free=False)
    _, zh = open_page(result.link, headers={"Accept-Language": "fr-FR"})
    assert zh.steps == texts(result, "zh")
    _, en = open_page(result.link + "?lang=en", headers={"Accept-Language": "zh-CN"})
    assert en.steps == texts(result, "en")
    assert "?lang=zh" in en.links  # the switch back keeps to the same route
    # Scanners and people may lower-case the tokens after the base.
    base, _, rest = result.link.partition("/R/")
    reply, lowered = open_page(f"{base}/R/{rest.lower()}")
    assert reply.status_code == 200
    assert lowered.steps == zh.steps


def test_a_step_free_link_avoids_stairs_and_escalators(
    central: Central, kiosk_cache: sessionmaker[Session], demo: VenueData
) -> None:
    service = wayfinding(central, kiosk_cache)
    walking = service.route_to(store(demo, "Haidilao"), step_free=False)
    step_free = service.route_to(store(demo, "Haidilao"), step_free=True)
    assert step_free.link.endswith("/A")
    _, walk_page = open_page(scan(walking))
    assert any("扶梯" in s or "楼梯" in s for s in walk_page.steps)  # the test can tell
    reply, page = open_page(scan(step_free))
    assert reply.status_code == 200
    assert page.steps == texts(step_free, "zh")
    assert not any("扶梯" in s or "楼梯" in s for s in page.steps)
    assert any("电梯" in s for s in page.steps)
    assert "无障碍路线" in page.text
    # Each page offers the other mode of the same link.
    assert "A?lang=zh" in walk_page.links
    assert "W?lang=zh" in page.links


def test_a_kiosk_placed_on_its_own_map_sends_a_point_that_works(
    central: Central, kiosk_cache: sessionmaker[Session], demo: VenueData
) -> None:
    level = demo.level_by_short_name("2F")
    service = wayfinding(central, kiosk_cache, "K07", KioskPosition(level.id, WALKWAY, 90.0))
    result = service.route_to(store(demo, "Apple"), step_free=False)
    url = scan(result)
    assert f"/G-{short_id(level.id)}:" in url
    reply, page = open_page(url + "?lang=en")
    assert reply.status_code == 200
    # The link does not carry the way the kiosk faces, so the first walk is worded without a
    # turn; everything else is what the kiosk showed.
    graph = service.snapshot().graph
    expected = [s.text_en for s in directions(result.route, graph, facing_deg=None)]
    assert page.steps == expected
    assert page.steps[2:] == texts(result, "en")[2:]
    assert page.h2[0].startswith("2F")


# --- errors: pages, never JSON ------------------------------------------------------------


def test_unknown_venue_destination_and_start_are_404_pages(
    central: Central, demo: VenueData
) -> None:
    base = f"{central.base_url}/R"
    dji = store(demo, "DJI")

    reply, page = open_page(route_url(base, "another-mall", KioskOrigin("K01"), dji, False))
    assert reply.status_code == 404
    assert page.h1 == "找不到这个商场"

    reply, page = open_page(route_url(base, demo.venue.id, KioskOrigin("K01"), "gone", False))
    assert reply.status_code == 404
    assert page.h1 == "找不到这个地点"
    assert demo.venue.website in page.links  # the mall's own directory

    gone_kiosk = route_url(base, demo.venue.id, KioskOrigin("K09"), dji, False)
    reply, page = open_page(gone_kiosk + "?lang=en")
    assert reply.status_code == 404
    assert page.h1 == "DJI"
    assert "DJI is on 1F" in page.text  # where to go, even without a route
    assert len(page.svgs) == 1
    ET.fromstring(page.svgs[0])

    # A point off the level's floor plan is no start either.
    level = short_id(demo.level_by_short_name("1F").id)
    reply, _ = open_page(f"{base}/{short_id(demo.venue.id)}/G-{level}:121.0:31.0/{short_id(dji)}/W")
    assert reply.status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/R",
        "/R/",
        "/R/PE940CJ2",
        "/R/PE940CJ2/K-K01/12E5DG8G",
        "/R/PE940CJ2/K-K01/12E5DG8G/X",
        "/R/PE940CJ2/Q-K01/12E5DG8G/W",
        "/R/PE940CJ2/G-ZN7S8S8F:east:north/12E5DG8G/W",
        "/R/PE940CJ2/K-K01/12E5DG8G/W/extra",
        "/R/PE940CJ2/K-K01/<b>hi</b>/W",
    ],
)
def test_a_malformed_link_is_a_400_page(central: Central, path: str) -> None:
    reply, page = open_page(f"{central.base_url}{path}?lang=en")
    assert reply.status_code == 400
    assert page.h1 == "This route link is incomplete"
    assert "<b>hi" not in reply.text


def test_no_step_free_route_explains_and_offers_the_walking_route(
    central: Central, demo: VenueData, tmp_path: Path
) -> None:
    # The mall's elevators closed: its data changes (a new version of the same venue).
    changed = tmp_path / "mall"
    shutil.copytree(demo_venue_path(), changed)
    units = json.loads((changed / "unit.geojson").read_text(encoding="utf-8"))
    for feature in units["features"]:
        if feature["properties"]["category"] == "elevator":
            feature["properties"]["category"] = "nonpublic"
    (changed / "unit.geojson").write_text(json.dumps(units, ensure_ascii=False), "utf-8")
    link = route_url(
        f"{central.base_url}/R", demo.venue.id, KioskOrigin("K01"), store(demo, "Haidilao"), True
    )
    reply, _ = open_page(link)
    assert reply.status_code == 200  # before the change
    db = open_database(central.db_url)
    try:
        assert load_central_venue(db, changed).venue_changed
    finally:
        db.dispose()

    reply, page = open_page(link)
    assert reply.status_code == 404
    assert page.h1 == "海底捞"
    assert "没有只乘电梯、走坡道的无障碍路线" in page.text
    assert "W?lang=zh" in page.links
    walk = urlsplit(link)._replace(path=urlsplit(link).path[:-1] + "W").geturl()
    reply, walking = open_page(walk)
    assert reply.status_code == 200
    assert any("扶梯" in s for s in walking.steps)


# --- opening hours, speeds and the cache ---------------------------------------------------


def test_opening_hours_today_and_open_now(central_db: tuple[str, Path, str]) -> None:
    db = open_database(central_db[0])
    venue = demo_mall.venue()
    haidilao = next(o for o in venue.occupants if o.name.en == "Haidilao")
    assert haidilao.hours is not None
    link = route_url("http://test/R", venue.venue.id, KioskOrigin("K01"), haidilao.id, False)
    path = urlsplit(link).path
    try:
        for at in (dt.datetime(2025, 6, 2, 12, 0), dt.datetime(2025, 6, 2, 23, 0)):
            app = FastAPI()
            app.include_router(route_pages(db, now=lambda at=at: at))
            server = ServerHandle(app)
            server.start()
            try:
                _, page = open_page(server.base_url + path)
            finally:
                server.stop()
            state = hours.status(haidilao.hours, at)
            assert hours.describe(state, "zh") in page.text
            assert "今日营业 11:00–21:30" in page.text
        assert state.state is hours.OpenState.CLOSED  # the two times differ
    finally:
        db.dispose()


def test_the_malls_walking_speed_sets_the_times(central: Central, demo: VenueData) -> None:
    db = open_database(central.db_url)
    try:
        load_document(db, "settings", {"wayfinding": {"walking_speed_mps": 0.5}}, None)
    finally:
        db.dispose()
    graph = demo_mall.graph()
    slow = find_route(
        graph,
        graph.kiosk("K01"),
        graph.occupant(store(demo, "Haidilao")),
        RouteOptions(walking_speed_mps=0.5),
    )
    assert slow is not None
    link = route_url(
        f"{central.base_url}/R", demo.venue.id, KioskOrigin("K01"), store(demo, "Haidilao"), False
    )
    _, page = open_page(link)
    assert page.steps[0] == directions(slow, graph, facing_deg=0.0)[0].text_zh
    assert format_duration(slow.seconds)[0] in page.text


def test_the_cache_builds_each_venue_version_once() -> None:
    cache = VenueRoutesCache(size=2)
    venue = demo_mall.venue()
    loads: list[str] = []
    start = threading.Barrier(6)

    def load() -> VenueData:
        loads.append("x")
        return venue

    def ask() -> None:
        start.wait()
        cache.get(venue.venue.id, "v1", load)

    threads = [threading.Thread(target=ask) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert (len(loads), cache.builds) == (1, 1)
    first = cache.get(venue.venue.id, "v1", load)
    assert first.graph.node_count == demo_mall.graph().node_count
    assert first.levels[short_id(venue.levels[0].id)] == venue.levels[0]
    cache.get(venue.venue.id, "v2", load)
    cache.get(venue.venue.id, "v3", load)  # v1 is the least recently used: dropped
    assert cache.get(venue.venue.id, "v3", load) is not first
    cache.get(venue.venue.id, "v1", load)
    assert cache.builds == 4


def test_names_of_both_languages_reach_the_map(demo: VenueData) -> None:
    """The maps label stores in the page's language (from the shared level geometry)."""
    from kiosk.domain.mapgeo import build_level_maps
    from sync.server.web.routemap import level_svg

    maps = build_level_maps(demo)
    level = demo.level_by_short_name("1F")
    apple = store(demo, "Apple")
    unit = maps[level.id].unit_for_store(apple)
    assert unit is not None
    for lang, name in (("zh", "苹果"), ("en", "Apple")):
        svg = level_svg(
            maps[level.id],
            path=[],
            marks=[],
            lang=lang,
            title=Names("一层", "1F").get(lang),
            highlight=apple,
            min_span_m=80,
        )
        root = ET.fromstring(str(svg))
        labels = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
        assert name in labels
