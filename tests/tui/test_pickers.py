"""Picking from a list: Enter on an airport match moves on to the next field, and a short
pause while typing in an opened list does not start the search over."""

from __future__ import annotations

import asyncio

import pytest
from textual.pilot import Pilot
from textual.widgets import OptionList

from itdeclare.journey.form import field_id
from tests.tui.conftest import AppFactory
from tests.tui.driver import focus_loc, focused_loc, settle, value_at
from tests.tui.seeds import seed


async def test_enter_on_an_airport_match_moves_on(make_app: AppFactory) -> None:
    seed(step="itinerary")
    async with make_app().run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await focus_loc(pilot, "itinerary.0.from")
        await pilot.press("end", "ctrl+u", *"berl")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert value_at(pilot, "itinerary.0.from") == "BER"
        assert focused_loc(pilot) not in (None, "itinerary.0.from")


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_every_match_of_a_city_is_shown_whole(
    make_app: AppFactory, size: tuple[int, int]
) -> None:
    """Shanghai's two airports, whose lines wrap at 80 columns: the list is as tall as they
    are (it was as tall as at the full width, and hid SHA under PVG)."""
    seed(step="itinerary")
    async with make_app().run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        pilot.app.screen.query_one(f"#{field_id('itinerary.0.to')}").focus()
        await pilot.pause()
        await pilot.press("end", "ctrl+u", *"shanghai")
        await settle(pilot)
        matches = pilot.app.screen.query_one("AirportField.-searching OptionList", OptionList)
        shown = [matches.get_option_at_index(i).id for i in range(matches.option_count)]
        assert shown == ["PVG", "SHA"]
        assert matches.region.height == matches.virtual_size.height > 0
        assert matches.max_scroll_y == 0


async def test_a_pause_while_typing_a_country_keeps_the_search(make_app: AppFactory) -> None:
    seed(step="contact")
    async with make_app().run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        pilot.app.screen.query_one(f"#{field_id('residence.country')}").focus()
        await pilot.pause()
        await pilot.press(*"ger")
        await asyncio.sleep(1.0)  # a person looking for the next letter
        await pilot.press("m")
        await pilot.pause(0.05)
        await pilot.press("enter")
        await settle(pilot)
        assert value_at(pilot, "residence.country") == "DEU"


async def _type_in_select(pilot: Pilot[object], loc: str, text: str) -> None:
    pilot.app.screen.query_one(f"#{field_id(loc)}").focus()
    await pilot.pause()
    await pilot.press(*text)
    await pilot.pause(0.05)
    await pilot.press("enter")
    await settle(pilot)


async def test_a_chinese_list_finds_a_latin_brand_name(make_app: AppFactory) -> None:
    """复必泰 is Comirnaty: a Chinese user types the name on the vaccination card."""
    seed(step="vaccination")
    async with make_app("zh").run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await _type_in_select(pilot, "vaccinations.0.product", "spikevax")  # away first
        await _type_in_select(pilot, "vaccinations.0.product", "comirnaty")
        assert value_at(pilot, "vaccinations.0.product") == "EU/1/20/1528"


async def test_a_chinese_list_finds_chinese_english_and_pinyin(make_app: AppFactory) -> None:
    seed(step="contact")
    async with make_app("zh").run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        for typed, code in (("germany", "DEU"), ("日本", "JPN"), ("hanguo", "KOR")):
            await _type_in_select(pilot, "residence.country", typed)
            assert value_at(pilot, "residence.country") == code, typed


async def test_an_english_list_finds_a_chinese_name(make_app: AppFactory) -> None:
    seed(step="vaccination")
    async with make_app().run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await _type_in_select(pilot, "vaccinations.0.product", "科兴")
        assert value_at(pilot, "vaccinations.0.product") == "CoronaVac"


async def test_an_english_list_finds_pinyin_chinese_and_codes(make_app: AppFactory) -> None:
    """The same search as the Chinese list's: an English interface's user who knows the
    country as 美国 or meiguo finds it too."""
    seed(step="contact")
    async with make_app().run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        for typed, code in (("meiguo", "USA"), ("德国", "DEU"), ("kor", "KOR"), ("riben", "JPN")):
            await _type_in_select(pilot, "residence.country", typed)
            assert value_at(pilot, "residence.country") == code, typed


async def test_a_search_that_matches_nothing_picks_nothing(make_app: AppFactory) -> None:
    seed(step="vaccination")
    async with make_app("zh").run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await _type_in_select(pilot, "vaccinations.0.product", "cozzz")
        assert value_at(pilot, "vaccinations.0.product") == "EU/1/20/1528"  # as it was
