"""Messages of the journey screens: what a background look at the backend found."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from itdeclare.journey.snapshot import Change


class Refreshed(Message):
    """The backend was asked again; ``changes`` are the statuses that moved since."""

    def __init__(self, changes: list[Change]) -> None:
        super().__init__()
        self.changes = changes

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, Refreshed) and not message.changes


class LookFailed(Message):
    """Asking the backend failed; ``text`` says why, in the user's words."""

    def __init__(self, text: str, signed_out: bool = False) -> None:
        super().__init__()
        self.text = text
        self.signed_out = signed_out

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, LookFailed)
