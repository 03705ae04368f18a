"""The queue's table and the counts above it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from rich.text import Text
from textual import events
from textual.widgets import DataTable, Static

from itdeclare.reviewing.filters import Counts, Entry
from itdeclare.reviewing.text import short_date, waited_text
from itdeclare.widgets.columns import fitted_widths, room_for, row_height
from itdeclare.wording import tr

COLUMNS = ("position", "name", "document", "departure", "waited", "status")
#: The columns that may wrap, whole words, when the row is wider than the table: a name, a
#: flight and its day, and a status read well on two lines; a number or a document does not.
_WRAPPING = tuple(key in {"name", "departure", "status"} for key in COLUMNS)


def _name(entry: Entry) -> str:
    name = entry.item.name or ""
    chinese = entry.declaration.subject.chinese_name if entry.declaration else None
    return f"{name} {chinese}" if chinese else name


def _departure(entry: Entry) -> str:
    day = entry.departure_day()
    if entry.declaration is None or day is None:
        return tr("review.queue.loading")
    return f"{entry.declaration.entry_leg.flight} {short_date(day)}"


def _waited(entry: Entry, now: datetime) -> str:
    submitted = entry.item.submitted_at
    return waited_text((now - submitted).total_seconds()) if submitted else tr("review.none")


def _cells(entry: Entry, now: datetime) -> tuple[str, ...]:
    position = entry.item.queue_position
    return (
        str(position + 1) if position is not None else "",
        _name(entry),
        entry.document_number or tr("review.queue.loading"),
        _departure(entry),
        _waited(entry, now),
        tr(f"review.filter.status.{entry.item.status.value}"),
    )


class QueueTable(DataTable[Text]):
    """The declarations shown, in review order; rows are keyed by declaration id."""

    DEFAULT_CSS = """
    QueueTable { height: 1fr; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, id=id)
        self._shown: tuple[Sequence[Entry], datetime] | None = None

    def on_mount(self) -> None:
        self._fill([], [])

    def on_resize(self, event: events.Resize) -> None:
        """Fit the columns to the new width (a narrower window wraps names and statuses)."""
        if self._shown is not None:
            self.show(*self._shown)

    @property
    def highlighted_id(self) -> str | None:
        if self.row_count == 0:
            return None
        key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key
        return key.value

    def show(self, entries: Sequence[Entry], now: datetime) -> None:
        """Show ``entries``, keeping the cursor on the same declaration when it is still there.

        The columns are sized here, to their cells and the table's width: a table left to size
        them itself does so later, when idle, and a repaint in between leaves the terminal
        showing the cells cut to their headings' widths (``E1234567`` for ``E12345678``)."""
        keep = self.highlighted_id
        self._shown = (entries, now)
        self._fill(entries, [_cells(entry, now) for entry in entries])
        ids = [entry.id for entry in entries]
        if keep in ids:
            self.move_cursor(row=ids.index(keep), animate=False)

    def _fill(self, entries: Sequence[Entry], rows: list[tuple[str, ...]]) -> None:
        """Columns fitted to the table's width (long cells wrap, whole words), then the rows,
        each as tall as its longest wrapped cell."""
        labels = [tr(f"review.queue.column.{key}") for key in COLUMNS]
        room = room_for(self, len(COLUMNS), cell_padding=self.cell_padding, scrolls=True)
        widths = fitted_widths(labels, rows, _WRAPPING, room)
        self.clear(columns=True)
        for key, label, width in zip(COLUMNS, labels, widths, strict=True):
            self.add_column(Text(label), key=key, width=width)
        # Rich Text, not str: a str would be read as markup (a "[" in a name is text here).
        for entry, cells in zip(entries, rows, strict=True):
            texts = [Text(cell) for cell in cells]
            self.add_row(*texts, key=entry.id, height=row_height(self, texts, widths))


class CountsBar(Static):
    DEFAULT_CSS = """
    CountsBar { height: 1; padding: 0 1; color: $text-muted; }
    """

    def show(self, counts: Counts) -> None:
        text = tr(
            "review.queue.counts",
            total=counts.total,
            pending=counts.pending,
            supplement=counts.supplement,
            shown=counts.shown,
        )
        if counts.loaded < counts.total:
            text += tr("review.queue.loading_details", loaded=counts.loaded, total=counts.total)
        self.update(text)
