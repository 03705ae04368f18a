"""Which backend the app talks to, in one line: local mode is marked clearly.

The badge follows the connection by itself (a sign-in in a dialog or the command palette, a
session resumed or refused) and says it shortly when the full sentence does not fit the
width (80 columns)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.cells import cell_len
from textual.widgets import Static

from itdeclare.wording import tr

if TYPE_CHECKING:
    from itdeclare.journey.connection import Connection


class ConnectionBadge(Static):
    DEFAULT_CSS = """
    ConnectionBadge {
        height: auto;
        max-height: 2;
        padding: 0 1;
        background: $warning-muted;
        color: $text;
        &.-remote { background: $panel; color: $text-muted; }
    }
    """

    #: Seconds between looks at the connection (a comparison of two short texts).
    FOLLOW_EVERY = 0.5

    def __init__(self, connection: Connection) -> None:
        super().__init__("", markup=False, id="connection-badge")
        self.connection = connection
        self._shown = ""

    def on_mount(self) -> None:
        self.show()
        self.set_interval(self.FOLLOW_EVERY, self.show)

    def on_resize(self) -> None:
        self.show()

    def show(self) -> None:
        """Say where the declarations go, and as whom (the phone signed in, if any)."""
        connection = self.connection
        self.set_class(not connection.is_local, "-remote")
        text = self._text(short=False)
        width = self.content_size.width
        if width and cell_len(text) > width:
            text = self._text(short=True)
        if text != self._shown:
            self._shown = text
            self.update(text)

    def _text(self, *, short: bool) -> str:
        connection = self.connection
        who = (
            tr("journey.badge.signed_in", phone=connection.phone)
            if connection.signed_in and connection.phone
            else tr("journey.badge.signed_out")
        )
        if connection.is_local:
            return tr("journey.badge.local_short" if short else "journey.badge.local", who=who)
        key = "journey.badge.remote_short" if short else "journey.badge.remote"
        return tr(key, server=connection.server or "", who=who)
