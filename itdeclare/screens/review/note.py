"""The reviewer's words for a rejection or a request for material: picked from a list, editable."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from itdeclare.client import Decision
from itdeclare.screens.review.base import ConsoleModal
from itdeclare.widgets.footer import KeyFooter
from itdeclare.widgets.review.bindings import key
from itdeclare.wording import tr

#: The server keeps at most this many characters of a note.
NOTE_MAX_LENGTH = 2000

#: Words offered for each decision that needs a note (catalogue ``review.reason.<decision>``).
SUGGESTIONS: dict[Decision, tuple[str, ...]] = {
    Decision.REJECT: (
        "test_window",
        "test_positive",
        "test_country",
        "document_mismatch",
        "identity_unclear",
        "itinerary",
    ),
    Decision.REQUEST_SUPPLEMENT: (
        "nucleic_report",
        "antibody_report",
        "clearer_scan",
        "document_page",
        "ticket",
        "vaccination_record",
    ),
}


class NoteModal(ConsoleModal[str | None]):
    """Dismissed with the note (stripped, never empty), or ``None`` when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [key("cancel", "escape")]

    def __init__(self, decision: Decision, who: str) -> None:
        super().__init__(classes="dialog-screen")
        self.decision = decision
        self.who = who
        self._typed = ""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(
                tr(f"review.note.title.{self.decision.value}", name=self.who),
                classes="dialog-title",
                markup=False,
            )
            yield Label(tr("review.note.hint"), classes="hint")
            yield OptionList(
                *(
                    Option(tr(f"review.reason.{self.decision.value}.{name}"), id=name)
                    for name in SUGGESTIONS[self.decision]
                ),
                id="reasons",
            )
            yield Input(
                self._typed,
                placeholder=tr(f"review.note.placeholder.{self.decision.value}"),
                max_length=NOTE_MAX_LENGTH,
                id="note",
            )
            yield Label("", id="note-error")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#reasons", OptionList).focus()

    @on(OptionList.OptionSelected, "#reasons")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        note = self.query_one("#note", Input)
        note.value = str(event.option.prompt)
        note.cursor_position = len(note.value)
        note.focus()

    @on(Input.Changed, "#note")
    def _typing(self, event: Input.Changed) -> None:
        self._typed = event.value

    @on(Input.Submitted, "#note")
    def _done(self, event: Input.Submitted) -> None:
        note = event.value.strip()
        if not note:
            self.query_one("#note-error", Label).update(tr("review.note.empty"))
            return
        self.dismiss(note)

    def action_cancel(self) -> None:
        self.dismiss(None)
