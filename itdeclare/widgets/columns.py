"""A table's columns fitted to its width: long cells wrap, whole words, onto more lines.

Shared by the traveller's people list and the reviewer's queue and audit trail, so that no
column is cut at the window's edge behind a horizontal scrollbar at 80 columns."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual.scroll_view import ScrollView
from textual.widgets import DataTable


def fit_widths(
    natural: Sequence[int], wrapping: Sequence[bool], floors: Sequence[int], room: int
) -> list[int]:
    """Column widths that fit ``room`` cells: the widest wrapping column is narrowed first, one
    cell at a time, never below its floor. Widths that cannot fit stay at their floors."""
    widths = list(natural)
    while sum(widths) > room:
        narrowable = [i for i, wraps in enumerate(wrapping) if wraps and widths[i] > floors[i]]
        if not narrowable:
            break
        widest = max(narrowable, key=lambda i: widths[i])
        widths[widest] -= 1
    return widths


def longest_word(text: str) -> int:
    return max((cell_len(word) for word in text.split()), default=0)


def fitted_widths(
    labels: Sequence[str], rows: Sequence[Sequence[str]], wrapping: Sequence[bool], room: int
) -> list[int]:
    """Each column as wide as its widest cell, then narrowed to ``room``; never narrower than its
    title or its longest word (a word cut in two reads worse than a table that scrolls)."""
    natural = [
        max([cell_len(label)] + [cell_len(row[index]) for row in rows])
        for index, label in enumerate(labels)
    ]
    floors = [
        min(width, max([cell_len(label)] + [longest_word(row[index]) for row in rows]))
        for index, (width, label) in enumerate(zip(natural, labels, strict=True))
    ]
    return fit_widths(natural, wrapping, floors, room)


def room_for(table: ScrollView, columns: int, *, cell_padding: int, scrolls: bool = False) -> int:
    """The cells the columns' text may take: the table's width less ``cell_padding`` on either
    side of each column (before the first layout, the screen's width less the table's margins).
    A table that ``scrolls`` keeps room for its vertical scrollbar, which may appear when rows
    are added."""
    width = table.scrollable_content_region.width
    if not width:
        width = (table.screen.size.width or table.app.size.width) - table.styles.gutter.width
    if scrolls and not table.show_vertical_scrollbar:
        width -= table.styles.scrollbar_size_vertical
    return width - 2 * cell_padding * columns


def row_height(table: DataTable[Any], cells: Sequence[Text], widths: Sequence[int]) -> int:
    """The lines a row needs, its longest cell wrapped to its column's width."""
    console = table.app.console
    return max(len(cell.wrap(console, width)) for cell, width in zip(cells, widths, strict=True))
