"""Chinese and English: chosen at start, switched at run time without losing anything."""

from __future__ import annotations

import asyncio

from textual.widgets import Label, Static

from itdeclare import i18n, wording
from itdeclare.app import TravellerApp
from itdeclare.config import Settings
from itdeclare.screens.home import HomeScreen
from itdeclare.widgets.journey.messages import Refreshed
from itdeclare.widgets.people.table import PeopleTable
from tests.tui import flows
from tests.tui.conftest import NOW, AppFactory
from tests.tui.driver import focus_loc, focused_loc, problem_at, settle, until, value_at
from tests.tui.seeds import seed


def footer_texts(app: TravellerApp) -> set[str]:
    return {active.binding.description for active in app.screen.active_bindings.values()}


async def test_chinese_from_the_start(make_app: AppFactory) -> None:
    async with make_app("zh").run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert str(pilot.app.screen.query_one(".title-bar", Static).content) == "回国人员健康申报"
        assert {"添加", "退出", "English"} <= footer_texts(pilot.app)


def test_the_language_comes_from_the_command_line_or_the_locale() -> None:
    token = i18n._current.set("zh")
    try:
        TravellerApp(Settings(), clock=lambda: NOW)
        assert wording.language() == "zh"
        TravellerApp(Settings(language="en"), clock=lambda: NOW)
        assert wording.language() == "en"
    finally:
        i18n._current.reset(token)


async def test_switching_in_the_wizard_keeps_values_focus_and_problems(
    make_app: AppFactory,
) -> None:
    seed(step="contact")
    async with make_app().run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await focus_loc(pilot, "contact.phone")
        await pilot.press("end", "ctrl+u", *"12ab", "tab")
        await focus_loc(pilot, "residence.city")
        await pilot.press("end", *" CA")
        assert "digits only" in problem_at(pilot, "contact.phone")
        await pilot.press("f2")
        await settle(pilot)
        screen = flows.wizard(pilot)
        assert (
            str(screen.query_one("#wizard-progress", Label).content)
            == "第 2/10 步：联系方式与国外住址"
        )
        assert value_at(pilot, "residence.city") == "San Francisco CA"
        assert focused_loc(pilot) == "residence.city"
        assert problem_at(pilot, "contact.phone") == "手机号码只能包含数字（可带 +）"
        assert {"下一步", "关闭"} <= footer_texts(pilot.app)
        await pilot.press("escape")
        await settle(pilot)
        assert str(pilot.app.screen.query_one(".heading", Static).content) == "我代为申报的人员"


async def test_the_command_palette_switches_language(make_app: AppFactory) -> None:
    async with make_app().run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"language")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await until(
            pilot,
            lambda: (
                str(pilot.app.screen.query_one(".heading", Static).content) == "我代为申报的人员"
            ),
        )
        assert wording.language() == "zh"


async def test_the_palette_offers_the_main_actions_of_each_screen(make_app: AppFactory) -> None:
    seed(step="identity")
    async with make_app().run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"file for zhang")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await until(pilot, lambda: pilot.app.screen.id == "wizard")
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"go to step: tests")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await until(pilot, lambda: flows.wizard(pilot).step.id == "tests")


async def test_the_list_read_again_during_a_language_switch_is_shown_once_made_anew(
    make_app: AppFactory,
) -> None:
    seed()
    async with make_app().run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        home = pilot.app.screen
        assert isinstance(home, HomeScreen) and home.data is not None
        for _ in range(5):  # the reading lands before, during or after the table is made anew
            switch = asyncio.create_task(pilot.app.switch_language("zh"))
            home.post_message(HomeScreen.Loaded(home.data))
            home.post_message(Refreshed([]))
            await switch
            await settle(pilot)
            assert pilot.app.is_running
            assert len(home.query_one(PeopleTable).rows_shown) == 1
            assert "密钥" in str(home.query_one("#home-notice", Static).content)
            await pilot.app.switch_language("en")
            await settle(pilot)
