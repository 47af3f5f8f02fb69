"""Builds the configured receipt printer (the backends are listed in kiosk.printing.config).

Nothing is opened, imported from python-escpos or looked up (font, profile) here: that happens
on the first print or status call, so a missing printer never delays or stops the kiosk's start.
"""

from __future__ import annotations

from pathlib import Path

from kiosk.printing.config import PrinterConfig
from kiosk.printing.escpos_out import EscposPrinter
from kiosk.printing.image import BASE_DPI, FontSet, Paper
from kiosk.printing.imagefile import ImageFilePrinter
from kiosk.printing.printer import NoPrinter, Printer
from kiosk.printing.transports import (
    DummyTransport,
    LpTransport,
    Transport,
    file_transport,
    network_transport,
    serial_transport,
    usb_transport,
)

__all__ = ["open_printer", "receipt_dir"]


def receipt_dir(config: PrinterConfig, data_dir: Path) -> Path:
    """Where the png and pdf backends write: output_dir, relative to data_dir."""
    return data_dir / (Path(config.output_dir).expanduser() if config.output_dir else "receipts")


def open_printer(config: PrinterConfig, *, data_dir: Path, fonts: FontSet | None = None) -> Printer:
    """The receipt printer `config` describes; `fonts` may be shared with other renderers."""
    if config.backend == "none":
        return NoPrinter()
    if config.backend in ("png", "pdf"):
        paper = (
            Paper(config.width_dots, config.dpi or BASE_DPI)
            if config.width_dots
            else Paper.for_mm(config.paper_mm, config.dpi or BASE_DPI)
        )
        return ImageFilePrinter(
            receipt_dir(config, data_dir),
            config.backend,
            paper,
            fonts=fonts,
            font_path=config.font_path,
        )
    return EscposPrinter(
        _transport(config),
        backend=config.backend,
        profile=config.profile,
        paper_mm=config.paper_mm,
        width_dots=config.width_dots,
        dpi=config.dpi,
        mode=config.mode,
        cut=config.cut,
        check_status=config.status_check,
        fonts=fonts,
        font_path=config.font_path,
    )


def _transport(config: PrinterConfig) -> Transport:
    match config.backend:
        case "file":
            return file_transport(config.path)
        case "usb":
            return usb_transport(
                config.usb_vendor_id,
                config.usb_product_id,
                in_ep=config.usb_in_ep,
                out_ep=config.usb_out_ep,
                timeout_s=config.timeout_s,
            )
        case "serial":
            return serial_transport(config.serial_port, config.serial_baudrate, config.timeout_s)
        case "network":
            return network_transport(config.host, config.port, config.timeout_s)
        case "cups":
            return LpTransport(config.cups_printer)
        case _:
            return DummyTransport()
