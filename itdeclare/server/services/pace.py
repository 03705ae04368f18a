"""How long a declaration may still wait: the consulate's recent pace of decisions × its place.

The pace is the number of decisions (approvals and rejections: what takes a declaration out of
the queue) a consulate's reviewers made over the last ``WINDOW``, so a quiet night or a lunch
break only thins it, and a burst of decisions does not make a wait look shorter than a day's
work would. With fewer than ``MIN_DECISIONS`` in the window there is too little history to
estimate from, and the estimate is ``None``. A request for supplementary material keeps the
declaration in the queue, so it is not counted.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from itdeclare.server.tables import DeclarationRow, Event

WINDOW = timedelta(hours=24)
MIN_DECISIONS = 5
DECISIONS = ("approve", "reject")


def recent_decisions(session: Session, consulate: str, now: datetime) -> int:
    """The decisions of ``consulate``'s reviewers in the ``WINDOW`` up to ``now``."""
    return int(
        session.execute(
            select(func.count())
            .select_from(Event)
            .join(DeclarationRow, DeclarationRow.id == Event.declaration_id)
            .where(
                Event.action.in_(DECISIONS),
                Event.at > now - WINDOW,
                Event.at <= now,
                Event.actor_kind == "reviewer",
                DeclarationRow.consulate == consulate,
            )
        ).scalar_one()
    )


def estimated_wait_s(decisions: int, position: int) -> int | None:
    """Seconds until a declaration with ``position`` others ahead is decided, at the pace of
    ``decisions`` per ``WINDOW``: those ahead, then its own; ``None`` with too little history."""
    if decisions < MIN_DECISIONS:
        return None
    return round((position + 1) * WINDOW.total_seconds() / decisions)
