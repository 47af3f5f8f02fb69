"""What the rest of the kiosk sees of a receipt printer: `Printer`, its states and results.

`kiosk.printing.backends.open_printer` builds the configured one. Both methods block (a network
printer may take its timeout to answer): call them off the GUI thread. A failed print raises
`PrinterError`; the submission is already saved, so the caller shows the ticket number on screen
instead of losing it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Protocol

from kiosk.printing.errors import PrinterError
from kiosk.printing.receipt import Block

__all__ = [
    "BLOCKING_STATES",
    "Document",
    "NoPrinter",
    "PrintResult",
    "Printer",
    "PrinterState",
    "state_message",
]

# ok: ready. paper_out, cover_open: the printer says so. offline: it cannot be reached or says
# it is offline. unknown: it did not answer a status request (many cannot, e.g. over CUPS or a
# write-only device file), so printing is still worth trying. none: no printer is configured.
PrinterState = Literal["ok", "paper_out", "cover_open", "offline", "unknown", "none"]

# States in which a print would be lost: refuse it and let the caller show the ticket instead.
BLOCKING_STATES: frozenset[PrinterState] = frozenset({"paper_out", "cover_open", "offline"})


class Document(Protocol):
    """What a printer prints: a receipt (`kiosk.printing.receipt.Receipt`) or a coupon slip
    (`kiosk.printing.coupon.CouponSlip`)."""

    @property
    def ticket_no(self) -> str:
        """The job's name (a file backend's file name); a receipt's ticket number."""
        ...

    def blocks(self) -> tuple[Block, ...]:
        """The document laid out, top to bottom."""
        ...


@dataclass(frozen=True, slots=True)
class PrintResult:
    """A receipt handed over to the printer (or written to `path` by a file backend)."""

    ticket_no: str
    backend: str
    byte_count: int
    path: Path | None = None


class Printer(Protocol):
    """A receipt printer. Both calls block; neither is safe to call on the GUI thread."""

    def print_receipt(self, receipt: Document) -> PrintResult:
        """Print `receipt`, or raise PrinterError saying why not."""
        ...

    def status(self) -> PrinterState:
        """Ask the printer how it is; never raises PrinterError."""
        ...


class NoPrinter:
    """The kiosk has no receipt printer: tickets are shown on screen only."""

    def print_receipt(self, receipt: Document) -> PrintResult:
        raise PrinterError("No receipt printer is configured on this kiosk.")

    def status(self) -> PrinterState:
        return "none"


def state_message(state: PrinterState, printer: str) -> str:
    """A sentence for staff about a state that stops printing."""
    return {
        "paper_out": f"The receipt printer ({printer}) is out of paper.",
        "cover_open": f"The cover of the receipt printer ({printer}) is open.",
        "offline": f"The receipt printer ({printer}) is offline.",
        "unknown": f"The receipt printer ({printer}) does not report its state.",
        "none": "No receipt printer is configured on this kiosk.",
        "ok": f"The receipt printer ({printer}) is ready.",
    }[state]
