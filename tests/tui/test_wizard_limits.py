"""A text that grows past its limit says so as it is typed, in the user's language, with the
models' own message; it says nothing more once it fits again."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot

from itdeclare.models import limits
from tests.tui.conftest import AppFactory
from tests.tui.driver import focus_loc, problem_at, settle, type_at
from tests.tui.seeds import seed

INSTITUTION = "tests.0.institution"


async def _clear(pilot: Pilot[object], loc: str) -> None:
    await focus_loc(pilot, loc)
    await pilot.press("end", "ctrl+u")


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "At most 28 characters (a Chinese character counts as two)"),
        ("zh", "最多 28 个字符（一个汉字按两个计）"),
    ],
)
async def test_an_institution_too_wide_is_said_as_it_is_typed(
    make_app: AppFactory, language: str, message: str
) -> None:
    assert limits.INSTITUTION == 28
    seed(step="tests")
    async with make_app(language).run_test(size=(100, 30)) as pilot:  # type: ignore[arg-type]
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await _clear(pilot, INSTITUTION)
        await type_at(pilot, INSTITUTION, "首尔临床检验中心首尔临床检验", leave=False)  # width 28
        assert problem_at(pilot, INSTITUTION) == ""
        await pilot.press("中")  # width 30, still typing: no Tab, no Enter
        assert problem_at(pilot, INSTITUTION) == message
        await pilot.press("backspace")
        assert problem_at(pilot, INSTITUTION) == ""


async def test_a_name_too_long_is_said_as_it_is_typed(make_app: AppFactory) -> None:
    seed(step="identity")
    async with make_app().run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await _clear(pilot, "subject.family_name")
        await type_at(pilot, "subject.family_name", "A" * (limits.LATIN_NAME + 1), leave=False)
        assert problem_at(pilot, "subject.family_name") == "At most 30 characters"
