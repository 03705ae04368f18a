"""Messages the console's screens send to the app."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from itdeclare.client import ApiError


@dataclass
class CallFailed(Message):
    """A call to the backend failed; the app says so in one place (and signs in again after a
    401)."""

    error: ApiError


@dataclass
class WorkerFailed(Message):
    """A worker failed in a way its own handling did not foresee."""

    name: str
    error: BaseException | None


@dataclass
class SignedIn(Message):
    """The reviewer is signed in: open the queue."""
