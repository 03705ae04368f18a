"""Reading a QR code off the terminal, as a phone would from the screen.

The QR widget's rendered lines (what the terminal is sent) are drawn into an image, one pixel
block per half character cell, in the colours each cell was given, and read with zxing-cpp.
"""

from __future__ import annotations

import io

from PIL import Image
from rich.color import Color
from textual.geometry import Region
from textual.widget import Widget

#: Pixels per module.
SCALE = 6


def _rgb(color: Color | None) -> tuple[int, int, int]:
    assert color is not None, "a QR cell without an explicit colour"
    triplet = color.get_truecolor()
    return (triplet.red, triplet.green, triplet.blue)


def screen_image(widget: Widget) -> Image.Image:
    """The widget as shown: each cell's upper and lower half in the colour it shows there."""
    width, height = widget.size
    strips = widget.render_lines(Region(0, 0, width, height))
    image = Image.new("RGB", (width * SCALE, height * 2 * SCALE), (128, 128, 128))
    for row, strip in enumerate(strips):
        column = 0
        for segment in strip:
            style = segment.style
            assert style is not None
            foreground, background = _rgb(style.color), _rgb(style.bgcolor)
            for character in segment.text:
                top = foreground if character in "▀█" else background
                bottom = foreground if character in "▄█" else background
                for half, colour in ((0, top), (1, bottom)):
                    box = (
                        column * SCALE,
                        (row * 2 + half) * SCALE,
                        (column + 1) * SCALE,
                        (row * 2 + half + 1) * SCALE,
                    )
                    image.paste(colour, box)
                column += 1
    return image


def read_from_screen(widget: Widget) -> str:
    from itdeclare.certificate import qr

    buffer = io.BytesIO()
    screen_image(widget).save(buffer, format="PNG")
    return qr.read_image(buffer.getvalue())


def colours_used(widget: Widget) -> set[tuple[tuple[int, int, int], tuple[int, int, int]]]:
    width, height = widget.size
    return {
        (_rgb(segment.style.color), _rgb(segment.style.bgcolor))
        for strip in widget.render_lines(Region(0, 0, width, height))
        for segment in strip
        if segment.style is not None
    }
