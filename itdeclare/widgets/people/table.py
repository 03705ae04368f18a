"""The people this user files for, one row each, with the state of their declaration."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import DataTable

from itdeclare.widgets.bindings import translate_bindings
from itdeclare.widgets.people.rows import PersonRow
from itdeclare.widgets.text import tr

_COLUMNS = ("name", "relationship", "state", "redeclarations")


class PeopleTable(DataTable[str]):
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

    def on_mount(self) -> None:
        for column in _COLUMNS:
            self.add_column(tr(f"app.home.column.{column}"), key=column)

    def show(self, rows: list[PersonRow], select: str | None = None) -> None:
        """Replace the rows, keeping the cursor on ``select`` (a person id) or where it was."""
        keep = select or self.selected_person_id
        self.clear()
        self.rows_shown = rows
        for row in rows:
            self.add_row(
                row.name,
                row.relationship_text,
                row.state_text,
                row.redeclarations_text,
                key=row.person_id,
            )
        for index, row in enumerate(rows):
            if row.person_id == keep:
                self.move_cursor(row=index)
                break

    @property
    def selected_person_id(self) -> str | None:
        if not self.rows_shown or not 0 <= self.cursor_row < len(self.rows_shown):
            return None
        return self.rows_shown[self.cursor_row].person_id
