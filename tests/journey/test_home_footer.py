"""Home's footer at 80 columns: every key hint it shows is whole (none drawn over another or
past the edge), in Chinese and English, with every key offered (an approved declaration)."""

from __future__ import annotations

from itertools import pairwise
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets._footer import FooterKey

from itdeclare.i18n import Language
from tests.journey.conftest import settle, until
from tests.journey.recorded_app import recorded_app


def hints(pilot: Pilot[Any]) -> list[tuple[int, int, str]]:
    """Each hint's first and last column and its text, left to right."""
    keys = pilot.app.screen.query(FooterKey)
    return sorted((k.region.x, k.region.right, f"{k.key_display} {k.description}") for k in keys)


@pytest.mark.parametrize("language", ["zh", "en"])
@pytest.mark.parametrize("width", [80, 120])
async def test_every_hint_is_whole(language: Language, width: int) -> None:
    app = recorded_app("approved", language)
    async with app.run_test(size=(width, 24)) as pilot:
        await settle(pilot)
        for _ in ("as started", "in the other language"):
            await until(pilot, lambda: any(key.key == "g" for key in app.screen.query(FooterKey)))
            await pilot.pause(0.1)
            check_hints(hints(pilot), width)
            await pilot.press("f2")
            await settle(pilot)


def check_hints(shown: list[tuple[int, int, str]], width: int) -> None:
    for (_, end, text), (start, _, after) in pairwise(shown):
        assert end <= start, f"{text!r} is drawn over by {after!r}: {shown}"
    assert shown[-1][1] <= width, shown
    texts = [text for _, _, text in shown]
    assert any(text.startswith("⏎") for text in texts) and any("f2" in t for t in texts)
    if width >= 120:  # room for all: quit and the palette too
        assert any(t.startswith("^q") for t in texts) and any("^p" in t for t in texts)
