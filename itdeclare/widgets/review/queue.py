"""The queue's table and the counts above it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

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


class QueueTable(DataTable[str | Text]):
    """The declarations shown, in review order; rows are keyed by declaration id."""

    DEFAULT_CSS = """
    QueueTable { height: 1fr; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, id=id)

    def on_mount(self) -> None:
        for key in COLUMNS:
            self.add_column(tr(f"review.queue.column.{key}"), key=key)

    @property
    def highlighted_id(self) -> str | None:
        if self.row_count == 0:
            return None
        key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key
        return key.value

    def show(self, entries: Sequence[Entry], now: datetime) -> None:
        """Show ``entries``, keeping the cursor on the same declaration when it is still there."""
        keep = self.highlighted_id
        self.clear()
        for entry in entries:
            position = entry.item.queue_position
            self.add_row(
                str(position + 1) if position is not None else "",
                Text(_name(entry)),
                Text(entry.document_number or tr("review.queue.loading")),
                _departure(entry),
                _waited(entry, now),
                tr(f"review.filter.status.{entry.item.status.value}"),
                key=entry.id,
            )
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
