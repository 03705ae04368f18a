"""The wizard's footer at 80 columns: on every step, every key hint it shows is whole (none
drawn over another or cut at the edge), in Chinese and English. Quit is the key left out when
there is no room (ctrl+c says how to quit, and home's footer shows it)."""

from __future__ import annotations

from itertools import pairwise

import pytest
from textual.widgets._footer import FooterKey

from itdeclare.i18n import Language
from itdeclare.journey.form import STEP_IDS
from tests.tui.conftest import AppFactory
from tests.tui.driver import settle
from tests.tui.seeds import complete_form, seed


@pytest.mark.parametrize("language", ["zh", "en"])
@pytest.mark.parametrize("step", STEP_IDS)
async def test_every_hint_is_whole_at_80_columns(
    make_app: AppFactory, language: Language, step: str
) -> None:
    seed(complete_form(), step=step)
    app = make_app(language)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.pause(0.1)
        shown = sorted(
            (key.region.x, key.region.right, f"{key.key_display} {key.description}")
            for key in app.screen.query(FooterKey)
        )
        for (_, end, text), (start, _, after) in pairwise(shown):
            assert end <= start, f"{text!r} is drawn over by {after!r}: {shown}"
        assert shown[-1][1] <= 80, shown
        assert any(text.startswith("f2 ") for _, _, text in shown), shown
