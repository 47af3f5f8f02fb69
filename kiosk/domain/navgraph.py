"""The walking graph of a venue: nodes on walkable space per level, edges with length and kind.

`build_nav_graph` turns `VenueData` into a `NavGraph`; `GraphBuilder` makes one from plain nodes
and edges (synthetic venues, tests). Coordinates are local metres, x east and y north, on an
equirectangular projection around the venue centre. Horizontal edges are undirected and
step-free; level connectors (escalator, elevator, stairs, ramp) are directed.

Every node at the end of a level connector is a *hub*: the graph keeps a shortest-path tree over
its level from each hub, so a route across levels needs table look-ups and a search over the
few hubs instead of a search over the whole building (`kiosk.domain.route`).
"""

from __future__ import annotations

import heapq
import itertools
import math
import re
from array import array
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal, get_args

from kiosk.domain.venue import Names, Point, Unit, VenueData

HorizontalKind = Literal["walk", "door", "ramp"]
ConnectorKind = Literal["escalator_up", "escalator_down", "elevator", "stairs", "ramp"]
EdgeKind = Literal["walk", "door", "ramp", "escalator_up", "escalator_down", "elevator", "stairs"]
PlaceKind = Literal["kiosk", "occupant", "amenity", "unit", "point", "node"]
EscalatorDirection = Literal["up", "down", "both"]

HORIZONTAL_KINDS: frozenset[str] = frozenset(get_args(HorizontalKind))
CONNECTOR_KINDS: frozenset[str] = frozenset(get_args(ConnectorKind))
STEP_FREE_CONNECTORS: frozenset[str] = frozenset({"elevator", "ramp"})

# IMDF unit categories people walk through without a door between them.
CIRCULATION_CATEGORIES = frozenset(
    {"walkway", "lobby", "footbridge", "movingwalkway", "platform", "unenclosedarea", "ramp"}
)
CORE_CATEGORIES = frozenset({"elevator", "escalator", "stairs"})

# Coordinates come rounded to 1e-7 degrees (about 1 cm); walls that touch are within this.
_TOUCH_M = 0.3
_MIN_GAP_M = 0.8
_DOOR_CLEARANCE_M = 1.0
_UP_NAME = re.compile(r"上行|\bup\b", re.IGNORECASE)
_DOWN_NAME = re.compile(r"下行|\bdown\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Projection:
    """Equirectangular WGS84 <-> local metres around (lon0, lat0); good to centimetres over a
    mall's few hundred metres."""

    lon0: float
    lat0: float
    m_per_deg_lon: float
    m_per_deg_lat: float

    @classmethod
    def around(cls, lon0: float, lat0: float) -> Projection:
        phi = math.radians(lat0)
        return cls(
            lon0,
            lat0,
            111_412.84 * math.cos(phi) - 93.5 * math.cos(3 * phi),
            111_132.92 - 559.82 * math.cos(2 * phi) + 1.175 * math.cos(4 * phi),
        )

    def to_xy(self, point: Point) -> tuple[float, float]:
        lon, lat = point
        return ((lon - self.lon0) * self.m_per_deg_lon, (lat - self.lat0) * self.m_per_deg_lat)

    def to_lonlat(self, x: float, y: float) -> Point:
        return (self.lon0 + x / self.m_per_deg_lon, self.lat0 + y / self.m_per_deg_lat)


@dataclass(frozen=True, slots=True)
class GraphLevel:
    id: str
    ordinal: int
    name: Names
    short_name: Names


@dataclass(frozen=True, slots=True)
class Connector:
    """A directed level change from `tail` to `head`. `levels` counts the floors crossed;
    `length_m` is walked on top of the fixed cost (a ramp's length; 0 for the others)."""

    tail: int
    head: int
    kind: ConnectorKind
    levels: int
    length_m: float
    via_unit_id: str | None
    via_name: Names | None


@dataclass(frozen=True, slots=True)
class Access:
    """One way onto the graph from a place: a node and the straight walk between them."""

    node: int
    offset_m: float


@dataclass(frozen=True, slots=True)
class Place:
    """Somewhere a route starts or ends. `xy` is the place's own point (a store's anchor, a
    kiosk); a route ends at one of `access` and, when its offset is not zero, walks on to `xy`.
    A store with its own unit is reached at its door, so that offset is zero."""

    kind: PlaceKind
    ref: str
    name: Names | None
    category: str
    level: int
    xy: tuple[float, float]
    access: tuple[Access, ...]
    accessibility: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Landmark:
    """A named storefront that directions can mention ("turn left after Nike")."""

    ref: str
    name: Names
    level: int
    x: float
    y: float
    popularity: int


@dataclass(frozen=True, slots=True)
class UnitShape:
    """A unit in local metres with the nodes that serve it; `role` is "walk" (circulation),
    "core" (elevator, escalator, stairs) or "room" (reached through its doors)."""

    unit_id: str
    level: int
    role: Literal["walk", "core", "room"]
    rings: tuple[tuple[tuple[float, float], ...], ...]
    bbox: tuple[float, float, float, float]
    nodes: tuple[int, ...]
    doors: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class GraphConfig:
    """How `build_nav_graph` reads a venue. `escalator_directions` maps an escalator unit id
    (either landing of a flight) to the way its flight runs; without it a name with 上行/下行 or
    up/down decides, and otherwise each flight runs both ways."""

    portal_spacing_m: float = 5.0
    escalator_directions: Mapping[str, EscalatorDirection] = field(default_factory=dict)


@dataclass(frozen=True, slots=True, eq=False)
class NavGraph:
    """A built graph: node attributes in parallel lists indexed by node id, horizontal adjacency
    lists, directed connectors, the hubs' level tables and the places routes start and end at.

    Treat it as read-only; build one per `VenueData.version` and reuse it (it pickles)."""

    version: str
    projection: Projection
    levels: tuple[GraphLevel, ...]
    node_level: list[int]
    node_x: list[float]
    node_y: list[float]
    node_unit: list[str | None]
    adj: list[list[int]]
    adj_len: list[list[float]]
    adj_kind: list[list[HorizontalKind]]
    connectors: tuple[Connector, ...]
    connectors_from: dict[int, tuple[int, ...]]
    node_local: list[int]
    level_sizes: tuple[int, ...]
    hubs_on_level: tuple[tuple[int, ...], ...]
    hub_dist: dict[int, array[float]]
    hub_parent: dict[int, array[int]]
    kiosks: dict[str, Place] = field(default_factory=dict)
    occupants: dict[str, Place] = field(default_factory=dict)
    amenities: dict[str, Place] = field(default_factory=dict)
    units: dict[str, Place] = field(default_factory=dict)
    landmarks: tuple[Landmark, ...] = ()
    shapes: tuple[UnitShape, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def node_count(self) -> int:
        return len(self.node_level)

    def level_index(self, level_id: str) -> int:
        for index, level in enumerate(self.levels):
            if level.id == level_id:
                return index
        raise KeyError(level_id)

    def level_id(self, node: int) -> str:
        return self.levels[self.node_level[node]].id

    def xy(self, node: int) -> tuple[float, float]:
        return (self.node_x[node], self.node_y[node])

    def lonlat(self, node: int) -> Point:
        return self.projection.to_lonlat(self.node_x[node], self.node_y[node])

    def edges(self) -> Iterator[tuple[int, int, HorizontalKind, float]]:
        """Each horizontal edge once, as (a, b, kind, length) with a < b; two nodes may have a
        walk and a door edge between them."""
        for a, (targets, lengths, kinds) in enumerate(
            zip(self.adj, self.adj_len, self.adj_kind, strict=True)
        ):
            for b, length, kind in zip(targets, lengths, kinds, strict=True):
                if a < b:
                    yield a, b, kind, length

    def edge_length(self, a: int, b: int) -> float:
        """The shortest horizontal edge between a and b; KeyError when there is none."""
        best = math.inf
        for target, length in zip(self.adj[a], self.adj_len[a], strict=True):
            if target == b and length < best:
                best = length
        if best == math.inf:
            raise KeyError((a, b))
        return best

    def kiosk(self, code: str) -> Place:
        return self.kiosks[code]

    def occupant(self, occupant_id: str) -> Place:
        return self.occupants[occupant_id]

    def amenity(self, amenity_id: str) -> Place:
        return self.amenities[amenity_id]

    def unit(self, unit_id: str) -> Place:
        return self.units[unit_id]

    def facilities(self, category: str, *, wheelchair: bool = False) -> tuple[Place, ...]:
        """Every reachable amenity of `category` or a subcategory ("restroom" also finds
        "restroom.unisex.wheelchair"); a route to them all goes to the nearest."""
        return tuple(
            place
            for place in self.amenities.values()
            if place.access
            and (place.category == category or place.category.startswith(category + "."))
            and (not wheelchair or "wheelchair" in place.accessibility)
        )

    def at_node(self, node: int) -> Place:
        return Place(
            kind="node",
            ref=str(node),
            name=None,
            category="node",
            level=self.node_level[node],
            xy=self.xy(node),
            access=(Access(node, 0.0),),
        )

    def at_point(self, level_id: str, point: Point) -> Place:
        """A place at any point of a level: joined to the nodes of the unit it lies in, or to
        the nearest node of the level."""
        level = self.level_index(level_id)
        x, y = self.projection.to_xy(point)
        access: tuple[Access, ...] = ()
        for shape in self.shapes:
            if shape.level != level or not _in_bbox(x, y, shape.bbox, _TOUCH_M):
                continue
            if not _inside_or_on(x, y, shape.rings):
                continue
            if shape.role == "walk":
                candidates = [
                    n
                    for n in shape.nodes
                    if _segment_inside(shape.rings, (x, y), (self.node_x[n], self.node_y[n]))
                ]
            else:
                candidates = list(shape.nodes or shape.doors)
            access = tuple(Access(n, math.dist((x, y), self.xy(n))) for n in candidates)
            if access:
                break
        if not access:
            nearest = self.nearest_node(level, x, y)
            if nearest is not None:
                access = (Access(nearest, math.dist((x, y), self.xy(nearest))),)
        return Place(
            "point",
            f"{level_id}@{point[0]:.7f},{point[1]:.7f}",
            None,
            "point",
            level,
            (x, y),
            access,
        )

    def nearest_node(self, level: int, x: float, y: float) -> int | None:
        best, best_d = None, math.inf
        for node, node_level in enumerate(self.node_level):
            if node_level == level and self.adj[node]:
                d = (self.node_x[node] - x) ** 2 + (self.node_y[node] - y) ** 2
                if d < best_d:
                    best, best_d = node, d
        return best


class GraphBuilder:
    """Collects nodes, edges and connectors, then `build` hands them to a `NavGraph` (without
    copying them, so the builder is spent) and computes the hubs' level tables."""

    def __init__(self, levels: Sequence[GraphLevel], projection: Projection) -> None:
        self.levels = tuple(sorted(levels, key=lambda level: level.ordinal))
        self.projection = projection
        ordinals = sorted({level.ordinal for level in self.levels})
        self._rank = [ordinals.index(level.ordinal) for level in self.levels]
        self._index = {level.id: i for i, level in enumerate(self.levels)}
        self.node_level: list[int] = []
        self.node_x: list[float] = []
        self.node_y: list[float] = []
        self.node_unit: list[str | None] = []
        self.adj: list[list[int]] = []
        self.adj_len: list[list[float]] = []
        self.adj_kind: list[list[HorizontalKind]] = []
        self.connectors: list[Connector] = []
        self._built = False

    def level_index(self, level_id: str) -> int:
        return self._index[level_id]

    def _check_open(self) -> None:
        if self._built:
            raise RuntimeError("this builder already built its graph")

    def add_node(self, level: int, x: float, y: float, unit_id: str | None = None) -> int:
        self._check_open()
        if not 0 <= level < len(self.levels):
            raise ValueError(f"no level {level}")
        self.node_level.append(level)
        self.node_x.append(x)
        self.node_y.append(y)
        self.node_unit.append(unit_id)
        self.adj.append([])
        self.adj_len.append([])
        self.adj_kind.append([])
        return len(self.node_level) - 1

    def add_edge(
        self, a: int, b: int, kind: HorizontalKind = "walk", length_m: float | None = None
    ) -> None:
        """An undirected edge on one level; its length defaults to the straight distance and may
        not be shorter (route search relies on that)."""
        self._check_open()
        if a == b:
            return
        if self.node_level[a] != self.node_level[b]:
            raise ValueError(f"edge {a}-{b} joins two levels; use add_connector")
        if kind not in HORIZONTAL_KINDS:
            raise ValueError(f"{kind!r} is not a horizontal edge kind")
        straight = math.hypot(self.node_x[a] - self.node_x[b], self.node_y[a] - self.node_y[b])
        if length_m is None:
            length_m = straight
        elif length_m < straight - 1e-6:
            raise ValueError(f"edge {a}-{b} is {length_m} m but its ends are {straight} m apart")
        for u, v in ((a, b), (b, a)):
            targets = self.adj[u]
            for i, target in enumerate(targets):
                if target == v and self.adj_kind[u][i] == kind:
                    self.adj_len[u][i] = min(self.adj_len[u][i], length_m)
                    break
            else:
                targets.append(v)
                self.adj_len[u].append(length_m)
                self.adj_kind[u].append(kind)

    def add_connector(
        self,
        tail: int,
        head: int,
        kind: ConnectorKind,
        *,
        length_m: float = 0.0,
        via_unit_id: str | None = None,
        via_name: Names | None = None,
    ) -> None:
        self._check_open()
        if kind not in CONNECTOR_KINDS:
            raise ValueError(f"{kind!r} is not a connector kind")
        rank_tail = self._rank[self.node_level[tail]]
        rank_head = self._rank[self.node_level[head]]
        if rank_tail == rank_head:
            raise ValueError(f"connector {tail}->{head} stays on one level")
        if kind.startswith("escalator") and (kind == "escalator_up") != (rank_head > rank_tail):
            raise ValueError(f"{kind} from {tail} to {head} runs the wrong way")
        self.connectors.append(
            Connector(tail, head, kind, abs(rank_head - rank_tail), length_m, via_unit_id, via_name)
        )

    def build(
        self,
        version: str,
        *,
        kiosks: Mapping[str, Place] | None = None,
        occupants: Mapping[str, Place] | None = None,
        amenities: Mapping[str, Place] | None = None,
        units: Mapping[str, Place] | None = None,
        landmarks: Sequence[Landmark] = (),
        shapes: Sequence[UnitShape] = (),
        notes: Sequence[str] = (),
    ) -> NavGraph:
        self._check_open()
        self._built = True
        sizes = [0] * len(self.levels)
        local: list[int] = []
        for level in self.node_level:
            local.append(sizes[level])
            sizes[level] += 1
        connectors_from: dict[int, list[int]] = defaultdict(list)
        hubs: set[int] = set()
        for index, connector in enumerate(self.connectors):
            connectors_from[connector.tail].append(index)
            hubs.update((connector.tail, connector.head))
        hub_dist: dict[int, array[float]] = {}
        hub_parent: dict[int, array[int]] = {}
        for hub in sorted(hubs):
            hub_dist[hub], hub_parent[hub] = _level_tree(
                self.adj, self.adj_len, local, sizes[self.node_level[hub]], hub
            )
        on_level: list[list[int]] = [[] for _ in self.levels]
        for hub in sorted(hubs):
            on_level[self.node_level[hub]].append(hub)
        return NavGraph(
            version=version,
            projection=self.projection,
            levels=self.levels,
            node_level=self.node_level,
            node_x=self.node_x,
            node_y=self.node_y,
            node_unit=self.node_unit,
            adj=self.adj,
            adj_len=self.adj_len,
            adj_kind=self.adj_kind,
            connectors=tuple(self.connectors),
            connectors_from={k: tuple(v) for k, v in connectors_from.items()},
            node_local=local,
            level_sizes=tuple(sizes),
            hubs_on_level=tuple(tuple(h) for h in on_level),
            hub_dist=hub_dist,
            hub_parent=hub_parent,
            kiosks=dict(kiosks or {}),
            occupants=dict(occupants or {}),
            amenities=dict(amenities or {}),
            units=dict(units or {}),
            landmarks=tuple(landmarks),
            shapes=tuple(shapes),
            notes=tuple(notes),
        )


def _level_tree(
    adj: list[list[int]], adj_len: list[list[float]], local: list[int], size: int, source: int
) -> tuple[array[float], array[int]]:
    """Dijkstra from `source` over its level's horizontal edges: distance and predecessor (a
    global node id, -1 at the root or when unreachable) per level-local index."""
    dist = [math.inf] * size
    parent = [-1] * size
    dist[local[source]] = 0.0
    heap = [(0.0, source)]
    pop, push = heapq.heappop, heapq.heappush
    while heap:
        d, u = pop(heap)
        if d > dist[local[u]]:
            continue
        for v, w in zip(adj[u], adj_len[u], strict=True):
            nd = d + w
            lv = local[v]
            if nd < dist[lv]:
                dist[lv] = nd
                parent[lv] = u
                push(heap, (nd, v))
    return array("d", dist), array("i", parent)


# --- from venue data ----------------------------------------------------------------------------


@dataclass(slots=True)
class _Shape:
    unit: Unit
    level: int
    role: Literal["walk", "core", "room"]
    rings: tuple[tuple[tuple[float, float], ...], ...]
    bbox: tuple[float, float, float, float]
    convex: bool
    nodes: list[int] = field(default_factory=list)
    doors: list[int] = field(default_factory=list)
    core: int | None = None
    core_name: Names | None = None

    def frozen(self) -> UnitShape:
        nodes = [self.core] if self.core is not None else self.nodes
        return UnitShape(
            self.unit.id,
            self.level,
            self.role,
            self.rings,
            self.bbox,
            tuple(dict.fromkeys(nodes)),
            tuple(dict.fromkeys(self.doors)),
        )


def build_nav_graph(venue: VenueData, config: GraphConfig | None = None) -> NavGraph:
    """The walking graph of `venue`; `notes` lists what in the data could not be used."""
    config = config or GraphConfig()
    projection = Projection.around(*venue.venue.display_point)
    builder = GraphBuilder(
        [GraphLevel(lv.id, lv.ordinal, lv.name, lv.short_name) for lv in venue.levels], projection
    )
    notes: list[str] = []
    shapes = _shapes(builder, venue)
    by_level: dict[int, list[_Shape]] = defaultdict(list)
    for shape in shapes.values():
        by_level[shape.level].append(shape)
    _add_portals(builder, by_level, config.portal_spacing_m)
    _add_doors(builder, venue, by_level, notes)
    point_nodes = _add_points(builder, venue, shapes, by_level, notes)
    _add_unit_edges(builder, venue, shapes, notes)
    _add_connectors(builder, by_level, config, notes)
    kiosks, occupants, amenities, units = _places(builder, venue, shapes, point_nodes, notes)
    return builder.build(
        venue.version,
        kiosks=kiosks,
        occupants=occupants,
        amenities=amenities,
        units=units,
        landmarks=_landmarks(builder, venue, shapes, point_nodes),
        shapes=[s.frozen() for s in shapes.values()],
        notes=notes,
    )


def _shapes(builder: GraphBuilder, venue: VenueData) -> dict[str, _Shape]:
    shapes: dict[str, _Shape] = {}
    for unit in venue.units:
        if unit.category == "nonpublic":
            continue
        rings = tuple(tuple(builder.projection.to_xy(p) for p in ring) for ring in unit.polygon)
        role: Literal["walk", "core", "room"] = "room"
        if unit.category in CIRCULATION_CATEGORIES:
            role = "walk"
        elif unit.category in CORE_CATEGORIES:
            role = "core"
        level = builder.level_index(unit.level_id)
        shapes[unit.id] = _Shape(unit, level, role, rings, _bbox(rings), _is_convex(rings))
    return shapes


def _add_points(
    builder: GraphBuilder,
    venue: VenueData,
    shapes: Mapping[str, _Shape],
    by_level: Mapping[int, list[_Shape]],
    notes: list[str],
) -> dict[str, int]:
    """Nodes for kiosks and for amenities and stores in open space, keyed "kiosk/K01",
    "amenity/<id>", "occupant/<id>"; an elevator's, escalator's or stairs' amenity point
    becomes its core node."""
    projection = builder.projection
    point_nodes: dict[str, int] = {}

    def place(key: str, level: int, xy: tuple[float, float], home: _Shape | None) -> None:
        if home is None or home.role != "walk":
            home = _containing(by_level[level], xy, "walk")
        if home is not None:
            node = builder.add_node(level, *xy, unit_id=home.unit.id)
            home.nodes.append(node)
            point_nodes[key] = node

    for kiosk in venue.kiosks:
        xy = projection.to_xy(kiosk.point)
        place(f"kiosk/{kiosk.code}", builder.level_index(kiosk.level_id), xy, None)
    for amenity in venue.amenities:
        home = shapes.get(amenity.unit_ids[0]) if amenity.unit_ids else None
        xy = projection.to_xy(amenity.point)
        if home is None:
            notes.append(f"amenity {amenity.id} ({amenity.category}) names no unit, so no level")
        elif home.role == "core" and home.core is None and _inside_or_on(*xy, home.rings):
            home.core = builder.add_node(home.level, *xy, unit_id=home.unit.id)
        elif home.role == "walk":
            place(f"amenity/{amenity.id}", home.level, xy, home)
    anchors = {anchor.id: anchor for anchor in venue.anchors}
    for occupant in venue.occupants:
        anchor = anchors.get(occupant.anchor_id)
        home = shapes.get(anchor.unit_id) if anchor else None
        if anchor is not None and home is not None and home.role == "walk":
            place(f"occupant/{occupant.id}", home.level, projection.to_xy(anchor.point), home)
    return point_nodes


def _add_unit_edges(
    builder: GraphBuilder, venue: VenueData, shapes: Mapping[str, _Shape], notes: list[str]
) -> None:
    """Straight edges between the nodes of each circulation unit, and each core's node to its
    doors."""
    amenity_names: dict[str, Names] = {}
    for amenity in venue.amenities:
        for unit_id in amenity.unit_ids:
            if amenity.name is not None:
                amenity_names.setdefault(unit_id, amenity.name)
    for shape in shapes.values():
        if shape.role == "walk":
            _add_visibility_edges(builder, shape)
            continue
        if shape.role != "core":
            continue
        if shape.core is None:
            xy = _inner_point(shape, builder.projection)
            shape.core = builder.add_node(shape.level, *xy, unit_id=shape.unit.id)
        shape.core_name = amenity_names.get(shape.unit.id, shape.unit.name)
        for door in shape.doors:
            builder.add_edge(shape.core, door, "door")
        if not shape.doors:
            notes.append(f"{shape.unit.category} unit {shape.unit.id} has no pedestrian door")


def _add_portals(
    builder: GraphBuilder, by_level: Mapping[int, list[_Shape]], spacing: float
) -> None:
    """Nodes along the edges two circulation units share, a few metres apart so a route can
    cross a wide opening where it is straightest."""
    for level, level_shapes in by_level.items():
        # A ramp joins other space only through a door: car ramps share walls with walkways.
        walks = [s for s in level_shapes if s.role == "walk" and s.unit.category != "ramp"]
        for i, a in enumerate(walks):
            for b in walks[i + 1 :]:
                if not _bboxes_touch(a.bbox, b.bbox, _TOUCH_M):
                    continue
                for ea in _ring_edges(a.rings):
                    for eb in _ring_edges(b.rings):
                        span = _collinear_overlap(ea, eb, _TOUCH_M)
                        if span is None or span[1] - span[0] < _MIN_GAP_M:
                            continue
                        (x0, y0), (x1, y1) = ea
                        length = math.hypot(x1 - x0, y1 - y0)
                        count = max(1, math.ceil((span[1] - span[0]) / spacing))
                        for k in range(count):
                            t = (span[0] + (k + 0.5) * (span[1] - span[0]) / count) / length
                            node = builder.add_node(
                                level, x0 + t * (x1 - x0), y0 + t * (y1 - y0), a.unit.id
                            )
                            a.nodes.append(node)
                            b.nodes.append(node)


def _add_doors(
    builder: GraphBuilder,
    venue: VenueData,
    by_level: Mapping[int, list[_Shape]],
    notes: list[str],
) -> None:
    projection = builder.projection
    for opening in venue.openings:
        if not opening.category.startswith("pedestrian"):
            continue
        level = builder.level_index(opening.level_id)
        line = [projection.to_xy(p) for p in opening.line]
        door = (line[0], line[-1])
        mid = _polyline_midpoint(line)
        touching = [
            shape
            for shape in by_level[level]
            if _in_bbox(*mid, shape.bbox, _TOUCH_M)
            and any(
                (span := _collinear_overlap(edge, door, _TOUCH_M)) is not None
                and span[1] - span[0] > 0.1
                for edge in _ring_edges(shape.rings)
            )
        ]
        if not touching:
            notes.append(f"opening {opening.id} lies on no unit's wall")
            continue
        owner = next((s for s in touching if s.role != "walk"), touching[0])
        node = builder.add_node(level, *mid, unit_id=owner.unit.id)
        for shape in touching:
            shape.doors.append(node)
            if shape.role == "walk":
                # Step off the wall so routes run clear of shopfronts, not along them.
                inside = _approach_point(shape, door, mid)
                approach = builder.add_node(level, *inside, unit_id=shape.unit.id)
                builder.add_edge(node, approach, "door")
                shape.nodes.append(approach)


def _approach_point(shape: _Shape, door: _Seg, mid: tuple[float, float]) -> tuple[float, float]:
    (ax, ay), (bx, by) = door
    length = math.hypot(bx - ax, by - ay) or 1.0
    nx, ny = -(by - ay) / length, (bx - ax) / length
    for step in (_DOOR_CLEARANCE_M, _DOOR_CLEARANCE_M / 2):
        for sign in (1.0, -1.0):
            point = (mid[0] + sign * step * nx, mid[1] + sign * step * ny)
            if _point_in_rings(*point, shape.rings):
                return point
    return mid


def _add_visibility_edges(builder: GraphBuilder, shape: _Shape) -> None:
    kind: HorizontalKind = "ramp" if shape.unit.category == "ramp" else "walk"
    nodes = list(dict.fromkeys(shape.nodes))
    xs, ys = builder.node_x, builder.node_y
    for i, a in enumerate(nodes):
        for b in nodes[i + 1 :]:
            if shape.convex or _segment_inside(shape.rings, (xs[a], ys[a]), (xs[b], ys[b])):
                builder.add_edge(a, b, kind)


def _add_connectors(
    builder: GraphBuilder,
    by_level: Mapping[int, list[_Shape]],
    config: GraphConfig,
    notes: list[str],
) -> None:
    """Stack vertical cores across levels: a core on one level joins the same kind of core on
    another level when one's node lies inside the other's outline."""
    ranks = sorted({level.ordinal for level in builder.levels})
    cores: dict[tuple[str, int], list[_Shape]] = defaultdict(list)
    for level, level_shapes in by_level.items():
        rank = ranks.index(builder.levels[level].ordinal)
        for shape in level_shapes:
            if shape.role == "core":
                cores[(shape.unit.category, rank)].append(shape)
    linked: set[str] = set()
    for (category, rank), lower_shapes in sorted(cores.items()):
        highest = len(ranks) - 1 if category == "elevator" else rank + 1
        for upper_rank in range(rank + 1, highest + 1):
            for lower in lower_shapes:
                for upper in cores.get((category, upper_rank), []):
                    if not _stacked(lower, upper, builder):
                        continue
                    linked.update((lower.unit.id, upper.unit.id))
                    _connect(builder, category, lower, upper, config)
    for (category, _rank), core_shapes in cores.items():
        for shape in core_shapes:
            if shape.unit.id not in linked:
                notes.append(f"{category} unit {shape.unit.id} lines up with no other level")


def _connect(
    builder: GraphBuilder, category: str, lower: _Shape, upper: _Shape, config: GraphConfig
) -> None:
    assert lower.core is not None
    assert upper.core is not None
    if category == "escalator":
        direction = _escalator_direction(lower, upper, config)
        if direction in ("up", "both"):
            builder.add_connector(
                lower.core,
                upper.core,
                "escalator_up",
                via_unit_id=lower.unit.id,
                via_name=lower.core_name,
            )
        if direction in ("down", "both"):
            builder.add_connector(
                upper.core,
                lower.core,
                "escalator_down",
                via_unit_id=upper.unit.id,
                via_name=upper.core_name,
            )
        return
    kind: ConnectorKind = "elevator" if category == "elevator" else "stairs"
    builder.add_connector(
        lower.core, upper.core, kind, via_unit_id=lower.unit.id, via_name=lower.core_name
    )
    builder.add_connector(
        upper.core, lower.core, kind, via_unit_id=upper.unit.id, via_name=upper.core_name
    )


def _escalator_direction(lower: _Shape, upper: _Shape, config: GraphConfig) -> EscalatorDirection:
    for shape in (lower, upper):
        configured = config.escalator_directions.get(shape.unit.id)
        if configured is not None:
            return configured
    for shape in (lower, upper):
        for names in (shape.unit.name, shape.core_name):
            text = f"{names.zh} {names.en}" if names else ""
            up, down = bool(_UP_NAME.search(text)), bool(_DOWN_NAME.search(text))
            if up != down:
                return "up" if up else "down"
    return "both"


def _stacked(a: _Shape, b: _Shape, builder: GraphBuilder) -> bool:
    assert a.core is not None
    assert b.core is not None
    a_xy = (builder.node_x[a.core], builder.node_y[a.core])
    b_xy = (builder.node_x[b.core], builder.node_y[b.core])
    return _inside_or_on(*a_xy, b.rings) or _inside_or_on(*b_xy, a.rings)


def _places(
    builder: GraphBuilder,
    venue: VenueData,
    shapes: Mapping[str, _Shape],
    point_nodes: Mapping[str, int],
    notes: list[str],
) -> tuple[dict[str, Place], dict[str, Place], dict[str, Place], dict[str, Place]]:
    projection = builder.projection
    xs, ys = builder.node_x, builder.node_y

    def reach(shape: _Shape | None, xy: tuple[float, float], whole_unit: bool) -> list[Access]:
        if shape is None:
            return []
        if shape.role == "core":
            return [Access(shape.core, 0.0)] if shape.core is not None else []
        if shape.role == "walk":
            return [
                Access(n, math.dist(xy, (xs[n], ys[n])))
                for n in dict.fromkeys(shape.nodes)
                if shape.convex or _segment_inside(shape.rings, xy, (xs[n], ys[n]))
            ]
        return [
            Access(n, 0.0 if whole_unit else math.dist(xy, (xs[n], ys[n])))
            for n in dict.fromkeys(shape.doors)
        ]

    kiosks: dict[str, Place] = {}
    for kiosk in venue.kiosks:
        level = builder.level_index(kiosk.level_id)
        xy = projection.to_xy(kiosk.point)
        node = point_nodes.get(f"kiosk/{kiosk.code}")
        access = [Access(node, 0.0)] if node is not None else []
        if not access:
            access = reach(_containing(_level_shapes(shapes, level), xy, None), xy, False)
        kiosks[kiosk.code] = Place(
            "kiosk", kiosk.code, kiosk.name, "kiosk", level, xy, tuple(access)
        )

    anchors = {anchor.id: anchor for anchor in venue.anchors}
    tenants: dict[str, int] = defaultdict(int)
    for occupant in venue.occupants:
        if occupant.anchor_id in anchors:
            tenants[anchors[occupant.anchor_id].unit_id] += 1
    occupants: dict[str, Place] = {}
    for occupant in venue.occupants:
        anchor = anchors.get(occupant.anchor_id)
        shape = shapes.get(anchor.unit_id) if anchor else None
        if anchor is None or shape is None:
            notes.append(f"occupant {occupant.id} has no usable anchor or unit")
            continue
        xy = projection.to_xy(anchor.point)
        node = point_nodes.get(f"occupant/{occupant.id}")
        access = (
            [Access(node, 0.0)]
            if node is not None
            else reach(shape, xy, tenants[shape.unit.id] == 1)
        )
        if not access:
            notes.append(f"occupant {occupant.id} ({occupant.name.en}) cannot be reached")
        occupants[occupant.id] = Place(
            "occupant",
            occupant.id,
            occupant.name,
            occupant.category,
            shape.level,
            xy,
            tuple(access),
        )

    amenities: dict[str, Place] = {}
    for amenity in venue.amenities:
        xy = projection.to_xy(amenity.point)
        node = point_nodes.get(f"amenity/{amenity.id}")
        homes = [shapes[u] for u in amenity.unit_ids if u in shapes]
        if node is not None:
            access = [Access(node, 0.0)]
        else:
            access = [a for home in homes for a in reach(home, xy, True)]
        if not homes and node is None:
            continue
        level = builder.node_level[node] if node is not None else homes[0].level
        amenities[amenity.id] = Place(
            "amenity",
            amenity.id,
            amenity.name,
            amenity.category,
            level,
            xy,
            tuple(dict.fromkeys(access)),
            amenity.accessibility,
        )

    units: dict[str, Place] = {}
    for shape in shapes.values():
        unit = shape.unit
        xy = projection.to_xy(unit.display_point) if unit.display_point else _bbox_centre(shape)
        units[unit.id] = Place(
            "unit",
            unit.id,
            unit.name,
            unit.category,
            shape.level,
            xy,
            tuple(reach(shape, xy, True)),
            unit.accessibility,
        )
    return kiosks, occupants, amenities, units


def _landmarks(
    builder: GraphBuilder,
    venue: VenueData,
    shapes: Mapping[str, _Shape],
    point_nodes: Mapping[str, int],
) -> list[Landmark]:
    """Storefronts: a store's doors when it has the unit to itself, a shared unit's doors under
    the unit's own name (a food court), a store in open space at its anchor."""
    anchors = {anchor.id: anchor for anchor in venue.anchors}
    by_unit: dict[str, list[tuple[str, Names, int]]] = defaultdict(list)
    landmarks: list[Landmark] = []
    for occupant in venue.occupants:
        anchor = anchors.get(occupant.anchor_id)
        if anchor is None:
            continue
        node = point_nodes.get(f"occupant/{occupant.id}")
        if node is not None:
            landmarks.append(
                Landmark(
                    occupant.id,
                    occupant.name,
                    builder.node_level[node],
                    builder.node_x[node],
                    builder.node_y[node],
                    occupant.popularity,
                )
            )
        else:
            by_unit[anchor.unit_id].append((occupant.id, occupant.name, occupant.popularity))
    for unit_id, tenants in by_unit.items():
        shape = shapes.get(unit_id)
        if shape is None:
            continue
        if len(tenants) == 1:
            ref, name, popularity = tenants[0]
        elif shape.unit.name is not None:
            ref, name, popularity = unit_id, shape.unit.name, max(t[2] for t in tenants)
        else:
            continue
        for door in dict.fromkeys(shape.doors):
            landmarks.append(
                Landmark(
                    ref, name, shape.level, builder.node_x[door], builder.node_y[door], popularity
                )
            )
    return landmarks


# --- plane geometry on rings of (x, y) ----------------------------------------------------------

_Seg = tuple[tuple[float, float], tuple[float, float]]
_Rings = tuple[tuple[tuple[float, float], ...], ...]


def _bbox(rings: _Rings) -> tuple[float, float, float, float]:
    xs = [x for ring in rings for x, _ in ring]
    ys = [y for ring in rings for _, y in ring]
    return (min(xs), min(ys), max(xs), max(ys))


def _bbox_centre(shape: _Shape) -> tuple[float, float]:
    x0, y0, x1, y1 = shape.bbox
    return ((x0 + x1) / 2, (y0 + y1) / 2)


def _in_bbox(x: float, y: float, bbox: tuple[float, float, float, float], pad: float) -> bool:
    return bbox[0] - pad <= x <= bbox[2] + pad and bbox[1] - pad <= y <= bbox[3] + pad


def _bboxes_touch(
    a: tuple[float, float, float, float], b: tuple[float, float, float, float], pad: float
) -> bool:
    return a[0] - pad <= b[2] and b[0] - pad <= a[2] and a[1] - pad <= b[3] and b[1] - pad <= a[3]


def _ring_edges(rings: _Rings) -> Iterator[_Seg]:
    for ring in rings:
        for a, b in itertools.pairwise(ring):
            if a != b:
                yield a, b


def _collinear_overlap(base: _Seg, other: _Seg, tol: float) -> tuple[float, float] | None:
    """Where `other` runs along `base` (both ends within `tol` of its line), as the covered
    interval in metres from base's start."""
    (ax, ay), (bx, by) = base
    length = math.hypot(bx - ax, by - ay)
    if length < tol:
        return None
    ux, uy = (bx - ax) / length, (by - ay) / length
    ts = []
    for px, py in other:
        if abs(ux * (py - ay) - uy * (px - ax)) > tol:
            return None
        ts.append(ux * (px - ax) + uy * (py - ay))
    lo, hi = max(0.0, min(ts)), min(length, max(ts))
    return (lo, hi) if hi > lo else None


def _point_in_rings(x: float, y: float, rings: _Rings) -> bool:
    """Even-odd rule over all rings, as the renderer fills them."""
    inside = False
    for ring in rings:
        for (xi, yi), (xj, yj) in itertools.pairwise(ring):
            if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
                inside = not inside
    return inside


def _segment_distance(px: float, py: float, seg: _Seg) -> float:
    (ax, ay), (bx, by) = seg
    dx, dy = bx - ax, by - ay
    span = dx * dx + dy * dy
    t = 0.0 if span == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / span))
    return math.hypot(px - ax - t * dx, py - ay - t * dy)


def _inside_or_on(x: float, y: float, rings: _Rings, tol: float = 0.05) -> bool:
    return _point_in_rings(x, y, rings) or any(
        _segment_distance(x, y, edge) <= tol for edge in _ring_edges(rings)
    )


def _is_convex(rings: _Rings) -> bool:
    if len(rings) != 1:
        return False
    points = [p for p, q in itertools.pairwise(rings[0]) if p != q]
    sign = 0
    n = len(points)
    for i in range(n):
        (ax, ay), (bx, by), (cx, cy) = points[i], points[(i + 1) % n], points[(i + 2) % n]
        cross = (bx - ax) * (cy - by) - (by - ay) * (cx - bx)
        if abs(cross) < 1e-9:
            continue
        if sign and (cross > 0) != (sign > 0):
            return False
        sign = 1 if cross > 0 else -1
    return True


def _orient(a: tuple[float, float], b: tuple[float, float], c: tuple[float, float]) -> float:
    value = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])
    return 0.0 if abs(value) < 1e-6 else value


def _segment_inside(rings: _Rings, a: tuple[float, float], b: tuple[float, float]) -> bool:
    """Whether the segment a-b stays inside the polygon (touching walls is allowed)."""
    for c, d in _ring_edges(rings):
        o1, o2 = _orient(a, b, c), _orient(a, b, d)
        o3, o4 = _orient(c, d, a), _orient(c, d, b)
        if o1 * o2 < 0 and o3 * o4 < 0:
            return False
    return all(
        _inside_or_on(a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1]), rings)
        for t in (0.25, 0.5, 0.75)
    )


def _polyline_midpoint(line: Sequence[tuple[float, float]]) -> tuple[float, float]:
    lengths = [math.dist(p, q) for p, q in itertools.pairwise(line)]
    half = sum(lengths) / 2
    for (p, q), length in zip(itertools.pairwise(line), lengths, strict=True):
        if half <= length and length > 0:
            t = half / length
            return (p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1]))
        half -= length
    return line[0]


def _containing(
    level_shapes: Sequence[_Shape], xy: tuple[float, float], role: str | None
) -> _Shape | None:
    for shape in level_shapes:
        if role is not None and shape.role != role:
            continue
        if _in_bbox(*xy, shape.bbox, _TOUCH_M) and _inside_or_on(*xy, shape.rings):
            return shape
    return None


def _level_shapes(shapes: Mapping[str, _Shape], level: int) -> list[_Shape]:
    return [s for s in shapes.values() if s.level == level]


def _inner_point(shape: _Shape, projection: Projection) -> tuple[float, float]:
    unit = shape.unit
    if unit.display_point is not None:
        xy = projection.to_xy(unit.display_point)
        if _inside_or_on(*xy, shape.rings):
            return xy
    return _bbox_centre(shape)
