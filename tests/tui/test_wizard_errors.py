"""Bad input on every step: the message appears beside the field, and Next stays put."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import OptionList

from itdeclare.models import reference
from tests.tui import flows
from tests.tui.conftest import AppFactory
from tests.tui.driver import choose_at, focus_loc, focused_loc, problem_at, settle, type_at
from tests.tui.seeds import complete_form, seed


async def open_wizard(pilot: Pilot[object]) -> None:
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)


async def retype(pilot: Pilot[object], loc: str, text: str, *, leave: bool = True) -> None:
    """Click the field, clear it, type ``text`` (and Tab out)."""
    await focus_loc(pilot, loc)
    await pilot.press("end", "ctrl+u")
    await type_at(pilot, loc, text, leave=leave)


async def next_is_refused(pilot: Pilot[object], step: str) -> None:
    await pilot.press("ctrl+n")
    await settle(pilot)
    assert flows.wizard(pilot).step.id == step


async def test_identity(make_app: AppFactory) -> None:
    seed(step="identity")
    async with make_app().run_test(size=(80, 24)) as pilot:
        await open_wizard(pilot)
        await retype(pilot, "subject.family_name", "zh4ng")
        assert "Latin letters" in problem_at(pilot, "subject.family_name")
        await retype(pilot, "subject.date_of_birth", "31/02/1956")
        assert problem_at(pilot, "subject.date_of_birth") == "There is no such date"
        # A document number is checked as it is typed, against the document type.
        await retype(pilot, "subject.document.number", "X1", leave=False)
        assert "Chinese passport number" in problem_at(pilot, "subject.document.number")
        await pilot.press("backspace", "backspace", *"E12345678")
        assert problem_at(pilot, "subject.document.number") == ""
        await retype(pilot, "subject.id_card_number", "110105195603010010")
        assert "should be X" in problem_at(pilot, "subject.id_card_number")
        await next_is_refused(pilot, "identity")
        assert focused_loc(pilot) == "subject.family_name"  # the first bad field


async def test_an_id_card_number_as_the_travel_document_is_refused_where_typed(
    make_app: AppFactory,
) -> None:
    seed(step="identity")
    async with make_app().run_test(size=(80, 24)) as pilot:
        await open_wizard(pilot)
        await focus_loc(pilot, "subject.document.number")
        await pilot.press("shift+tab")
        await choose_at(pilot, "subject.document.type", "other")
        await retype(pilot, "subject.document.number", "11010519560301001x")
        assert "not a travel document" in problem_at(pilot, "subject.document.number")


async def test_contact(make_app: AppFactory) -> None:
    seed(step="contact")
    async with make_app().run_test(size=(80, 24)) as pilot:
        await open_wizard(pilot)
        await retype(pilot, "contact.phone", "12ab")
        assert "digits only" in problem_at(pilot, "contact.phone")
        await pilot.press("tab")  # past the email
        await choose_at(pilot, "residence.country", "china")
        assert "mainland China" in problem_at(pilot, "residence.country")
        await next_is_refused(pilot, "contact")
        assert focused_loc(pilot) == "contact.phone"


async def test_status(make_app: AppFactory) -> None:
    seed(complete_form(status=""), step="status")
    async with make_app().run_test(size=(80, 24)) as pilot:
        await open_wizard(pilot)
        await next_is_refused(pilot, "status")
        assert problem_at(pilot, "status") == "This field is required"
        await choose_at(pilot, "status", "student")
        assert problem_at(pilot, "status") == ""


def unknown_airport() -> str:
    return next(
        code
        for code in (f"Q{a}{b}" for a in "ABCDEFGHIJKLMNOPQRSTUVWXYZ" for b in "XYZ")
        if reference.airport(code) is None
    )


async def test_itinerary(make_app: AppFactory) -> None:
    seed(step="itinerary")
    async with make_app().run_test(size=(80, 24)) as pilot:
        await open_wizard(pilot)
        await retype(pilot, "itinerary.0.flight", "123456789")
        assert "airline code and digits" in problem_at(pilot, "itinerary.0.flight")
        code = unknown_airport()
        await retype(pilot, "itinerary.0.from", code)
        assert problem_at(pilot, "itinerary.0.from") == f"Unknown airport {code}"
        await retype(pilot, "itinerary.0.departs_at", "soon")
        assert "date and time" in problem_at(pilot, "itinerary.0.departs_at")
        await next_is_refused(pilot, "itinerary")


async def test_a_flight_that_lasts_for_years(make_app: AppFactory) -> None:
    """A cross-field check of the itinerary (the shared validate_declaration) beside its field."""
    [flight] = complete_form()["itinerary"]
    seed(complete_form(itinerary=[{**flight, "arrives_at": "2029-08-01 17:00"}]), step="itinerary")
    async with make_app().run_test(size=(80, 24)) as pilot:
        await open_wizard(pilot)
        await next_is_refused(pilot, "itinerary")
        assert "at most 24 hours" in problem_at(pilot, "itinerary.0.arrives_at")


async def test_port_of_entry_must_be_where_the_last_flight_lands(make_app: AppFactory) -> None:
    seed(step="port")
    async with make_app().run_test(size=(80, 24)) as pilot:
        await open_wizard(pilot)
        await choose_at(pilot, "port_of_entry", "pek")
        await next_is_refused(pilot, "port")
        assert "PVG" in problem_at(pilot, "port_of_entry")


async def test_tests_are_checked_against_the_flight(make_app: AppFactory) -> None:
    seed(step="tests")
    async with make_app().run_test(size=(80, 24)) as pilot:
        await open_wizard(pilot)
        await retype(pilot, "tests.0.sampled_at", "yesterday")
        assert "date and time" in problem_at(pilot, "tests.0.sampled_at")
        await retype(pilot, "tests.0.sampled_at", "25/11 09:00")
        await next_is_refused(pilot, "tests")
        message = problem_at(pilot, "tests.0.sampled_at")
        assert "too early" in message and "flight UA857" in message


async def test_vaccination(make_app: AppFactory) -> None:
    seed(step="vaccination")
    async with make_app().run_test(size=(80, 24)) as pilot:
        await open_wizard(pilot)
        await retype(pilot, "vaccinations.0.dose", "two")
        assert problem_at(pilot, "vaccinations.0.dose") == "Type a whole number, like 2"
        await retype(pilot, "vaccinations.0.dose", "0")
        assert problem_at(pilot, "vaccinations.0.dose") == "Must be at least 1"
        await next_is_refused(pilot, "vaccination")


async def test_history(make_app: AppFactory) -> None:
    seed(step="history")
    async with make_app().run_test(size=(80, 24)) as pilot:
        await open_wizard(pilot)
        await pilot.press("ctrl+o")
        await settle(pilot)
        await choose_at(pilot, "history.0.kind", "diagnosis")
        await type_at(pilot, "history.0.date", "1/5/2021")
        await type_at(pilot, "history.0.recovered_on", "1/4/2021")
        assert "cannot be before" in problem_at(pilot, "history.0.recovered_on")
        await next_is_refused(pilot, "history")


def listed(pilot: Pilot[object]) -> list[str]:
    problems = flows.wizard(pilot).query_one("#problems", OptionList)
    return [str(problems.get_option_at_index(i).prompt) for i in range(problems.option_count)]


async def test_the_summary_lists_every_problem(make_app: AppFactory) -> None:
    form = complete_form()
    form["contact"]["phone"] = "12ab"
    form["itinerary"][0]["flight"] = "123456789"
    seed(form, step="review")
    async with make_app().run_test(size=(80, 24)) as pilot:
        await open_wizard(pilot)
        assert listed(pilot) == [
            "Contact and residence abroad › Mobile phone: "
            "A phone number has digits only (and an optional +)",
            "Itinerary › Flight 1 › Flight: "
            "A flight number is an airline code and digits, like CA988",
        ]
        await pilot.press("enter")
        await settle(pilot)
        assert focused_loc(pilot) == "contact.phone"


async def test_the_rules_check_names_the_test_and_the_flight(make_app: AppFactory) -> None:
    form = complete_form()
    form["tests"][1]["sampled_at"] = "2026-11-25 09:00"
    seed(form, step="review")
    async with make_app().run_test(size=(80, 24)) as pilot:
        await open_wizard(pilot)
        [text] = listed(pilot)
        assert text.startswith("Tests › Test 2 › Sampled at: The IgM antibody test was sampled")
        assert "too early for flight UA857" in text
        assert isinstance(pilot.app.focused, OptionList)  # the list has the focus
        await pilot.press("enter")
        await settle(pilot)
        assert flows.wizard(pilot).step.id == "tests"
        assert focused_loc(pilot) == "tests.1.sampled_at"
        assert "too early" in problem_at(pilot, "tests.1.sampled_at")


async def test_the_summary_lists_warnings_apart_and_jumps_to_their_field(
    make_app: AppFactory,
) -> None:
    form = complete_form()
    form["subject"]["chinese_name"] = ""
    seed(form, step="review")
    async with make_app().run_test(size=(80, 24)) as pilot:
        await open_wizard(pilot)
        review = flows.wizard(pilot)
        assert listed(pilot) == []
        warnings = review.query_one("#warnings", OptionList)
        [text] = [str(warnings.get_option_at_index(i).prompt) for i in range(warnings.option_count)]
        assert text.startswith("Identity and document › Chinese name: A Chinese national with no")
        warnings.focus()
        warnings.highlighted = 0
        await pilot.press("enter")
        await settle(pilot)
        assert flows.wizard(pilot).step.id == "identity"
        assert focused_loc(pilot) == "subject.chinese_name"
