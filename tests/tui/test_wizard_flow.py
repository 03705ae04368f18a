"""Whole declarations typed through the UI, for oneself and for a parent."""

from __future__ import annotations

from itdeclare.models import validate_declaration
from itdeclare.models.form_reading import read_form
from itdeclare.storage.state import LocalState
from itdeclare.widgets.people.table import PeopleTable
from tests.tui import flows
from tests.tui.conftest import NOW, AppFactory
from tests.tui.driver import focus_loc, focused_loc, settle, type_at, until, value_at


async def test_a_complete_declaration_for_oneself(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await flows.add_person(pilot, "self", "zhang", "san", "张三")
        await pilot.press("enter")
        await settle(pilot)
        await flows.identity(pilot, born="1/3/1956", id_card="11010519560301001x")
        await flows.next_step(pilot, "contact")
        await flows.contact(pilot)
        await flows.next_step(pilot, "status")
        await flows.status(pilot)
        await flows.next_step(pilot, "itinerary")
        await flows.itinerary(pilot)
        await flows.next_step(pilot, "port")
        await flows.next_step(pilot, "tests")
        await flows.tests_step(pilot)
        await flows.next_step(pilot, "reports")  # no report attached: not required
        await flows.next_step(pilot, "vaccination")
        await flows.vaccination(pilot)
        await flows.next_step(pilot, "history")
        await flows.next_step(pilot, "review")
        screen = flows.wizard(pilot)
        assert [p.code for p in screen.state.problems()] == ["not_attested"]
        assert focused_loc(pilot) == "attested"
        await pilot.press("space")
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert not isinstance(app.screen, type(screen))
    drafts = LocalState().drafts.list()
    assert len(drafts) == 1
    report = validate_declaration(read_form(drafts[0].declaration, NOW.date()).document, now=NOW)
    assert report.problems == []
    assert report.declaration is not None
    document = report.declaration.model_dump(mode="json")
    assert document["subject"]["document"] == {
        "type": "passport",
        "number": "E12345678",
        "expires_on": "2031-05-01",
    }
    assert document["contact"]["phone"] == "+14155550123"
    assert document["itinerary"][0]["departs_at"] == "2026-12-01T11:00:00-08:00"
    assert document["tests"][0]["sampled_at"] == "2026-11-30T09:00:00-08:00"
    assert document["vaccinations"][0]["product"] == "EU/1/20/1528"


async def test_a_complete_declaration_for_a_parent(make_app: AppFactory) -> None:
    """The wizard names the parent on every step; the filer's phone and residence are offered
    on the contact step, and copied only when the user asks."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await flows.add_person(pilot, "self", "zhang", "san", "张三")
        await pilot.press("enter")
        await settle(pilot)
        await flows.identity(pilot, born="1/3/1980")
        await flows.next_step(pilot, "contact")
        await flows.contact(pilot)
        await pilot.press("escape")  # save the draft and close
        await settle(pilot)

        await flows.add_person(pilot, "parent", "zhang", "wei", "张伟")
        assert focused_loc(pilot) is None or app.screen.id == "home"
        await pilot.press("down", "enter")
        await settle(pilot)
        screen = flows.wizard(pilot)
        assert screen.person.relationship == "parent"
        title = str(app.screen.query_one("#wizard-title").content)
        assert "ZHANG WEI" in title and "parent" in title
        await flows.identity(pilot, born="5/6/1950")
        await flows.next_step(pilot, "contact")
        assert value_at(pilot, "contact.phone") == ""  # offered, not forced
        assert app.screen.query("#filer-offer")
        await pilot.press("ctrl+f")
        await settle(pilot)
        assert value_at(pilot, "contact.phone") == "+1 415 555 0123"
        assert value_at(pilot, "residence.country") == "USA"
        assert value_at(pilot, "residence.address") == "1 Market St"
        assert not app.screen.query("#filer-offer")
        await focus_loc(pilot, "residence.address")
        await pilot.press("end", *" Apt 2")
        fill = {"status": flows.status, "itinerary": flows.itinerary, "tests": flows.tests_step}
        steps = (
            "status",
            "itinerary",
            "port",
            "tests",
            "reports",
            "vaccination",
            "history",
            "review",
        )
        for step in steps:
            await flows.next_step(pilot, step)
            title = str(app.screen.query_one("#wizard-title").content)
            assert "ZHANG WEI" in title, f"the {step} step does not say whose it is"
            if step in fill:
                await fill[step](pilot)
        assert focused_loc(pilot) == "attested"
        await pilot.press("space", "ctrl+n")
        await settle(pilot)
        assert app.screen.id == "home"
        # the list is read again in a worker: under load it follows a few frames later
        table = app.screen.query_one(PeopleTable)
        await until(pilot, lambda: "100%" in table.rows_shown[1].state_text)
    state = LocalState()
    people = {p.relationship: p for p in state.people.list()}
    draft = next(d for d in state.drafts.list() if d.person_id == people["parent"].id)
    report = validate_declaration(read_form(draft.declaration, NOW.date()).document, now=NOW)
    assert report.problems == []
    assert report.declaration is not None
    assert report.declaration.relationship == "parent"
    assert report.declaration.contact.phone == "+14155550123"
    assert report.declaration.residence.address == "1 Market St Apt 2"
    assert people["parent"].subject["chinese_name"] == "张伟"


async def test_quit_midway_then_resume_exactly_where_it_was_left(make_app: AppFactory) -> None:
    async with make_app().run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await flows.add_person(pilot, "self", "zhang", "san")
        await pilot.press("enter")
        await settle(pilot)
        await flows.identity(pilot, born="1/3/1956")
        await flows.next_step(pilot, "contact")
        await type_at(pilot, "contact.phone", "+1 415 555", leave=False)
        await pilot.press("ctrl+q")  # at once: no time for the autosave's quiet period
    assert pilot.app.return_value == 0

    async with make_app().run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        [row] = pilot.app.screen.query_one(PeopleTable).rows_shown
        assert row.state_text.startswith("draft, ")
        await pilot.press("enter")
        await settle(pilot)
        assert flows.wizard(pilot).step.id == "contact"
        assert focused_loc(pilot) == "contact.phone"
        assert value_at(pilot, "contact.phone") == "+1 415 555"
        await pilot.press("ctrl+b")
        await settle(pilot)
        assert value_at(pilot, "subject.family_name") == "ZHANG"
        assert value_at(pilot, "subject.date_of_birth") == "1956-03-01"  # tidied on leaving
        assert value_at(pilot, "subject.document.type") == "passport"
