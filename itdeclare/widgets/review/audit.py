"""The audit trail: every step of the declaration's life, who took it and what they wrote."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from rich.text import Text
from textual import events
from textual.widgets import DataTable

from itdeclare.client import StatusChange
from itdeclare.i18n import has_text
from itdeclare.reviewing.text import short_date, value_text
from itdeclare.widgets.columns import fitted_widths, room_for, row_height
from itdeclare.wording import tr

_COLUMNS = ("at", "action", "status", "actor", "note", "files")
#: Words that read well on two lines; the time and the count of files stay on one.
_WRAPPING = tuple(key in {"action", "status", "actor", "note"} for key in _COLUMNS)


def step_time(at: datetime | None, now: datetime | None = None) -> str:
    """``3 Dec 14:05`` / ``12月3日 14:05`` in the reviewer's own time zone, with the year only
    when it is not this year: a full timestamp with its zone took 30 cells of an 80-cell row."""
    if at is None:
        return tr("review.none")
    local = at.astimezone() if at.tzinfo else at
    today = now or datetime.now(local.tzinfo)
    day = short_date(local.date())
    if local.year != today.year:
        day = f"{local.year}年{day}" if "月" in day else f"{day} {local.year}"
    return f"{day} {local.hour:02d}:{local.minute:02d}"


def action_text(action: str | None) -> str:
    """``request_supplement`` → ``asked for material``; an action this console does not know
    yet is shown as the server named it."""
    if not action:
        return tr("review.none")
    key = f"review.action.{action}"
    return tr(key) if has_text(key) else action


#: Hex digits of an account's id shown: enough to tell the accounts of one trail apart, where
#: the whole 32 took a column of their own and pushed the last titles off an 80-cell row.
_SHOWN_ID = 8


def actor_text(step: StatusChange) -> str:
    kind = step.actor or "system"
    key = f"review.actor.{kind}"
    name = tr(key) if has_text(key) else kind
    if not step.actor_id:
        return name
    shown = step.actor_id
    if len(shown) > _SHOWN_ID:
        shown = f"{shown[:_SHOWN_ID]}…"
    return f"{name} {shown}"


class AuditTrail(DataTable[Text]):
    DEFAULT_CSS = """
    AuditTrail { height: 1fr; }
    """

    def __init__(self, history: Sequence[StatusChange], *, id: str | None = None) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, id=id)
        self.history = list(history)

    def on_mount(self) -> None:
        self._fill()

    def on_resize(self, event: events.Resize) -> None:
        """Fit the columns to the new width (a narrower window wraps notes onto more lines)."""
        self._fill()

    def _fill(self) -> None:
        """Columns fitted to the table's width, long notes wrapped on whole words, each row as
        tall as its longest wrapped cell."""
        rows = [_cells(step) for step in self.history]
        labels = [tr(f"review.audit.column.{key}") for key in _COLUMNS]
        room = room_for(self, len(_COLUMNS), cell_padding=self.cell_padding, scrolls=True)
        widths = fitted_widths(labels, rows, _WRAPPING, room)
        keep = self.cursor_row
        self.clear(columns=True)
        for key, label, width in zip(_COLUMNS, labels, widths, strict=True):
            self.add_column(Text(label), key=key, width=width)
        # Rich Text, not str: a note's "[" is text here, not markup.
        for cells in rows:
            texts = [Text(cell) for cell in cells]
            self.add_row(*texts, height=row_height(self, texts, widths))
        if 0 <= keep < len(rows):
            self.move_cursor(row=keep, animate=False)


def _cells(step: StatusChange) -> tuple[str, ...]:
    return (
        step_time(step.at),
        action_text(step.action),
        value_text(step.status),
        actor_text(step),
        step.note or "",
        str(len(step.attachment_ids)) if step.attachment_ids else "",
    )
