"""Filing for a parent signs the user in with the user's own phone, never the parent's; Enter
in the phone sends the code, and the phone is offered again at the next sign-in."""

from __future__ import annotations

import pytest
from textual.widgets import Input, Static

from itdeclare.models import Relationship
from itdeclare.storage.state import LocalState
from tests.journey.conftest import AppFactory, form_for, next_consulate, next_phone, until
from tests.tui.seeds import seed

pytestmark = pytest.mark.slow


async def test_filing_for_a_parent_signs_in_with_the_users_own_phone(
    make_app: AppFactory,
) -> None:
    mine, parents = next_phone(), next_phone()
    own = form_for(next_consulate())
    own["contact"]["phone"] = mine
    seed(own, step="contact")
    parent = form_for(next_consulate(), given_name="WEI", chinese_name="张伟")
    parent.update(relationship="parent", contact={"phone": parents, "email": ""})
    seed(parent, step="review", relationship=Relationship.PARENT)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: app.screen.id == "home")
        await pilot.press("down", "enter")
        await until(pilot, lambda: app.screen.id == "wizard")
        await pilot.press("ctrl+n")
        await until(pilot, lambda: app.screen.id == "sign-in")
        phone = app.screen.query_one("#f-contact--phone", Input)
        await until(pilot, lambda: phone.value == mine)
        said = " ".join(str(s.content) for s in app.screen.query(".dialog--text").results(Static))
        assert "Your own mobile phone" in said
        phone.focus()
        await pilot.press("enter")  # sends the code
        await until(pilot, lambda: getattr(app.screen, "dev_code", None) is not None)
        await pilot.press("enter")  # on Sign in, where the filled-in code leaves the focus
        await until(pilot, lambda: app.screen.id == "status")
        badge = app.screen.query_one("#connection-badge", Static)
        await until(pilot, lambda: mine in str(badge.content))
        assert app.context.connection is not None
        assert app.context.connection.phone == mine
        slot = app.context.connection.slot
    assert LocalState().sign_in_phones.load(slot) == mine
