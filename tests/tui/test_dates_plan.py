"""The wizard's "Dates to keep" panel shows only for a valid itinerary into China, and says
when its flight has already left (the clock of these tests: 30 Nov 2026 12:00 in San
Francisco)."""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import Static

from itdeclare.screens.wizard import WizardScreen
from tests.tui.conftest import AppFactory
from tests.tui.driver import settle
from tests.tui.seeds import complete_form, seed


async def _plan(make_app: AppFactory, leg: dict[str, str], language: str = "en") -> str:
    form: dict[str, Any] = complete_form()
    form["itinerary"][0].update(leg)
    seed(form, step="itinerary")
    app = make_app(language)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, WizardScreen)
        plan = app.screen.query_one("#plan", Static)
        return str(plan.content) if plan.display and not plan.has_class("-empty") else ""


async def test_no_dates_for_an_itinerary_that_does_not_reach_china(make_app: AppFactory) -> None:
    leg = {"to": "LAX", "arrives_at": "2026-12-01 12:30"}
    assert await _plan(make_app, leg) == ""


@pytest.mark.parametrize(
    ("language", "departed", "not_said"),
    [
        ("en", "Flight UA857 left at 30 Nov 2026", "Submit the declaration"),
        ("zh", "航班 UA857 已于2026年11月30日", "前提交"),
    ],
)
async def test_a_flight_already_gone_is_said_under_its_dates(
    make_app: AppFactory, language: str, departed: str, not_said: str
) -> None:
    leg = {"departs_at": "2026-11-30 11:00", "arrives_at": "2026-12-01 17:00"}
    plan = await _plan(make_app, leg, language)
    assert departed in plan and not_said not in plan, plan
    assert plan.splitlines()[0] in ("Dates to keep", "日期安排")  # the dates themselves stay
