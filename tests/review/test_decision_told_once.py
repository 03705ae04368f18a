"""A decision is told once: one toast per decision on the declaration screen and on the queue it
returns to (the toasts are drawn, ``notifications=True``, as a reviewer sees them)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets._toast import Toast

from itdeclare.screens.review.queue import QueueScreen
from tests.review.conftest import AppFactory, Traveller, settle
from tests.review.test_live_review import approve, file_people

pytestmark = pytest.mark.slow


def toasts(pilot: Pilot[Any]) -> list[str]:
    return [str(toast._notification.message) for toast in pilot.app.screen.query(Toast)]


async def test_each_approval_is_told_once(
    traveller: Callable[[], Awaitable[Traveller]],
    reviewer_token: Callable[[str], str],
    console: AppFactory,
) -> None:
    consulate = "KOR"
    await file_people(await traveller(), consulate, 2)
    app = console(reviewer_token(consulate))
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await approve(pilot)
        await settle(pilot)
        assert toasts(pilot) == ["Approved: ZHANG SAN 张三."]
        await approve(pilot)  # the last one shown: back to the queue
        await settle(pilot)
        assert isinstance(app.screen, QueueScreen)
        shown = toasts(pilot)  # the first approval's toast may have timed out meanwhile
        assert "Approved: LI SI 李四." in shown and len(shown) == len(set(shown))
