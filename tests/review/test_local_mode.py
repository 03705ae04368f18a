"""With no server configured the console needs no setup: it starts the embedded backend (SQLite in
the user data dir, here under tmp_path), makes a reviewer account for the consulate picked, keeps
its token encrypted, and reuses it the next time."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Select, Static

from itdeclare.client import ApiClient
from itdeclare.config import Settings
from itdeclare.i18n import Language
from itdeclare.local_backend import LocalBackend, LocalBackendError, add_reviewer_by_command
from itdeclare.models import DeclarationStatus
from itdeclare.review_app import ReviewerApp
from itdeclare.reviewing.context import ReviewContext
from itdeclare.screens.review.connect import ConnectScreen
from itdeclare.screens.review.queue import QueueScreen
from itdeclare.storage.reviewers import COLLECTION
from itdeclare.widgets.review.queue import QueueTable
from tests.review.conftest import declaration, settle

pytestmark = pytest.mark.slow


class CountingReviewers:
    """The operator's command, counted."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    def __call__(self, database_url: str, consulate: str) -> str:
        self.calls.append(consulate)
        return add_reviewer_by_command(database_url, consulate)


def local_app(made: CountingReviewers) -> ReviewerApp:
    settings = Settings(language="en")
    local = LocalBackend(settings, add_reviewer=made)
    return ReviewerApp(settings, context=ReviewContext(settings, local=local))


async def test_a_local_reviewer_is_made_once_and_sees_the_travellers_declaration(
    isolated_user_dirs: Path,
) -> None:
    made = CountingReviewers()
    app = local_app(made)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ConnectScreen)
        await pilot.press("enter")  # opens the list of consulates
        await pilot.press(*"SGP", "enter")  # typed to search, chosen
        await pilot.pause()
        assert app.screen.query_one("#consulate", Select).value == "SGP"
        await pilot.press("enter")  # "Open the queue", focused once a consulate is chosen
        await settle(pilot)
        assert isinstance(app.screen, QueueScreen)
        assert app.context.consulate == "SGP"
        url = app.context.local.url if app.context.local else None
        assert url is not None and url.startswith("http://127.0.0.1:")

        # A traveller files with the same local backend; the console's refresh shows it.
        async with ApiClient(url) as me:
            sent = await me.request_code("+14155550999")
            await me.sign_in("+14155550999", sent.dev_code or "")
            document = declaration(residence="SGP")
            person = await me.create_person(document.relationship, document.subject)
            filed = await me.submit_declaration(person.id, document, idempotency_key="local-1")
            await pilot.press("f5")
            await settle(pilot)
            assert [row.value for row in app.screen.query_one(QueueTable).rows] == [filed.id]
            await pilot.press("enter")
            await settle(pilot)
            await pilot.press("a", "y")
            await settle(pilot)
            assert (await me.get_declaration(filed.id)).status is DeclarationStatus.APPROVED
    assert made.calls == ["SGP"]

    # The token is kept encrypted at rest, private to the user.
    records = list((isolated_user_dirs / "data" / COLLECTION).glob("*.rec"))
    assert len(records) == 1
    assert records[0].stat().st_mode & 0o777 == 0o600

    # Next time the consulate is offered first and its reviewer is reused.
    again = local_app(made)
    async with again.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert again.screen.query_one("#consulate", Select).value == "SGP"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(again.screen, QueueScreen)
    assert made.calls == ["SGP"]


async def test_a_local_backend_that_cannot_start_is_explained(isolated_user_dirs: Path) -> None:
    class Broken(LocalBackend):
        def start(self) -> str:
            raise LocalBackendError("database is locked")

    settings = Settings(language="en")
    app = ReviewerApp(settings, context=ReviewContext(settings, local=Broken(settings)))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.screen.query_one("#consulate", Select).value = "ITA"
        await pilot.press("enter")
        await settle(pilot)
        status = str(app.screen.query_one("#status", Static).render())
        assert "database is locked" in status
        assert isinstance(app.screen, ConnectScreen)


def test_the_operators_command_failing_is_told(tmp_path: Path) -> None:
    with pytest.raises(LocalBackendError) as failed:
        add_reviewer_by_command(f"sqlite:///{tmp_path / 'x.sqlite3'}", "XXX")
    assert failed.value.reason


@pytest.mark.parametrize(
    ("language", "typed"),
    [("en", "united states"), ("en", "美国"), ("zh", "united states"), ("zh", "meiguo")],
)
async def test_a_consulate_is_found_by_its_name_in_either_language(
    isolated_user_dirs: Path, language: Language, typed: str
) -> None:
    """Typed without a pause, as a person types: the name finds it, not only the code."""
    settings = Settings(language=language)
    app = ReviewerApp(settings, context=ReviewContext(settings, local=LocalBackend(settings)))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("enter", *typed, "enter")
        await pilot.pause()
        assert app.screen.query_one("#consulate", Select).value == "USA"
