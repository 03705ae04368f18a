"""App-wide behaviour: settings (keymap, theme), the mouse, the quit path."""

from __future__ import annotations

import threading

import pytest
from textual.content import Content
from textual.pilot import Pilot
from textual.widgets import Static

from itdeclare.storage.state import LocalState
from itdeclare.storage.stores import PeopleStore
from itdeclare.widgets.people.table import PeopleTable
from itdeclare.widgets.wizard.step import ItemHeader
from tests.tui import flows
from tests.tui.conftest import AppFactory
from tests.tui.driver import settle, until, value_at
from tests.tui.seeds import complete_form, seed


async def test_keys_can_be_remapped_in_the_settings(make_app: AppFactory) -> None:
    seed(step="status")
    app = make_app(keymap={"wizard.next": "f9", "home.file": "o"})
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        await pilot.press("f9")
        await settle(pilot)
        assert flows.wizard(pilot).step.id == "itinerary"
        assert "f9" in {active.binding.key for active in app.screen.active_bindings.values()}


async def test_an_unknown_theme_falls_back_with_a_notice(make_app: AppFactory) -> None:
    app = make_app(theme="no-such-theme")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.theme == "textual-dark"
        assert any("no-such-theme" in str(n.message) for n in app._notifications)


async def test_a_light_theme_is_taken_from_the_settings(make_app: AppFactory) -> None:
    app = make_app(theme="textual-light")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.theme == "textual-light"


def plain(header: ItemHeader) -> str:
    return Content.from_markup(str(header.content)).plain


async def test_the_mouse_adds_moves_and_removes_flights(make_app: AppFactory) -> None:
    seed(step="itinerary")
    async with make_app().run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.click("#people", offset=(2, 0))  # the first row
        await pilot.press("enter")
        await settle(pilot)
        await pilot.click("#add-itinerary")
        await settle(pilot)
        wizard = flows.wizard(pilot)
        assert [leg["from"] for leg in wizard.state.form["itinerary"]] == ["SFO", "PVG"]
        header = wizard.query(ItemHeader).last()
        await pilot.click(header, offset=(1 + plain(header).index("Up"), 0))
        await settle(pilot)
        assert [leg["from"] for leg in wizard.state.form["itinerary"]] == ["PVG", "SFO"]
        assert value_at(pilot, "itinerary.1.flight") == "UA857"
        header = wizard.query(ItemHeader).first()
        await pilot.click(header, offset=(1 + plain(header).index("Remove") + 1, 0))
        await settle(pilot)
        assert [leg["flight"] for leg in wizard.state.form["itinerary"]] == ["UA857"]


async def test_the_step_list_of_a_wide_terminal_is_clickable(make_app: AppFactory) -> None:
    seed(step="port")
    async with make_app().run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.click("#step-list", offset=(3, 1))  # "2. Contact and residence"
        await settle(pilot)
        assert flows.wizard(pilot).step.id == "contact"


def _first_row(pilot: Pilot[object]) -> str:
    return pilot.app.screen.query_one(PeopleTable).rows_shown[0].name


async def test_editing_a_person_renames_their_draft(make_app: AppFactory) -> None:
    seed(complete_form())
    async with make_app().run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await flows.open_person_dialog(pilot, "e")
        await pilot.press("tab", "end", "ctrl+u", *"LI", "ctrl+s")
        # saved in a worker, then the list read again: under load it follows a few frames later
        await until(pilot, lambda: "LI SAN" in _first_row(pilot))
    [draft] = LocalState().drafts.list()
    assert draft.declaration["subject"]["family_name"] == "LI"


async def test_ctrl_c_says_how_to_quit(make_app: AppFactory) -> None:
    async with make_app().run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+c")
        await pilot.pause()
        assert any("^q" in str(n.message) for n in pilot.app._notifications)
        assert isinstance(pilot.app.screen.query_one("#home-status"), Static)


async def test_an_unexpected_failure_in_the_background_is_told(
    make_app: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(self: object) -> list[object]:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(PeopleStore, "list", broken)
    expected = "Something went wrong: RuntimeError: disk on fire"
    async with make_app().run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: expected in [str(n.message) for n in pilot.app._notifications])
        assert pilot.app.is_running


def _record_reading_threads(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Whether each read of the people ran in the interface's own (main) thread."""
    in_main: list[bool] = []
    original = PeopleStore.list

    def recording(self: PeopleStore) -> list[object]:
        in_main.append(threading.current_thread() is threading.main_thread())
        return list(original(self))

    monkeypatch.setattr(PeopleStore, "list", recording)
    return in_main


async def test_a_key_in_a_file_lets_the_list_be_read_at_once(
    make_app: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed()
    in_main = _record_reading_threads(monkeypatch)
    async with make_app().run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert in_main == [True]
        assert len(pilot.app.screen.query_one(PeopleTable).rows_shown) == 1


async def test_a_key_in_the_keyring_is_read_in_a_thread(
    make_app: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed()
    monkeypatch.setattr(LocalState, "opens_at_once", property(lambda self: False))
    in_main = _record_reading_threads(monkeypatch)
    async with make_app().run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert in_main == [False]
        assert len(pilot.app.screen.query_one(PeopleTable).rows_shown) == 1
