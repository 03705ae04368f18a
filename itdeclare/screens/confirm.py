"""Yes/no questions, answered with y, n or Escape, or with the mouse."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from itdeclare.screens.base import TravellerModal
from itdeclare.widgets.footer import KeyFooter
from itdeclare.wording import tr


class YesNoModal(TravellerModal[bool]):
    """What every yes/no dialog does: a subclass declares the ``answer`` bindings and composes
    a ``#yes`` and a ``#no`` button; "no" has the focus, so a stray Enter changes nothing."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(classes="dialog", id=id)

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)

    async def show_again(self) -> None:
        await self.recompose()
        self.query_one("#no", Button).focus()


class ConfirmModal(YesNoModal):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no"),
    ]

    def __init__(self, question_key: str, **params: object) -> None:
        """Asks the catalogue's ``question_key`` (filled with ``params``)."""
        super().__init__()
        self._question_key = question_key
        self._params = params

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog--box"):
            question = tr(self._question_key, **self._params)
            yield Static(question, classes="dialog--text", markup=False)
            with Horizontal(classes="dialog--buttons"):
                yield Button(tr("app.confirm.yes"), id="yes", variant="error")
                yield Button(tr("app.confirm.no"), id="no")
        yield KeyFooter(compact=True)
