"""The console's keys, filters, language switch and failures, on the scripted API (fixed data and
clock); the decisions themselves are tested against the real backend."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.widgets import Label, Select, Static

from itdeclare.config import Settings
from itdeclare.i18n import t
from itdeclare.review_app import ReviewerApp
from itdeclare.reviewing.filters import DepartureFilter
from itdeclare.screens.review.confirm import ConfirmDecision
from itdeclare.screens.review.connect import ConnectScreen
from itdeclare.screens.review.declaration import DeclarationScreen
from itdeclare.screens.review.queue import QueueScreen
from itdeclare.widgets.review.queue import QueueTable
from tests.review.conftest import settle
from tests.review.scripted import ScriptedReview, scripted_app


def rows(app: ReviewerApp) -> list[str]:
    return [str(row.value) for row in app.screen.query_one(QueueTable).rows]


async def opened(pilot: Pilot[Any], *keys: str) -> DeclarationScreen:
    await pilot.press(*keys)
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, DeclarationScreen)
    return screen


async def test_search_and_filters_by_keyboard() -> None:
    app = scripted_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert rows(app) == ["d-zhang-2", "d-li", "d-wang"]
        await pilot.press("slash", *"e234")
        assert rows(app) == ["d-li"]  # by document number
        await pilot.press("escape", "c")
        await pilot.pause()
        assert rows(app) == ["d-zhang-2", "d-li", "d-wang"]
        await pilot.press("t", "enter", "down", "down", "enter")  # status: material requested
        await pilot.pause()
        assert rows(app) == ["d-wang"]
        await pilot.press("c")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, QueueScreen)
        screen.query_one("#departure", Select).value = DepartureFilter.TODAY
        await pilot.pause()
        assert rows(app) == ["d-wang"]  # 23:30 tonight at SFO
        screen.query_one("#departure", Select).value = DepartureFilter.TOMORROW
        await pilot.pause()
        assert rows(app) == ["d-zhang-2", "d-li"]


async def test_next_previous_and_back() -> None:
    app = scripted_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = await opened(pilot, "enter")
        assert screen.declaration_id == "d-zhang-2"
        await pilot.press("n")
        await settle(pilot)
        assert screen.declaration_id == "d-li"
        await pilot.press("p")
        await settle(pilot)
        assert screen.declaration_id == "d-zhang-2"
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, QueueScreen)


async def test_a_declaration_waiting_for_material_cannot_be_approved() -> None:
    app = scripted_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = await opened(pilot, "down", "down", "enter")
        assert screen.declaration_id == "d-wang"
        assert screen.check_action("approve", ()) is None  # shown dimmed
        assert screen.check_action("supplement", ()) is None
        assert screen.check_action("reject", ()) is True
        await pilot.press("a")
        await pilot.pause()
        assert app.screen is screen


async def test_keys_can_be_remapped_from_the_settings() -> None:
    app = scripted_app(keymap={"review.approve": "v"})
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await opened(pilot, "enter")
        await pilot.press("v")
        await pilot.pause(0.05)
        assert isinstance(app.screen, ConfirmDecision)
        await pilot.press("escape")


async def test_the_language_switches_everywhere_and_keeps_the_place() -> None:
    app = scripted_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"zhang", "escape")
        assert rows(app) == ["d-zhang-2"]
        await pilot.press("f2")
        await settle(pilot)
        title = str(app.screen.query_one("#title", Label).render())
        assert title.startswith("复核队列")
        assert rows(app) == ["d-zhang-2"]  # the search survives
        screen = await opened(pilot, "enter")
        await pilot.press("4")
        await pilot.press("f2")
        await settle(pilot)
        assert screen.tab == "versions"
        assert "pending review" in str(screen.query_one("#heading", Label).render())
        bindings = {b.binding.id: b.binding.description for b in app.active_bindings.values()}
        assert bindings["review.approve"] == "Approve"


async def test_an_expired_token_leads_back_to_signing_in() -> None:
    app = scripted_app(server=ScriptedReview(token_expires_after_sign_in=True))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ConnectScreen)
        status = str(app.screen.query_one("#status", Static).render())
        assert status == t("client.unauthorized", "en")


async def test_an_unforeseen_failure_is_told_not_a_crash() -> None:
    def broken(url: str, token: str) -> Any:
        raise RuntimeError("no client today")

    app = ReviewerApp(
        Settings(language="en", server="http://review.test"), token="token", make_client=broken
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ConnectScreen)
        messages = [notification.message for notification in app._notifications]
        assert messages == [t("review.unexpected", "en", reason="RuntimeError")]
