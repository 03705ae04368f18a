"""Whole declarations typed through the UI, step by step (shared by several tests)."""

from __future__ import annotations

from textual.pilot import Pilot

from itdeclare.screens.wizard import WizardScreen
from itdeclare.widgets.people.table import PeopleTable
from tests.tui.driver import choose_at, focused_loc, settle, type_at, until


def wizard(pilot: Pilot[object]) -> WizardScreen:
    screen = pilot.app.screen
    assert isinstance(screen, WizardScreen), f"expected the wizard, not {screen}"
    return screen


async def open_person_dialog(pilot: Pilot[object], key: str) -> None:
    """On the home screen: a (add) or e (edit), and wait for the dialog's first field."""
    await pilot.press(key)
    await until(pilot, lambda: focused_loc(pilot) == "relationship")


async def add_person(
    pilot: Pilot[object], relationship: str, family: str, given: str, chinese: str = ""
) -> None:
    """On the home screen: a, fill the dialog, ctrl+s, and wait for the list to show the
    person (it is read again in a thread: under load, a key pressed before would meet the list
    as it was)."""
    await open_person_dialog(pilot, "a")
    await choose_at(pilot, "relationship", relationship)
    await type_at(pilot, "subject.family_name", family)
    await type_at(pilot, "subject.given_name", given)
    await type_at(pilot, "subject.chinese_name", chinese)
    await pilot.press("ctrl+s")
    await settle(pilot)
    await until(pilot, lambda: _listed(pilot, f"{family} {given}".upper()))


def _listed(pilot: Pilot[object], name: str) -> bool:
    table = pilot.app.screen.query_one(PeopleTable)
    return any(name in row.name for row in table.rows_shown)


async def next_step(pilot: Pilot[object], expected: str) -> None:
    await pilot.press("ctrl+n")
    await settle(pilot)
    assert wizard(pilot).step.id == expected, (
        f"still on {wizard(pilot).step.id}: {wizard(pilot).state.problems(wizard(pilot).step)}"
    )


async def identity(pilot: Pilot[object], *, born: str, id_card: str = "") -> None:
    """Family and given names are already there (from the person); the rest is typed."""
    # The wizard focuses its first field after it mounts; under load that can come a frame late.
    await until(pilot, lambda: focused_loc(pilot) == "subject.family_name")
    await pilot.press("tab", "tab")
    await type_at(pilot, "subject.chinese_name", "")
    await choose_at(pilot, "subject.sex", "male")
    await type_at(pilot, "subject.date_of_birth", born)
    await choose_at(pilot, "subject.nationality", "china")
    await choose_at(pilot, "subject.document.type", "chinese passport")
    await type_at(pilot, "subject.document.number", "e12345678")
    await type_at(pilot, "subject.document.expires_on", "1/5/2031")
    await type_at(pilot, "subject.id_card_number", id_card)


async def contact(pilot: Pilot[object]) -> None:
    await type_at(pilot, "contact.phone", "+1 415 555 0123")
    await type_at(pilot, "contact.email", "")
    await choose_at(pilot, "residence.country", "united states")
    await type_at(pilot, "residence.city", "San Francisco")
    await type_at(pilot, "residence.address", "1 Market St")


async def status(pilot: Pilot[object]) -> None:
    await choose_at(pilot, "status", "resident")
    await type_at(pilot, "employer", "Example Co.")


async def itinerary(pilot: Pilot[object]) -> None:
    await type_at(pilot, "itinerary.0.flight", "ua857")
    await type_at(pilot, "itinerary.0.from", "SFO")
    await type_at(pilot, "itinerary.0.to", "PVG")
    await type_at(pilot, "itinerary.0.departs_at", "1/12 11:00")
    await type_at(pilot, "itinerary.0.arrives_at", "2/12 17:00")


async def tests_step(pilot: Pilot[object]) -> None:
    for index in (0, 1):
        await pilot.press("tab")  # the kind, already chosen from the rules
        await type_at(pilot, f"tests.{index}.sampled_at", "30/11 09:00")
        await choose_at(pilot, f"tests.{index}.result", "negative")  # nothing chosen for them
        await type_at(pilot, f"tests.{index}.institution", "Example Lab")
        await choose_at(pilot, f"tests.{index}.country", "united states")


async def vaccination(pilot: Pilot[object]) -> None:
    await pilot.press("ctrl+o")
    await settle(pilot)
    await choose_at(pilot, "vaccinations.0.product", "comirnaty")
    await type_at(pilot, "vaccinations.0.dose", "2")
    await type_at(pilot, "vaccinations.0.of", "2")
    await type_at(pilot, "vaccinations.0.date", "2021-06-01")
    await choose_at(pilot, "vaccinations.0.country", "united states")
