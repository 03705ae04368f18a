"""The people this user files for, one row each, with the state of their declaration."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.widgets import DataTable

from itdeclare.journey.people import PersonRow
from itdeclare.widgets.bindings import translate_bindings
from itdeclare.widgets.columns import fitted_widths, room_for, row_height
from itdeclare.wording import tr

_COLUMNS = ("name", "relationship", "state", "redeclarations")
#: The columns whose cells may wrap onto more lines when the row is wider than the table: a
#: name and a state are words, which read well on two lines; the others are one short word.
_WRAPPING = frozenset({"name", "state"})


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
        widths = fitted_widths(
            labels, cells, [c in _WRAPPING for c in _COLUMNS], room_for(self, len(_COLUMNS))
        )
        for column, label, width in zip(_COLUMNS, labels, widths, strict=True):
            self.add_column(Text(label), width=width, key=column)
        for row, cell in zip(rows, cells, strict=True):
            texts = list(map(Text, cell))
            self.add_row(*texts, key=row.person_id, height=row_height(self, texts, widths))
        for index, row in enumerate(rows):
            if row.person_id == keep:
                self.move_cursor(row=index)
                break

    @property
    def selected_person_id(self) -> str | None:
        if not self.rows_shown or not 0 <= self.cursor_row < len(self.rows_shown):
            return None
        return self.rows_shown[self.cursor_row].person_id
