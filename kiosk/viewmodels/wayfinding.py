"""The 找店导航 / Find a store screens: search as you type, browse by category, floor or facility,
and the detail card of one place."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Property, QObject, Signal, Slot
from PySide6.QtQml import QmlElement, QmlUncreatable

from kiosk.domain.search import facility_type
from kiosk.errors import KnownError
from kiosk.services.wayfinding import PlaceView, WayfindingService
from kiosk.viewmodels import QML_IMPORT_MAJOR_VERSION, QML_IMPORT_NAME
from kiosk.viewmodels.listmodel import DataclassListModel

__all__ = ["QML_IMPORT_MAJOR_VERSION", "QML_IMPORT_NAME", "WayfindingViewModel"]

log = logging.getLogger(__name__)

# Longest query a shopper can type; longer text (a stuck scanner) is cut, not searched.
MAX_QUERY = 40


@dataclass(frozen=True, slots=True)
class PlaceRow:
    id: str
    kind: str
    name_zh: str
    name_en: str
    category: str
    category_zh: str
    category_en: str
    level: str
    unit_no: str
    suggested: bool
    icon_name: str

    @classmethod
    def of(cls, view: PlaceView) -> PlaceRow:
        return cls(
            id=view.id,
            kind=view.kind,
            name_zh=view.name.zh,
            name_en=view.name.en,
            category=view.category,
            category_zh=view.category_name.zh,
            category_en=view.category_name.en,
            level=view.level.en,
            unit_no=view.unit_no,
            suggested=view.suggested,
            icon_name=icon_for(view.kind, view.category),
        )


def icon_for(kind: str, category: str) -> str:
    """The icon file (kiosk/resources/icons/<name>.svg) for a result row."""
    if kind != "facility":
        return f"cat_{category}"
    if "wheelchair" in category:
        return "accessible_restroom"
    if category.startswith("restroom"):
        return "restroom"
    return _FACILITY_ICONS.get(category, "info")


_FACILITY_ICONS = {
    "mothersroom": "nursing",
    "information": "info",
    "entry": "exit",
    "elevator": "elevator",
    "escalator": "escalator",
    "stairs": "stairs",
    "atm": "atm",
    "parking": "parking",
}


@dataclass(frozen=True, slots=True)
class LevelRow:
    id: str
    short_name: str
    name_zh: str
    name_en: str
    here: bool


class PlaceListModel(DataclassListModel):
    row_type = PlaceRow


class LevelListModel(DataclassListModel):
    row_type = LevelRow


@QmlElement
@QmlUncreatable("created by the application")
class WayfindingViewModel(QObject):  # type: ignore[operator]  # PySide6 stub: QmlUncreatable lacks __call__
    """Search and browse state.

    Properties: `query`; `results` (PlaceListModel: search hits, a category's stores, a floor's
    stores or the nearest facilities of a kind); `listTitleZh/En` naming what `results` shows;
    `suggestionsOnly` when nothing matched and the rows are suggestions; `categories`;
    `levels`; `detail` (a map describing the selected place, empty when none); `error`.
    """

    queryChanged = Signal()
    resultsChanged = Signal()
    detailChanged = Signal()
    errorChanged = Signal()

    def __init__(self, service: WayfindingService, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self._query = ""
        self._title = ("", "")
        self._suggestions_only = False
        self._detail: dict[str, Any] = {}
        self._error = ""
        self._results = PlaceListModel(self)
        self._categories = PlaceListModel(self)
        self._levels = LevelListModel(self)

    # --- properties ------------------------------------------------------------------------
    def _get_query(self) -> str:
        return self._query

    query = Property(str, _get_query, notify=queryChanged)

    def _get_results(self) -> PlaceListModel:
        return self._results

    results = Property(QObject, _get_results, constant=True)

    def _get_categories(self) -> PlaceListModel:
        return self._categories

    categories = Property(QObject, _get_categories, constant=True)

    def _get_levels(self) -> LevelListModel:
        return self._levels

    levels = Property(QObject, _get_levels, constant=True)

    def _get_title_zh(self) -> str:
        return self._title[0]

    listTitleZh = Property(str, _get_title_zh, notify=resultsChanged)

    def _get_title_en(self) -> str:
        return self._title[1]

    listTitleEn = Property(str, _get_title_en, notify=resultsChanged)

    def _get_has_list(self) -> bool:
        return self._results.rowCount() > 0 or bool(self._query.strip())

    hasList = Property(bool, _get_has_list, notify=resultsChanged)

    def _get_suggestions_only(self) -> bool:
        return self._suggestions_only

    suggestionsOnly = Property(bool, _get_suggestions_only, notify=resultsChanged)

    def _get_detail(self) -> dict[str, Any]:
        return self._detail

    detail = Property(dict, _get_detail, notify=detailChanged)

    def _get_error(self) -> str:
        return self._error

    error = Property(str, _get_error, notify=errorChanged)

    def result_rows(self) -> list[PlaceRow]:
        return self._results.rows()

    # --- slots -----------------------------------------------------------------------------
    @Slot()
    def load(self) -> None:
        """Fill the browse lists (categories, floors) when the screen opens."""
        try:
            self._categories.set_rows([PlaceRow.of(v) for v in self._service.category_list()])
            here = self._service.kiosk_level_id()
            self._levels.set_rows(
                [
                    LevelRow(lv.id, lv.short_name.en, lv.name.zh, lv.name.en, lv.id == here)
                    for lv in reversed(self._service.levels())
                ]
            )
        except KnownError as exc:
            self._fail(exc)

    @Slot(str)
    def setQuery(self, text: str) -> None:
        text = text[:MAX_QUERY]
        if text == self._query:
            return
        self._query = text
        self.queryChanged.emit()
        if not text.strip():
            self._show([], ("", ""), suggestions=False)
            return
        try:
            found = self._service.search(text)
        except KnownError as exc:
            self._fail(exc)
            return
        suggestions = bool(found) and all(v.suggested for v in found)
        self._show(found, ("", ""), suggestions=suggestions)

    @Slot(str)
    def browseCategory(self, code: str) -> None:
        try:
            stores = self._service.stores_in_category(code)
            name = next(c for c in self._service.category_list() if c.id == code).name
        except (KnownError, StopIteration) as exc:
            self._fail(exc)
            return
        self._show(stores, (name.zh, name.en), suggestions=False)

    @Slot(str)
    def browseLevel(self, level_id: str) -> None:
        try:
            stores = self._service.stores_on_level(level_id)
            level = next(lv for lv in self._service.levels() if lv.id == level_id)
        except (KnownError, StopIteration) as exc:
            self._fail(exc)
            return
        self._show(stores, (level.name.zh, level.name.en), suggestions=False)

    @Slot(str)
    def browseFacility(self, category: str) -> None:
        try:
            found = self._service.nearest_facilities(category)
        except KnownError as exc:
            self._fail(exc)
            return
        kind = facility_type(category)
        title = (kind.names.zh, kind.names.en) if kind else (category, category)
        self._show(found, title, suggestions=False)

    @Slot(str)
    def select(self, place_id: str) -> None:
        try:
            view = self._service.place(place_id)
        except KnownError as exc:
            self._fail(exc)
            return
        self._set_detail(self._service.detail_map(view))

    @Slot()
    def clearList(self) -> None:
        self._show([], ("", ""), suggestions=False)

    def reset(self) -> None:
        """Session wipe: forget what was typed and looked at."""
        self._query = ""
        self.queryChanged.emit()
        self._show([], ("", ""), suggestions=False)
        self._set_detail({})
        self._set_error("")

    # --- internals -------------------------------------------------------------------------
    def _show(self, views: list[PlaceView], title: tuple[str, str], *, suggestions: bool) -> None:
        self._results.set_rows([PlaceRow.of(v) for v in views])
        self._title = title
        self._suggestions_only = suggestions
        self._set_error("")
        self.resultsChanged.emit()

    def _set_detail(self, detail: dict[str, Any]) -> None:
        if detail != self._detail:
            self._detail = detail
            self.detailChanged.emit()

    def _fail(self, exc: Exception) -> None:
        log.warning("wayfinding: %s", exc)
        self._set_error(self.tr("The store directory is not available right now."))

    def _set_error(self, text: str) -> None:
        if text != self._error:
            self._error = text
            self.errorChanged.emit()
