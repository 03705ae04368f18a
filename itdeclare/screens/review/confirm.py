"""The last word before a decision is sent: yes or no."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Label

from itdeclare.client import Decision
from itdeclare.screens.review.base import ConsoleModal
from itdeclare.widgets.footer import KeyFooter
from itdeclare.widgets.review.bindings import key
from itdeclare.wording import tr

VARIANTS = {
    Decision.APPROVE: "success",
    Decision.REJECT: "error",
    Decision.REQUEST_SUPPLEMENT: "warning",
}


class ConfirmDecision(ConsoleModal[bool]):
    """Dismissed with ``True`` to send the decision."""

    BINDINGS: ClassVar[list[BindingType]] = [
        key("confirm", "y"),
        key("cancel", "n,escape"),
    ]

    def __init__(self, decision: Decision, who: str, note: str | None = None) -> None:
        super().__init__(classes="dialog-screen")
        self.decision = decision
        self.who = who
        self.note = note

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(
                tr(f"review.confirm.question.{self.decision.value}", name=self.who),
                classes="dialog-title",
                markup=False,
            )
            if self.note:
                yield Label(
                    tr(f"review.confirm.note.{self.decision.value}", note=self.note),
                    classes="quoted",
                    markup=False,
                )
            yield Label(tr("review.confirm.hint"), classes="hint")
            with Horizontal(classes="buttons"):
                yield Button(
                    tr(f"review.confirm.yes.{self.decision.value}"),
                    variant=VARIANTS[self.decision],  # type: ignore[arg-type]
                    id="yes",
                )
                yield Button(tr("review.confirm.no"), id="no")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    async def show_again(self) -> None:
        await self.recompose()
        self.query_one("#no", Button).focus()

    @on(Button.Pressed, "#yes")
    def action_confirm(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#no")
    def action_cancel(self) -> None:
        self.dismiss(False)
