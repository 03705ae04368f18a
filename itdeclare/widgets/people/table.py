"""The people this user files for, one row each, with the state of their declaration."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.widgets import DataTable

from itdeclare.journey.people import PersonRow
from itdeclare.widgets.bindings import translate_bindings
from itdeclare.wording import tr

_COLUMNS = ("name", "relationship", "state", "redeclarations")
#: The columns whose cells may wrap onto more lines when the row is wider than the table: a
#: name and a state are words, which read well on two lines; the others are one short word.
_WRAPPING = frozenset({"name", "state"})


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


def _longest_word(text: str) -> int:
    return max((cell_len(word) for word in text.split()), default=0)


class PeopleTable(DataTable[Text]):
    DEFAULT_CSS = """
    PeopleTable {
        height: auto;
        margin: 0 1;
    }
    """

    #: Enter on a row files for that person; shown in the footer (the table's own is not).
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "File", id="home.file"),
    ]

    def __init__(self) -> None:
        super().__init__(id="people", cursor_type="row", zebra_stripes=True)
        self.rows_shown: list[PersonRow] = []
        translate_bindings(self)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "select_cursor":
            return bool(self.rows_shown)
        return True

    def on_resize(self, event: events.Resize) -> None:
        """Fit the columns to the new width (a narrower window wraps names and states)."""
        if self.rows_shown:
            self.show(self.rows_shown)

    def show(self, rows: list[PersonRow], select: str | None = None) -> None:
        """Replace the rows, keeping the cursor on ``select`` (a person id) or where it was."""
        keep = select or self.selected_person_id
        self.clear(columns=True)
        self.rows_shown = rows
        cells = [
            (row.name, row.relationship_text, row.state_text, row.redeclarations_text)
            for row in rows
        ]
        # Columns as wide as their widest cell, measured here rather than when the table is
        # next idle, so that the first paint is right (and CJK names measure in cells); then
        # narrowed to the table's width, so no column is cut at the window's edge.
        # Rich Text, not str: a str would be read as markup (a "[" in a name is text here).
        labels = [tr(f"app.home.column.{column}") for column in _COLUMNS]
        natural = [
            max([cell_len(label)] + [cell_len(cell[index]) for cell in cells])
            for index, label in enumerate(labels)
        ]
        # A column is never narrower than its title or its longest word: a word cut in two
        # ("supplementar / y") reads worse than a table that scrolls.
        floors = [
            min(width, max([cell_len(label)] + [_longest_word(cell[index]) for cell in cells]))
            for index, (width, label) in enumerate(zip(natural, labels, strict=True))
        ]
        widths = fit_widths(natural, [c in _WRAPPING for c in _COLUMNS], floors, self._room())
        for column, label, width in zip(_COLUMNS, labels, widths, strict=True):
            self.add_column(Text(label), width=width, key=column)
        for row, cell in zip(rows, cells, strict=True):
            texts = list(map(Text, cell))
            self.add_row(*texts, key=row.person_id, height=self._height(texts, widths))
        for index, row in enumerate(rows):
            if row.person_id == keep:
                self.move_cursor(row=index)
                break

    def _room(self) -> int:
        """The cells the columns' text may take: the table's width less each column's padding
        (before the first layout, the screen's width less the table's margins)."""
        width = self.scrollable_content_region.width
        if not width:
            width = (self.screen.size.width or self.app.size.width) - self.styles.gutter.width
        return width - 2 * self.cell_padding * len(_COLUMNS)

    def _height(self, cells: list[Text], widths: list[int]) -> int:
        """The lines the row needs, its longest cell wrapped to its column's width."""
        console = self.app.console
        return max(
            len(cell.wrap(console, width)) for cell, width in zip(cells, widths, strict=True)
        )

    @property
    def selected_person_id(self) -> str | None:
        if not self.rows_shown or not 0 <= self.cursor_row < len(self.rows_shown):
            return None
        return self.rows_shown[self.cursor_row].person_id
