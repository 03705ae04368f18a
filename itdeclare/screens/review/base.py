"""What every screen and dialog of the console does alike (the traveller's is
``screens/base.py``): its key bindings in the interface language, and its workers' unforeseen
failures handed to the app, which tells the reviewer."""

from __future__ import annotations

from typing import TypeVar

from textual.screen import ModalScreen, Screen
from textual.worker import Worker, WorkerState

from itdeclare.widgets.bindings import translate_bindings
from itdeclare.widgets.review.messages import WorkerFailed

Result = TypeVar("Result")


class ConsoleScreen(Screen[Result]):
    """A screen of the console. Its workers' unforeseen failures reach the app
    (``Worker.StateChanged`` does not bubble), which tells the reviewer instead of ending with
    a traceback."""

    def __init__(
        self, name: str | None = None, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        translate_bindings(self)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR:
            self.post_message(WorkerFailed(event.worker.name, event.worker.error))

    async def relabel(self) -> None:
        """Show the screen again in the new language."""
        translate_bindings(self)
        await self.show_again()

    async def show_again(self) -> None:
        """Make the widgets anew; a screen that must restore more than the widgets are made
        from (the focus, a status line) says so here."""
        await self.recompose()


class ConsoleModal(ModalScreen[Result], ConsoleScreen[Result]):
    """A dialog of the console. ``ModalScreen`` comes first, so that its styles (a see-through
    background) win over those ``ConsoleScreen`` inherits from ``Screen``."""
