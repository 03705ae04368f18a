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
