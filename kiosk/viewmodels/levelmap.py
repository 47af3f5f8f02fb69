"""The level map: units, facility icons, labels, "you are here" and the route on one level.

Coordinates handed to QML are metres from the venue's top-left corner (x east, y south); the
view scales them. Labels are placed here for the scale the view reports, so they never collide.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from PySide6.QtCore import Property, QObject, QPointF, Signal, Slot
from PySide6.QtQml import QmlElement, QmlUncreatable

from kiosk.domain.mapgeo import LevelMap, label_priorities, place_labels
from kiosk.domain.route import Route
from kiosk.errors import KnownError
from kiosk.services.wayfinding import WayfindingService
from kiosk.viewmodels import QML_IMPORT_MAJOR_VERSION, QML_IMPORT_NAME
from kiosk.viewmodels.listmodel import DataclassListModel

__all__ = ["QML_IMPORT_MAJOR_VERSION", "QML_IMPORT_NAME", "MapViewModel"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class UnitRow:
    id: str
    kind: str
    fill_key: str
    paths: list[list[QPointF]]
    highlighted: bool


@dataclass(frozen=True, slots=True)
class MarkerRow:
    id: str
    icon_key: str
    mx: float
    my: float


@dataclass(frozen=True, slots=True)
class LabelRow:
    id: str
    label: str
    lx: float
    ly: float
    size: float
    highlighted: bool


@dataclass(frozen=True, slots=True)
class LevelTabRow:
    id: str
    short_name: str
    here: bool
    on_route: bool


class UnitListModel(DataclassListModel):
    row_type = UnitRow


class MarkerListModel(DataclassListModel):
    row_type = MarkerRow


class LabelListModel(DataclassListModel):
    row_type = LabelRow


class LevelTabListModel(DataclassListModel):
    row_type = LevelTabRow


@QmlElement
@QmlUncreatable("created by the application")
class MapViewModel(QObject):  # type: ignore[operator]  # PySide6 stub: QmlUncreatable lacks __call__
    """One level of the venue at a time.

    Properties: `levels` (tabs), `levelId`, `levelName`, `units`, `markers`, `labels`,
    `mapWidth`/`mapHeight` (metres), `hereX`/`hereY`/`hereHeading`/`hereVisible`,
    `routePaths` (polylines of the route on this level), `routeEnd`/`routeEndVisible`.
    Signals: `centerOn(x, y)` asks the view to bring a point into the middle.
    """

    levelChanged = Signal()
    labelsChanged = Signal()
    routeChanged = Signal()
    centerOn = Signal(float, float)

    def __init__(self, service: WayfindingService, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self._maps: dict[str, LevelMap] = {}
        self._level_id = ""
        self._highlight = ""  # store or facility id
        self._route: Route | None = None
        self._scale = 0.0
        self._lang = "zh_CN"
        self._units = UnitListModel(self)
        self._markers = MarkerListModel(self)
        self._labels = LabelListModel(self)
        self._levels = LevelTabListModel(self)

    # --- properties ------------------------------------------------------------------------
    def _get_levels(self) -> LevelTabListModel:
        return self._levels

    levels = Property(QObject, _get_levels, constant=True)

    def _get_units(self) -> UnitListModel:
        return self._units

    units = Property(QObject, _get_units, constant=True)

    def _get_markers(self) -> MarkerListModel:
        return self._markers

    markers = Property(QObject, _get_markers, constant=True)

    def _get_labels(self) -> LabelListModel:
        return self._labels

    labels = Property(QObject, _get_labels, constant=True)

    def _get_level_id(self) -> str:
        return self._level_id

    levelId = Property(str, _get_level_id, notify=levelChanged)

    def _get_level_name(self) -> str:
        level = self._maps.get(self._level_id)
        return level.short_name.en if level else ""

    levelName = Property(str, _get_level_name, notify=levelChanged)

    def _bounds(self) -> tuple[float, float, float, float]:
        level = next(iter(self._maps.values()), None)
        if level is None:
            return (0.0, 0.0, 1.0, 1.0)
        b = level.bounds
        return (b.min_x, b.min_y, b.width, b.height)

    def _get_width(self) -> float:
        return self._bounds()[2]

    mapWidth = Property(float, _get_width, notify=levelChanged)

    def _get_height(self) -> float:
        return self._bounds()[3]

    mapHeight = Property(float, _get_height, notify=levelChanged)

    def _here(self) -> tuple[float, float, float] | None:
        level = self._maps.get(self._level_id)
        if level is None or level.you_are_here is None:
            return None
        h = level.you_are_here
        x, y = self._local(h.x, h.y)
        return (x, y, h.heading_deg)

    def _get_here_visible(self) -> bool:
        return self._here() is not None

    hereVisible = Property(bool, _get_here_visible, notify=levelChanged)

    def _get_here_x(self) -> float:
        here = self._here()
        return here[0] if here else 0.0

    hereX = Property(float, _get_here_x, notify=levelChanged)

    def _get_here_y(self) -> float:
        here = self._here()
        return here[1] if here else 0.0

    hereY = Property(float, _get_here_y, notify=levelChanged)

    def _get_here_heading(self) -> float:
        here = self._here()
        return here[2] if here else 0.0

    hereHeading = Property(float, _get_here_heading, notify=levelChanged)

    def _get_route_paths(self) -> list[list[QPointF]]:
        if self._route is None:
            return []
        return [
            [QPointF(*self._local(x, -y)) for x, y in leg.points_m]
            for leg in self._route.legs
            if leg.level_id == self._level_id and len(leg.points_m) > 1
        ]

    routePaths = Property(list, _get_route_paths, notify=routeChanged)

    def _route_end(self) -> tuple[float, float] | None:
        if self._route is None or self._route.legs[-1].level_id != self._level_id:
            return None
        x, y = self._route.legs[-1].points_m[-1]
        return self._local(x, -y)

    def _get_route_end_visible(self) -> bool:
        return self._route_end() is not None

    routeEndVisible = Property(bool, _get_route_end_visible, notify=routeChanged)

    def _get_route_end(self) -> QPointF:
        end = self._route_end()
        return QPointF(*end) if end else QPointF()

    routeEnd = Property(QPointF, _get_route_end, notify=routeChanged)

    # --- slots -----------------------------------------------------------------------------
    @Slot()
    def load(self) -> None:
        """Read the level maps (cheap after the first time) and show the kiosk's level."""
        try:
            self._maps = self._service.level_maps()
            here = self._service.kiosk_level_id()
        except KnownError as exc:
            log.warning("map: %s", exc)
            return
        if not self._level_id or self._level_id not in self._maps:
            self._level_id = here or next(iter(self._maps), "")
        self._refresh_tabs()
        self._refresh_level()

    @Slot(str)
    def showLevel(self, level_id: str) -> None:
        if not self._maps:
            self.load()
        if level_id in self._maps and level_id != self._level_id:
            self._level_id = level_id
            self._refresh_level()

    @Slot(str)
    def focusPlace(self, place_id: str) -> None:
        """Show the level of a store or facility, highlighted, in the middle of the view."""
        if not self._maps:
            self.load()
        try:
            place = self._service.place(place_id)
        except KnownError as exc:
            log.warning("map: %s", exc)
            return
        self._highlight = place_id
        self._level_id = place.level_id
        self._refresh_level()
        self.recenter()

    @Slot()
    def recenter(self) -> None:
        """Bring what matters on this level into view: the selected place, else the start of
        the route here, else "you are here"."""
        point = self._focus_point()
        if point is not None:
            self.centerOn.emit(*point)

    @Slot()
    def backToMe(self) -> None:
        here_level = self._service.kiosk_level_id()
        if here_level:
            self.showLevel(here_level)
        here = self._here()
        if here is not None:
            self.centerOn.emit(here[0], here[1])

    @Slot(float, str)
    def relabel(self, scale: float, lang: str) -> None:
        """The view's scale (pixels per metre) or language changed: place labels again."""
        if scale <= 0 or (abs(scale - self._scale) < 1e-3 and lang == self._lang):
            return
        self._scale = scale
        self._lang = lang
        self._place_labels()

    def level_id(self) -> str:
        """The level on show."""
        return self._level_id

    def set_route(self, route: Route | None) -> None:
        self._route = route
        self._refresh_tabs()
        if route is not None:
            self._level_id = route.legs[0].level_id
            self._refresh_level()
        self.routeChanged.emit()

    def reset(self) -> None:
        self._highlight = ""
        self._route = None
        self._level_id = ""
        self._units.set_rows([])
        self._markers.set_rows([])
        self._labels.set_rows([])
        self._levels.set_rows([])
        self.routeChanged.emit()
        self.levelChanged.emit()

    # --- internals -------------------------------------------------------------------------
    def _focus_point(self) -> tuple[float, float] | None:
        level = self._maps.get(self._level_id)
        if level is None:
            return None
        if self._highlight:
            unit = level.unit_for_store(self._highlight)
            if unit is not None:
                return self._local(*unit.label_at)
            marker = next((f for f in level.facilities if f.id == self._highlight), None)
            if marker is not None:
                return self._local(marker.x, marker.y)
        paths = self._get_route_paths()
        if paths:
            xs = [p.x() for path in paths for p in path]
            ys = [p.y() for path in paths for p in path]
            return ((min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2)
        here = self._here()
        return (here[0], here[1]) if here else None

    def _local(self, x: float, y: float) -> tuple[float, float]:
        min_x, min_y, _, _ = self._bounds()
        return (x - min_x, y - min_y)

    def _refresh_tabs(self) -> None:
        here = self._service.kiosk_level_id()
        on_route = {leg.level_id for leg in self._route.legs} if self._route else set()
        self._levels.set_rows(
            [
                LevelTabRow(
                    lv.level_id, lv.short_name.en, lv.level_id == here, lv.level_id in on_route
                )
                for lv in sorted(self._maps.values(), key=lambda lv: -lv.ordinal)
            ]
        )

    def _refresh_level(self) -> None:
        level = self._maps.get(self._level_id)
        if level is None:
            return
        self._units.set_rows(
            [
                UnitRow(
                    id=u.id,
                    kind=u.kind,
                    fill_key=u.fill_key,
                    paths=[[QPointF(*self._local(x, y)) for x, y in ring] for ring in u.rings_m],
                    highlighted=bool(self._highlight) and u.store_id == self._highlight,
                )
                for u in level.units
            ]
        )
        self._markers.set_rows(
            [MarkerRow(f.id, f.icon_key, *self._local(f.x, f.y)) for f in level.facilities]
        )
        self._place_labels()
        self.levelChanged.emit()
        self.routeChanged.emit()

    def _place_labels(self) -> None:
        level = self._maps.get(self._level_id)
        if level is None or self._scale <= 0:
            self._labels.set_rows([])
            self.labelsChanged.emit()
            return
        lang = "zh" if self._lang.lower().startswith("zh") else "en"
        priorities = label_priorities(level.units, self._highlight or None)
        placed = place_labels(
            level.units,
            self._scale,
            FONT_PX,
            priorities,
            lang=lang,
            avoid=[(f.x, f.y) for f in level.facilities],
            avoid_px=ICON_PX,
        )
        selected_units = {
            u.id for u in level.units if self._highlight and u.store_id == self._highlight
        }
        self._labels.set_rows(
            [
                LabelRow(
                    p.unit_id, p.text, *self._local(p.x, p.y), p.size, p.unit_id in selected_units
                )
                for p in placed
            ]
        )
        self.labelsChanged.emit()


# Label font and facility icon sizes on the map, in pixels (the view uses the same values).
FONT_PX = 26.0
ICON_PX = 44.0
