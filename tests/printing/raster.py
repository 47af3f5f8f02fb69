"""Read back the raster images (GS v 0) of an ESC/POS byte stream, as a printer would."""

from __future__ import annotations

from PIL import Image

GS_V_0 = b"\x1dv0"


def raster_bands(stream: bytes) -> list[tuple[int, Image.Image]]:
    """Each GS v 0 image in `stream` with its offset: bits set = ink = black pixels.

    Commands are parsed in order from the first GS v 0, skipping each image's data, so bytes
    inside an image are never mistaken for a command; other commands between images are
    skipped by searching for the next GS v 0.
    """
    bands = []
    pos = stream.find(GS_V_0)
    while pos >= 0:
        mode = stream[pos + 3]
        assert mode in (0, 48), f"normal density expected, got mode {mode}"
        x_bytes = stream[pos + 4] | stream[pos + 5] << 8
        height = stream[pos + 6] | stream[pos + 7] << 8
        start = pos + 8
        data = stream[start : start + x_bytes * height]
        assert len(data) == x_bytes * height, "raster data cut short"
        # Pillow's mode "1" packs 8 pixels per byte, MSB first, 1 = white: invert the ink bits.
        image = Image.frombytes("1", (x_bytes * 8, height), bytes(b ^ 0xFF for b in data))
        bands.append((pos, image))
        pos = stream.find(GS_V_0, start + len(data))
    return bands


def raster_image(stream: bytes) -> Image.Image:
    """All GS v 0 bands of `stream` stacked top to bottom into one image."""
    bands = [image for _, image in raster_bands(stream)]
    assert bands, "no GS v 0 image in the stream"
    width = bands[0].width
    assert all(b.width == width for b in bands), "bands of different widths"
    whole = Image.new("1", (width, sum(b.height for b in bands)), 1)
    y = 0
    for band in bands:
        whole.paste(band, (0, y))
        y += band.height
    return whole
