"""Whole declarations typed through the UI, for oneself and for a parent."""

from __future__ import annotations

from itdeclare.models import validate_declaration
from itdeclare.models.input import read_form
from itdeclare.storage.state import LocalState
from tests.tui import flows
from tests.tui.conftest import NOW, AppFactory
from tests.tui.driver import focused_loc, settle


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
