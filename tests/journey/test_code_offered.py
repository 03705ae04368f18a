"""Home offers ``g`` (the green code) only for a person with a code kept on this computer:
not while a declaration waits for review, and as soon as an approval's code has been kept."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from itdeclare.screens.certificate import CertificateScreen
from tests.journey.conftest import settle, until
from tests.journey.recorded_app import recorded_app


def offered(pilot: Pilot[Any]) -> set[str]:
    return {
        binding.key
        for _, binding, enabled, _ in pilot.app.screen.active_bindings.values()
        if enabled
    }


async def test_g_is_offered_once_a_code_is_kept() -> None:
    serving = ["pending"]
    app = recorded_app("pending", serve=lambda: serving[0], poll_interval=0.1)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await until(pilot, lambda: "s" in offered(pilot))  # the backend has answered
        assert "g" not in offered(pilot)
        serving[0] = "approved"  # approved: the next look keeps the code
        await until(pilot, lambda: "g" in offered(pilot))
        await pilot.press("g")
        await until(pilot, lambda: isinstance(app.screen, CertificateScreen))
