"""Wayfinding use cases: search, browse, place details, routes and maps over the cached venue.

Everything is built from the cache once per venue version (a `VenueSnapshot`): the search
index, the navigation graph and the level maps. Building runs on a worker thread at start-up
(`warm_up`) so the first search does not wait; the snapshot is plain data, safe to read from any
thread once built.

Where this kiosk stands (you-are-here, where routes start, its floor) is the venue's kiosk
feature for the device code, or the position staff set on the device
(`kiosk.domain.placement`). Setting another position (`set_kiosk_position`) takes effect at
once: the snapshot is replaced by one that shares everything the position does not change.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from kiosk.domain import hours
from kiosk.domain.categories import STORE_CATEGORIES, StoreCategory
from kiosk.domain.directions import Step, directions
from kiosk.domain.mapgeo import LevelMap, MapProjection, build_level_maps, with_you_are_here
from kiosk.domain.navgraph import NavGraph, Place, build_nav_graph
from kiosk.domain.placement import KioskPosition, PlacedKiosk, place_kiosk, start_place
from kiosk.domain.route import Route, RouteOptions, find_route
from kiosk.domain.routelink import KioskOrigin, Origin, PointOrigin, route_url
from kiosk.domain.search import SearchHit, SearchIndex, facility_type
from kiosk.domain.venue import Amenity, Level, Names, Occupant, VenueData
from kiosk.errors import KnownError
from kiosk.store import venue_repo

log = logging.getLogger(__name__)


class NoVenueError(KnownError):
    """No venue data is cached yet."""


class UnknownPlaceError(KnownError):
    """A store or facility id that the current venue does not have."""


class NoRouteError(KnownError):
    """No route leads there (with the options asked for)."""


@dataclass(frozen=True, slots=True)
class RouteSettings:
    link_base: str
    walking_speed_mps: float = 1.2
    step_free_speed_mps: float = 0.8


@dataclass(frozen=True, slots=True)
class RouteResult:
    """A route from this kiosk with its directions and the link that takes it to a phone."""

    destination: PlaceView
    route: Route
    steps: tuple[Step, ...]
    link: str


@dataclass(frozen=True, slots=True)
class PlaceView:
    """A store, facility or category as a result row or detail card shows it."""

    kind: str  # "store" | "facility" | "category"
    id: str
    name: Names
    category: str
    category_name: Names
    level_id: str
    level: Names
    ordinal: int
    unit_no: str
    hours: str | None
    phone: str | None
    suggested: bool = False


# What a VenueSnapshot derives from the venue alone, shared with `moved` copies.
_PER_VERSION = (
    "index",
    "levels",
    "unit_level",
    "stores",
    "facilities",
    "categories",
    "graph",
    "projection",
    "plain_maps",
)


@dataclass
class VenueSnapshot:
    """The cached venue and what is derived from it, for one venue version and one position of
    the kiosk `kiosk_code` (`position`: set on the device; None = the venue's kiosk feature)."""

    data: VenueData
    kiosk_code: str
    position: KioskPosition | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @cached_property
    def index(self) -> SearchIndex:
        return SearchIndex.from_venue(self.data)

    @cached_property
    def levels(self) -> dict[str, Level]:
        return {lv.id: lv for lv in self.data.levels}

    @cached_property
    def unit_level(self) -> dict[str, str]:
        return {u.id: u.level_id for u in self.data.units}

    @cached_property
    def stores(self) -> dict[str, Occupant]:
        return {o.id: o for o in self.data.occupants}

    @cached_property
    def facilities(self) -> dict[str, Amenity]:
        return {a.id: a for a in self.data.amenities}

    @cached_property
    def categories(self) -> dict[str, StoreCategory]:
        return {c.code: c for c in STORE_CATEGORIES}

    @cached_property
    def graph(self) -> NavGraph:
        return build_nav_graph(self.data)

    @cached_property
    def projection(self) -> MapProjection:
        return MapProjection.for_venue(self.data)

    @cached_property
    def plain_maps(self) -> dict[str, LevelMap]:
        """The level maps without you-are-here."""
        return build_level_maps(self.data)

    # --- what depends on where the kiosk stands ---------------------------------------------
    @cached_property
    def placed(self) -> PlacedKiosk:
        placed = place_kiosk(self.data, self.kiosk_code, self.position)
        if placed.ignored:
            log.warning("%s", placed.ignored)
        return placed

    @cached_property
    def maps(self) -> dict[str, LevelMap]:
        return with_you_are_here(self.plain_maps, self.placed.kiosk, self.projection)

    @cached_property
    def kiosk_ordinal(self) -> int:
        level_id = self.placed.level_id
        return self.levels[level_id].ordinal if level_id is not None else 0

    @cached_property
    def start(self) -> Place | None:
        """Where routes from the kiosk start; None when the kiosk has no position."""
        return start_place(self.graph, self.placed)

    def build_all(self) -> None:
        """Compute every derived structure now (on a worker thread)."""
        with self._lock:
            _ = self.index, self.levels, self.stores, self.facilities, self.unit_level
            _ = self.graph, self.maps, self.start

    def moved(self, position: KioskPosition | None) -> VenueSnapshot:
        """This venue version with the kiosk at `position`: what the position does not change
        (search index, nav graph, the maps' shapes) is shared, not built again."""
        moved = VenueSnapshot(self.data, self.kiosk_code, position)
        with self._lock:  # not while build_all is still filling them in
            for name in _PER_VERSION:
                if name in self.__dict__:
                    moved.__dict__[name] = self.__dict__[name]
        return moved

    def store_level(self, store: Occupant) -> Level:
        return self.levels[self.data.occupant_level(store).id]

    def facility_level(self, facility: Amenity) -> Level:
        return self.levels[self.unit_level[facility.unit_ids[0]]]


class WayfindingService:
    """Search and browse the venue the cache holds."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        kiosk_code: str,
        route_settings: RouteSettings,
        now: Callable[[], dt.datetime] = dt.datetime.now,
        *,
        position: KioskPosition | None = None,
    ) -> None:
        self._sessions = sessions
        self._kiosk_code = kiosk_code
        self._route_settings = route_settings
        self._now = now
        self._position = position
        self._snapshot: VenueSnapshot | None = None
        self._lock = threading.Lock()

    # --- snapshot ---------------------------------------------------------------------------
    def snapshot(self) -> VenueSnapshot:
        """The snapshot for the cached venue version, rebuilt when the cache changed."""
        with self._sessions() as session:
            version = venue_repo.current_version(session)
            current = self._snapshot
            if current is not None and current.data.version == version:
                return current
            data = venue_repo.load_venue_data(session)
        if data is None:
            raise NoVenueError("no venue data is loaded")
        with self._lock:
            if self._snapshot is None or self._snapshot.data.version != data.version:
                self._snapshot = VenueSnapshot(data, self._kiosk_code, self._position)
            return self._snapshot

    # --- where the kiosk stands -------------------------------------------------------------
    def kiosk_position(self) -> PlacedKiosk:
        """Where this kiosk stands in the current venue, and where that comes from."""
        return self.snapshot().placed

    def set_kiosk_position(self, position: KioskPosition | None) -> PlacedKiosk:
        """Stand the kiosk at `position` from now on (None: the venue's kiosk feature): maps,
        routes and the kiosk's floor follow at once. Saving it for the next start is the
        caller's business (the device settings)."""
        with self._lock:
            self._position = position
            if self._snapshot is not None:
                self._snapshot = self._snapshot.moved(position)
        return self.kiosk_position()

    def map_projection(self) -> MapProjection:
        """WGS84 <-> the level maps' metres, for placing things by tapping a map."""
        return self.snapshot().projection

    def warm_up(self) -> threading.Thread:
        """Build the search index (and later the route graph) on a worker thread."""

        def build() -> None:
            try:
                self.snapshot().build_all()
            except NoVenueError:
                log.warning("no venue to prepare wayfinding for")

        thread = threading.Thread(target=build, name="wayfinding-warm-up", daemon=True)
        thread.start()
        return thread

    # --- queries ----------------------------------------------------------------------------
    def search(self, query: str, limit: int = 20) -> list[PlaceView]:
        snap = self.snapshot()
        hits = snap.index.search_or_suggest(query, kiosk_ordinal=snap.kiosk_ordinal, limit=limit)
        return [self._view_of_hit(snap, hit) for hit in hits]

    def category_list(self) -> list[PlaceView]:
        snap = self.snapshot()
        counts: dict[str, int] = {}
        for store in snap.data.occupants:
            counts[store.category] = counts.get(store.category, 0) + 1
        return [self._category_view(c) for c in STORE_CATEGORIES if counts.get(c.code, 0) > 0]

    def stores_in_category(self, code: str) -> list[PlaceView]:
        snap = self.snapshot()
        stores = [s for s in snap.data.occupants if s.category == code]
        return self._sorted_stores(snap, stores)

    def stores_on_level(self, level_id: str) -> list[PlaceView]:
        snap = self.snapshot()
        stores = [s for s in snap.data.occupants if snap.store_level(s).id == level_id]
        return sorted(
            (self._store_view(snap, s) for s in stores),
            key=lambda v: (v.category, v.name.en.lower()),
        )

    def nearest_facilities(self, category: str) -> list[PlaceView]:
        """Facilities of a kind ("restroom" also finds "restroom.unisex.wheelchair"), the
        kiosk's floor first."""
        snap = self.snapshot()
        found = [
            a
            for a in snap.data.amenities
            if a.category == category or a.category.startswith(category + ".")
        ]
        views = [self._facility_view(snap, a) for a in found]
        return sorted(views, key=lambda v: (abs(v.ordinal - snap.kiosk_ordinal), v.ordinal))

    def levels(self) -> list[Level]:
        return list(self.snapshot().data.levels)

    def kiosk_level_id(self) -> str | None:
        return self.snapshot().placed.level_id

    def place(self, place_id: str) -> PlaceView:
        snap = self.snapshot()
        if place_id in snap.stores:
            return self._store_view(snap, snap.stores[place_id])
        if place_id in snap.facilities:
            return self._facility_view(snap, snap.facilities[place_id])
        raise UnknownPlaceError(f"no store or facility {place_id!r} in this venue")

    def detail_map(self, view: PlaceView) -> dict[str, Any]:
        """What the detail card shows, as plain values for QML."""
        state = hours.status(view.hours, self._now())
        return {
            "id": view.id,
            "kind": view.kind,
            "category": view.category,
            "nameZh": view.name.zh,
            "nameEn": view.name.en,
            "categoryZh": view.category_name.zh,
            "categoryEn": view.category_name.en,
            "level": view.level.en,
            "levelId": view.level_id,
            "unitNo": view.unit_no,
            "phone": view.phone or "",
            "openState": str(state.state),
            "hoursZh": hours.describe(state, "zh_CN"),
            "hoursEn": hours.describe(state, "en"),
            "hoursText": view.hours or "",
            "onKioskLevel": view.level_id == self.kiosk_level_id(),
        }

    # --- routes and maps --------------------------------------------------------------------
    def route_to(self, place_id: str, *, step_free: bool) -> RouteResult:
        """The route from this kiosk to a store or facility."""
        snap = self.snapshot()
        destination = self.place(place_id)
        graph = snap.graph
        start, kiosk = snap.start, snap.placed.kiosk
        if start is None or kiosk is None:
            raise NoRouteError(
                f"kiosk {self._kiosk_code} has no position: none in the venue data, "
                "none set on the device"
            )
        goal = graph.occupant(place_id) if destination.kind == "store" else graph.amenity(place_id)
        settings = self._route_settings
        options = RouteOptions(
            step_free=step_free,
            walking_speed_mps=settings.walking_speed_mps,
            step_free_speed_mps=settings.step_free_speed_mps,
        )
        route = find_route(graph, start, goal, options)
        if route is None:
            kind = "step-free route" if step_free else "route"
            raise NoRouteError(f"no {kind} from kiosk {self._kiosk_code} to {place_id}")
        steps = tuple(directions(route, graph, facing_deg=kiosk.heading_deg))
        # The central service knows the venue's kiosks; a position set on the device only
        # the link itself can carry.
        origin: Origin = (
            PointOrigin(kiosk.level_id, kiosk.point)
            if snap.placed.source == "device"
            else KioskOrigin(self._kiosk_code)
        )
        link = route_url(settings.link_base, snap.data.venue.id, origin, place_id, step_free)
        return RouteResult(destination=destination, route=route, steps=steps, link=link)

    def level_map(self, level_id: str) -> LevelMap:
        return self.snapshot().maps[level_id]

    def level_maps(self) -> dict[str, LevelMap]:
        return self.snapshot().maps

    # --- views ------------------------------------------------------------------------------
    def _sorted_stores(self, snap: VenueSnapshot, stores: list[Occupant]) -> list[PlaceView]:
        views = [self._store_view(snap, s) for s in stores]
        popularity = {s.id: s.popularity for s in stores}
        return sorted(views, key=lambda v: (-popularity[v.id], v.ordinal, v.name.en.lower()))

    def _view_of_hit(self, snap: VenueSnapshot, hit: SearchHit) -> PlaceView:
        if hit.kind == "store":
            view = self._store_view(snap, snap.stores[hit.id])
        elif hit.kind == "facility":
            view = self._facility_view(snap, snap.facilities[hit.id])
        else:
            view = self._category_view(snap.categories[hit.id])
        return dataclasses.replace(view, suggested=True) if hit.suggested else view

    def _store_view(self, snap: VenueSnapshot, store: Occupant) -> PlaceView:
        level = snap.store_level(store)
        category = snap.categories.get(store.category)
        map_unit = snap.maps[level.id].unit_for_store(store.id)
        return PlaceView(
            kind="store",
            id=store.id,
            name=store.name,
            category=store.category,
            category_name=Names(category.name_zh, category.name_en) if category else store.name,
            level_id=level.id,
            level=level.short_name,
            ordinal=level.ordinal,
            unit_no=(map_unit.unit_number or "") if map_unit else "",
            hours=store.hours,
            phone=store.phone,
        )

    def _facility_view(self, snap: VenueSnapshot, facility: Amenity) -> PlaceView:
        level = snap.facility_level(facility)
        kind = facility_type(facility.category)
        type_name = kind.names if kind else Names(facility.category, facility.category)
        return PlaceView(
            kind="facility",
            id=facility.id,
            name=facility.name or type_name,
            category=facility.category,
            category_name=type_name,
            level_id=level.id,
            level=level.short_name,
            ordinal=level.ordinal,
            unit_no="",
            hours=facility.hours,
            phone=facility.phone,
        )

    @staticmethod
    def _category_view(category: StoreCategory) -> PlaceView:
        names = Names(category.name_zh, category.name_en)
        return PlaceView(
            kind="category",
            id=category.code,
            name=names,
            category=category.code,
            category_name=names,
            level_id="",
            level=Names("", ""),
            ordinal=0,
            unit_no="",
            hours=None,
            phone=None,
        )
