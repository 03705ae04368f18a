"""The people this user files for, one row each, with the state of their declaration.

The rows are a list of options laid out in columns under a line of column headings, rather
than a ``DataTable``: the list is on the first screen, and Textual's table cost that start
18 M instructions more (its import, its styles and its drawing) for four columns and a
cursor, which the list draws as well; the command palette has imported the list already."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import ClassVar

from rich.cells import cell_len
from rich.console import Console
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from itdeclare.journey.people import PersonRow
from itdeclare.widgets.bindings import translate_bindings
from itdeclare.widgets.columns import fitted_widths, room_for
from itdeclare.wording import tr

_COLUMNS = ("name", "relationship", "state", "redeclarations")
#: The columns whose cells may wrap onto more lines when the row is wider than the table: a
#: name and a state are words, which read well on two lines; the others are one short word.
_WRAPPING = [column in ("name", "state") for column in _COLUMNS]
#: Cells on either side of each column's text, as a table's.
CELL_PADDING = 1


class ColumnHeadings(Static):
    """The titles of the people's columns, above the rows and aligned with them."""

    DEFAULT_CSS = """
    ColumnHeadings {
        height: auto;
        text-wrap: nowrap;
        text-overflow: clip;
        margin: 0 1;
        background: $panel;
        color: $foreground;
        text-style: bold;
    }
    """

    def __init__(self) -> None:
        super().__init__("", markup=False, id="people-headings")


class PeopleTable(OptionList):
    DEFAULT_CSS = """
    PeopleTable {
        height: auto;
        text-wrap: nowrap;
        text-overflow: clip;
        margin: 0 1;
        border: none;
        padding: 0;
        &:focus { border: none; }
        & > .option-list--option { padding: 0; }
    }
    """

    #: Enter on a row files for that person; shown in the footer (the list's own is not).
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select", "File", id="home.file"),
    ]

    def __init__(self, headings: ColumnHeadings) -> None:
        super().__init__(id="people")
        self.headings = headings
        self.rows_shown: list[PersonRow] = []
        self._fitted_to = 0  # the room the columns were last fitted to
        translate_bindings(self)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "select":
            return bool(self.rows_shown)
        return True

    # Up and down stop at the first and last rows, as in a table: a list's highlight would wrap
    # round, and a key held down would pass the person looked for.
    def action_cursor_up(self) -> None:
        if self.highlighted:
            self.highlighted -= 1

    def action_cursor_down(self) -> None:
        if self.highlighted is not None and self.highlighted < len(self.rows_shown) - 1:
            self.highlighted += 1

    def on_resize(self, event: events.Resize) -> None:
        """Fit the columns to the new width (a narrower window wraps names and states); not
        again when the room is what they were fitted to (the first layout, after the rows were
        shown from the screen's width)."""
        if self.rows_shown and self._room_for_columns() != self._fitted_to:
            self.show(self.rows_shown)

    def show(self, rows: list[PersonRow], select: str | None = None) -> None:
        """Replace the rows, keeping the cursor on ``select`` (a person id) or where it was."""
        keep = select or self.selected_person_id
        self.rows_shown = rows
        cells = [
            (row.name, row.relationship_text, row.state_text, row.redeclarations_text)
            for row in rows
        ]
        # Columns as wide as their widest cell, measured in cells (CJK names are two a
        # character), then narrowed to the list's width, so no column is cut at its edge.
        labels = [tr(f"app.home.column.{column}") for column in _COLUMNS]
        self._fitted_to = self._room_for_columns()
        widths = fitted_widths(labels, cells, _WRAPPING, self._fitted_to)
        console = self.app.console
        self.headings.update(Content("\n".join(_lines(labels, widths, console))))
        # Content, not str: a str would be read as markup (a "[" in a name is text here).
        self.set_options(
            Option(Content("\n".join(_lines(cell, widths, console))), id=row.person_id)
            for row, cell in zip(rows, cells, strict=True)
        )
        ids = [row.person_id for row in rows]
        self.highlighted = ids.index(keep) if keep in ids else (0 if rows else None)

    def _room_for_columns(self) -> int:
        return room_for(self, len(_COLUMNS), cell_padding=CELL_PADDING)

    @property
    def selected_person_id(self) -> str | None:
        index = self.highlighted
        if index is None or not 0 <= index < len(self.rows_shown):
            return None
        return self.rows_shown[index].person_id


def _lines(cells: Sequence[str], widths: Sequence[int], console: Console) -> Iterator[str]:
    """A row's lines: each cell wrapped, whole words, to its column's width and padded to it."""
    wrapped = [
        [line.plain.rstrip() for line in Text(cell).wrap(console, width)]
        for cell, width in zip(cells, widths, strict=True)
    ]
    pad = " " * CELL_PADDING
    for index in range(max(len(lines) for lines in wrapped)):
        yield "".join(
            pad + _fill(lines[index] if index < len(lines) else "", width) + pad
            for lines, width in zip(wrapped, widths, strict=True)
        )


def _fill(text: str, width: int) -> str:
    return text + " " * (width - cell_len(text))
