"""The status screen's keys promise only what they do: `g` says "Old code (not valid)" when the
code kept is not the valid code of the declaration that counts now, and opens it marked so."""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import Static

from itdeclare.i18n import Language
from itdeclare.screens.certificate import CertificateScreen
from itdeclare.screens.status import StatusScreen
from tests.journey.conftest import settle, until
from tests.journey.recorded_app import recorded_app

OLD = {"en": "Old code (not valid)", "zh": "旧码（已失效）"}
GREEN = {"en": "Green code", "zh": "绿色健康码"}


def g_key(pilot: Any) -> tuple[str, str]:
    binding = pilot.app.screen.active_bindings["g"].binding
    return binding.action, binding.description


async def open_status(pilot: Any) -> StatusScreen:
    await settle(pilot)
    await pilot.press("s")
    await until(pilot, lambda: isinstance(pilot.app.screen, StatusScreen))
    screen = pilot.app.screen
    assert isinstance(screen, StatusScreen)
    await until(pilot, lambda: screen.detail is not None and bool(screen.kept))
    await settle(pilot)
    return screen


@pytest.mark.parametrize("language", ["en", "zh"])
async def test_g_names_the_revoked_code_as_old_once_re_declared(language: Language) -> None:
    app = recorded_app("revoked", language, poll_interval=0.1)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_status(pilot)
        assert screen.detail is not None and screen.detail.status.value == "pending_review"
        assert g_key(pilot) == ("old_code", OLD[language])
        await pilot.press("g")
        await until(pilot, lambda: isinstance(app.screen, CertificateScreen))
        await settle(pilot)
        state = str(app.screen.query_one("#code-state", Static).content)
        assert state.startswith("REVOKED" if language == "en" else "已取消"), state


async def test_g_is_the_green_code_while_it_is_valid() -> None:
    app = recorded_app("approved", poll_interval=0.1)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_status(pilot)
        assert g_key(pilot) == ("code", GREEN["en"])


REVOKED_ON_SUBMIT = {
    "en": "Your green code stays valid until you submit the re-declaration. "
    "It is revoked when you submit it",
    "zh": "提交重新申报之前，您的绿色健康码仍然有效；提交时该码即被取消",
}


@pytest.mark.parametrize("language", ["en", "zh"])
async def test_the_re_declare_question_says_the_code_is_revoked_on_submission(
    language: Language,
) -> None:
    """Confirming opens the wizard and changes nothing yet: the question says the code is
    revoked when the re-declaration is submitted, not at once."""
    app = recorded_app("approved", language, poll_interval=0.1)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_status(pilot)
        await pilot.press("r")
        await until(pilot, lambda: app.screen.id == "redeclare")
        said = " ".join(str(s.content) for s in app.screen.query(".dialog--text").results(Static))
        assert REVOKED_ON_SUBMIT[language] in said, said
        await pilot.press("y")
        await until(pilot, lambda: app.screen is not screen and app.screen.id != "redeclare")
        await pilot.press("escape")  # out of the wizard, nothing submitted
        await until(pilot, lambda: app.screen is screen)
        await settle(pilot)
        assert screen.detail is not None and screen.detail.status.value == "approved"
        assert g_key(pilot)[0] == "code"  # the code is still valid
