"""QR codes of health codes: terminal rows, PNG and SVG files, and reading one from a picture.

The terminal rendering packs two modules into each character cell with Unicode half blocks
(``▀``, ``▄``, ``█``, space) and keeps the 4-module quiet zone the QR standard asks for; a
window short of rows may ask for less above and below (:data:`MIN_QUIET_ZONE`). A dark
module is drawn in the *foreground* colour: callers must style the rows black on white (the
TUI does; :func:`terminal_text` adds the ANSI colours for a plain terminal), so the code reads
the same on light and dark terminal themes.

Error correction is level Q (25 % of the code may be damaged or covered), as for printed and
screenshotted health codes. ``qrcode`` and ``zxingcpp`` are imported inside the functions: the
TUI imports this module only when it shows a code.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from itdeclare import i18n
from itdeclare.certificate import errors

if TYPE_CHECKING:
    import qrcode

QUIET_ZONE = 4
#: The least quiet zone above and below a code drawn in a short window: phone scanners and
#: zxing-cpp read a code with two blank modules around it; the sides keep all four.
MIN_QUIET_ZONE = 2
_HALF_BLOCKS = {(False, False): " ", (True, False): "▀", (False, True): "▄", (True, True): "█"}
_ANSI_BLACK_ON_WHITE = "\x1b[30;107m"
_ANSI_RESET = "\x1b[0m"


def _code(payload: str, border: int = QUIET_ZONE) -> qrcode.QRCode[Any]:
    """The QR code of ``payload``, or :class:`errors.QrTooLarge` when no version holds it."""
    import qrcode
    from qrcode.exceptions import DataOverflowError

    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_Q, border=border)
    code.add_data(payload, optimize=0)
    try:
        code.make(fit=True)
    except (DataOverflowError, ValueError):  # past version 40, qrcode says "Invalid version"
        raise errors.QrTooLarge(characters=len(payload)) from None
    return code


def version(payload: str) -> int:
    """The QR version (1-40) ``payload`` needs at error-correction level Q (every code the
    backend signs needs 25 or less: DESIGN.md §4.3)."""
    return int(_code(payload).version)


def matrix(payload: str, border: int = QUIET_ZONE) -> list[list[bool]]:
    """The modules, with ``border`` blank modules around them, True for dark."""
    return [list(row) for row in _code(payload, border).get_matrix()]


def terminal_lines(payload: str) -> list[str]:
    """Half-block rows (quiet zone included), to be shown black on white."""
    return half_block_lines(matrix(payload, border=0))


def half_block_lines(
    bare: list[list[bool]], quiet_rows: int = QUIET_ZONE, quiet_columns: int = QUIET_ZONE
) -> list[str]:
    """Half-block rows of the modules ``bare`` (no quiet zone), with ``quiet_rows`` blank
    modules above and below and ``quiet_columns`` either side."""
    width = len(bare[0]) + 2 * quiet_columns
    side = [False] * quiet_columns
    modules = [[False] * width for _ in range(quiet_rows)]
    modules += [side + row + side for row in bare]
    below = quiet_rows + (len(bare) % 2)  # an odd count leaves a half row: blank
    modules += [[False] * width for _ in range(below)]
    return [
        "".join(_HALF_BLOCKS[pair] for pair in zip(top, bottom, strict=True))
        for top, bottom in zip(modules[::2], modules[1::2], strict=True)
    ]


def terminal_text(payload: str) -> str:
    """The rows with ANSI black-on-white colours, for printing to a terminal."""
    return "\n".join(
        f"{_ANSI_BLACK_ON_WHITE}{line}{_ANSI_RESET}" for line in terminal_lines(payload)
    )


def qr_size(payload: str) -> tuple[int, int]:
    """(columns, rows) that :func:`terminal_lines` needs, quiet zone included."""
    side = _code(payload).modules_count + 2 * QUIET_ZONE
    return side, (side + 1) // 2


def write_png(payload: str, path: Path, box_size: int = 8) -> Path:
    code = _code(payload)
    code.box_size = box_size
    image = code.make_image(fill_color="black", back_color="white")
    image.save(str(path))
    return path


def write_svg(payload: str, path: Path) -> Path:
    from qrcode.image.svg import SvgPathFillImage

    image = _code(payload).make_image(image_factory=SvgPathFillImage)
    image.save(str(path))
    return path


#: The pictures a QR is read from (what phones' screenshots and cameras save).
READABLE_FORMATS = ("PNG", "JPEG")


class ImageTooLarge(errors.QrUnreadable):
    """The picture says it has more pixels than Pillow decodes without suspicion (about 89
    million): a decompression bomb, a few bytes that would unpack into gigabytes. No photo
    or screenshot of a code comes near it."""

    code = "image_too_large"

    def message(self, language: i18n.Language | None = None) -> str:
        # in cli.toml, with the other reasons a file given cannot be read
        return i18n.t("cli.image_too_large", language, **self.params)


def read_image(source: Path | bytes | BinaryIO) -> str:
    """The text of the QR code in a PNG or JPEG picture: a file, its bytes or a file open for
    reading. Any other kind of file (an SVG, a PDF) raises
    :class:`errors.ImageFormatUnsupported`, one too large to decode :class:`ImageTooLarge`.
    A picture of several different codes raises :class:`errors.QrSeveralCodes`: which one the
    reader finds first is chance, and judging that one would pass over the others."""
    import io
    import warnings

    import zxingcpp
    from PIL import Image, UnidentifiedImageError

    stream: Path | BinaryIO
    if isinstance(source, bytes):
        name, stream = "image", io.BytesIO(source)
    else:
        name, stream = str(source if isinstance(source, Path) else source.name), source
    try:
        # Pillow only warns of a bomb up to twice its limit, and would then decode it: the
        # warning is made an error, so no picture past the limit is decoded and nothing
        # unasked-for is printed. (catch_warnings swaps the process's filters: another
        # thread's warning meanwhile meets the same ones plus this, which only Pillow's matches.)
        with (
            warnings.catch_warnings(action="error", category=Image.DecompressionBombWarning),
            Image.open(stream, formats=READABLE_FORMATS) as image,
        ):
            results = zxingcpp.read_barcodes(
                image.convert("L"), formats=zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
            )
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        millions = (Image.MAX_IMAGE_PIXELS or 0) // 1_000_000
        raise ImageTooLarge(path=name, millions=millions) from None
    except UnidentifiedImageError:
        raise errors.ImageFormatUnsupported(path=name) from None
    except (OSError, ValueError, SyntaxError, IndexError):  # Pillow's, for a damaged picture
        raise errors.QrUnreadable(path=name) from None
    # the same code found twice (printed twice, or read twice) is one code
    texts = list(dict.fromkeys(result.text for result in results if result.valid and result.text))
    if not texts:
        raise errors.QrUnreadable(path=name)
    if len(texts) > 1:
        raise errors.QrSeveralCodes(path=name, count=len(texts))
    return texts[0]
