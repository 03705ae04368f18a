"""Messages of the journey screens: what a background look at the backend found."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from itdeclare.journey.snapshot import Change


@dataclass
class Refreshed(Message):
    """The backend was asked again; ``changes`` are the statuses that moved since."""

    changes: list[Change]

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, Refreshed) and not message.changes


@dataclass
class LookFailed(Message):
    """Asking the backend failed; ``text`` says why, in the user's words."""

    text: str
    signed_out: bool = False

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, LookFailed)
