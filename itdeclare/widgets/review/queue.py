"""The queue's table and the counts above it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import DataTable, Static

from itdeclare.reviewing.filters import Counts, Entry
from itdeclare.reviewing.text import short_date, waited_text
from itdeclare.wording import tr

COLUMNS = ("position", "name", "document", "departure", "waited", "status")


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


def _cells(entry: Entry, now: datetime) -> tuple[str | Text, ...]:
    position = entry.item.queue_position
    return (
        str(position + 1) if position is not None else "",
        Text(_name(entry)),
        Text(entry.document_number or tr("review.queue.loading")),
        _departure(entry),
        _waited(entry, now),
        tr(f"review.filter.status.{entry.item.status.value}"),
    )


class QueueTable(DataTable[str | Text]):
    """The declarations shown, in review order; rows are keyed by declaration id."""

    DEFAULT_CSS = """
    QueueTable { height: 1fr; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, id=id)

    def on_mount(self) -> None:
        self._add_columns({})

    def _add_columns(self, widths: dict[str, int]) -> None:
        """The columns, each as wide as its heading and the widest cell in ``widths``."""
        for key in COLUMNS:
            label = tr(f"review.queue.column.{key}")
            width = max(cell_len(label), widths.get(key, 0))
            self.add_column(label, key=key, width=width)

    @property
    def highlighted_id(self) -> str | None:
        if self.row_count == 0:
            return None
        key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key
        return key.value

    def show(self, entries: Sequence[Entry], now: datetime) -> None:
        """Show ``entries``, keeping the cursor on the same declaration when it is still there.

        The columns are sized here, to their cells: a table left to size them itself does so
        later, when idle, and a repaint in between leaves the terminal showing the cells cut to
        their headings' widths (``E1234567`` for ``E12345678``, a flight without its date)."""
        keep = self.highlighted_id
        rows = [_cells(entry, now) for entry in entries]
        widths = {
            key: max((cell_len(str(row[index])) for row in rows), default=0)
            for index, key in enumerate(COLUMNS)
        }
        self.clear(columns=True)
        self._add_columns(widths)
        for entry, cells in zip(entries, rows, strict=True):
            self.add_row(*cells, key=entry.id)
        ids = [entry.id for entry in entries]
        if keep in ids:
            self.move_cursor(row=ids.index(keep), animate=False)


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
