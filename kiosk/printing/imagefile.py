"""The development printer: each receipt drawn to `<directory>/<TICKET>.png` (or .pdf).

The file is the exact image an ESC/POS printer would get, at the paper's resolution (PNG and
PDF carry the dpi, so a PDF prints at the real receipt size).
"""

from __future__ import annotations

import contextlib
import os
import threading
from pathlib import Path
from typing import Literal

from kiosk.printing.errors import PrinterError
from kiosk.printing.image import FontSet, Paper, ReceiptRenderer
from kiosk.printing.printer import Document, PrinterState, PrintResult

__all__ = ["ImageFilePrinter"]

ImageFormat = Literal["png", "pdf"]


class ImageFilePrinter:
    """Writes each receipt as an image file into `directory` (created when needed)."""

    def __init__(
        self,
        directory: Path,
        image_format: ImageFormat,
        paper: Paper,
        *,
        fonts: FontSet | None = None,
        font_path: str = "",
    ) -> None:
        self.directory = directory
        self.image_format = image_format
        self.paper = paper
        self._fonts = fonts
        self._font_path = font_path
        self._renderer: ReceiptRenderer | None = None
        self._lock = threading.Lock()

    def print_receipt(self, receipt: Document) -> PrintResult:
        with self._lock:
            if self._renderer is None:
                fonts = self._fonts or FontSet.find(self._font_path)
                self._renderer = ReceiptRenderer(self.paper, fonts)
            image = self._renderer.render(receipt.blocks()).image
        path = self.directory / f"{receipt.ticket_no}.{self.image_format}"
        partial = path.with_name(f".{path.name}.partial")
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            if self.image_format == "pdf":
                image.save(partial, "PDF", resolution=float(self.paper.dpi))
            else:
                image.save(partial, "PNG", dpi=(self.paper.dpi, self.paper.dpi))
            # A reader (or a reprint) never sees half a file.
            partial.replace(path)
        except OSError as err:
            with contextlib.suppress(OSError):
                partial.unlink(missing_ok=True)
            raise PrinterError(
                f"Cannot write the receipt to {path}: {err.strerror or err}."
            ) from err
        return PrintResult(receipt.ticket_no, self.image_format, path.stat().st_size, path)

    def status(self) -> PrinterState:
        existing = self.directory
        while not existing.exists() and existing != existing.parent:
            existing = existing.parent
        writable = existing.is_dir() and os.access(existing, os.W_OK | os.X_OK)
        return "ok" if writable else "offline"
