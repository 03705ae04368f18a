"""A re-declaration carries the test certificates attached to the version it replaces: they are
shown at the certificates step and go to the new declaration with it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image
from textual.widgets import Static

from itdeclare.client import ApiClient, Decision
from itdeclare.journey import reports
from itdeclare.screens.wizard import WizardScreen
from itdeclare.storage.state import LocalState
from tests.journey.conftest import AppFactory, next_consulate, settle, until
from tests.journey.test_journey import filing_form, status_screen, submit_draft
from tests.tui.seeds import seed

pytestmark = pytest.mark.slow


async def test_a_redeclaration_sends_the_certificates_attached_before_again(
    make_app: AppFactory, reviewer: Callable[[str], ApiClient], tmp_path: Path
) -> None:
    consulate = next_consulate()
    form = filing_form(consulate)
    _, draft = seed(form, step="review")
    state = LocalState()
    png = tmp_path / "pcr.png"
    Image.new("RGB", (40, 40), "white").save(png)
    reports.attach(draft, state.reports, 0, png)
    state.drafts.save(draft)
    app = make_app()
    async with app.run_test(size=(130, 60)) as pilot:
        await settle(pilot)
        first = (await submit_draft(pilot)).detail
        assert first is not None and len(first.attachments) == 1
        await reviewer(consulate).decide(first.id, Decision.APPROVE)
        await until(pilot, lambda: "approved" in str(status_screen(app).detail))

        await pilot.press("r")
        await until(pilot, lambda: app.screen.id == "redeclare")
        await pilot.press("y")
        await until(pilot, lambda: isinstance(app.screen, WizardScreen))
        wizard = app.screen
        assert isinstance(wizard, WizardScreen)
        await wizard.go_to("reports")
        await settle(pilot)
        shown = " ".join(str(s.content) for s in wizard.query(Static).results(Static))
        assert "pcr.png" in shown
        assert shown.count("No certificate attached yet") == 1  # the second test's: none sent

        await wizard.go_to("review")
        await settle(pilot)
        await pilot.press("space")
        await pilot.press("ctrl+n")
        await until(pilot, lambda: app.screen.id == "status")
        screen = status_screen(app)
        await until(pilot, lambda: screen.detail is not None and screen.detail.id != first.id)
        assert screen.detail is not None
        [attached] = screen.detail.attachments
        assert (attached.sha256, attached.test_index) == (first.attachments[0].sha256, 0)
