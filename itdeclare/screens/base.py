"""What every screen and dialog of the traveller app does alike (the console's is
``screens/review/base.py``): its key bindings in the interface language, its workers' unforeseen
failures told to the user, and the connection badge above the title bar."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.screen import ModalScreen, Screen
from textual.widgets import Static
from textual.worker import Worker

from itdeclare.widgets.bindings import translate_bindings
from itdeclare.widgets.failures import tell_failure
from itdeclare.widgets.journey.badge import ConnectionBadge

if TYPE_CHECKING:
    from itdeclare.journey.connection import Connection

Result = TypeVar("Result")


class TravellerScreen(Screen[Result]):
    def __init__(
        self, name: str | None = None, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        translate_bindings(self)

    @on(Worker.StateChanged)
    def _worker_changed(self, event: Worker.StateChanged) -> None:
        tell_failure(self, event)

    def heading(self, title: str, connection: Connection | None) -> ComposeResult:
        """The badge naming the backend (when there is one) and the title bar."""
        if connection is not None:
            yield ConnectionBadge(connection)
        yield Static(title, classes="title-bar", markup=False)

    async def relabel(self) -> None:
        """Show the screen again in the new language."""
        translate_bindings(self)
        await self.show_again()

    async def show_again(self) -> None:
        """Make the widgets anew; a screen that must keep more than the widgets are made from
        (the focus, a selection) says so here."""
        await self.recompose()


class TravellerModal(ModalScreen[Result], TravellerScreen[Result]):
    """A dialog of the traveller app. ``ModalScreen`` comes first, so that its styles (a
    see-through background) win over those ``TravellerScreen`` inherits from ``Screen``."""
