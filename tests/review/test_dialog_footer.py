"""A dialog's footer names the dialog's keys: under the reject and confirm dialogs the footer
showed the declaration's keys (approve, reject, ask for material, "esc Queue") though none of
them works there and Escape cancels the dialog; at 80x24, in Chinese and English."""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets._footer import FooterKey

from itdeclare.i18n import Language, t
from itdeclare.screens.review.confirm import ConfirmDecision
from itdeclare.screens.review.note import NoteModal
from tests.review.conftest import settle
from tests.review.scripted import scripted_app
from tests.review.test_live_review import until


def hints(pilot: Pilot[Any]) -> set[str]:
    """The keys the footer shows, as ``key description``, over the whole screen: the dialog's
    footer is drawn over the one of the screen below it."""
    rows = pilot.app.size.height - 1
    return {
        f"{key.key_display} {key.description}"
        for key in pilot.app.screen.query(FooterKey)
        if key.region.y == rows
    }


@pytest.mark.parametrize("language", ["zh", "en"])
async def test_the_dialogs_show_their_own_keys(language: Language) -> None:
    app = scripted_app(language)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # the first declaration in the queue
        await settle(pilot)
        await pilot.press("r")
        await until(pilot, NoteModal)
        cancel = t("review.keys.cancel", language)
        assert f"esc {cancel}" in hints(pilot)
        assert not any(t("review.keys.approve", language) in hint for hint in hints(pilot))
        await pilot.press("enter", "enter")  # the first reason, then on to confirm it
        await until(pilot, ConfirmDecision)
        shown = hints(pilot)
        assert f"y {t('review.keys.confirm', language)}" in shown
        assert any(hint.endswith(f" {cancel}") and hint.startswith("n") for hint in shown)
        assert not any(t("review.keys.approve", language) in hint for hint in shown)
