"""What the guided forms (complaint, return request) share: stepping, field problems, the
session wipe, and the print report coming back from the receipt thread.

A plain mixin (no properties or signals of its own), so each form's Qt properties stay declared
on the form itself where QML's type information finds them.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import SignalInstance

from kiosk.services.submissions import FiledTicket


class FormSteps:
    """Needs from the form: the signals `formChanged`, `stepChanged`, `resultChanged`, the
    attributes below, and `_clear()` that empties every field."""

    formChanged: SignalInstance
    stepChanged: SignalInstance
    resultChanged: SignalInstance
    _step: int
    _problems: dict[str, dict[str, str]]
    _filed: FiledTicket | None
    _print_message: tuple[str, str]

    def _clear(self) -> None:
        raise NotImplementedError

    def reset(self) -> None:
        """Session wipe: nothing the shopper typed stays in memory."""
        self._clear()
        self.formChanged.emit()
        self.stepChanged.emit()
        self.resultChanged.emit()

    def _on_printed(self, zh: str, en: str) -> None:
        """The receipt thread's report, delivered on the GUI thread by a queued signal."""
        if self._filed is not None:
            self._print_message = (zh, en)
            self.resultChanged.emit()

    def _set(self, attr: str, value: Any) -> None:
        if getattr(self, attr) != value:
            setattr(self, attr, value)
            self._drop_problem(attr.removeprefix("_"))
            self.formChanged.emit()

    def _drop_problem(self, field: str) -> None:
        self._problems.pop(field, None)

    def _go(self, step: int) -> None:
        if step != self._step:
            self._step = step
            self.stepChanged.emit()
