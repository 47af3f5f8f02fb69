"""The [printer] configuration and the printers built from it; the png and pdf files."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image
from pydantic import ValidationError

from kiosk.printing import _escpos, transports
from kiosk.printing.backends import open_printer, receipt_dir
from kiosk.printing.config import PrinterConfig
from kiosk.printing.errors import PrinterError
from kiosk.printing.escpos_out import EscposPrinter
from kiosk.printing.image import FontSet
from kiosk.printing.imagefile import ImageFilePrinter
from kiosk.printing.printer import NoPrinter
from kiosk.printing.transports import DummyTransport, LpTransport
from tests.printing.conftest import make_receipt


def config(**values: object) -> PrinterConfig:
    return PrinterConfig.model_validate(values)


def test_default_is_no_printer(tmp_path: Path) -> None:
    printer = open_printer(PrinterConfig(), data_dir=tmp_path)
    assert isinstance(printer, NoPrinter)
    assert printer.status() == "none"
    with pytest.raises(PrinterError, match="No receipt printer is configured"):
        printer.print_receipt(make_receipt())


@pytest.mark.parametrize(
    ("values", "missing"),
    [
        ({"backend": "file"}, "printer.path"),
        ({"backend": "network"}, "printer.host"),
        ({"backend": "serial"}, "printer.serial_port"),
        ({"backend": "usb", "usb_vendor_id": 0x0416}, "printer.usb_product_id"),
        ({"backend": "usb"}, "printer.usb_vendor_id and printer.usb_product_id"),
    ],
)
def test_a_backend_needs_its_keys(values: dict[str, object], missing: str) -> None:
    with pytest.raises(ValidationError, match=missing):
        config(**values)


def test_config_is_strict() -> None:
    with pytest.raises(ValidationError):
        config(backend="network", host="10.0.0.7", port="9100")
    with pytest.raises(ValidationError):
        config(paper_mm=76)
    with pytest.raises(ValidationError):
        config(backend="bluetooth")
    with pytest.raises(ValidationError):
        config(hots="10.0.0.7")


@pytest.mark.parametrize(
    ("values", "description"),
    [
        ({"backend": "network", "host": "10.0.0.7"}, "network printer 10.0.0.7:9100"),
        ({"backend": "file", "path": "/dev/usb/lp0"}, "file /dev/usb/lp0"),
        (
            {"backend": "usb", "usb_vendor_id": 0x0416, "usb_product_id": 0x5011},
            "USB printer 0416:5011",
        ),
        ({"backend": "serial", "serial_port": "/dev/ttyUSB0"}, "serial printer /dev/ttyUSB0"),
        ({"backend": "cups", "cups_printer": "receipt"}, "CUPS printer receipt"),
        ({"backend": "dummy"}, "dummy printer"),
    ],
)
def test_escpos_backends(tmp_path: Path, values: dict[str, object], description: str) -> None:
    printer = open_printer(config(**values), data_dir=tmp_path)
    assert isinstance(printer, EscposPrinter)
    assert printer.transport.description == description


def test_a_usb_printer_that_is_not_there_is_a_printer_error(tmp_path: Path, fonts: FontSet) -> None:
    """pyusb comes with the project; without libusb, or without the printer plugged in, a
    receipt fails with a PrinterError (the shopper keeps the ticket on screen), not a crash."""
    cfg = config(backend="usb", usb_vendor_id=0x0416, usb_product_id=0x5011)
    printer = open_printer(cfg, data_dir=tmp_path, fonts=fonts)
    with pytest.raises(PrinterError, match="receipt printer"):
        printer.print_receipt(make_receipt())
    assert printer.status() == "offline"


def test_usb_without_pyusb_is_a_printer_error(
    tmp_path: Path, fonts: FontSet, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        _escpos.escpos_module("printer").Usb, "is_usable", staticmethod(lambda: False)
    )
    cfg = config(backend="usb", usb_vendor_id=0x0416, usb_product_id=0x5011)
    printer = open_printer(cfg, data_dir=tmp_path, fonts=fonts)
    with pytest.raises(PrinterError, match=r"needs pyusb: install python-escpos\[usb\]"):
        printer.print_receipt(make_receipt())
    assert printer.status() == "offline"


def test_cups_without_lp_is_a_printer_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(transports.shutil, "which", lambda name: None)
    transport = LpTransport("receipt")
    with pytest.raises(PrinterError, match="needs the lp command"):
        transport.send(b"\x1b@")
    assert transport.probe().state == "offline"


def test_dummy_backend_collects_the_bytes(tmp_path: Path, fonts: FontSet) -> None:
    printer = open_printer(config(backend="dummy", paper_mm=58), data_dir=tmp_path, fonts=fonts)
    assert isinstance(printer, EscposPrinter)
    assert isinstance(printer.transport, DummyTransport)
    result = printer.print_receipt(make_receipt())
    assert result.byte_count == len(printer.transport.output) > 0
    assert printer.status() == "ok"


@pytest.mark.parametrize("mm", [58, 80])
def test_png_backend_writes_the_receipt_image(tmp_path: Path, fonts: FontSet, mm: int) -> None:
    printer = open_printer(config(backend="png", paper_mm=mm), data_dir=tmp_path, fonts=fonts)
    receipt = make_receipt()
    assert printer.status() == "ok"

    result = printer.print_receipt(receipt)

    assert result.path == tmp_path / "receipts" / f"{receipt.ticket_no}.png"
    assert result.byte_count == result.path.stat().st_size
    with Image.open(result.path) as image:
        assert image.width == {58: 384, 80: 576}[mm]
        assert image.info["dpi"] == pytest.approx((203, 203), abs=0.01)
        assert [b.text for b in zxingcpp.read_barcodes(image)] == [receipt.tracking_url]
    assert [p.name for p in result.path.parent.iterdir()] == [result.path.name]


def test_pdf_backend_writes_a_pdf_at_paper_size(tmp_path: Path, fonts: FontSet) -> None:
    cfg = config(backend="pdf", paper_mm=80, output_dir="out")
    printer = open_printer(cfg, data_dir=tmp_path, fonts=fonts)
    receipt = make_receipt()

    result = printer.print_receipt(receipt)

    assert result.path == tmp_path / "out" / f"{receipt.ticket_no}.pdf"
    data = result.path.read_bytes()
    assert data.startswith(b"%PDF-")
    media_box = re.search(rb"/MediaBox \[ 0 0 ([\d.]+) ([\d.]+) \]", data)
    assert media_box is not None
    # 576 dots at 203 dpi: 72 mm wide, in points.
    assert float(media_box[1]) == pytest.approx(576 / 203 * 72)


def test_image_backend_that_cannot_write_fails_readably(tmp_path: Path, fonts: FontSet) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    printer = open_printer(
        config(backend="png", output_dir=str(blocker / "receipts")), data_dir=tmp_path, fonts=fonts
    )
    assert isinstance(printer, ImageFilePrinter)
    assert printer.status() == "offline"
    with pytest.raises(PrinterError, match=r"^Cannot write the receipt to .*receipts"):
        printer.print_receipt(make_receipt())


def test_receipt_dir_is_relative_to_the_data_dir(tmp_path: Path) -> None:
    assert receipt_dir(PrinterConfig(), tmp_path) == tmp_path / "receipts"
    assert receipt_dir(config(output_dir="/srv/r"), tmp_path) == Path("/srv/r")
