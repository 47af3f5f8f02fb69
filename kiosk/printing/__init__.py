"""Printed receipts for shopper submissions, with a QR code of the tracking link.

- `receipt`: what a receipt says (`Receipt`) and its layout as blocks (`layout`).
- `image`: the blocks drawn as a 1-bit image the width of the paper (`ReceiptRenderer`).
- `escpos_out`: ESC/POS jobs through python-escpos, the connections to printers.
- `imagefile`: the png/pdf development printer.
- `printer`: the `Printer` protocol, `PrinterState`, `PrintResult`.
- `config` and `backends`: the `[printer]` section and `open_printer`.

No Qt here; printing blocks, so callers run it off the GUI thread.
"""
