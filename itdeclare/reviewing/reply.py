"""The traveller's answer to the reviewer's latest request for material, read off the history.

The answer is a step of the declaration's history (``supplemented``, its note the traveller's
words, its attachments the files sent with them); the console shows it beside the request, so
the reviewer reads both without opening the audit trail.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from itdeclare.client import StatusChange

REQUESTED = "request_supplement"
ANSWERED = "supplemented"


@dataclass(frozen=True, slots=True)
class Reply:
    at: datetime
    note: str | None
    files: int


def latest_reply(history: Sequence[StatusChange]) -> Reply | None:
    """The answer to the latest request for material; None when nothing was asked since the
    last answer, or the latest request is not answered yet."""
    for step in reversed(history):
        if step.action == ANSWERED:
            return Reply(step.at, step.note, len(step.attachment_ids))
        if step.action == REQUESTED:
            return None
    return None
