"""The sign-in dialog at the sizes the console is used at: the list of consulates opens inside
the dialog, over none of its border (nor the footer below it), in Chinese and English."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Select
from textual.widgets._select import SelectOverlay

from itdeclare.config import Settings
from itdeclare.i18n import Language
from itdeclare.local_backend import LocalBackend
from itdeclare.review_app import ReviewerApp
from itdeclare.reviewing.context import ReviewContext
from itdeclare.screens.review.connect import ConnectScreen
from tests.review.conftest import settle


@pytest.mark.parametrize("language", ["zh", "en"])
@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_the_consulate_list_opens_inside_the_dialog(
    isolated_user_dirs: Path, language: Language, size: tuple[int, int]
) -> None:
    settings = Settings(language=language)
    app = ReviewerApp(settings, context=ReviewContext(settings, local=LocalBackend(settings)))
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ConnectScreen)
        await pilot.press("enter")  # opens the list
        await pilot.pause()
        assert app.screen.query_one("#consulate", Select).expanded
        dialog = app.screen.query_one("#connect")
        inside = dialog.region.shrink(dialog.styles.border.spacing)
        listed = app.screen.query_one(SelectOverlay).region
        assert listed.height >= 5, listed  # room for a few consulates at least
        assert inside.intersection(listed) == listed, (listed, inside)
        assert listed.bottom <= size[1] - 1  # the footer's row stays clear
