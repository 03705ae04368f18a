"""The status machine and the re-declaration limit."""

from __future__ import annotations

import itertools

import pytest

from itdeclare.models import DeclarationStatus as S
from itdeclare.models import status

ALLOWED = {
    (S.PENDING_REVIEW, S.APPROVED),
    (S.PENDING_REVIEW, S.REJECTED),
    (S.PENDING_REVIEW, S.SUPPLEMENT_REQUESTED),
    (S.PENDING_REVIEW, S.CANCELLED),
    (S.SUPPLEMENT_REQUESTED, S.PENDING_REVIEW),
    (S.SUPPLEMENT_REQUESTED, S.CANCELLED),
    (S.SUPPLEMENT_REQUESTED, S.REJECTED),
    (S.APPROVED, S.REVOKED),
    (S.APPROVED, S.EXPIRED),
}


def test_status_values_are_the_api_spellings() -> None:
    assert [s.value for s in S] == [
        "pending_review",
        "supplement_requested",
        "approved",
        "rejected",
        "cancelled",
        "revoked",
        "expired",
    ]


@pytest.mark.parametrize(("current", "target"), list(itertools.product(S, S)))
def test_every_transition(current: S, target: S) -> None:
    allowed = (current, target) in ALLOWED
    assert status.can_transition(current, target) is allowed
    if allowed:
        assert status.transition(current, target) is target
    else:
        with pytest.raises(status.TransitionError) as raised:
            status.transition(current, target)
        assert raised.value.code == "invalid_transition"
        assert (raised.value.current, raised.value.target) == (current, target)


@pytest.mark.parametrize("final", [S.REJECTED, S.CANCELLED, S.REVOKED, S.EXPIRED])
def test_final_statuses_go_nowhere(final: S) -> None:
    assert status.TRANSITIONS[final] == frozenset()


def test_review_holds_a_queue_place() -> None:
    assert frozenset({S.PENDING_REVIEW, S.SUPPLEMENT_REQUESTED}) == status.IN_REVIEW


@pytest.mark.parametrize(
    ("current", "after"),
    [
        (S.PENDING_REVIEW, S.CANCELLED),
        (S.SUPPLEMENT_REQUESTED, S.CANCELLED),
        (S.APPROVED, S.REVOKED),
        (S.REJECTED, S.REJECTED),
        (S.EXPIRED, S.EXPIRED),
    ],
)
def test_redeclaring_cancels_a_review_or_revokes_a_code(current: S, after: S) -> None:
    assert status.replaced_status(current) is after
    if after is not current:
        assert status.can_transition(current, after)


def test_at_most_two_redeclarations() -> None:
    assert status.MAX_REDECLARATIONS == 2
    assert [status.redeclarations_left(used) for used in range(4)] == [2, 1, 0, 0]
    status.check_can_redeclare(0)
    status.check_can_redeclare(1)
    with pytest.raises(status.RedeclarationLimitError) as raised:
        status.check_can_redeclare(2)
    assert raised.value.code == "redeclaration_limit"
    with pytest.raises(status.RedeclarationLimitError):
        status.check_can_redeclare(3)
