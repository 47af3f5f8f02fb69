"""The `[printer]` section of the device configuration: which receipt printer, and how.

Keys are flat (one level) like every other section, so each can also be set from the
environment as `MALLKIOSK__PRINTER__<KEY>`. Which keys a backend reads:

    backend    keys it needs                           what it is
    none       -                                       no printer: tickets on screen only
    png, pdf   output_dir                              receipt images in a directory (development)
    dummy      -                                       ESC/POS bytes kept in memory (tests)
    file       path                                    ESC/POS bytes to a file or device node
    usb        usb_vendor_id, usb_product_id           USB via pyusb (python-escpos[usb])
               (usb_in_ep, usb_out_ep)
    serial     serial_port (serial_baudrate)           serial port (python-escpos[serial])
    network    host (port)                             raw TCP, usually port 9100
    cups       cups_printer (empty = CUPS default)     a CUPS queue, via `lp -o raw`

Every ESC/POS backend also reads profile, paper_mm, width_dots, dpi, mode, cut, status_check and
timeout_s; png and pdf read paper_mm, width_dots and dpi. font_path applies to all.
"""

from __future__ import annotations

from typing import Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = ["PrinterBackend", "PrinterConfig"]

PrinterBackend = Literal["none", "png", "pdf", "dummy", "file", "usb", "serial", "network", "cups"]


class PrinterConfig(BaseModel):
    """The receipt printer."""

    # (Spelled out in every model so the pydantic mypy plugin sees frozen=True.)
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    backend: PrinterBackend = Field(
        "none",
        description="Where receipts go: none, png or pdf (files, for development), dummy, "
        "file, usb, serial, network or cups.",
    )
    profile: str = Field(
        "default",
        min_length=1,
        description="python-escpos printer profile of the model, e.g. TM-T20II or POS-5890: "
        "its paper width in dots, resolution and whether it can cut.",
    )
    paper_mm: Literal[58, 80] = Field(
        80,
        description="Paper width, 58 or 80 (mm): 384 or 576 dots at 203 dpi. Used when the "
        "profile does not give the width.",
    )
    width_dots: int = Field(
        0,
        ge=0,
        le=2048,
        description="Printable width in dots, 0-2048; 0 = from the profile, else from paper_mm.",
    )
    dpi: int = Field(
        0, ge=0, le=600, description="Printer resolution, 0-600; 0 = the profile's, else 203."
    )
    mode: Literal["image", "text"] = Field(
        "image",
        description="image: the receipt as one picture (any ESC/POS printer). text: the "
        "printer's own font in Chinese mode, GB18030 (a printer with a Chinese font only).",
    )
    cut: Literal["full", "partial", "none"] = Field(
        "full", description="Cut after each receipt: full, partial or none (tear off)."
    )
    status_check: bool = Field(
        True,
        description="Ask the printer for paper and cover before printing and refuse when it "
        "reports a problem (the ticket is then shown on screen).",
    )
    timeout_s: float = Field(
        3.0,
        ge=0.1,
        le=60.0,
        description="Seconds to wait for a USB, serial or network printer, 0.1-60.",
    )
    output_dir: str = Field(
        "",
        description="png/pdf: directory for receipt images, relative to paths.data_dir; "
        "empty = <data_dir>/receipts.",
    )
    path: str = Field("", description="file: file or device to write to, e.g. /dev/usb/lp0.")
    usb_vendor_id: int = Field(0, ge=0, le=0xFFFF, description="usb: vendor id, e.g. 0x0416.")
    usb_product_id: int = Field(0, ge=0, le=0xFFFF, description="usb: product id, e.g. 0x5011.")
    usb_in_ep: int = Field(0x82, ge=0x81, le=0x8F, description="usb: input endpoint.")
    usb_out_ep: int = Field(0x01, ge=0x01, le=0x0F, description="usb: output endpoint.")
    serial_port: str = Field("", description="serial: port, e.g. /dev/ttyUSB0.")
    serial_baudrate: int = Field(
        9600, ge=1200, le=921600, description="serial: baud rate, 1200-921600."
    )
    host: str = Field("", description="network: host name or IP address of the printer.")
    port: int = Field(9100, ge=1, le=65535, description="network: TCP port, 1-65535.")
    cups_printer: str = Field("", description="cups: queue name; empty = the CUPS default.")
    font_path: str = Field(
        "",
        description="Font file with Chinese glyphs for receipts; empty = Noto Sans CJK SC "
        "found by fontconfig.",
    )

    @model_validator(mode="after")
    def _backend_has_its_keys(self) -> Self:
        required: dict[str, dict[str, object]] = {
            "file": {"path": self.path},
            "serial": {"serial_port": self.serial_port},
            "network": {"host": self.host},
            "usb": {"usb_vendor_id": self.usb_vendor_id, "usb_product_id": self.usb_product_id},
        }
        missing = [key for key, value in required.get(self.backend, {}).items() if not value]
        if missing:
            keys = " and ".join(f"printer.{key}" for key in missing)
            raise ValueError(f'backend "{self.backend}" needs {keys}')
        return self
