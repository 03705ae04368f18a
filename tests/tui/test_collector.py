"""Both terminal apps start with the cyclic garbage collector paused (``itdeclare.cli``) and
resume it once their first screen is drawn: a long session must never run without it."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from itdeclare.cli import _APPS, _handler, parse_arguments
from itdeclare.config import Settings
from itdeclare.review_app import ReviewerApp
from tests.tui.conftest import AppFactory


@pytest.fixture
def collector_paused() -> Iterator[None]:
    """As ``itdeclare`` starts an app; the collector is running again after the test whatever
    happens in it."""
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


@pytest.mark.parametrize("argv", [[], ["--lang", "zh"], ["review"]])
def test_the_apps_are_the_commands_started_with_the_collector_paused(argv: list[str]) -> None:
    assert parse_arguments(argv).run in _APPS


def test_no_other_command_pauses_it() -> None:
    for argv in (["verify", "HC1:x"], ["serve"], ["validate", "x.json"], ["trust", "update"]):
        assert parse_arguments(argv).run not in _APPS


@pytest.mark.parametrize("path", sorted(_APPS))
def test_each_app_command_names_its_handler(path: str) -> None:
    assert callable(_handler(path))


@pytest.mark.usefixtures("collector_paused")
async def test_the_traveller_app_resumes_it_once_home_is_drawn(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert gc.isenabled()


@pytest.mark.usefixtures("collector_paused")
async def test_the_review_console_resumes_it_once_its_first_screen_is_drawn() -> None:
    app = ReviewerApp(Settings(language="en", server="http://review.test"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert gc.isenabled()
