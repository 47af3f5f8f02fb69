"""The route page a phone opens from a kiosk's route QR code, against the real central service:
the kiosk's own wayfinding service makes the link, its QR code is drawn as the kiosk draws it
and read back with a real decoder, and the page must show the route the kiosk computed."""

from __future__ import annotations

import copy
import datetime as dt
import inspect
import io
import json
import logging
import re
import shutil
import threading
import xml.etree.ElementTree as ET
import zoneinfo
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

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
from sync.server.db import Database, open_database
from sync.server.models import Venue
from sync.server.testing import ServerHandle
from sync.server.web import route
from sync.server.web.route import VenueRoutes, VenueRoutesCache, route_pages
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


def open_page(url: str, method: str = "GET", **kwargs: object) -> tuple[requests.Response, Page]:
    reply = requests.request(method, url, timeout=TIMEOUT, **kwargs)  # type: ignore[arg-type]
    assert reply.headers["content-type"].startswith("text/html")
    assert reply.headers["cache-control"] == "no-store"
    assert "default-src 'none'" in reply.headers["content-security-policy"]
    assert "Traceback" not in reply.text
    assert "<script" not in reply.text
    return reply, Page(reply.text)


def texts(result: RouteResult, lang: str) -> list[str]:
    return [s.text_zh if lang == "zh" else s.text_en for s in result.steps]


def path_of(link: str) -> str:
    return urlsplit(link).path


@contextmanager
def route_server(db: Database, **options: Any) -> Iterator[str]:
    """The route pages alone on a server of their own (a clock or cache of the test's); its
    base URL."""
    app = FastAPI()
    app.include_router(route_pages(db, **options))
    server = ServerHandle(app)
    server.start()
    try:
        yield server.base_url
    finally:
        server.stop()


@contextmanager
def stored_venue(db_url: str, venue_id: str) -> Iterator[Venue]:
    """The stored venue row, to change in place (written back at the end of the block)."""
    db = open_database(db_url)
    try:
        with db.write() as session:
            venue = session.get(Venue, venue_id)
            assert venue is not None
            yield venue
    finally:
        db.dispose()


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
    assert path_of(step_free.link) + "?lang=zh" in walk_page.links
    assert path_of(walking.link) + "?lang=zh" in page.links


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


def test_a_trailing_slash_is_forgiven_and_the_mode_switch_still_works(
    central: Central, kiosk_cache: sessionmaker[Session], demo: VenueData
) -> None:
    service = wayfinding(central, kiosk_cache)
    walking = service.route_to(store(demo, "Haidilao"), step_free=False)
    step_free = service.route_to(store(demo, "Haidilao"), step_free=True)
    reply, page = open_page(walking.link + "/")
    assert reply.status_code == 200
    assert page.steps == texts(walking, "zh")
    # The switch to the step-free route, followed as a browser resolves it from this address.
    (switch,) = [link for link in page.links if link.endswith("?lang=zh")]
    reply, other = open_page(urljoin(reply.url, switch))
    assert reply.status_code == 200
    assert path_of(reply.url) == path_of(step_free.link)
    assert other.steps == texts(step_free, "zh")


def test_head_is_answered_and_other_methods_get_a_405_page(
    central: Central, demo: VenueData
) -> None:
    base = f"{central.base_url}/R"
    link = route_url(base, demo.venue.id, KioskOrigin("K01"), store(demo, "Haidilao"), False)
    head, _ = open_page(link, "HEAD")
    assert head.status_code == 200
    assert head.content == b""
    head, _ = open_page(f"{base}/PE940CJ2", "HEAD")
    assert head.status_code == 400
    for method, url in (
        ("POST", link),
        ("PUT", link),
        ("DELETE", link + "/"),
        ("PATCH", f"{base}/PE940CJ2"),
        ("POST", base),
        ("OPTIONS", f"{base}/"),
    ):
        reply, page = open_page(url + "?lang=en", method)
        assert reply.status_code == 405, (method, url)
        assert reply.headers["allow"] == "GET, HEAD"
        assert reply.headers["referrer-policy"] == "no-referrer"
        assert page.h1 == "This page cannot be opened this way"


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
    walk = urlsplit(link)._replace(path=urlsplit(link).path[:-1] + "W").geturl()
    assert path_of(walk) + "?lang=zh" in page.links
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


def test_open_now_and_today_are_the_malls_local_time_on_a_utc_clock(
    central_db: tuple[str, Path, str],
) -> None:
    """The server's clock says UTC; the page says what holds in the mall: in Shanghai unless
    its venue names another zone (`ext.timezone`)."""
    db_url, _, venue_id = central_db
    shanghai, paris = zoneinfo.ZoneInfo("Asia/Shanghai"), zoneinfo.ZoneInfo("Europe/Paris")
    venue = demo_mall.venue()
    db = open_database(db_url)

    def check(at: dt.datetime, name: str, zone: dt.tzinfo, today: str) -> hours.HoursStatus:
        place = next(o for o in venue.occupants if o.name.en == name)
        link = route_url("http://test/R", venue.venue.id, KioskOrigin("K01"), place.id, False)
        with route_server(db, now=lambda: at) as base:
            _, page = open_page(base + path_of(link))
        state = hours.status(place.hours, at.astimezone(zone))
        assert hours.describe(state, "zh") in page.text
        assert f"今日营业 {today}" in page.text
        # Not what holds at that time elsewhere (here, each case differs).
        for elsewhere in (dt.UTC, shanghai, paris):
            if elsewhere is not zone:
                other = hours.status(place.hours, at.astimezone(elsewhere))
                assert hours.describe(other, "zh") != hours.describe(state, "zh")
                assert hours.describe(other, "zh") not in page.text
        return state

    open_, closed = hours.OpenState.OPEN, hours.OpenState.CLOSED
    try:
        # 04:00 UTC is noon in Shanghai, 14:00 UTC is 22:00 there.
        at = dt.datetime(2025, 6, 2, 4, 0, tzinfo=dt.UTC)
        assert check(at, "Haidilao", shanghai, "11:00–21:30").state is open_
        at = dt.datetime(2025, 6, 2, 14, 0, tzinfo=dt.UTC)
        assert check(at, "Haidilao", shanghai, "11:00–21:30").state is closed
        # Sunday 17:30 UTC is Monday 01:30 in Shanghai: Monday's hours, not Sunday's 10-16.
        at = dt.datetime(2025, 6, 1, 17, 30, tzinfo=dt.UTC)
        assert check(at, "Bank of China", shanghai, "09:00–17:00").state is closed
        at = dt.datetime(2025, 6, 2, 1, 30, tzinfo=dt.UTC)
        assert check(at, "Bank of China", shanghai, "09:00–17:00").state is open_

        # The venue's own zone, as the tracking page reads it.
        with stored_venue(db_url, venue_id) as stored:
            files = copy.deepcopy(stored.files)
            files["venue.geojson"]["features"][0]["properties"]["ext"] = {
                "timezone": "Europe/Paris"
            }
            stored.files = files
        at = dt.datetime(2025, 6, 2, 19, 45, tzinfo=dt.UTC)  # 21:45 in Paris
        assert check(at, "Haidilao", paris, "11:00–21:30").state is closed
    finally:
        db.dispose()
    # The server's own clock is an aware one, so it is read in the mall's zone too.
    assert inspect.signature(route_pages).parameters["now"].default().tzinfo is not None


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

    def load() -> VenueRoutes:
        loads.append("x")
        return VenueRoutes.build(venue, dt.UTC)

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


def test_a_venue_that_cannot_be_read_is_read_once_per_version(
    central_db: tuple[str, Path, str],
    demo: VenueData,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    db_url, _, venue_id = central_db
    parsed: list[int] = []
    parse: Callable[..., Any] = route.parse_files

    def counted(files: Any) -> Any:
        parsed.append(len(files))
        return parse(files)

    monkeypatch.setattr(route, "parse_files", counted)
    with stored_venue(db_url, venue_id) as stored:
        levels = stored.files["level.geojson"]
        stored.files = {k: v for k, v in stored.files.items() if k != "level.geojson"}
    link = route_url("http://test/R", venue_id, KioskOrigin("K01"), store(demo, "DJI"), False)
    db = open_database(db_url)
    cache = VenueRoutesCache()
    try:
        with (
            caplog.at_level(logging.ERROR, logger="sync.server.web.route"),
            route_server(db, cache=cache) as base,
        ):
            for _ in range(3):
                reply, page = open_page(base + path_of(link))
                assert reply.status_code == 503
                assert page.h1 == "地图暂时无法使用"
            assert len(parsed) == 1
            # Loaded again, fixed: a new version, read and served.
            with stored_venue(db_url, venue_id) as stored:
                stored.files = {**stored.files, "level.geojson": levels}
                stored.version = "fixed"
            reply, _ = open_page(base + path_of(link))
            assert reply.status_code == 200
    finally:
        db.dispose()
    assert (len(parsed), cache.builds) == (2, 2)
    logged = [r for r in caplog.records if r.name == "sync.server.web.route"]
    assert len(logged) == 1
    assert logged[0].exc_info is not None
    assert "level.geojson" in str(logged[0].exc_info[1])


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
