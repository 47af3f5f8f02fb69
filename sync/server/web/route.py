"""The page a phone opens from a kiosk's route QR code: `/R/<venue>/<origin>/<destination>/<mode>`.

The link (`kiosk.domain.routelink`) names the venue and the destination by short id, the origin
as a kiosk of the venue (`K-`), a place (`P-`) or a point of a level (`G-`, a kiosk placed on its
own map), and the mode (`W` walking, `A` step-free). The route is the kiosk's own: the same
navigation graph, search and directions (`kiosk.domain`), so the phone shows the steps the kiosk
showed, in the page's language, with a map per level drawn on the server (`routemap`).

Parsing a venue and building its graph is done once per venue version and kept
(`VenueRoutesCache`), and so is a venue version that cannot be read; the endpoint is a plain
`def`, so that work and the route search run on the server's thread pool, not on the event loop.
Opening hours are judged in the mall's time zone (`followup.venue_zone`), whatever the server's.
Every answer is an HTML page (`pages.render`), errors included: a malformed link (400), an
unknown venue, destination or start, or no route (404, saying where the destination is when it
is known), a venue that cannot be read (503), a method other than GET and HEAD (405).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import math
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.domain import hours
from kiosk.domain.categories import STORE_CATEGORIES
from kiosk.domain.directions import Step, directions, format_distance, format_duration
from kiosk.domain.imdf import ImdfError, parse_files
from kiosk.domain.mapgeo import LevelMap, MapProjection, build_level_maps
from kiosk.domain.navgraph import NavGraph, Place, build_nav_graph
from kiosk.domain.route import (
    STEP_FREE_SPEED_MPS,
    WALKING_SPEED_MPS,
    Route,
    RouteOptions,
    find_route,
)
from kiosk.domain.routelink import (
    RouteLink,
    RouteLinkError,
    ShortIdCollisionError,
    check_unique,
    parse_route_path,
    short_id,
)
from kiosk.domain.search import facility_type
from kiosk.domain.venue import Level, Names, VenueData
from sync.server.catalog import canonical_json
from sync.server.db import Database
from sync.server.followup import venue_zone
from sync.server.models import Venue, VenueDocument, utcnow
from sync.server.web.pages import (
    PAGE_METHODS,
    Lang,
    app_path,
    catch_all,
    not_allowed,
    pick_language,
    render,
)
from sync.server.web.routemap import Mark, level_svg

__all__ = [
    "ROUTE_PATH",
    "UnreadableVenueError",
    "VenueRoutes",
    "VenueRoutesCache",
    "route_pages",
]

log = logging.getLogger(__name__)

ROUTE_PATH = "/R"
"""The path of `[wayfinding] route_link_base` on this server."""
CACHE_SIZE = 4
DESTINATION_SPAN_M = 80.0
"""How much of its level a map of the destination alone shows around it."""
_TURNS = frozenset({"straight", "slight_left", "slight_right", "left", "right", "u_turn"})
# What a stored settings document may set for routes, and the range the kiosk accepts
# (kiosk.config.WayfindingConfig): the page estimates times as the mall's kiosks do.
_SPEEDS = {"walking_speed_mps": (0.3, 2.5), "step_free_speed_mps": (0.3, 2.0)}
_VEHICLE = {
    "escalator_up": Names("扶梯", "Escalator"),
    "escalator_down": Names("扶梯", "Escalator"),
    "elevator": Names("电梯", "Elevator"),
    "stairs": Names("楼梯", "Stairs"),
    "ramp": Names("坡道", "Ramp"),
}


# --- one venue version, built once ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class VenueRoutes:
    """What route pages need of one venue version: the venue, its navigation graph and level
    maps, the short ids of its places (occupants, amenities, units, kiosks) and levels, and its
    time zone."""

    data: VenueData
    graph: NavGraph
    maps: Mapping[str, LevelMap]
    projection: MapProjection
    places: Mapping[str, str]
    levels: Mapping[str, Level]
    zone: dt.tzinfo

    @classmethod
    def build(cls, data: VenueData, zone: dt.tzinfo) -> VenueRoutes:
        ids = [
            *(o.id for o in data.occupants),
            *(a.id for a in data.amenities),
            *(u.id for u in data.units),
            *(k.id for k in data.kiosks),
        ]
        by_id = {level.id: level for level in data.levels}
        return cls(
            data=data,
            graph=build_nav_graph(data),
            maps=build_level_maps(data),
            projection=MapProjection.for_venue(data),
            places=_short_ids(ids, data.venue.id),
            levels={key: by_id[i] for key, i in _short_ids(by_id, data.venue.id).items()},
            zone=zone,
        )


def _short_ids(ids: Iterable[str], venue_id: str) -> dict[str, str]:
    """short id -> id; ids sharing a short id are left out (a link to either is ambiguous)."""
    ids = list(ids)
    try:
        return check_unique(ids)
    except ShortIdCollisionError as exc:
        log.warning("venue %s: %s; links to them are not resolved", venue_id, exc)
        return {short_id(i): i for i in ids if short_id(i) not in exc.collisions}


class UnreadableVenueError(Exception):
    """The venue version's files cannot be read (`ImdfError`); logged when it was found."""


class _Slot:
    """One cache entry: built once, by whichever request comes first; the others wait. A build
    that failed is not tried again (`unreadable`)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.value: VenueRoutes | None = None
        self.unreadable = False


class VenueRoutesCache:
    """The newest few `VenueRoutes`, keyed by (venue id, version); thread-safe. A venue whose
    data changes gets a new version, so an entry is never stale, only dropped when unused.
    `builds` counts the builds tried."""

    def __init__(self, size: int = CACHE_SIZE) -> None:
        self._size = size
        self._slots: OrderedDict[tuple[str, str], _Slot] = OrderedDict()
        self._lock = threading.Lock()
        self.builds = 0

    def get(self, venue_id: str, version: str, build: Callable[[], VenueRoutes]) -> VenueRoutes:
        """The entry for this venue version, from `build()` when it is not kept. Raises
        UnreadableVenueError when `build()` raised ImdfError, then or before: a venue version
        that cannot be read is not read again (that takes as long as a build)."""
        key = (venue_id, version)
        with self._lock:
            slot = self._slots.get(key)
            if slot is None:
                slot = self._slots[key] = _Slot()
                while len(self._slots) > self._size:
                    self._slots.popitem(last=False)
            else:
                self._slots.move_to_end(key)
        with slot.lock:
            if slot.value is None and not slot.unreadable:
                with self._lock:
                    self.builds += 1
                try:
                    slot.value = build()
                except ImdfError:
                    slot.unreadable = True
                    log.exception(
                        "venue %s (version %s) cannot be read; its route pages say so until "
                        "it is loaded again",
                        venue_id,
                        version,
                    )
            if slot.value is None:
                raise UnreadableVenueError(f"venue {venue_id} (version {version})")
            return slot.value


# --- what the page shows -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PlaceCard:
    """The destination as the kiosk's place card shows it."""

    id: str
    name: Names
    category: Names
    level: Level
    unit_no: str
    hours_now: Names
    hours_today: Names | None
    open_state: str
    phone: str | None
    place: Place | None


@dataclass(frozen=True, slots=True)
class LevelPart:
    """The route on one level: its map and the steps taken there (numbered from `start`)."""

    level: Level
    svg: Markup
    steps: tuple[Names, ...]
    start: int


@dataclass(frozen=True, slots=True)
class Origin:
    """Where the route starts; `facing_deg` is the way a shopper at a kiosk faces."""

    place: Place
    facing_deg: float | None
    name: Names
    level: Level


Problem = Literal[
    "malformed",
    "no_venue",
    "no_destination",
    "no_origin",
    "no_route",
    "venue_unreadable",
    "not_allowed",
]


def route_pages(
    db: Database,
    *,
    now: Callable[[], dt.datetime] = utcnow,
    cache: VenueRoutesCache | None = None,
) -> APIRouter:
    """The route pages on `db`. `now` is the current time, for "open now" and today's hours,
    which are the mall's local time (its venue's `ext.timezone`, `followup.venue_zone`): an
    aware datetime is seen in that zone, a naive one is taken as the mall's wall-clock time
    (a fixed time for screenshots). `cache` keeps the venues' graphs (a new one by default)."""
    router = APIRouter(include_in_schema=False)
    cache = cache or VenueRoutesCache()

    def answer(request: Request, path: str) -> HTMLResponse:
        lang = pick_language(request)
        if request.method not in PAGE_METHODS:
            return not_allowed(_error(request, lang, "not_allowed", 405))
        try:
            link = parse_route_path(path)
        except RouteLinkError:
            return _error(request, lang, "malformed", 400)
        with db.reads() as session:
            venue = _find_venue(session, link.venue_key)
            if venue is None:
                return _error(request, lang, "no_venue", 404)
            try:
                routes = cache.get(venue.id, venue.version, lambda: _build(venue))
            except UnreadableVenueError:
                return _error(request, lang, "venue_unreadable", 503)
            options = _options(session, venue.id, link.step_free)
        at = now()
        at = at.astimezone(routes.zone) if at.tzinfo else at.replace(tzinfo=routes.zone)
        return _route_page(request, lang, link=link, routes=routes, options=options, now=at)

    @router.api_route(
        ROUTE_PATH + "/{venue}/{origin}/{destination}/{mode}", methods=list(PAGE_METHODS)
    )
    def route_page(
        request: Request, venue: str, origin: str, destination: str, mode: str
    ) -> HTMLResponse:
        return answer(request, f"/{venue}/{origin}/{destination}/{mode}")

    # Anything else under the route path is a link cut short or mangled (a trailing slash is
    # forgiven: the page's links do not depend on it), or another method.
    def elsewhere(request: Request) -> HTMLResponse:
        return answer(request, request.path_params.get("rest", ""))

    catch_all(router, ROUTE_PATH, elsewhere)
    return router


def _find_venue(session: Session, key: str) -> Venue | None:
    for venue in session.scalars(select(Venue)):
        if short_id(venue.id) == key:
            return venue
    return None


def _build(venue: Venue) -> VenueRoutes:
    files = {name: canonical_json(obj) for name, obj in venue.files.items()}
    return VenueRoutes.build(parse_files(files).data, venue_zone(venue.files))


def _options(session: Session, venue_id: str, step_free: bool) -> RouteOptions:
    """The mall's walking speeds when its settings document sets them, as its kiosks use."""
    speeds = {"walking_speed_mps": WALKING_SPEED_MPS, "step_free_speed_mps": STEP_FREE_SPEED_MPS}
    row = session.get(VenueDocument, (venue_id, "settings"))
    section = row.doc.get("wayfinding") if row is not None else None
    if isinstance(section, dict):
        for key, (low, high) in _SPEEDS.items():
            value = section.get(key)
            if (
                isinstance(value, int | float)
                and not isinstance(value, bool)
                and low <= value <= high
            ):
                speeds[key] = float(value)
    return RouteOptions(
        step_free=step_free,
        walking_speed_mps=speeds["walking_speed_mps"],
        step_free_speed_mps=speeds["step_free_speed_mps"],
    )


# --- the page --------------------------------------------------------------------------------


def _route_page(
    request: Request,
    lang: Lang,
    *,
    link: RouteLink,
    routes: VenueRoutes,
    options: RouteOptions,
    now: dt.datetime,
) -> HTMLResponse:
    data = routes.data
    venue = data.venue
    common: dict[str, Any] = {
        "venue": venue,
        "website": _web_address(venue.website),
        "step_free": link.step_free,
    }
    other = dataclasses.replace(link, step_free=not link.step_free)
    common["other_mode_href"] = app_path(request, ROUTE_PATH + quote(other.path, safe="/:"))
    card = _place_card(routes, routes.places.get(link.destination_key), now)
    if card is None:
        return _error(request, lang, "no_destination", 404, **common)
    common["card"] = card
    common["card_map"] = _destination_map(routes, card, lang)
    origin = _origin(routes, link)
    if origin is None or card.place is None or not card.place.access:
        return _error(request, lang, "no_origin" if origin is None else "no_route", 404, **common)
    route = find_route(routes.graph, origin.place, card.place, options)
    if route is None:
        return _error(request, lang, "no_route", 404, **common)
    steps = directions(route, routes.graph, facing_deg=origin.facing_deg)
    distance, duration = format_distance(route.length_m), format_duration(route.seconds)
    return render(
        request,
        "route.html",
        lang,
        **common,
        origin=origin,
        route=route,
        distance=Names(*distance),
        duration=Names(*duration),
        parts=_parts(routes, route, steps, card, lang),
    )


def _error(
    request: Request, lang: Lang, problem: Problem, status: int, **values: Any
) -> HTMLResponse:
    values.setdefault("venue", None)
    values.setdefault("website", None)
    values.setdefault("card", None)
    values.setdefault("card_map", None)
    values.setdefault("step_free", False)
    values.setdefault("other_mode_href", "")
    return render(request, "route_error.html", lang, status, problem=problem, **values)


def _web_address(url: str | None) -> str | None:
    """The venue's website when it is an http(s) address (venue data is not trusted with
    other schemes in a link)."""
    if url and url.lower().startswith(("https://", "http://")):
        return url
    return None


def _place_card(routes: VenueRoutes, place_id: str | None, now: dt.datetime) -> PlaceCard | None:
    """The destination's card: a store or a facility of the venue, else None."""
    data, graph = routes.data, routes.graph
    occupant = next((o for o in data.occupants if o.id == place_id), None)
    if occupant is not None:
        level = data.occupant_level(occupant)
        unit = routes.maps[level.id].unit_for_store(occupant.id)
        category = next((c for c in STORE_CATEGORIES if c.code == occupant.category), None)
        return _card(
            place_id=occupant.id,
            name=occupant.name,
            category=Names(category.name_zh, category.name_en) if category else occupant.name,
            level=level,
            unit_no=(unit.unit_number or "") if unit else "",
            opening=occupant.hours,
            phone=occupant.phone,
            place=graph.occupants.get(occupant.id),
            now=now,
        )
    amenity = next((a for a in data.amenities if a.id == place_id), None)
    if amenity is None:
        return None
    kind = facility_type(amenity.category)
    type_name = kind.names if kind else Names(amenity.category, amenity.category)
    units = {u.id: u for u in data.units}
    home = next((units[u] for u in amenity.unit_ids if u in units), None)
    if home is None:
        return None
    return _card(
        place_id=amenity.id,
        name=amenity.name or type_name,
        category=type_name,
        level=data.level_by_id(home.level_id),
        unit_no="",
        opening=amenity.hours,
        phone=amenity.phone,
        place=graph.amenities.get(amenity.id),
        now=now,
    )


def _card(
    *,
    place_id: str,
    name: Names,
    category: Names,
    level: Level,
    unit_no: str,
    opening: str | None,
    phone: str | None,
    place: Place | None,
    now: dt.datetime,
) -> PlaceCard:
    state = hours.status(opening, now)
    return PlaceCard(
        id=place_id,
        name=name,
        category=category,
        level=level,
        unit_no=unit_no,
        hours_now=Names(hours.describe(state, "zh"), hours.describe(state, "en")),
        hours_today=_today(opening, now),
        open_state=str(state.state),
        phone=phone,
        place=place,
    )


def _today(opening: str | None, now: dt.datetime) -> Names | None:
    """Today's opening hours ("10:00–22:00"), or None when there are none or they cannot be
    read (the hours line then shows them as written)."""
    if opening is None:
        return None
    try:
        week = hours.parse_hours(opening).week
    except hours.HoursFormatError:
        return None
    spans = week[now.weekday()]
    if not spans:
        return Names("今天休息", "Closed today")
    zh, en = [], []
    for span in spans:
        start = f"{span.start // 60:02d}:{span.start % 60:02d}"
        end = span.end % hours.MINUTES_PER_DAY
        clock = f"{end // 60:02d}:{end % 60:02d}"
        if span.end == hours.MINUTES_PER_DAY:
            zh.append(f"{start}–24:00")
            en.append(f"{start}–24:00")
        elif span.end > hours.MINUTES_PER_DAY:
            zh.append(f"{start}–次日 {clock}")
            en.append(f"{start}–{clock} (next day)")
        else:
            zh.append(f"{start}–{clock}")
            en.append(f"{start}–{clock}")
    return Names("、".join(zh), ", ".join(en))


def _origin(routes: VenueRoutes, link: RouteLink) -> Origin | None:
    """Where the route starts, or None when the venue does not (or no longer) have it."""
    if link.origin_kiosk is not None:
        return _kiosk_origin(routes, link.origin_kiosk)
    if link.origin_point is not None:
        return _point_origin(routes, link.origin_key or "", link.origin_point)
    return _place_origin(routes, routes.places.get(link.origin_key or ""))


def _kiosk_origin(routes: VenueRoutes, code: str) -> Origin | None:
    kiosk = next((k for k in routes.data.kiosks if k.code == code), None)
    place = routes.graph.kiosks.get(code)
    if kiosk is None or place is None:
        return None
    name = kiosk.name or Names(f"导览机 {kiosk.code}", f"kiosk {kiosk.code}")
    return Origin(place, kiosk.heading_deg, name, routes.data.level_by_id(kiosk.level_id))


def _point_origin(routes: VenueRoutes, level_key: str, point: tuple[float, float]) -> Origin | None:
    level = routes.levels.get(level_key)
    if level is None or routes.maps[level.id].unit_at(*routes.projection.to_map(point)) is None:
        return None  # not a level of the venue, or off its floor plan
    place = routes.graph.at_point(level.id, point)
    # The link does not carry the way the kiosk faces: the first step just says to walk.
    return Origin(place, None, Names("导览机", "the kiosk"), level)


def _place_origin(routes: VenueRoutes, feature: str | None) -> Origin | None:
    if feature is None:
        return None
    graph = routes.graph
    kiosk = next((k for k in routes.data.kiosks if k.id == feature), None)
    found = (
        graph.occupants.get(feature)
        or graph.amenities.get(feature)
        or graph.units.get(feature)
        or (graph.kiosks.get(kiosk.code) if kiosk else None)
    )
    if found is None:
        return None
    level = routes.data.level_by_id(graph.levels[found.level].id)
    name = found.name or Names("起点", "the start")
    return Origin(found, kiosk.heading_deg if kiosk else None, name, level)


def _parts(
    routes: VenueRoutes, route: Route, steps: list[Step], card: PlaceCard, lang: Lang
) -> list[LevelPart]:
    """The route level by level: each leg's map with its markers, and the steps taken there
    (a leg's steps run from its first walk to its level change, or to the arrival)."""
    data, maps = routes.data, routes.maps
    to_map = routes.projection.to_map
    per_leg: list[list[tuple[int, Step]]] = [[] for _ in route.legs]
    leg = 0
    for number, step in enumerate(steps, start=1):
        while leg < len(route.legs) - 1 and step.level_id != route.legs[leg].level_id:
            leg += 1
        per_leg[leg].append((number, step))
    parts = []
    for index, (walk, numbered) in enumerate(zip(route.legs, per_leg, strict=True)):
        level = data.level_by_id(walk.level_id)
        path = [MapProjection.from_nav(x, y) for x, y in walk.points_m]
        marks: list[Mark] = []
        if index == 0:
            marks.append(Mark("start", path[0], Names("起点", "Start").get(lang)))
        else:
            came = route.transitions[index - 1]
            marks.append(Mark("badge", path[0], _VEHICLE[came.kind].get(lang)))
        if index < len(route.transitions):
            went = route.transitions[index]
            arrow = "↑" if went.up else "↓"
            to = data.level_by_id(went.to_level_id).short_name.get(lang)
            marks.append(Mark("badge", path[-1], f"{arrow} {to}"))
        else:
            marks.append(Mark("end", path[-1]))
        marks.extend(_turn_marks(numbered, path, to_map))
        title = f"{level.short_name.get(lang)} {level.name.get(lang)}"
        svg = level_svg(
            maps[level.id],
            path=path,
            marks=marks,
            lang=lang,
            title=title,
            highlight=card.id if index == len(route.legs) - 1 else None,
        )
        texts = tuple(Names(s.text_zh, s.text_en) for _, s in numbered)
        parts.append(LevelPart(level, svg, texts, numbered[0][0] if numbered else 1))
    return parts


def _turn_marks(
    numbered: list[tuple[int, Step]],
    path: list[tuple[float, float]],
    to_map: Callable[[tuple[float, float]], tuple[float, float]],
) -> list[Mark]:
    """Numbered markers at the turns, leaving out those on the leg's ends (the start, a level
    change or the destination has its own marker)."""
    marks = []
    for number, step in numbered:
        if step.icon not in _TURNS:
            continue
        at = to_map(step.point)
        if min(math.dist(at, path[0]), math.dist(at, path[-1])) < 3.0:
            continue
        marks.append(Mark("turn", at, str(number)))
    return marks


def _destination_map(routes: VenueRoutes, card: PlaceCard, lang: Lang) -> Markup:
    """The destination's level around it, the destination marked at its door (or its own
    point), for pages without a route."""
    level = routes.maps[card.level.id]
    place = card.place
    if place is not None and place.access:
        door = min(place.access, key=lambda a: a.offset_m).node
        at = MapProjection.from_nav(*routes.graph.xy(door))
    elif place is not None:
        at = MapProjection.from_nav(*place.xy)
    else:
        unit = level.unit_for_store(card.id)
        at = unit.label_at if unit else level.bounds.center
    return level_svg(
        level,
        path=[],
        marks=[Mark("end", at)],
        lang=lang,
        title=f"{card.level.short_name.get(lang)} {card.name.get(lang)}",
        highlight=card.id,
        min_span_m=DESTINATION_SPAN_M,
    )
