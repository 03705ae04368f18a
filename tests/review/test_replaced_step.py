"""A declaration re-declared while a reviewer has it open: read again, its audit trail says it
was replaced by a re-declaration, in both languages (its status column says what became of it)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest

from itdeclare.review_app import ReviewerApp
from itdeclare.screens.review.declaration import DeclarationScreen
from itdeclare.widgets.review.audit import AuditTrail
from tests.review.conftest import AppFactory, Traveller, declaration, settle

pytestmark = pytest.mark.slow


def steps(app: ReviewerApp) -> list[tuple[str, str]]:
    """Each step of the audit trail shown: what, and the status after it."""
    assert isinstance(app.screen, DeclarationScreen)
    trail = app.screen.query_one(AuditTrail)
    return [
        (str(trail.get_row_at(row)[1]), str(trail.get_row_at(row)[2]))
        for row in range(trail.row_count)
    ]


async def test_the_replaced_step_says_by_a_redeclaration(
    traveller: Callable[[], Awaitable[Traveller]],
    reviewer_token: Callable[[str], str],
    console: AppFactory,
) -> None:
    consulate = "NZL"
    me = await traveller()
    document = declaration(residence=consulate)
    first = await me.file(document)
    app = console(reviewer_token(consulate))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await me.api.redeclare(first, document)
        await pilot.press("f5", "5")
        await settle(pilot)
        assert steps(app) == [
            ("submitted", "pending review"),
            ("replaced by a re-declaration", "cancelled"),
        ]
        await pilot.press("f2")
        await settle(pilot)
        assert steps(app)[1][0] == "被重新申报替换"
