"""What is wrong between two fields is said when the second of them is left, beside the field
to change, in the words Next uses: not while a field is being typed, nor while the other
field of the pair is empty."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot

from itdeclare.i18n import Language
from itdeclare.journey.form import field_id
from tests.tui.conftest import AppFactory
from tests.tui.driver import choose_at, focused_loc, problem_at, settle, type_at
from tests.tui.seeds import COMPLETE_FORM, complete_form, seed

DEPARTS, ARRIVES = "itinerary.0.departs_at", "itinerary.0.arrives_at"


def flight(**changes: str) -> list[dict[str, str]]:
    return [{**COMPLETE_FORM["itinerary"][0], **changes}]


async def open_wizard(pilot: Pilot[object]) -> None:
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)


async def focus_loc(pilot: Pilot[object], loc: str) -> None:
    """Put the focus on the field at ``loc`` (scrolled to, as Tab would)."""
    pilot.app.screen.query_one(f"#{field_id(loc)}").focus()
    await pilot.pause()
    assert focused_loc(pilot) == loc


async def retype(pilot: Pilot[object], loc: str, text: str) -> None:
    """Go to the field, clear it and type ``text``, staying in it."""
    await focus_loc(pilot, loc)
    await pilot.press("end", "ctrl+u")
    await type_at(pilot, loc, text, leave=False)
    await settle(pilot)


async def leave(pilot: Pilot[object]) -> None:
    await pilot.press("tab")
    await settle(pilot)


async def next_says(pilot: Pilot[object], loc: str) -> str:
    """What Next (refused) shows beside the field at ``loc``."""
    await pilot.press("ctrl+n")
    await settle(pilot)
    return problem_at(pilot, loc)


@pytest.mark.parametrize(("language", "words"), [("en", "after the departure"), ("zh", "到达时间")])
async def test_an_arrival_before_the_departure_is_said_on_leaving_it(
    make_app: AppFactory, language: Language, words: str
) -> None:
    seed(step="itinerary")
    async with make_app(language).run_test(size=(80, 24)) as pilot:
        await open_wizard(pilot)
        await retype(pilot, ARRIVES, "2026-12-01 09:00")
        assert problem_at(pilot, ARRIVES) == ""  # still being typed
        await leave(pilot)
        shown = problem_at(pilot, ARRIVES)
        assert words in shown
        assert await next_says(pilot, ARRIVES) == shown


async def test_a_departure_typed_second_marks_the_arrival(make_app: AppFactory) -> None:
    seed(complete_form(itinerary=flight(departs_at="")), step="itinerary")
    async with make_app().run_test(size=(80, 24)) as pilot:
        await open_wizard(pilot)
        await retype(pilot, DEPARTS, "2026-12-03 11:00")
        assert problem_at(pilot, ARRIVES) == ""
        await leave(pilot)
        assert focused_loc(pilot) == ARRIVES
        assert "after the departure" in problem_at(pilot, ARRIVES)
        assert problem_at(pilot, DEPARTS) == ""  # the arrival is the field to change
        # Fixed from the other side, it goes.
        await retype(pilot, DEPARTS, "2026-12-01 11:00")
        await leave(pilot)
        assert problem_at(pilot, ARRIVES) == ""


async def test_nothing_is_said_while_the_other_field_is_empty(make_app: AppFactory) -> None:
    seed(complete_form(itinerary=flight(departs_at="", arrives_at="")), step="itinerary")
    async with make_app().run_test(size=(80, 24)) as pilot:
        await open_wizard(pilot)
        await retype(pilot, DEPARTS, "2026-12-03 11:00")
        await leave(pilot)
        assert problem_at(pilot, DEPARTS) == ""
        assert problem_at(pilot, ARRIVES) == ""


async def test_a_dose_past_the_series_is_said_beside_the_series(make_app: AppFactory) -> None:
    vaccination = {**COMPLETE_FORM["vaccinations"][0], "dose": ""}
    seed(complete_form(vaccinations=[vaccination]), step="vaccination")
    async with make_app().run_test(size=(80, 24)) as pilot:
        await open_wizard(pilot)
        await retype(pilot, "vaccinations.0.dose", "3")
        await leave(pilot)
        shown = problem_at(pilot, "vaccinations.0.of")
        assert "Dose 3" in shown
        assert await next_says(pilot, "vaccinations.0.of") == shown


async def test_a_test_sampled_too_early_for_the_flight_is_said_on_leaving_it(
    make_app: AppFactory,
) -> None:
    seed(step="tests")
    async with make_app().run_test(size=(80, 24)) as pilot:
        await open_wizard(pilot)
        await retype(pilot, "tests.0.sampled_at", "2026-11-25 09:00")
        assert problem_at(pilot, "tests.0.sampled_at") == ""
        await leave(pilot)
        shown = problem_at(pilot, "tests.0.sampled_at")
        assert "UA857" in shown
        assert await next_says(pilot, "tests.0.sampled_at") == shown


async def test_a_choice_is_checked_against_the_fields_filled_before(
    make_app: AppFactory,
) -> None:
    """A foreign nationality with a Chinese passport and a mainland ID card number: said as
    soon as the nationality is chosen, beside the fields Next marks."""
    seed(step="identity")
    async with make_app().run_test(size=(80, 24)) as pilot:
        await open_wizard(pilot)
        await focus_loc(pilot, "subject.nationality")
        await choose_at(pilot, "subject.nationality", "united states")
        nationality = problem_at(pilot, "subject.nationality")
        id_card = problem_at(pilot, "subject.id_card_number")
        assert nationality and id_card
        assert await next_says(pilot, "subject.nationality") == nationality
        assert problem_at(pilot, "subject.id_card_number") == id_card
