"""Exporting a health code: PNG and SVG images of the QR, and a printable PDF page.

Blocking work (QR encoding, image drawing, disk): call it from a thread worker. Each file is
written beside its final name and moved into place, so a reader never sees half a file.

The PDF page is drawn with Pillow: the QR and the holder's lines under it, on A4 at 150 dpi.
Chinese text needs a font with Chinese glyphs; one is looked for on the system (fontconfig,
then the usual places on macOS and Windows). Without one the page is written in Latin letters
only (English labels, no Chinese name), and the caller says so.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from itdeclare.certificate import qr

if TYPE_CHECKING:
    from PIL import Image, ImageFont

#: A4 at 150 dots per inch.
PAGE_SIZE = (1240, 1754)
PAGE_DPI = 150
MARGIN = 110
#: Fonts with Chinese glyphs in the usual places of systems without fontconfig.
_CJK_CANDIDATES = (
    "/System/Library/Fonts/PingFang.ttc",
    "/System/Library/Fonts/STHeiti Light.ttc",
    "/Library/Fonts/Arial Unicode.ttf",
    "C:/Windows/Fonts/msyh.ttc",
    "C:/Windows/Fonts/simsun.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
)


@dataclass(frozen=True, slots=True)
class PageText:
    """What the PDF page says, in the user's language and in Latin letters only."""

    title: str
    lines: Sequence[str]
    latin_title: str
    latin_lines: Sequence[str]


@dataclass(frozen=True, slots=True)
class Exported:
    path: Path
    latin_only: bool = False
    """The page could not use the user's language (no font with Chinese glyphs)."""


def _write_atomically(path: Path, write: Callable[[Path], object]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=path.suffix)
    os.close(fd)
    try:
        write(Path(temporary))
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


def export_png(payload: str, path: Path) -> Exported:
    return Exported(_write_atomically(path, lambda target: qr.write_png(payload, target)))


def export_svg(payload: str, path: Path) -> Exported:
    return Exported(_write_atomically(path, lambda target: qr.write_svg(payload, target)))


def export_pdf(payload: str, text: PageText, path: Path) -> Exported:
    """One printable page: the title, the QR (at least 8 cm wide) and the holder's lines."""
    font_file = cjk_font()
    needs_cjk = not all(line.isascii() for line in (text.title, *text.lines))
    latin_only = needs_cjk and font_file is None
    title, lines = (text.latin_title, text.latin_lines) if latin_only else (text.title, text.lines)
    page = _page(payload, title, lines, font_file if needs_cjk else None)
    _write_atomically(path, lambda target: page.save(target, "PDF", resolution=PAGE_DPI))
    return Exported(path, latin_only=latin_only)


def _page(payload: str, title: str, lines: Sequence[str], font_file: str | None) -> Image.Image:
    from PIL import Image, ImageDraw

    page = Image.new("RGB", PAGE_SIZE, "white")
    draw = ImageDraw.Draw(page)
    title_font, body_font = _font(font_file, 44), _font(font_file, 30)
    draw.text((MARGIN, MARGIN), title, fill="black", font=title_font)
    code = _qr_image(payload, PAGE_SIZE[0] - 2 * MARGIN - 200)
    top = MARGIN + 90
    page.paste(code, ((PAGE_SIZE[0] - code.width) // 2, top))
    y = top + code.height + 40
    for line in lines:
        draw.text((MARGIN, y), line, fill="black", font=body_font)
        y += 46
    return page


def _qr_image(payload: str, width: int) -> Image.Image:
    """The QR as a black-on-white image as close to ``width`` pixels as whole modules allow."""
    from PIL import Image

    modules = qr.matrix(payload)
    count = len(modules)
    side = max(2, width // count) * count
    image = Image.new("1", (count, count), 1)
    image.putdata([0 if dark else 1 for row in modules for dark in row])
    image = image.resize((side, side), Image.Resampling.NEAREST)
    return image.convert("RGB")


def _font(font_file: str | None, size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    from PIL import ImageFont

    if font_file is not None:
        try:
            return ImageFont.truetype(font_file, size)
        except OSError:
            pass
    return ImageFont.load_default(size=size)


@cache
def cjk_font() -> str | None:
    """A font file with Chinese glyphs on this system, or ``None``."""
    found = _fontconfig_cjk()
    if found is not None:
        return found
    return next((path for path in _CJK_CANDIDATES if Path(path).is_file()), None)


def _fontconfig_cjk() -> str | None:
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return None
    try:
        listed = subprocess.run(
            [fc_list, ":lang=zh", "file"], capture_output=True, text=True, timeout=10, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    files = sorted(line.strip().rstrip(":") for line in listed.stdout.splitlines() if line.strip())
    return next((f for f in files if Path(f).is_file()), None)
