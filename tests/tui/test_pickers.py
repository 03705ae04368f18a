"""Picking from a list: Enter on an airport match moves on to the next field, and a short
pause while typing in an opened list does not start the search over."""

from __future__ import annotations

import asyncio

from itdeclare.journey.form import field_id
from tests.tui.conftest import AppFactory
from tests.tui.driver import focus_loc, focused_loc, settle, value_at
from tests.tui.seeds import seed


async def test_enter_on_an_airport_match_moves_on(make_app: AppFactory) -> None:
    seed(step="itinerary")
    async with make_app().run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await focus_loc(pilot, "itinerary.0.from")
        await pilot.press("end", "ctrl+u", *"berl")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert value_at(pilot, "itinerary.0.from") == "BER"
        assert focused_loc(pilot) not in (None, "itinerary.0.from")


async def test_a_pause_while_typing_a_country_keeps_the_search(make_app: AppFactory) -> None:
    seed(step="contact")
    async with make_app().run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        pilot.app.screen.query_one(f"#{field_id('residence.country')}").focus()
        await pilot.pause()
        await pilot.press(*"ger")
        await asyncio.sleep(1.0)  # a person looking for the next letter
        await pilot.press("m")
        await pilot.pause(0.05)
        await pilot.press("enter")
        await settle(pilot)
        assert value_at(pilot, "residence.country") == "DEU"
