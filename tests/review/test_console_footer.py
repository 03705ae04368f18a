"""The console's footers at 80 columns: every key hint shown is whole (none drawn over another
or cut at the edge), in Chinese and English, on the queue and on an opened declaration (which
offers the most keys: there, quit and next are left out when there is no room, as is the
palette's key; ctrl+c says how to quit, and the keys work unshown)."""

from __future__ import annotations

from itertools import pairwise

import pytest
from textual.widgets._footer import FooterKey

from itdeclare.i18n import Language
from itdeclare.review_app import ReviewerApp
from tests.review.conftest import settle
from tests.review.scripted import scripted_app


def check_hints(app: ReviewerApp, width: int) -> None:
    shown = sorted(
        (key.region.x, key.region.right, f"{key.key_display} {key.description}")
        for key in app.screen.query(FooterKey)
    )
    for (_, end, text), (start, _, after) in pairwise(shown):
        assert end <= start, f"{text!r} is drawn over by {after!r}: {shown}"
    assert shown[-1][1] <= width, shown
    assert any(text.startswith("f2 ") for _, _, text in shown), shown


@pytest.mark.parametrize("language", ["zh", "en"])
@pytest.mark.parametrize("width", [80, 120])
async def test_every_hint_is_whole(language: Language, width: int) -> None:
    app = scripted_app(language)
    async with app.run_test(size=(width, 30)) as pilot:
        await settle(pilot)
        check_hints(app, width)
        await pilot.press("enter")  # the first declaration in the queue
        await settle(pilot)
        await pilot.pause(0.1)
        check_hints(app, width)
