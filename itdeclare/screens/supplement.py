"""Answering the consulate's request for supplementary material: files and a reply.

Files are uploaded one after the other with a progress bar; one that is already uploaded is
not sent again when the user tries again after a failure. The reply then sends the declaration
back to review, at its place in the queue.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Label, OptionList, ProgressBar, Static, TextArea
from textual.widgets.option_list import Option

from itdeclare.screens.base import TravellerScreen
from itdeclare.widgets.footer import KeyFooter
from itdeclare.wording import error_text, follow_language, size_text, tr

if TYPE_CHECKING:
    from itdeclare.client import DeclarationDetail
    from itdeclare.journey.connection import Connection
    from itdeclare.journey.context import TravellerContext

#: The most files one reply may carry (the backend's limit).
MAX_FILES = 20


@dataclass
class Chosen:
    """A file to send, and its id on the backend once uploaded."""

    path: Path
    size: int
    attachment_id: str | None = None


@dataclass
class Reply:
    files: list[Chosen] = field(default_factory=list)
    message: str = ""


class SupplementScreen(TravellerScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+o", "add_file", "Add file", id="journey.supplement.add"),
        Binding("ctrl+r", "remove_file", "Remove", id="journey.supplement.remove"),
        Binding("ctrl+s", "send", "Send", id="journey.supplement.send"),
        Binding("escape", "back", "Back", id="journey.supplement.back"),
    ]

    def __init__(self, context: TravellerContext, detail: DeclarationDetail) -> None:
        super().__init__(id="supplement")
        assert context.connection is not None
        self.context = context
        self.connection: Connection = context.connection
        self.detail = detail
        self.reply = Reply()
        self.start_dir = Path.home()
        self.sending = False
        self._status = ""
        self._error = False
        self._asked_for_reply = False
        """The status line asks for the reply: typing one clears it."""

    def compose(self) -> ComposeResult:
        yield from self.heading(tr("journey.supplement.title"), self.connection)
        # The body scrolls with the focus, never takes it: Tab goes from the reply to the
        # files and the buttons, and back to the reply.
        with VerticalScroll(id="supplement-body", can_focus=False):
            request = self.detail.review_note or tr("journey.supplement.no_note")
            yield Static(tr("journey.supplement.request", note=request), id="supplement-request")
            yield Static(tr("journey.supplement.how"), id="supplement-how", markup=False)
            yield Label(tr("journey.supplement.reply"), classes="supplement--label")
            yield TextArea(self.reply.message, id="supplement-reply", soft_wrap=True)
            yield Label(tr("journey.supplement.files"), classes="supplement--label")
            yield OptionList(*self._file_options(), id="supplement-files")
            yield ProgressBar(total=None, show_eta=False, id="upload-progress")
            yield Static(self._status, id="supplement-status", markup=False)
            with Horizontal(classes="dialog--buttons"):
                yield Button(tr("journey.supplement.add_button"), id="add-file")
                yield Button(tr("journey.supplement.send_button"), id="send", variant="primary")
        yield KeyFooter(compact=True)

    def on_mount(self) -> None:
        self.query_one("#upload-progress", ProgressBar).display = False
        self._show_status(self._status, error=self._error)
        self.query_one("#supplement-reply", TextArea).focus()

    def _file_options(self) -> list[Option]:
        if not self.reply.files:
            return [Option(tr("journey.supplement.no_files"), id="none", disabled=True)]
        return [
            Option(
                tr(
                    "journey.supplement.file_uploaded"
                    if chosen.attachment_id
                    else "journey.supplement.file",
                    name=chosen.path.name,
                    size=size_text(chosen.size),
                ),
                id=str(index),
            )
            for index, chosen in enumerate(self.reply.files)
        ]

    def _show_files(self) -> None:
        files = self.query_one("#supplement-files", OptionList)
        files.clear_options()
        files.add_options(self._file_options())

    def _show_status(self, text: str, *, error: bool = False) -> None:
        self._status, self._error = text, error
        self._asked_for_reply = False
        status = self.query_one("#supplement-status", Static)
        status.update(text)
        status.set_class(error, "-error")

    @on(TextArea.Changed, "#supplement-reply")
    def _typed(self, event: TextArea.Changed) -> None:
        self.reply.message = event.text_area.text
        if self._asked_for_reply and self.reply.message.strip():
            self._show_status("")

    # --- files -----------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("add_file", "remove_file", "send"):
            return not self.sending
        return True

    @on(Button.Pressed, "#add-file")
    def _add_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_add_file()

    def action_add_file(self) -> None:
        from itdeclare.screens.files import FilePickerModal

        if len(self.reply.files) >= MAX_FILES:
            self.notify(tr("journey.supplement.too_many", count=MAX_FILES), severity="warning")
            return
        self.app.push_screen(FilePickerModal(self.start_dir), self._file_chosen)

    def _file_chosen(self, path: Path | None) -> None:
        if path is None:
            return
        self.start_dir = path.parent
        if any(chosen.path == path for chosen in self.reply.files):
            self.notify(tr("journey.supplement.already", name=path.name), severity="warning")
            return
        try:
            size = path.stat().st_size
        except OSError as error:
            reason = error.strerror or type(error).__name__
            self.notify(tr("journey.supplement.unreadable", name=path.name, reason=reason))
            return
        self.reply.files.append(Chosen(path, size))
        self._show_files()
        # Back to the reply, which a file does not replace (the one thing the send needs).
        self.query_one("#supplement-reply", TextArea).focus()

    def action_remove_file(self) -> None:
        files = self.query_one("#supplement-files", OptionList)
        index = files.highlighted
        if index is None or not self.reply.files or index >= len(self.reply.files):
            return
        removed = self.reply.files.pop(index)
        self._show_files()
        self.notify(tr("journey.supplement.removed", name=removed.path.name))

    # --- sending ---------------------------------------------------------------------------------

    @on(Button.Pressed, "#send")
    def _send_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_send()

    def action_send(self) -> None:
        if not self.reply.message.strip():
            self._show_status(tr("journey.supplement.reply_first"), error=True)
            self._asked_for_reply = True
            self.query_one("#supplement-reply", TextArea).focus()
            return
        self.send()

    @work(exclusive=True, group="supplement", exit_on_error=False)
    async def send(self) -> None:
        from itdeclare.journey.failures import failures

        follow_language()
        self.sending = True
        self.refresh_bindings()
        try:
            for chosen in self.reply.files:
                if chosen.attachment_id is None:
                    await self._upload(chosen)
            self._show_status(tr("journey.supplement.sending"))
            await self.connection.supplement(
                self.detail.id,
                self.reply.message.strip(),
                [chosen.attachment_id for chosen in self.reply.files if chosen.attachment_id],
            )
        except failures() as error:
            self._show_status(tr("journey.supplement.failed", reason=error_text(error)), error=True)
            return
        finally:
            self.sending = False
            self.query_one("#upload-progress", ProgressBar).display = False
            self.refresh_bindings()
        self.notify(tr("journey.supplement.sent"), timeout=10)
        self.dismiss()

    async def _upload(self, chosen: Chosen) -> None:
        bar = self.query_one("#upload-progress", ProgressBar)
        bar.display = True
        bar.update(total=max(chosen.size, 1), progress=0)
        self._show_status(tr("journey.supplement.uploading", name=chosen.path.name))

        def progress(sent: int, total: int) -> None:
            bar.update(total=max(total, 1), progress=sent)

        stored = await self.connection.upload(self.detail.id, chosen.path, progress)
        chosen.attachment_id = stored.id
        self._show_files()

    def action_back(self) -> None:
        if self.sending:
            self.notify(tr("journey.supplement.busy"), severity="warning")
            return
        self.dismiss()
