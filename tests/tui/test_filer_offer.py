"""Filing for a relative: the user's own phone and residence are offered whenever this computer
knows them, also once the user's own declaration has been submitted."""

from __future__ import annotations

import dataclasses

from itdeclare.models import Relationship
from itdeclare.storage.state import LocalState
from tests.tui import flows
from tests.tui.conftest import AppFactory
from tests.tui.driver import settle, value_at
from tests.tui.seeds import complete_form, seed


async def test_the_offer_stands_after_the_users_own_declaration_was_submitted(
    make_app: AppFactory,
) -> None:
    _, mine = seed(complete_form(), step="review")
    LocalState().drafts.save(dataclasses.replace(mine, submitted_as="filed-1"))
    child_form = complete_form(relationship="child", contact={"phone": "", "email": ""})
    child_form["residence"] = {"country": "", "city": "", "address": ""}
    child_form["subject"].update(family_name="ZHANG", given_name="XIAO", chinese_name="张小")
    seed(child_form, step="contact", relationship=Relationship.CHILD)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("down", "enter")
        await settle(pilot)
        screen = flows.wizard(pilot)
        assert screen.person.relationship is Relationship.CHILD
        assert screen.step.id == "contact"
        assert app.screen.query("#filer-offer"), "no offer to copy the user's own details"
        await pilot.press("ctrl+f")
        await settle(pilot)
        assert value_at(pilot, "contact.phone") == "+14155550123"
        assert value_at(pilot, "residence.city") == "San Francisco"
