"""Keys typed right after Esc reach what Esc went back to: a closed list's field, the screen
under a closed one. They arrive together, as from a quick hand (or a slow app): each was
handed to the widget that had the focus when it arrived, before Esc had been acted on, so
they went to the list or the screen being closed and were lost."""

from __future__ import annotations

import asyncio

import pytest
from textual import events
from textual.pilot import Pilot
from textual.widgets._select import SelectOverlay

from itdeclare.journey.form import field_id
from itdeclare.screens.person import PersonModal
from itdeclare.widgets import keys
from tests.tui import flows
from tests.tui.conftest import AppFactory
from tests.tui.driver import focused_loc, settle, value_at
from tests.tui.seeds import seed


def type_quickly(pilot: Pilot[object], *keys: str) -> None:
    """The keys as a terminal delivers them typed in a burst: all queued before any is handled."""
    for key in keys:
        pilot.app.post_message(events.Key(key, key if len(key) == 1 else None))


async def test_keys_after_closing_a_list_go_on_from_its_field(make_app: AppFactory) -> None:
    seed(step="identity")
    async with make_app().run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        pilot.app.screen.query_one(f"#{field_id('subject.sex')}").focus()
        await pilot.pause()
        await pilot.press("f")  # the list opens on Female
        await settle(pilot)
        type_quickly(pilot, "escape", "tab", *"1957")
        await settle(pilot)
        assert value_at(pilot, "subject.sex") == "male"  # Esc chose nothing
        assert focused_loc(pilot) == "subject.date_of_birth"
        assert value_at(pilot, "subject.date_of_birth") == "1957"


async def test_keys_wait_for_a_bound_key_that_is_late_to_come_up(
    make_app: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a busy machine Esc can take longer than the hold's first wait to come up to the app:
    the keys behind it wait on for it. Here the list takes 50 ms over each key, and the first
    wait is 10 ms."""
    handle = SelectOverlay.on_event

    async def slowly(overlay: SelectOverlay, event: events.Event) -> None:
        if isinstance(event, events.Key):
            await asyncio.sleep(0.05)
        await handle(overlay, event)

    monkeypatch.setattr(SelectOverlay, "on_event", slowly)
    monkeypatch.setattr(keys, "HOLD_AT_MOST", 0.01)
    await test_keys_after_closing_a_list_go_on_from_its_field(make_app)


async def test_a_key_after_closing_the_wizard_is_homes(make_app: AppFactory) -> None:
    seed(step="identity")
    async with make_app().run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        family_name = value_at(pilot, "subject.family_name")
        type_quickly(pilot, "escape", "a")
        await settle(pilot)
        assert isinstance(pilot.app.screen, PersonModal)  # home's a: add a person
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert value_at(pilot, "subject.family_name") == family_name


async def parent_searched(pilot: Pilot[object]) -> None:
    """Home's add-person dialog, with 'parent' typed on its relationship list (opened)."""
    await settle(pilot)
    await flows.open_person_dialog(pilot, "a")
    await pilot.press(*"parent")
    await pilot.pause(0.05)


async def test_enter_on_a_list_entry_moves_on_and_the_next_letters_follow(
    make_app: AppFactory,
) -> None:
    """In the add-person dialog: 'parent', Enter, and the family name typed at once. The
    entry is taken and the letters are the family name's (they reopened the list before)."""
    async with make_app().run_test(size=(80, 24)) as pilot:
        await parent_searched(pilot)
        type_quickly(pilot, "enter", *"WANG")
        await settle(pilot)
        assert value_at(pilot, "relationship") == "parent"
        assert focused_loc(pilot) == "subject.family_name"
        assert value_at(pilot, "subject.family_name") == "WANG"


async def test_a_list_entry_clicked_is_taken_and_moves_on_too(make_app: AppFactory) -> None:
    async with make_app().run_test(size=(80, 24)) as pilot:
        await parent_searched(pilot)
        overlay = pilot.app.screen.query_one(SelectOverlay)
        await pilot.click(overlay, offset=(2, overlay.highlighted or 0))
        await settle(pilot)
        assert value_at(pilot, "relationship") == "parent"
        assert focused_loc(pilot) == "subject.family_name"
