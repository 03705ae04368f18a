"""F2 in the middle of typing: the field keeps its text and its caret, so the next key adds to
it instead of replacing it (a focused field's text is selected when it gains focus)."""

from __future__ import annotations

from tests.tui.conftest import AppFactory
from tests.tui.driver import focus_loc, focused_loc, settle, value_at
from tests.tui.seeds import seed


async def test_the_next_key_after_f2_adds_to_the_field(make_app: AppFactory) -> None:
    seed(step="contact")
    async with make_app().run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await focus_loc(pilot, "residence.city")
        await pilot.press("end", *" CA")
        await pilot.press("f2")
        await settle(pilot)
        assert focused_loc(pilot) == "residence.city"
        await pilot.press("Z")
        await settle(pilot)
        assert value_at(pilot, "residence.city") == "San Francisco CAZ"
        await pilot.press("f2")
        await settle(pilot)
        await pilot.press("left", "left", "X")
        await settle(pilot)
        assert value_at(pilot, "residence.city") == "San Francisco CXAZ"
