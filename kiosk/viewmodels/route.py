"""A route from this kiosk: the summary, step-by-step directions, the levels it crosses, and
the QR code that takes it to the shopper's phone."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from urllib.parse import quote

from PySide6.QtCore import Property, QObject, Signal, Slot
from PySide6.QtQml import QmlElement, QmlUncreatable

from kiosk.domain.directions import format_distance, format_duration
from kiosk.errors import KnownError
from kiosk.services.wayfinding import NoRouteError, RouteResult, WayfindingService
from kiosk.viewmodels import QML_IMPORT_MAJOR_VERSION, QML_IMPORT_NAME
from kiosk.viewmodels.levelmap import MapViewModel
from kiosk.viewmodels.listmodel import DataclassListModel

__all__ = ["QML_IMPORT_MAJOR_VERSION", "QML_IMPORT_NAME", "RouteViewModel"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class StepRow:
    text_zh: str
    text_en: str
    icon: str
    level: str
    level_id: str


class StepListModel(DataclassListModel):
    row_type = StepRow


@QmlElement
@QmlUncreatable("created by the application")
class RouteViewModel(QObject):  # type: ignore[operator]  # PySide6 stub: QmlUncreatable lacks __call__
    """Properties: `hasRoute`, `stepFree`, `steps`, `destinationZh/En`, `summaryZh/En`,
    `transfersZh/En` (how the levels change), `link` and `qrSource` (an image://qr/ URL),
    `usesElevator`, `error` (a readable message when there is no route)."""

    routeChanged = Signal()
    errorChanged = Signal()

    def __init__(
        self, service: WayfindingService, map_model: MapViewModel, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._map = map_model
        self._result: RouteResult | None = None
        self._place_id = ""
        self._step_free = False
        self._error = ""
        self._steps = StepListModel(self)

    # --- properties ------------------------------------------------------------------------
    def _get_has_route(self) -> bool:
        return self._result is not None

    hasRoute = Property(bool, _get_has_route, notify=routeChanged)

    def _get_step_free(self) -> bool:
        return self._step_free

    stepFree = Property(bool, _get_step_free, notify=routeChanged)

    def _get_steps(self) -> StepListModel:
        return self._steps

    steps = Property(QObject, _get_steps, constant=True)

    def _get_dest_zh(self) -> str:
        return self._result.destination.name.zh if self._result else ""

    destinationZh = Property(str, _get_dest_zh, notify=routeChanged)

    def _get_dest_en(self) -> str:
        return self._result.destination.name.en if self._result else ""

    destinationEn = Property(str, _get_dest_en, notify=routeChanged)

    def _summary(self) -> tuple[str, str]:
        if self._result is None:
            return ("", "")
        route = self._result.route
        dist_zh, dist_en = format_distance(route.length_m)
        time_zh, time_en = format_duration(route.seconds)
        return (f"{dist_zh} · {time_zh}", f"{dist_en} · {time_en}")

    def _get_summary_zh(self) -> str:
        return self._summary()[0]

    summaryZh = Property(str, _get_summary_zh, notify=routeChanged)

    def _get_summary_en(self) -> str:
        return self._summary()[1]

    summaryEn = Property(str, _get_summary_en, notify=routeChanged)

    def _get_uses_elevator(self) -> bool:
        return self._result is not None and any(
            t.kind == "elevator" for t in self._result.route.transitions
        )

    usesElevator = Property(bool, _get_uses_elevator, notify=routeChanged)

    def _get_link(self) -> str:
        return self._result.link if self._result else ""

    link = Property(str, _get_link, notify=routeChanged)

    def _get_qr_source(self) -> str:
        return f"image://qr/{quote(self._result.link, safe='')}" if self._result else ""

    qrSource = Property(str, _get_qr_source, notify=routeChanged)

    def _get_error(self) -> str:
        return self._error

    error = Property(str, _get_error, notify=errorChanged)

    # --- slots -----------------------------------------------------------------------------
    @Slot(str, bool)
    def routeTo(self, place_id: str, step_free: bool) -> None:
        self._place_id = place_id
        self._step_free = step_free
        self._compute()

    @Slot(bool)
    def setStepFree(self, step_free: bool) -> None:
        if step_free != self._step_free and self._place_id:
            self._step_free = step_free
            self._compute()

    def reset(self) -> None:
        self._place_id = ""
        self._step_free = False
        self._result = None
        self._steps.set_rows([])
        self._set_error("")
        self.routeChanged.emit()

    # --- internals -------------------------------------------------------------------------
    def _compute(self) -> None:
        try:
            result = self._service.route_to(self._place_id, step_free=self._step_free)
        except NoRouteError as exc:
            log.warning("route: %s", exc)
            self._clear(
                self.tr("Sorry, there is no step-free route there. Please ask at the service desk.")
                if self._step_free
                else self.tr("Sorry, no route was found. Please ask at the service desk.")
            )
            return
        except KnownError as exc:
            log.warning("route: %s", exc)
            self._clear(self.tr("Routes are not available right now."))
            return
        self._result = result
        levels = {lv.id: lv.short_name.en for lv in self._service.levels()}
        self._steps.set_rows(
            [
                StepRow(s.text_zh, s.text_en, s.icon, levels.get(s.level_id, ""), s.level_id)
                for s in result.steps
            ]
        )
        self._set_error("")
        self._map.set_route(result.route)
        self.routeChanged.emit()

    def _clear(self, message: str) -> None:
        self._result = None
        self._steps.set_rows([])
        self._map.set_route(None)
        self._set_error(message)
        self.routeChanged.emit()

    def _set_error(self, text: str) -> None:
        if text != self._error:
            self._error = text
            self.errorChanged.emit()
