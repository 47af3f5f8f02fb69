"""Placing the kiosk on the map (maintenance): "you are here" and the way the kiosk faces.

Staff tap the map where the kiosk stands (step "place"), then tap the way a shopper reading the
screen faces, or turn the arrow with the rotate buttons (step "face"). The new position stays
pending until Save writes it to the device settings (`device.position`, one value, audited);
from then on the wayfinding service uses it: you-are-here on the maps, where routes start and
the first turn of the directions, without a restart.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from PySide6.QtCore import Property, QObject, Signal, Slot
from PySide6.QtQml import QmlElement, QmlUncreatable

from kiosk.config import POSITION_KEY
from kiosk.domain.mapgeo import LevelMap, MapProjection
from kiosk.domain.placement import (
    KioskPosition,
    PlacedKiosk,
    PositionError,
    facing,
    heading_toward,
    position_at,
)
from kiosk.errors import KnownError
from kiosk.maintenance.settings import SettingChange
from kiosk.services.wayfinding import WayfindingService
from kiosk.viewmodels import QML_IMPORT_MAJOR_VERSION, QML_IMPORT_NAME
from kiosk.viewmodels.levelmap import MapViewModel
from kiosk.viewmodels.listmodel import DataclassListModel

__all__ = ["QML_IMPORT_MAJOR_VERSION", "QML_IMPORT_NAME", "PlacementViewModel", "SaveSetting"]

log = logging.getLogger(__name__)

# Writes one device setting as typed text, for `who`: `DeviceSettings.set(key, text, who)`.
SaveSetting = Callable[[str, str, str], SettingChange]

PLACE, FACE = "place", "face"


@dataclass(frozen=True, slots=True)
class PlacementLevelRow:
    id: str
    short_name: str
    shown: bool
    saved: bool
    pending: bool


class PlacementLevelModel(DataclassListModel):
    row_type = PlacementLevelRow


@QmlElement
@QmlUncreatable("created by the application")
class PlacementViewModel(QObject):  # type: ignore[operator]  # PySide6 stub: QmlUncreatable lacks __call__
    """The kiosk's position, saved and pending, on the levels of the venue.

    Properties: `map` (the MapViewModel the placement map shows), `levels` (floor buttons:
    id, short_name, shown, saved, pending), `levelId`/`levelName` (the level on show), `step`
    ("place" or "face"), the position in use (`hasSaved`, `source`: "device" | "venue" |
    "none", `savedLevelName`, `savedHeading`, `canUseVenue`), the pending one (`hasPending`,
    `pendingVisible` on the level shown, `pendingX`/`pendingY` in the map's metres like
    MapViewModel's, `pendingHeading`, `pendingLevelName`, `pendingLon`/`pendingLat`), `dirty`
    (pending differs from what is in use), `busy` (saving), `message` and `error`.
    Signals: `saved` after a position was saved and put in use.
    """

    changed = Signal()
    saved = Signal()
    _finished = Signal(object, object)

    def __init__(
        self,
        service: WayfindingService,
        map_model: MapViewModel,
        save_setting: SaveSetting,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._map = map_model
        self._save_setting = save_setting
        self._levels = PlacementLevelModel(self)
        self._maps: Mapping[str, LevelMap] = {}
        self._projection: MapProjection | None = None
        self._placed: PlacedKiosk | None = None
        self._pending: KioskPosition | None = None
        self._step = PLACE
        self._busy = False
        self._message = ""
        self._error = False
        self._worker: threading.Thread | None = None
        self._finished.connect(self._on_finished)
        map_model.levelChanged.connect(self._on_level_shown)

    # --- properties ------------------------------------------------------------------------
    def _get_map(self) -> MapViewModel:
        return self._map

    map = Property(MapViewModel, _get_map, constant=True)

    def _get_levels(self) -> PlacementLevelModel:
        return self._levels

    levels = Property(QObject, _get_levels, constant=True)

    def _get_level_id(self) -> str:
        return self._map.level_id()

    levelId = Property(str, _get_level_id, notify=changed)

    def _get_level_name(self) -> str:
        return self._short_name(self._map.level_id())

    levelName = Property(str, _get_level_name, notify=changed)

    def _get_step(self) -> str:
        return self._step

    step = Property(str, _get_step, notify=changed)

    def _get_has_saved(self) -> bool:
        return self._placed is not None and self._placed.kiosk is not None

    hasSaved = Property(bool, _get_has_saved, notify=changed)

    def _get_source(self) -> str:
        return self._placed.source if self._placed is not None else "none"

    source = Property(str, _get_source, notify=changed)

    def _get_saved_level_name(self) -> str:
        level_id = self._placed.level_id if self._placed is not None else None
        return self._short_name(level_id) if level_id else ""

    savedLevelName = Property(str, _get_saved_level_name, notify=changed)

    def _get_saved_heading(self) -> float:
        kiosk = self._placed.kiosk if self._placed is not None else None
        return kiosk.heading_deg if kiosk is not None else 0.0

    savedHeading = Property(float, _get_saved_heading, notify=changed)

    def _get_can_use_venue(self) -> bool:
        """The position in use is the device's and the venue data has one to go back to."""
        placed = self._placed
        return placed is not None and placed.source == "device" and placed.in_venue

    canUseVenue = Property(bool, _get_can_use_venue, notify=changed)

    def _get_has_pending(self) -> bool:
        return self._pending is not None

    hasPending = Property(bool, _get_has_pending, notify=changed)

    def _get_pending_visible(self) -> bool:
        return self._pending is not None and self._pending.level_id == self._map.level_id()

    pendingVisible = Property(bool, _get_pending_visible, notify=changed)

    def _pending_local(self) -> tuple[float, float]:
        if self._pending is None or self._projection is None:
            return (0.0, 0.0)
        return self._to_local(*self._projection.to_map(self._pending.point))

    def _get_pending_x(self) -> float:
        return self._pending_local()[0]

    pendingX = Property(float, _get_pending_x, notify=changed)

    def _get_pending_y(self) -> float:
        return self._pending_local()[1]

    pendingY = Property(float, _get_pending_y, notify=changed)

    def _get_pending_heading(self) -> float:
        return self._pending.heading_deg if self._pending is not None else 0.0

    pendingHeading = Property(float, _get_pending_heading, notify=changed)

    def _get_pending_level_name(self) -> str:
        return self._short_name(self._pending.level_id) if self._pending is not None else ""

    pendingLevelName = Property(str, _get_pending_level_name, notify=changed)

    def _get_pending_lon(self) -> float:
        return self._pending.point[0] if self._pending is not None else 0.0

    pendingLon = Property(float, _get_pending_lon, notify=changed)

    def _get_pending_lat(self) -> float:
        return self._pending.point[1] if self._pending is not None else 0.0

    pendingLat = Property(float, _get_pending_lat, notify=changed)

    def _get_dirty(self) -> bool:
        return self._pending is not None and self._pending != self._in_use()

    dirty = Property(bool, _get_dirty, notify=changed)

    def _get_busy(self) -> bool:
        return self._busy

    busy = Property(bool, _get_busy, notify=changed)

    def _get_message(self) -> str:
        return self._message

    message = Property(str, _get_message, notify=changed)

    def _get_error(self) -> bool:
        return self._error

    error = Property(bool, _get_error, notify=changed)

    # --- slots -----------------------------------------------------------------------------
    @Slot()
    def load(self) -> None:
        """Read the position in use and start from it, on its level."""
        try:
            self._maps = self._service.level_maps()
            self._projection = self._service.map_projection()
            self._placed = self._service.kiosk_position()
        except KnownError as exc:
            log.warning("placement: %s", exc)
            self._say(self.tr("The map is not available: {reason}").format(reason=exc), True)
            return
        self._pending = self._in_use()
        self._step = PLACE
        self._say("")
        self._map.load()
        if self._pending is not None:
            self._map.showLevel(self._pending.level_id)
        self._refresh()

    @Slot(str)
    def showLevel(self, level_id: str) -> None:
        self._map.showLevel(level_id)

    @Slot(float, float)
    def tapAt(self, x: float, y: float) -> None:
        """A tap on the map at (x, y), the map's metres: where the kiosk stands, or (step
        "face", on the kiosk's level) the way it faces."""
        pending = self._pending
        if self._step == FACE and pending is not None and pending.level_id == self._map.level_id():
            self.aimAt(x, y)
        else:
            self.placeAt(x, y)

    @Slot(float, float)
    def placeAt(self, x: float, y: float) -> None:
        """Stand the kiosk at (x, y) of the level on show, keeping the way it faces."""
        level = self._maps.get(self._map.level_id())
        if level is None or self._projection is None or self._busy:
            return
        heading = self._pending.heading_deg if self._pending is not None else 0.0
        xy = (x + level.bounds.min_x, y + level.bounds.min_y)
        placed = position_at(level, self._projection, xy, heading)
        if placed is None:
            self._say(
                self.tr(
                    "That is outside the floor plan of {level}: tap inside the building."
                ).format(level=level.short_name.en),
                True,
            )
            return
        self._pending = placed
        self._step = FACE
        self._say("")
        self._refresh()

    @Slot(float, float)
    def aimAt(self, x: float, y: float) -> None:
        """Face the kiosk from where it stands toward (x, y), the map's metres."""
        if self._pending is None:
            self._say(self.tr("First tap the map where the kiosk stands."), True)
            return
        heading = heading_toward(self._pending_local(), (x, y))
        if heading is None:
            self._say(self.tr("Tap a little further from the kiosk to show the way it faces."))
            return
        self.setHeading(heading)

    @Slot(float)
    def setHeading(self, degrees: float) -> None:
        """Face the pending position `degrees` clockwise from north (any value: taken mod 360)."""
        if self._busy:
            return
        if self._pending is None:
            self._say(self.tr("First tap the map where the kiosk stands."), True)
            return
        try:
            self._pending = facing(self._pending, degrees)
        except PositionError:
            self._say(self.tr("The direction must be a number of degrees."), True)
            return
        self._say("")
        self._refresh()

    @Slot(float)
    def rotate(self, delta: float) -> None:
        """Turn the pending position by `delta` degrees (positive: clockwise)."""
        if self._pending is not None:
            self.setHeading(self._pending.heading_deg + delta)

    @Slot()
    def movePoint(self) -> None:
        """Step "place": the next tap moves the kiosk."""
        self._step = PLACE
        self._refresh()

    @Slot()
    def startFacing(self) -> None:
        """Step "face": the next tap turns the kiosk, which stays where it is."""
        if self._pending is not None:
            self._step = FACE
            self._map.showLevel(self._pending.level_id)
            self._refresh()

    @Slot(str)
    def save(self, who: str) -> None:
        """Write the pending position to the device settings (on a worker thread), then put
        it in use. `who`: the staff member, for the audit log."""
        pending = self._pending
        if self._busy:
            return
        if pending is None:
            self._say(self.tr("First tap the map where the kiosk stands."), True)
            return
        if pending == self._in_use():
            self._say(self.tr("Nothing to save: this is the position in use."))
            return
        self._start(pending, who)

    @Slot(str)
    def useVenuePosition(self, who: str) -> None:
        """Forget the position set on the device: back to the venue data's kiosk."""
        if not self._busy and self._get_can_use_venue():
            self._start(None, who)

    @Slot()
    def revert(self) -> None:
        """Drop the pending change: back to the position in use."""
        if self._busy:
            return
        self._pending = self._in_use()
        self._step = PLACE
        self._say("")
        if self._pending is not None:
            self._map.showLevel(self._pending.level_id)
        self._refresh()

    def reset(self) -> None:
        """Leaving maintenance: nothing pending, no message."""
        self.revert()

    def close(self) -> None:
        """Wait for a save still being written (application shutdown)."""
        if self._worker is not None:
            self._worker.join(timeout=10)

    # --- saving ------------------------------------------------------------------------------
    def _start(self, position: KioskPosition | None, who: str) -> None:
        text = position.text() if position is not None else ""
        save = self._save_setting

        def run() -> None:
            try:
                result: SettingChange | KnownError = save(POSITION_KEY, text, who)
            except KnownError as err:  # disk, a broken device file, the audit log…
                result = err
            self._finished.emit(position, result)

        self._busy = True
        self._say(self.tr("Saving…"))
        self._refresh()
        self._worker = threading.Thread(target=run, name="placement-save", daemon=True)
        self._worker.start()

    def _on_finished(self, position: KioskPosition | None, result: object) -> None:
        self._busy = False
        if isinstance(result, KnownError):
            log.warning("placement: not saved: %s", result)
            self._say(self.tr("Not saved: {reason}").format(reason=result), True)
            self._refresh()
            return
        assert isinstance(result, SettingChange)
        if result.overridden:
            self._say(
                self.tr(
                    "Saved in the device file, but {where} sets the position, so that one "
                    "stays in use."
                ).format(where=result.in_effect.where),
                True,
            )
            self._refresh()
            return
        try:
            self._placed = self._service.set_kiosk_position(position)
        except KnownError as exc:  # the venue data went missing meanwhile
            log.warning("placement: saved, not in use: %s", exc)
            self._say(self.tr("Saved, but not in use: {reason}").format(reason=exc), True)
            self._refresh()
            return
        self._pending = self._in_use()
        self._step = PLACE
        self._map.load()
        if self._placed.ignored:
            self._say(
                self.tr("Saved, but not in use: {reason}").format(reason=self._placed.ignored), True
            )
        elif position is None:
            self._say(self.tr("Saved: the kiosk stands where the venue data puts it."))
        else:
            self._say(self.tr("Saved: shoppers now see the kiosk here."))
        self._refresh()
        self.saved.emit()

    # --- internals -------------------------------------------------------------------------
    def _in_use(self) -> KioskPosition | None:
        kiosk = self._placed.kiosk if self._placed is not None else None
        if kiosk is None:
            return None
        try:
            return KioskPosition(kiosk.level_id, kiosk.point, kiosk.heading_deg % 360.0)
        except PositionError:  # venue data with a kiosk outside WGS84 ranges
            return None

    def _short_name(self, level_id: str | None) -> str:
        level = self._maps.get(level_id or "")
        return level.short_name.en if level is not None else ""

    def _to_local(self, x: float, y: float) -> tuple[float, float]:
        level = next(iter(self._maps.values()), None)
        if level is None:
            return (x, y)
        return (x - level.bounds.min_x, y - level.bounds.min_y)

    def _say(self, text: str, error: bool = False) -> None:
        if (text, error) != (self._message, self._error):
            self._message, self._error = text, error
            self.changed.emit()

    def _on_level_shown(self) -> None:
        self._refresh()

    def _refresh(self) -> None:
        shown = self._map.level_id()
        saved = self._placed.level_id if self._placed is not None else None
        pending = self._pending.level_id if self._pending is not None else None
        self._levels.set_rows(
            [
                PlacementLevelRow(
                    level.level_id,
                    level.short_name.en,
                    level.level_id == shown,
                    level.level_id == saved,
                    level.level_id == pending,
                )
                for level in sorted(self._maps.values(), key=lambda lv: lv.ordinal)
            ]
        )
        self.changed.emit()
