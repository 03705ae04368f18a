"""Which backend the app talks to, in one line: local mode is marked clearly."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widgets import Static

from itdeclare.wording import tr

if TYPE_CHECKING:
    from itdeclare.journey.connection import Connection


class ConnectionBadge(Static):
    DEFAULT_CSS = """
    ConnectionBadge {
        height: 1;
        padding: 0 1;
        background: $warning-muted;
        color: $text;
        &.-remote { background: $panel; color: $text-muted; }
    }
    """

    def __init__(self, connection: Connection) -> None:
        super().__init__("", markup=False, id="connection-badge")
        self.connection = connection

    def on_mount(self) -> None:
        self.show()

    def show(self) -> None:
        """Say where the declarations go, and as whom (the phone signed in, if any)."""
        connection = self.connection
        who = (
            tr("journey.badge.signed_in", phone=connection.phone)
            if connection.signed_in and connection.phone
            else tr("journey.badge.signed_out")
        )
        if connection.is_local:
            text = tr("journey.badge.local", who=who)
        else:
            text = tr("journey.badge.remote", server=connection.server or "", who=who)
        self.set_class(not connection.is_local, "-remote")
        self.update(text)
