"""The tests' reports, driven through the app against the real backend on loopback: attached
to their tests in the wizard, uploaded with the submission, seen by the reviewer beside the
tests; an upload that fails is taken up on the next attempt without sending anything twice."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from itdeclare.client import ApiClient, Unreachable
from itdeclare.reviewing.fields import sections
from itdeclare.screens.wizard import WizardScreen
from itdeclare.storage.state import LocalState
from itdeclare.widgets.wizard.reports import ReportsView
from tests.journey.conftest import AppFactory, next_consulate, settle, until
from tests.journey.test_journey import filing_form, sign_in_when_asked, status_screen
from tests.server import uploads
from tests.tui.seeds import seed

pytestmark = pytest.mark.slow


def _files(tmp_path: Path) -> tuple[Path, Path]:
    pdf, png = tmp_path / "pcr report.pdf", tmp_path / "igm.png"
    pdf.write_bytes(uploads.pdf())
    png.write_bytes(uploads.image("PNG", (40, 30)))
    return pdf, png


async def _attach(pilot: Pilot[Any], test_index: int, path: Path) -> None:
    """On the reports step: the test's Attach button, then the path typed in the picker."""
    app = pilot.app
    view = app.screen.query_one(ReportsView)
    before = len(view.draft.reports)
    await pilot.click(f"#attach-{test_index}")
    await until(pilot, lambda: app.screen.id == "file-picker")
    app.screen.query_one("#file-path", Input).value = str(path)
    app.screen.query_one("#file-path", Input).focus()
    await pilot.press("enter")
    await until(pilot, lambda: isinstance(app.screen, WizardScreen))
    await until(pilot, lambda: len(view.draft.reports) == before + 1)
    await settle(pilot)


async def _to_review_and_submit(pilot: Pilot[Any], *, sign_in: bool) -> None:
    wizard = pilot.app.screen
    assert isinstance(wizard, WizardScreen)
    await wizard.go_to("review")
    await settle(pilot)
    await pilot.press("ctrl+n")
    if sign_in:
        await sign_in_when_asked(pilot)


async def test_reports_attached_to_tests_reach_the_reviewer_beside_them(
    make_app: AppFactory, reviewer: Callable[[str], ApiClient], tmp_path: Path
) -> None:
    consulate = next_consulate()
    _, draft = seed(filing_form(consulate), step="reports")
    pdf, png = _files(tmp_path)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, WizardScreen)
        assert app.screen.step.id == "reports"
        await _attach(pilot, 0, pdf)
        await _attach(pilot, 1, png)
        shown = " ".join(str(label.content) for label in app.screen.query("Label"))
        assert "pcr report.pdf" in shown and "igm.png" in shown
        # Kept in the draft store at once, with their copies: a crash now loses nothing.
        kept = LocalState().drafts.load(draft.id)
        assert kept is not None
        linked = [(r.name, r.test_index) for r in kept.reports]
        assert linked == [("pcr report.pdf", 0), ("igm.png", 1)]
        assert LocalState().reports.read(kept.reports[0].sha256) == pdf.read_bytes()

        await _to_review_and_submit(pilot, sign_in=True)
        await until(pilot, lambda: app.screen.id == "status")
        screen = status_screen(app)
        await until(pilot, lambda: screen.detail is not None)
        assert screen.detail is not None
        declaration_id = screen.detail.id

    opened = await reviewer(consulate).get_review(declaration_id)
    linked = sorted((a.test_index, a.content_type) for a in opened.attachments)
    assert linked == [(0, "application/pdf"), (1, "image/png")]
    first = next(a for a in opened.attachments if a.test_index == 0)
    got = await reviewer(consulate).get_review_attachment(declaration_id, first.id)
    assert got == pdf.read_bytes()
    # The console's fields tab names each test's file beside it.
    laid_out = sections(opened.declaration, opened.attachments)
    rows = {row.loc: row.value for section in laid_out for row in section.rows}
    assert "PDF" in rows["tests.0.reports"] and "PNG" in rows["tests.1.reports"]
    sent = LocalState().drafts.load(draft.id)
    assert sent is not None
    assert all(r.uploaded_to == declaration_id and r.uploaded_as for r in sent.reports)


async def test_a_failed_upload_is_taken_up_on_the_next_attempt_without_sending_twice(
    make_app: AppFactory,
    reviewer: Callable[[str], ApiClient],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    consulate = next_consulate()
    _, draft = seed(filing_form(consulate), step="reports")
    pdf, png = _files(tmp_path)
    original = ApiClient.upload_attachment
    sent: list[int | None] = []

    async def answer_lost_for_the_png(self: ApiClient, *args: Any, **kwargs: Any) -> Any:
        """The PNG reaches the backend, but its answer is lost (as a network failing after
        the backend acted): the app cannot know it was stored."""
        stored = await original(self, *args, **kwargs)
        sent.append(kwargs.get("test_index"))
        if stored.content_type == "image/png":
            raise Unreachable(detail="connection reset")
        return stored

    monkeypatch.setattr(ApiClient, "upload_attachment", answer_lost_for_the_png)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await _attach(pilot, 0, pdf)
        await _attach(pilot, 1, png)
        await _to_review_and_submit(pilot, sign_in=True)
        wizard = app.screen
        assert isinstance(wizard, WizardScreen)
        await until(pilot, lambda: "were not sent" in " ".join(_notes(app)))
        assert isinstance(app.screen, WizardScreen)  # still there, to try again
        filed = wizard.draft.submitted_as
        assert filed is not None
        assert sent == [0, 1]

        monkeypatch.setattr(ApiClient, "upload_attachment", original)
        await pilot.press("ctrl+n")  # submit again: not filed again, the rest is sent
        await until(pilot, lambda: app.screen.id == "status")

    opened = await reviewer(consulate).get_review(filed)
    assert sorted(a.test_index for a in opened.attachments) == [0, 1]  # nothing twice
    assert sent == [0, 1]  # the PNG the backend held was found, not sent again
    kept = LocalState().drafts.load(draft.id)
    assert kept is not None and kept.submitted_as == filed
    assert all(r.uploaded_to == filed for r in kept.reports)


def _notes(app: Any) -> list[str]:
    return [str(notification.message) for notification in app._notifications]


async def test_reports_left_when_the_app_closed_go_on_the_next_start(
    make_app: AppFactory,
    reviewer: Callable[[str], ApiClient],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    consulate = next_consulate()
    _, draft = seed(filing_form(consulate), step="reports")
    pdf, _ = _files(tmp_path)
    original = ApiClient.upload_attachment

    async def network_down(self: ApiClient, *args: Any, **kwargs: Any) -> Any:
        raise Unreachable(detail="network down")

    monkeypatch.setattr(ApiClient, "upload_attachment", network_down)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await _attach(pilot, 0, pdf)
        await _to_review_and_submit(pilot, sign_in=True)
        await until(pilot, lambda: "were not sent" in " ".join(_notes(app)))
        wizard = app.screen
        assert isinstance(wizard, WizardScreen)
        filed = wizard.draft.submitted_as
        assert filed is not None
        await pilot.press("escape")  # the traveller gives up and closes the app
        await settle(pilot)

    monkeypatch.setattr(ApiClient, "upload_attachment", original)
    officer = reviewer(consulate)
    assert (await officer.get_review(filed)).attachments == []
    again = make_app()  # the next start: the home screen looks at the declarations
    async with again.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        for _ in range(200):
            kept = LocalState().drafts.load(draft.id)
            if kept is not None and all(r.uploaded_as for r in kept.reports):
                break
            await pilot.pause(0.1)
    opened = await officer.get_review(filed)
    assert [(a.test_index, a.content_type) for a in opened.attachments] == [(0, "application/pdf")]
