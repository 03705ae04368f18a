"""The declaration's uploaded documents: a table, and the full metadata of the one highlighted."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import DataTable, Static

from itdeclare.client import Attachment, StatusChange
from itdeclare.reviewing.text import when
from itdeclare.widgets.review.audit import action_text
from itdeclare.wording import size_text, tr


def _step_of(attachment: Attachment, history: Sequence[StatusChange]) -> str:
    """The step that brought the file (a supplement, …), or a dash."""
    for step in history:
        if attachment.id in step.attachment_ids:
            return f"{action_text(step.action)} {when(step.at)}"
    return tr("review.none")


def _test_of(attachment: Attachment) -> str:
    """The test the file is the report of (as the fields tab numbers them), or a dash."""
    if attachment.test_index is None:
        return tr("review.none")
    return tr("review.item.test", n=attachment.test_index + 1)


def metadata_text(attachment: Attachment) -> str:
    return tr(
        "review.files.metadata",
        type=attachment.content_type,
        size=size_text(attachment.size),
        bytes=attachment.size,
        sha256=attachment.sha256,
        uploaded=when(attachment.created_at),
    )


class AttachmentList(Vertical):
    DEFAULT_CSS = """
    AttachmentList {
        height: 1fr;
        & DataTable { height: auto; max-height: 1fr; }
        & #file-info { height: auto; padding: 1 1 0 1; color: $text-muted; }
        & #file-note { height: auto; padding: 0 1; }
        & #file-note.-error { color: $text-error; }
    }
    """

    @dataclass
    class OpenRequested(Message):
        """The reviewer asked to see this attachment."""

        attachment: Attachment

    def __init__(
        self,
        attachments: Sequence[Attachment],
        history: Sequence[StatusChange],
        *,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.attachments = list(attachments)
        self.history = list(history)

    def compose(self) -> ComposeResult:
        table: DataTable[str | Text] = DataTable(cursor_type="row", zebra_stripes=True, id="files")
        for key in ("n", "test", "type", "size", "sha256", "step"):
            table.add_column(tr(f"review.files.column.{key}"), key=key)
        for index, attachment in enumerate(self.attachments):
            table.add_row(
                str(index + 1),
                _test_of(attachment),
                attachment.content_type,
                size_text(attachment.size),
                attachment.sha256[:16],
                Text(_step_of(attachment, self.history)),
                key=attachment.id,
            )
        yield table
        if not self.attachments:
            yield Static(tr("review.files.none"), id="file-info")
        else:
            yield Static(metadata_text(self.attachments[0]), id="file-info", markup=False)
        yield Static("", id="file-note", markup=False)

    @property
    def highlighted(self) -> Attachment | None:
        table = self.query_one("#files", DataTable)
        if not self.attachments or table.cursor_row < 0:
            return None
        return self.attachments[min(table.cursor_row, len(self.attachments) - 1)]

    @on(DataTable.RowHighlighted, "#files")
    def _show_metadata(self, event: DataTable.RowHighlighted) -> None:
        attachment = self.highlighted
        if attachment is not None:
            self.query_one("#file-info", Static).update(metadata_text(attachment))

    @on(DataTable.RowSelected, "#files")
    def _open(self, event: DataTable.RowSelected) -> None:
        event.stop()
        attachment = self.highlighted
        if attachment is not None:
            self.post_message(self.OpenRequested(attachment))

    def request_open(self) -> None:
        attachment = self.highlighted
        if attachment is not None:
            self.post_message(self.OpenRequested(attachment))

    def note(self, text: str, *, error: bool = False) -> None:
        """Say what became of the last opening (where the file is, why it did not open)."""
        note = self.query_one("#file-note", Static)
        note.update(text)
        note.set_class(error, "-error")
