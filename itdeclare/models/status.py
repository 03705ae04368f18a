"""The life of a declaration: its statuses, the allowed transitions, and re-declaration."""

from __future__ import annotations

from datetime import timedelta

from itdeclare.models.enums import DeclarationStatus as S

MAX_REDECLARATIONS = 2
#: A returnee's code is shown at boarding, in transit and on arrival: it is valid until a day
#: after the flight into China lands; a chain with no code is live until then too (§2).
AFTER_ARRIVAL = timedelta(days=1)

#: Every allowed move. Cancelled and revoked are reached only through re-declaration.
TRANSITIONS: dict[S, frozenset[S]] = {
    S.PENDING_REVIEW: frozenset({S.APPROVED, S.REJECTED, S.SUPPLEMENT_REQUESTED, S.CANCELLED}),
    S.SUPPLEMENT_REQUESTED: frozenset({S.PENDING_REVIEW, S.CANCELLED, S.REJECTED}),
    S.APPROVED: frozenset({S.REVOKED, S.EXPIRED}),
    S.REJECTED: frozenset(),
    S.CANCELLED: frozenset(),
    S.REVOKED: frozenset(),
    S.EXPIRED: frozenset(),
}

#: Statuses that hold a place in the consulate's review queue.
IN_REVIEW = frozenset({S.PENDING_REVIEW, S.SUPPLEMENT_REQUESTED})


class TransitionError(ValueError):
    """A move the status machine does not allow; ``code`` names it for the API and the UI."""

    def __init__(self, current: S, target: S) -> None:
        super().__init__(f"a declaration cannot go from {current} to {target}")
        self.code = "invalid_transition"
        self.current = current
        self.target = target


class RedeclarationLimitError(ValueError):
    def __init__(self) -> None:
        super().__init__(f"a declaration may be re-declared at most {MAX_REDECLARATIONS} times")
        self.code = "redeclaration_limit"


def can_transition(current: S, target: S) -> bool:
    return target in TRANSITIONS[current]


def transition(current: S, target: S) -> S:
    if not can_transition(current, target):
        raise TransitionError(current, target)
    return target


def redeclarations_left(used: int) -> int:
    return max(0, MAX_REDECLARATIONS - used)


def replaced_status(current: S) -> S:
    """What re-declaring does to the declaration it replaces.

    A review still pending (or waiting for material) is cancelled and an issued green code is
    revoked; a declaration already rejected or expired stays as it was.
    """
    if current in IN_REVIEW:
        return S.CANCELLED
    if current is S.APPROVED:
        return S.REVOKED
    return current


def check_can_redeclare(used: int) -> None:
    if used >= MAX_REDECLARATIONS:
        raise RedeclarationLimitError
