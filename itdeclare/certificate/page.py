"""A printable page of a health code: a vector PDF with the QR and the holder's lines.

The text is real text (searchable, copyable, sharp at any zoom) set in Noto Sans SC, which has
both Latin and Chinese glyphs and ships with the install (``pylopdf-fonts-zh-cn``, SIL Open
Font License 1.1, which allows embedding); only the glyphs the page uses are embedded. The QR
is drawn as filled rectangles, one per run of dark modules in a row, so it prints crisp.

``fpdf`` and the font package are imported inside :func:`write_pdf`: the TUI loads them only
when the user exports a page.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from itdeclare.certificate import qr

if TYPE_CHECKING:
    from fpdf import FPDF

#: A4, in millimetres.
PAGE_WIDTH = 210.0
MARGIN = 20.0
#: The QR's side: wide enough for any phone or scanner at arm's length, well inside the margins.
QR_SIDE = 110.0
TITLE_SIZE = 18.0
BODY_SIZE = 12.0
#: Line height as a multiple of the font size (in points, 1 pt = 0.3528 mm).
LEADING = 1.5
_POINT = 25.4 / 72
_FONT = "NotoSansSC"
_PDF_LANGUAGE = {"zh": "zh-CN", "en": "en"}


def write_pdf(
    payload: str,
    title: str,
    lines: Sequence[str],
    target: Path,
    language: Literal["zh", "en"] = "en",
) -> None:
    """Write an A4 page to ``target``: ``title``, the QR of ``payload``, then ``lines``.

    Lines longer than the text width wrap inside the margins (between words, or between
    characters where there are no spaces, as in Chinese)."""
    pdf = _document(title, language)
    _write_title(pdf, title)
    _draw_qr(pdf, payload)
    _write_lines(pdf, lines)
    pdf.output(str(target))


def _document(title: str, language: Literal["zh", "en"]) -> FPDF:
    from fpdf import FPDF
    from pylopdf_fonts_zh_cn import sans_path

    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(auto=True, margin=MARGIN)
    pdf.set_title(title)
    pdf.set_creator("itdeclare")
    pdf.set_lang(_PDF_LANGUAGE[language])
    pdf.add_font(_FONT, fname=str(sans_path()))
    pdf.add_page()
    return pdf


def _write_title(pdf: FPDF, title: str) -> None:
    pdf.set_font(_FONT, size=TITLE_SIZE)
    pdf.multi_cell(w=0, h=TITLE_SIZE * _POINT * LEADING, text=title, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)


def _draw_qr(pdf: FPDF, payload: str) -> None:
    """The QR centred under the title, quiet zone included, black on the white page."""
    modules = qr.matrix(payload)
    module = QR_SIDE / len(modules)
    left = (PAGE_WIDTH - QR_SIDE) / 2
    top = pdf.get_y()
    pdf.set_fill_color(0, 0, 0)
    for row_index, row in enumerate(modules):
        for start, length in _dark_runs(row):
            pdf.rect(
                left + start * module, top + row_index * module, length * module, module, style="F"
            )
    pdf.set_y(top + QR_SIDE + 6)


def _dark_runs(row: Sequence[bool]) -> Iterator[tuple[int, int]]:
    """(first column, length) of each run of dark modules in ``row``."""
    start = None
    for column, dark in enumerate((*row, False)):
        if dark and start is None:
            start = column
        elif not dark and start is not None:
            yield start, column - start
            start = None


def _write_lines(pdf: FPDF, lines: Sequence[str]) -> None:
    pdf.set_font(_FONT, size=BODY_SIZE)
    for line in lines:
        pdf.multi_cell(
            w=0, h=BODY_SIZE * _POINT * LEADING, text=line, new_x="LMARGIN", new_y="NEXT"
        )
