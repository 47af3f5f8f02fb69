"""A list model whose rows are frozen dataclasses; each field becomes a role of the same name."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any, ClassVar

from PySide6.QtCore import (
    Property,
    QAbstractListModel,
    QByteArray,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

_Index = QModelIndex | QPersistentModelIndex


class DataclassListModel(QAbstractListModel):
    """Rows of one dataclass type; subclasses set `row_type`. Roles follow the field order."""

    row_type: ClassVar[type[Any]]
    countChanged = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = []
        self._fields = [f.name for f in dataclasses.fields(self.row_type)]
        self._roles = {
            Qt.ItemDataRole.UserRole + 1 + i: name for i, name in enumerate(self._fields)
        }

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        name = self._roles.get(role)
        if name is None:
            return None
        return getattr(self._rows[index.row()], name)

    def roleNames(self) -> dict[int, QByteArray]:
        return {role: QByteArray(name.encode()) for role, name in self._roles.items()}

    def _count(self) -> int:
        return len(self._rows)

    count = Property(int, _count, notify=countChanged)

    def rows(self) -> list[Any]:
        return list(self._rows)

    def set_rows(self, rows: Sequence[Any]) -> None:
        """Replace the rows with as small a change as views need: rows removed or inserted at
        the end, the rest changed in place (a reset would throw away every delegate, and
        cancels delegates a view is still creating)."""
        new = list(rows)
        old_count, new_count = len(self._rows), len(new)
        if new_count < old_count:
            self.beginRemoveRows(QModelIndex(), new_count, old_count - 1)
            del self._rows[new_count:]
            self.endRemoveRows()
        changed = [i for i in range(min(old_count, new_count)) if self._rows[i] != new[i]]
        self._rows[: min(old_count, new_count)] = new[: min(old_count, new_count)]
        if changed:
            self.dataChanged.emit(
                self.index(changed[0], 0), self.index(changed[-1], 0), list(self._roles)
            )
        if new_count > old_count:
            self.beginInsertRows(QModelIndex(), old_count, new_count - 1)
            self._rows.extend(new[old_count:])
            self.endInsertRows()
        if new_count != old_count:
            self.countChanged.emit()
