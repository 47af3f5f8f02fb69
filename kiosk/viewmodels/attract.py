"""The attract screen: the mall's name and today's promotions, rotating."""

from __future__ import annotations

from PySide6.QtCore import Property, QObject, Signal, Slot
from PySide6.QtQml import QmlElement, QmlUncreatable

from kiosk.services.promotions import PromotionService, PromotionView
from kiosk.viewmodels import QML_IMPORT_MAJOR_VERSION, QML_IMPORT_NAME
from kiosk.viewmodels.listmodel import DataclassListModel

__all__ = ["QML_IMPORT_MAJOR_VERSION", "QML_IMPORT_NAME", "AttractViewModel", "PromotionListModel"]


class PromotionListModel(DataclassListModel):
    """Roles: id, title_zh, title_en, body_zh, body_en, store_zh, store_en, level."""

    row_type = PromotionView


@QmlElement
@QmlUncreatable("created by the application")
class AttractViewModel(QObject):  # type: ignore[operator]  # PySide6 stub: QmlUncreatable lacks __call__
    """Properties: `promotions` (PromotionListModel), `intervalMs` for the rotation."""

    promotionsChanged = Signal()

    def __init__(
        self, service: PromotionService, interval_s: int, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._interval_ms = interval_s * 1000
        self._model = PromotionListModel(self)
        self.refresh()

    def _get_promotions(self) -> PromotionListModel:
        return self._model

    promotions = Property(QObject, _get_promotions, constant=True)

    def _get_interval(self) -> int:
        return self._interval_ms

    intervalMs = Property(int, _get_interval, constant=True)

    @Slot()
    def refresh(self) -> None:
        self._model.set_rows(self._service.current())

    def reset(self) -> None:
        # Promotions may have changed with a sync while the last shopper was here.
        self.refresh()
