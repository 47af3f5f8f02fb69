"""Printing failures that are facts about the machine: no printer, no paper, no font."""

from __future__ import annotations

from kiosk.errors import KnownError


class PrinterError(KnownError):
    """The receipt could not be printed; str(err) says why in words staff can act on.

    The submission it belongs to is not affected: the caller keeps the ticket and shows its
    number on screen instead.
    """


class FontNotFoundError(PrinterError):
    """No font with Chinese glyphs was found to draw the receipt with."""
