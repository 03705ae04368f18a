"""Reading a QR code off a whole screen's SVG screenshot (``App.export_screenshot``), as a
phone would read it off the terminal.

Rich writes the screenshot as one background rectangle per run of cells of a colour, and one
``<text>`` per run of characters of a style, both placed on a grid of character cells. The
cells are drawn back into a picture, each cell's upper and lower half in the colour it shows
there (a half block ``▀``/``▄`` shows its text colour in one half, its background in the
other), and the picture is read with zxing-cpp. Letters are drawn as their background: only
the QR's cells matter.
"""

from __future__ import annotations

import html
import io
import re

from PIL import Image

#: Rich's cell size in the SVG (font size 20: 0.61 and 1.22 of it), and the offset of the
#: background rectangles of a line.
CHAR_WIDTH = 12.2
LINE_HEIGHT = 24.4
RECT_OFFSET = 1.5
#: Pixels per QR module (half a cell's height, a cell's width).
SCALE = 6

_CLASS_FILL = re.compile(r"\.(terminal-(?:\d+-)?r\d+)\s*\{\s*fill:\s*(#[0-9a-fA-F]{6})")
_RECT = re.compile(
    r'<rect fill="(#[0-9a-fA-F]{6})" x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" '
    r'height="[\d.]+" shape-rendering="crispEdges"/>'
)
_TEXT = re.compile(
    r'<text class="(terminal-(?:\d+-)?r\d+)" x="([\d.]+)" y="[\d.]+" textLength="[\d.]+" '
    r'clip-path="url\(#terminal-(?:\d+-)?line-(\d+)\)">([^<]*)</text>'
)

Rgb = tuple[int, int, int]


def _rgb(hex_colour: str) -> Rgb:
    value = int(hex_colour[1:], 16)
    return (value >> 16, (value >> 8) & 0xFF, value & 0xFF)


def _cell(position: str, size: float) -> int:
    return round(float(position) / size)


def cells(svg: str, size: tuple[int, int]) -> list[list[tuple[Rgb, Rgb]]]:
    """(upper, lower) colour of each cell of a ``size`` (columns, rows) screen."""
    columns, rows = size
    unset = (128, 128, 128)
    background = [[unset] * columns for _ in range(rows)]
    for fill, x, y, width in _RECT.findall(svg):
        row = _cell(str(float(y) - RECT_OFFSET), LINE_HEIGHT)
        first = _cell(x, CHAR_WIDTH)
        for column in range(first, min(first + _cell(width, CHAR_WIDTH), columns)):
            background[row][column] = _rgb(fill)
    shown = [[(colour, colour) for colour in line] for line in background]
    fills = dict(_CLASS_FILL.findall(svg))
    for style, x, line, text in _TEXT.findall(svg):
        row, first = int(line), _cell(x, CHAR_WIDTH)
        ink = _rgb(fills[style])
        for offset, character in enumerate(html.unescape(text)):
            column = first + offset
            if column >= columns:
                break
            ground = background[row][column]
            upper = ink if character in "▀█" else ground
            lower = ink if character in "▄█" else ground
            shown[row][column] = (upper, lower)
    return shown


def screen_image(svg: str, size: tuple[int, int]) -> Image.Image:
    columns, rows = size
    image = Image.new("RGB", (columns * SCALE, rows * 2 * SCALE))
    for row, line in enumerate(cells(svg, size)):
        for column, halves in enumerate(line):
            for half, colour in enumerate(halves):
                top = (row * 2 + half) * SCALE
                image.paste(colour, (column * SCALE, top, (column + 1) * SCALE, top + SCALE))
    return image


def read_from_svg(svg: str, size: tuple[int, int]) -> str:
    """The QR code's text on the screenshot (:class:`QrUnreadable` if none can be read)."""
    from itdeclare.certificate import qr

    buffer = io.BytesIO()
    screen_image(svg, size).save(buffer, format="PNG")
    return qr.read_image(buffer.getvalue())
