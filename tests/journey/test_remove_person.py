"""Removing a person from home: refused while a declaration of theirs is live (its trip not
over), since the review service keeps it and the app would lose it and its green code for good;
allowed, with the usual question, once the trip is over."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from itdeclare.i18n import Language
from itdeclare.journey.live import live_declaration, trip_over_at
from itdeclare.models import DeclarationStatus
from itdeclare.screens.confirm import ConfirmModal
from itdeclare.screens.home import HomeScreen
from itdeclare.storage.records import Certificate, Draft
from itdeclare.storage.state import LocalState
from tests.journey.conftest import settle, until
from tests.journey.recorded_app import recorded_app
from tests.tui.seeds import complete_form

REFUSED = {
    "en": "cannot be removed yet: their declaration is still live (its trip is not over). "
    "Removing them would lose that declaration and its green code kept on this computer",
    "zh": "暂时不能删除张三 ZHANG SAN：此人的申报仍然有效（行程尚未结束）。"
    "删除后，本机将失去该申报及保存在本机的绿色健康码",
}
WHEN = {"en": "They can be removed once the trip is over, after ", "zh": "行程结束后（"}


def notifications(pilot: Any) -> list[str]:
    return [notification.message for notification in pilot.app._notifications]


@pytest.mark.parametrize("language", ["en", "zh"])
async def test_a_person_with_an_approved_live_declaration_is_not_removed(
    language: Language,
) -> None:
    app = recorded_app("approved", language, serve="down", poll_interval=0.1)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)  # no question: the answer would be no
        said = notifications(pilot)
        assert any(REFUSED[language] in text and WHEN[language] in text for text in said), said
        await pilot.press("y")  # nothing was asked: nothing happens
        await settle(pilot)
        state = LocalState()
        assert len(state.people.list()) == 1
        assert any(d.submitted_as for d in state.drafts.list())
        assert len(state.certificates.list()) == 1


async def test_once_the_trip_is_over_the_person_can_be_removed() -> None:
    app = recorded_app("approved", serve="down", poll_interval=0.1)
    kept = LocalState().certificates.list()[0]
    app.context.clock = lambda: kept.expires_at + timedelta(seconds=1)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("x")
        await until(pilot, lambda: isinstance(app.screen, ConfirmModal))
        await pilot.press("y")
        await settle(pilot)
        await until(pilot, lambda: not LocalState().people.list())
        assert not [d for d in LocalState().drafts.list() if d.person_id is not None]


NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def _code(expires_at: datetime, status: DeclarationStatus) -> Certificate:
    return Certificate(
        payload="HC1:x",
        declaration_id="d1",
        person_id="p",
        issued_at=NOW - timedelta(days=1),
        expires_at=expires_at,
        status=status,
    )


def test_a_trip_is_over_a_day_after_its_flight_into_china_lands() -> None:
    # complete_form's flight lands at PVG on 2026-12-02 17:00, Shanghai time
    assert trip_over_at(complete_form(), NOW) == datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
    assert trip_over_at(complete_form(itinerary=[]), NOW) is None


def test_what_is_live_by_the_local_records() -> None:
    filed = Draft(person_id="p", declaration=complete_form(), submitted_as="d1")
    typed = Draft(person_id="p", declaration=complete_form())
    # submitted, no code yet: live until a day after landing
    pending = live_declaration("p", [filed], [], NOW)
    assert pending is not None and not pending.code_kept
    assert pending.until == datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
    # never submitted, or someone else's: nothing live
    assert live_declaration("p", [typed], [], NOW) is None
    assert live_declaration("q", [filed], [], NOW) is None
    # after the trip is over
    assert live_declaration("p", [filed], [], NOW + timedelta(days=3)) is None
    # a kept code, valid: live, with the code; a revoked one is not a code to lose
    valid = _code(NOW + timedelta(days=2), DeclarationStatus.APPROVED)
    with_code = live_declaration("p", [], [valid], NOW)
    assert with_code is not None and with_code.code_kept
    revoked_code = _code(NOW + timedelta(days=2), DeclarationStatus.REVOKED)
    revoked = live_declaration("p", [], [revoked_code], NOW)
    assert revoked is not None and not revoked.code_kept
    # a submitted draft that does not say when it lands: live, until unknown
    unread = Draft(person_id="p", declaration=complete_form(itinerary=[]), submitted_as="d1")
    unknown = live_declaration("p", [unread], [], NOW + timedelta(days=30))
    assert unknown is not None and unknown.until is None
