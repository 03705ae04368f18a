"""Before the backend has answered (the embedded one takes seconds to start; a server may be
down), home shows each person's last known state from the local records, marked as not yet
refreshed, and ``g`` shows the kept green code."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from textual.pilot import Pilot

from itdeclare.i18n import Language
from itdeclare.journey.people import kept_views
from itdeclare.models import DeclarationStatus, Relationship
from itdeclare.screens.certificate import CertificateScreen
from itdeclare.storage.records import Certificate, Draft, Person
from itdeclare.storage.state import LocalState
from itdeclare.widgets.journey.qr import QrCode
from itdeclare.widgets.people.table import PeopleTable
from tests.journey.conftest import settle, until
from tests.journey.recorded_app import recorded_app
from tests.journey.screen_qr import read_from_screen

STALE = {"en": "approved (not yet refreshed)", "zh": "复核通过（尚未刷新）"}
FRESH = {"en": "approved", "zh": "复核通过"}
NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
PENDING, EXPIRED = DeclarationStatus.PENDING_REVIEW, DeclarationStatus.EXPIRED


def states(pilot: Pilot[Any]) -> list[str]:
    table = pilot.app.screen.query_one(PeopleTable)
    return [row.state_text for row in table.rows_shown]


@pytest.mark.parametrize("language", ["en", "zh"])
async def test_before_the_backend_answers_home_shows_the_kept_state(language: Language) -> None:
    serving = ["down"]  # the backend is not up yet
    app = recorded_app("approved", language, serve=lambda: serving[0], poll_interval=0.1)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert states(pilot) == [STALE[language]]
        serving[0] = "approved"  # up: the next look refreshes it
        await until(pilot, lambda: states(pilot) == [FRESH[language]])


@pytest.mark.parametrize("draft_kept", [True, False])
async def test_g_shows_the_kept_code_before_the_backend_answers(draft_kept: bool) -> None:
    """With or without the submitted draft on this computer (filed elsewhere, or its draft
    removed): the kept code is enough to show."""
    app = recorded_app("approved", serve="down", poll_interval=0.1)
    if not draft_kept:
        drafts = LocalState().drafts
        for draft in drafts.list():
            drafts.delete(draft.id)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("g")
        await until(pilot, lambda: isinstance(app.screen, CertificateScreen))
        screen = app.screen
        assert isinstance(screen, CertificateScreen)
        await until(pilot, lambda: screen.lines is not None)
        await settle(pilot)
        assert read_from_screen(screen.query_one(QrCode)) == screen.certificate.payload


async def test_a_submitted_declaration_without_a_code_is_pending_until_refreshed() -> None:
    app = recorded_app("pending", serve="down", poll_interval=0.1)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert states(pilot) == ["pending review (not yet refreshed)"]


def _kept(declaration_id: str, status: DeclarationStatus = DeclarationStatus.APPROVED) -> Any:
    return Certificate(
        payload="HC1:x",
        declaration_id=declaration_id,
        person_id="p",
        issued_at=NOW - timedelta(days=1),
        expires_at=NOW + timedelta(days=2),
        status=status,
    )


def test_the_kept_state_follows_the_declaration_that_counts_now() -> None:
    me = Person(id="p", relationship=Relationship.SELF)
    filed = Draft(person_id="p", submitted_as="d1")
    redeclared = Draft(person_id="p", submitted_as="d2", replaces="d1")
    approved = kept_views([me], [filed], [_kept("d1")], NOW)["p"]
    assert (approved.status, approved.stale) == (DeclarationStatus.APPROVED, True)
    # a re-declaration waits for review: its code (if any) is not kept yet
    assert kept_views([me], [filed, redeclared], [_kept("d1")], NOW)["p"].status is PENDING
    later = NOW + timedelta(days=3)  # past the code's expiry
    assert kept_views([me], [filed], [_kept("d1")], later)["p"].status is EXPIRED
    revoked = _kept("d1", DeclarationStatus.REVOKED)
    assert kept_views([me], [], [revoked], NOW)["p"].status is DeclarationStatus.REVOKED
    assert kept_views([me], [Draft(person_id="p")], [], NOW) == {}  # typed, never filed
