"""ESC/POS bytes from python-escpos' Dummy printer read back as a printer would, and the
connections to printers (a real TCP printer on 127.0.0.1, a closed port, python-escpos devices)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import zxingcpp
from PIL import ImageChops

from kiosk.errors import KnownError
from kiosk.printing._escpos import profile_names
from kiosk.printing.errors import PrinterError
from kiosk.printing.escpos_out import (
    CHINESE_MODE_OFF,
    CHINESE_MODE_ON,
    FRAGMENT_LINES,
    RASTER_IMAGE,
    EscposEncoder,
    EscposPrinter,
    resolve_paper,
)
from kiosk.printing.image import FontSet, Paper, ReceiptRenderer
from kiosk.printing.receipt import layout
from kiosk.printing.transports import (
    DummyTransport,
    EscposTransport,
    file_transport,
    network_transport,
    state_from_status,
)
from tests.printing.conftest import FakeNetworkPrinter, make_receipt
from tests.printing.raster import raster_bands, raster_image

FULL_CUT = b"\x1dV\x00"
PARTIAL_CUT = b"\x1dV\x01"
# Answers to DLE EOT 1, 2 and 4 from a healthy printer (fixed bits 1 and 4 set).
HEALTHY = {1: 0x12, 2: 0x12, 4: 0x12}


def decode(image: object) -> list[str]:
    return [b.text for b in zxingcpp.read_barcodes(image)]


@pytest.mark.parametrize("mm", [58, 80])
def test_image_job_is_raster_images_whose_qr_decodes_and_ends_with_a_cut(
    fonts: FontSet, mm: int
) -> None:
    paper = Paper.for_mm(mm)
    receipt = make_receipt()
    image = ReceiptRenderer(paper, fonts).render(layout(receipt)).image
    job = EscposEncoder("default", paper).image_job(image)

    assert job.startswith(b"\x1b@" + RASTER_IMAGE)
    assert job.endswith(FULL_CUT)
    bands = raster_bands(job)
    assert len(bands) == -(-image.height // FRAGMENT_LINES)
    printed = raster_image(job)
    assert printed.size == (paper.width_dots, image.height)
    assert ImageChops.difference(printed.convert("L"), image.convert("L")).getbbox() is None
    assert decode(printed) == [receipt.tracking_url]


def test_printer_prints_the_receipt_through_the_transport(fonts: FontSet) -> None:
    transport = DummyTransport()
    printer = EscposPrinter(transport, backend="dummy", paper_mm=58, fonts=fonts)
    receipt = make_receipt("complaint", language="en")

    result = printer.print_receipt(receipt)

    (job,) = transport.jobs
    assert result.ticket_no == receipt.ticket_no
    assert result.byte_count == len(job)
    assert raster_image(job).width == 384
    assert decode(raster_image(job)) == [receipt.tracking_url]
    assert job.endswith(FULL_CUT)


@pytest.mark.parametrize(("cut", "ending"), [("partial", PARTIAL_CUT), ("none", b"\x1bd\x04")])
def test_cut_modes(fonts: FontSet, cut: str, ending: bytes) -> None:
    transport = DummyTransport()
    EscposPrinter(transport, backend="dummy", cut=cut, fonts=fonts).print_receipt(make_receipt())  # type: ignore[arg-type]
    assert transport.output.endswith(ending)


def test_a_printer_without_a_cutter_only_feeds(fonts: FontSet) -> None:
    transport = DummyTransport()
    EscposPrinter(transport, backend="dummy", profile="POS-5890", fonts=fonts).print_receipt(
        make_receipt()
    )
    assert transport.output.endswith(b"\x1bd\x06")
    assert raster_image(transport.output).width == 384


@pytest.mark.parametrize("mm", [58, 80])
def test_text_job_sends_chinese_mode_and_gb18030_explicitly(mm: int) -> None:
    receipt = make_receipt()
    job = EscposEncoder("default", Paper.for_mm(mm)).text_job(layout(receipt))

    assert job.startswith(b"\x1b@" + CHINESE_MODE_ON)
    assert receipt.ticket_no.encode("ascii") in job
    assert "云汇广场".encode("gb18030") in job
    assert "请携带 Please bring".encode("gb18030") in job
    assert "□ 商品及原包装".encode("gb18030") in job
    assert "云汇广场".encode() not in job  # never UTF-8
    assert job.index(CHINESE_MODE_OFF) > job.rindex(b"\n")
    assert job.endswith(FULL_CUT)
    # The QR code is the only image, centred on the full paper width.
    (band,) = raster_bands(job)
    assert band[1].width == Paper.for_mm(mm).width_dots
    assert decode(raster_image(job)) == [receipt.tracking_url]


def test_text_job_is_deterministic() -> None:
    encoder = EscposEncoder("default", Paper.for_mm(58))
    blocks = layout(make_receipt())
    assert encoder.text_job(blocks) == encoder.text_job(blocks)


def test_text_lines_fit_the_printer_columns() -> None:
    job = EscposEncoder("default", Paper.for_mm(58)).text_job(layout(make_receipt()))
    text = job[: job.index(RASTER_IMAGE)]
    for raw_line in text.split(b"\n"):
        # Drop the commands before the text (ESC a n, GS ! n, ESC E n, FS &, ESC J n, ESC @).
        line = raw_line
        while line[:1] in (b"\x1b", b"\x1d", b"\x1c"):
            line = line[2:] if line[:2] in (b"\x1b@", b"\x1c&") else line[3:]
        shown = line.decode("gb18030")
        width = sum(1 if ord(c) < 0x80 else 2 for c in shown)
        limit = 16 if b"\x1d!\x11" in raw_line else 32
        assert width <= limit, shown


def test_image_wider_than_the_paper_is_refused(fonts: FontSet) -> None:
    image = ReceiptRenderer(Paper.for_mm(80), fonts).render(layout(make_receipt())).image
    with pytest.raises(ValueError, match="576 dots wide, paper 384"):
        EscposEncoder("default", Paper.for_mm(58)).image_job(image)


def test_paper_comes_from_config_then_profile_then_paper_width() -> None:
    assert resolve_paper("default", 58) == Paper(384, 203)
    assert resolve_paper("default", 80) == Paper(576, 203)
    assert resolve_paper("POS-5890", 80) == Paper(384, 203)
    assert resolve_paper("TM-T88V", 80) == Paper(512, 180)
    assert resolve_paper("TM-T88V", 80, width_dots=480) == Paper(480, 180)
    assert "TM-T20II" in profile_names()
    with pytest.raises(PrinterError, match="prints 384"):
        resolve_paper("POS-5890", 80, width_dots=576)


def test_unknown_profile_is_a_printer_error() -> None:
    with pytest.raises(
        PrinterError, match=r'Unknown receipt printer profile "TM-T20ii" \(did you mean TM-T20II'
    ):
        resolve_paper("TM-T20ii", 80)


# --- status --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("printer", "cause", "paper", "state"),
    [
        (b"\x12", b"\x12", b"\x12", "ok"),
        (b"\x12", b"\x12", b"\x1e", "ok"),  # paper near its end still prints
        (b"\x16", b"\x12", b"\x12", "ok"),  # drawer kick-out connector, not our business
        (b"\x1a", b"\x16", b"\x12", "cover_open"),
        (b"\x1a", b"\x32", b"\x72", "paper_out"),
        (b"\x12", b"\x12", b"\x72", "paper_out"),
        (b"\x1a", b"\x12", b"\x12", "offline"),
        (b"\x12", b"\x52", b"\x12", "offline"),  # an error occurred
        (b"", b"", b"", "unknown"),
        (b"\x12", b"\x12", b"", "unknown"),  # no answer about paper is not "paper present"
        (b"\xff", b"\x12", b"\x12", "unknown"),  # not a status byte
    ],
)
def test_status_bytes_map_to_states(printer: bytes, cause: bytes, paper: bytes, state: str) -> None:
    assert state_from_status(printer, cause, paper) == state


class SilentDevice:
    """A python-escpos-like device that takes everything and never answers."""

    def __init__(self) -> None:
        self.sent: list[bytes] = []
        self.closed = False

    def open(self) -> None:
        pass

    def close(self) -> None:
        self.closed = True

    def _raw(self, msg: bytes) -> None:
        self.sent.append(msg)

    def query_status(self, mode: bytes) -> bytes:
        self._raw(mode)
        return b""


def test_no_answer_is_unknown_and_costs_one_request() -> None:
    device = SilentDevice()
    transport = EscposTransport("silent", lambda: device, can_read=True)  # type: ignore[arg-type,return-value]
    assert transport.probe().state == "unknown"
    assert device.sent == [b"\x10\x04\x01"]
    assert device.closed


def test_python_escpos_dummy_cannot_answer_so_status_is_unknown() -> None:
    from escpos.printer import Dummy

    transport = EscposTransport("escpos dummy", Dummy, can_read=True)
    assert transport.probe().state == "unknown"


def test_silent_network_printer_is_unknown(
    network_printer: Callable[[dict[int, int] | None], FakeNetworkPrinter],
) -> None:
    server = network_printer(None)
    assert network_transport("127.0.0.1", server.port, timeout_s=0.2).probe().state == "unknown"


@pytest.mark.parametrize(
    ("replies", "state"),
    [
        (HEALTHY, "ok"),
        ({1: 0x1A, 2: 0x32, 4: 0x72}, "paper_out"),
        ({1: 0x1A, 2: 0x16, 4: 0x12}, "cover_open"),
    ],
)
def test_network_printer_status(
    network_printer: Callable[[dict[int, int] | None], FakeNetworkPrinter],
    replies: dict[int, int],
    state: str,
) -> None:
    server = network_printer(replies)
    assert network_transport("127.0.0.1", server.port, timeout_s=2).probe().state == state


def test_network_printer_gets_the_whole_job(
    fonts: FontSet, network_printer: Callable[[dict[int, int] | None], FakeNetworkPrinter]
) -> None:
    server = network_printer(HEALTHY)
    transport = network_transport("127.0.0.1", server.port, timeout_s=2)
    printer = EscposPrinter(transport, backend="network", paper_mm=80, fonts=fonts)
    receipt = make_receipt()

    result = printer.print_receipt(receipt)

    server.close()  # waits until everything sent has been read
    received = bytes(server.received)
    assert received.startswith(b"\x10\x04\x01\x10\x04\x02\x10\x04\x04")  # the status check
    job = received[9:]
    assert len(job) == result.byte_count
    assert job.endswith(FULL_CUT)
    assert decode(raster_image(job)) == [receipt.tracking_url]


def test_a_printer_out_of_paper_gets_nothing(
    fonts: FontSet, network_printer: Callable[[dict[int, int] | None], FakeNetworkPrinter]
) -> None:
    server = network_printer({1: 0x1A, 2: 0x32, 4: 0x72})
    transport = network_transport("127.0.0.1", server.port, timeout_s=2)
    printer = EscposPrinter(transport, backend="network", fonts=fonts)

    with pytest.raises(PrinterError, match="out of paper"):
        printer.print_receipt(make_receipt())
    server.close()
    assert RASTER_IMAGE not in server.received


def test_closed_port_is_a_readable_printer_error(fonts: FontSet, closed_port: int) -> None:
    transport = network_transport("127.0.0.1", closed_port, timeout_s=0.5)
    printer = EscposPrinter(transport, backend="network", check_status=False, fonts=fonts)

    with pytest.raises(PrinterError) as caught:
        printer.print_receipt(make_receipt())

    message = str(caught.value)
    assert isinstance(caught.value, KnownError)
    assert message == (
        f"The receipt printer (network printer 127.0.0.1:{closed_port}) cannot be reached: "
        "Connection refused."
    )
    assert printer.status() == "offline"


def test_file_transport_writes_the_job(fonts: FontSet, tmp_path: Path) -> None:
    target = tmp_path / "lp0"
    printer = EscposPrinter(file_transport(str(target)), backend="file", fonts=fonts)
    receipt = make_receipt()

    result = printer.print_receipt(receipt)

    job = target.read_bytes()
    assert len(job) == result.byte_count
    assert decode(raster_image(job)) == [receipt.tracking_url]
    assert printer.status() == "unknown"  # a file cannot answer


def test_file_transport_to_a_missing_directory_fails_readably(tmp_path: Path) -> None:
    transport = file_transport(str(tmp_path / "missing" / "lp0"))
    with pytest.raises(PrinterError, match=r"cannot be reached: No such file or directory\.$"):
        transport.send(b"\x1b@")
