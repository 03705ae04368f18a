"""The console driven by keys against the real backend on loopback, with the traveller's side
checked through the client: a queue worked through with all three decisions, an answer to a
request for material reviewed again, attachments opened, and two consoles racing."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Static

from itdeclare.client import ApiClient, Conflict, Decision
from itdeclare.i18n import t
from itdeclare.models import DeclarationStatus
from itdeclare.review_app import ReviewerApp
from itdeclare.screens.review.confirm import ConfirmDecision
from itdeclare.screens.review.connect import ConnectScreen
from itdeclare.screens.review.declaration import DeclarationScreen
from itdeclare.screens.review.note import NoteModal
from itdeclare.screens.review.queue import QueueScreen
from itdeclare.widgets.review.attachments import AttachmentList
from itdeclare.widgets.review.audit import AuditTrail
from itdeclare.widgets.review.queue import CountsBar, QueueTable
from itdeclare.widgets.review.versions import ChangeTable
from tests.review.conftest import (
    AppFactory,
    Backend,
    OpenedFiles,
    Traveller,
    declaration,
    png_file,
    settle,
)

pytestmark = pytest.mark.slow

PEOPLE = [
    ("ZHANG", "SAN", "张三", "self"),
    ("LI", "SI", "李四", "parent"),
    ("WANG", "WU", None, "child"),
    ("ZHAO", "LIU", "赵六", "spouse"),
]


async def file_people(me: Traveller, consulate: str, count: int = len(PEOPLE)) -> list[str]:
    ids = []
    for family, given, chinese, relationship in PEOPLE[:count]:
        document = declaration(
            residence=consulate,
            family=family,
            given=given,
            chinese=chinese,
            relationship=relationship,
        )
        ids.append(await me.file(document))
    return ids


async def until(pilot: Pilot[Any], kind: type[Screen[Any]], rounds: int = 100) -> Any:
    """The screen of ``kind``, once it is the one shown."""
    for _ in range(rounds):
        if isinstance(pilot.app.screen, kind):
            await pilot.pause()
            return pilot.app.screen
        await pilot.pause(0.02)
    raise AssertionError(f"{kind.__name__} never showed; {pilot.app.screen!r} did")


def shown_ids(app: ReviewerApp) -> list[str]:
    table = app.screen.query_one(QueueTable)
    return [str(row.value) for row in table.rows]


def outcome(app: ReviewerApp) -> str:
    return str(app.screen.query_one("#outcome", Static).render())


async def approve(pilot: Pilot[Any]) -> None:
    await pilot.press("a")
    await until(pilot, ConfirmDecision)
    await pilot.press("y")


async def reject_with_first_reason(pilot: Pilot[Any], extra: str = "") -> None:
    await pilot.press("r")
    await until(pilot, NoteModal)
    await pilot.press("enter")  # the first reason offered, copied into the note
    await pilot.press("end", *extra)
    await pilot.press("enter")
    await until(pilot, ConfirmDecision)
    await pilot.press("y")


async def ask_for_material(pilot: Pilot[Any], message: str) -> None:
    await pilot.press("s")
    await until(pilot, NoteModal)
    await pilot.press("tab", *message, "enter")
    await until(pilot, ConfirmDecision)
    await pilot.press("y")


async def test_a_queue_worked_through_with_all_three_decisions(
    traveller: Callable[[], Awaitable[Traveller]],
    reviewer_token: Callable[[str], str],
    console: AppFactory,
    opened_files: OpenedFiles,
    tmp_path: Any,
) -> None:
    consulate = "CAN"
    me = await traveller()
    ids = await file_people(me, consulate)
    app = console(reviewer_token(consulate))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, QueueScreen)
        assert shown_ids(app) == ids  # first come, first served
        counts = str(app.screen.query_one(CountsBar).render())
        assert "In queue 4" in counts
        assert "pending review 4" in counts

        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DeclarationScreen)
        assert screen.declaration_id == ids[0]

        await approve(pilot)
        await settle(pilot)
        assert app.screen is screen and screen.declaration_id == ids[1]  # the next, at once

        await reject_with_first_reason(pilot, " UA857")
        await settle(pilot)
        assert screen.declaration_id == ids[2]

        await ask_for_material(pilot, "Upload the lab report")
        await settle(pilot)
        assert screen.declaration_id == ids[3]

        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, QueueScreen)
        assert shown_ids(app) == [ids[2], ids[3]]  # waiting for material keeps its place

    # The traveller sees each outcome.
    approved = await me.api.get_declaration(ids[0])
    rejected = await me.api.get_declaration(ids[1])
    asked = await me.api.get_declaration(ids[2])
    assert approved.status is DeclarationStatus.APPROVED
    assert rejected.status is DeclarationStatus.REJECTED
    assert rejected.review_note == t("review.reason.reject.test_window", "en") + " UA857"
    assert asked.status is DeclarationStatus.SUPPLEMENT_REQUESTED
    assert asked.review_note == "Upload the lab report"
    assert (await me.api.get_declaration(ids[3])).status is DeclarationStatus.PENDING_REVIEW
    if (await me.api.healthz()).certificates:
        assert (await me.api.get_certificate(ids[0])).payload.startswith("HC1:")

    # The traveller answers with a file; the console reviews it again and opens the file.
    report = png_file(tmp_path / "report.png")
    stored = await me.api.upload_attachment(ids[2], report)
    await me.api.send_supplement(ids[2], "Here is the report", [stored.id])
    app = console(reviewer_token(consulate))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert shown_ids(app) == [ids[2], ids[3]]
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DeclarationScreen)
        assert screen.declaration_id == ids[2]
        await pilot.press("o")
        await settle(pilot)
        assert len(opened_files) == 1
        assert opened_files[0].read_bytes() == report.read_bytes()
        assert opened_files[0].stat().st_mode & 0o777 == 0o600
        assert opened_files[0].parent.stat().st_mode & 0o777 == 0o700
        note = str(screen.query_one("#file-note", Static).render())
        assert "SHA-256 checked" in note
        await pilot.press("5")
        assert (
            screen.query_one(AuditTrail).row_count == 3
        )  # submitted, material requested, material supplied
        await approve(pilot)
        await settle(pilot)
        assert screen.declaration_id == ids[3]
    assert (await me.api.get_declaration(ids[2])).status is DeclarationStatus.APPROVED
    assert not opened_files[0].exists()  # the private copies go with the console


async def test_a_redeclaration_shows_what_changed(
    traveller: Callable[[], Awaitable[Traveller]],
    reviewer_token: Callable[[str], str],
    console: AppFactory,
) -> None:
    consulate = "AUS"
    me = await traveller()
    [first] = await file_people(me, consulate, 1)
    changed = declaration(residence=consulate, employer="Other Co.", number="E10000001")
    second = (await me.api.redeclare(first, changed)).id
    app = console(reviewer_token(consulate))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert shown_ids(app) == [second]  # the cancelled one left the queue
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("4")
        await pilot.pause()
        changes = app.screen.query_one(ChangeTable).changes
        employer = [change for change in changes if change.loc == "employer"]
        assert [(c.old, c.new) for c in employer] == [("Example Co.", "Other Co.")]


async def test_no_viewer_shows_the_files_metadata(
    traveller: Callable[[], Awaitable[Traveller]],
    reviewer_token: Callable[[str], str],
    console: AppFactory,
    tmp_path: Any,
) -> None:
    consulate = "NZL"
    me = await traveller()
    [filed] = await file_people(me, consulate, 1)
    stored = await me.api.upload_attachment(filed, png_file(tmp_path / "scan.png"))
    app = console(reviewer_token(consulate), find_opener=lambda: None)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("3", "o")
        await settle(pilot)
        panel = app.screen.query_one(AttachmentList)
        note = str(panel.query_one("#file-note", Static).render())
        info = str(panel.query_one("#file-info", Static).render())
        assert "No file viewer" in note
        assert stored.sha256 in info and "image/png" in info
        assert stored.sha256 not in note  # the metadata is shown once, not repeated in the note


# --- two consoles, one declaration ------------------------------------------------------


async def open_first(pilot: Pilot[Any]) -> DeclarationScreen:
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, DeclarationScreen)
    return screen


async def decisions(me: Traveller, declaration_id: str) -> list[str | None]:
    history = (await me.api.get_declaration(declaration_id)).history
    return [step.action for step in history if step.actor == "reviewer"]


async def test_two_consoles_confirming_at_once_one_wins_the_other_is_told(
    traveller: Callable[[], Awaitable[Traveller]],
    reviewer_token: Callable[[str], str],
    console: AppFactory,
) -> None:
    consulate = "GBR"
    me = await traveller()
    ids = await file_people(me, consulate, 2)
    one, two = console(reviewer_token(consulate)), console(reviewer_token(consulate))
    async with one.run_test(size=(120, 40)) as p1, two.run_test(size=(120, 40)) as p2:
        first, second = await open_first(p1), await open_first(p2)
        assert first.declaration_id == second.declaration_id == ids[0]
        await p1.press("a")
        await until(p1, ConfirmDecision)
        await p2.press("r")
        await until(p2, NoteModal)
        await p2.press("enter", "enter")
        await until(p2, ConfirmDecision)
        await asyncio.gather(p1.press("y"), p2.press("y"))
        await settle(p1)
        await settle(p2)
        winners = [s for s in (first, second) if s.declaration_id == ids[1]]
        losers = [s for s in (first, second) if s.declaration_id == ids[0]]
        assert len(winners) == 1 and len(losers) == 1
        loser_app = one if losers[0] is first else two
        assert t("review.declaration.decided_meanwhile", "en") in outcome(loser_app)
        assert loser_app.screen.allows(Decision.APPROVE) is False  # shown as decided now
    assert len(await decisions(me, ids[0])) == 1


async def test_a_console_with_a_stale_view_is_told_before_anything_is_sent(
    traveller: Callable[[], Awaitable[Traveller]],
    reviewer_token: Callable[[str], str],
    console: AppFactory,
) -> None:
    """One reviewer asked for material while the other still looked at the declaration: the
    status machine would let the second reject it, but the console sees it changed."""
    consulate = "DEU"
    me = await traveller()
    ids = await file_people(me, consulate, 2)
    one, two = console(reviewer_token(consulate)), console(reviewer_token(consulate))
    async with one.run_test(size=(120, 40)) as p1, two.run_test(size=(120, 40)) as p2:
        await open_first(p1)
        late = await open_first(p2)
        await ask_for_material(p1, "Upload the report")
        await settle(p1)
        await reject_with_first_reason(p2)
        await settle(p2)
        assert late.declaration_id == ids[0]
        told = outcome(two)
        assert t("review.declaration.decided_meanwhile", "en") in told
        assert "supplementary material requested" in told
    assert await decisions(me, ids[0]) == ["request_supplement"]


class DecidedJustBefore(httpx.AsyncBaseTransport):
    """The network of a console that is a moment late: just before its decision reaches the
    server, another reviewer's decision on the same declaration does."""

    def __init__(self, other: ApiClient, decision: Decision = Decision.APPROVE) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.other = other
        self.decision = decision

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.method == "POST" and request.url.path.endswith("/decision"):
            declaration_id = request.url.path.split("/")[-2]
            note = None if self.decision is Decision.APPROVE else "Upload the report"
            await self.other.decide(declaration_id, self.decision, note)
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


async def test_the_backend_refusing_a_second_decision_is_shown(
    backend: Backend,
    traveller: Callable[[], Awaitable[Traveller]],
    reviewer_token: Callable[[str], str],
    console: AppFactory,
) -> None:
    consulate = "FRA"
    me = await traveller()
    ids = await file_people(me, consulate, 1)
    async with ApiClient(backend.url, token=reviewer_token(consulate)) as other:
        seen = (await other.get_review(ids[0])).updated_at

        def late_client(url: str, token: str) -> ApiClient:
            return ApiClient(url, token=token, transport=DecidedJustBefore(other))

        app = console(reviewer_token(consulate), make_client=late_client)
        async with app.run_test(size=(120, 40)) as pilot:
            screen = await open_first(pilot)
            await reject_with_first_reason(pilot)
            await settle(pilot)
            assert screen.declaration_id == ids[0]
            told = outcome(app)
            with pytest.raises(Conflict) as refused:
                await other.decide(ids[0], Decision.REJECT, "again", seen=seen)
            assert refused.value.message in told  # the backend's own words
            assert t("review.declaration.decided_meanwhile", "en") in told
            assert "Approved" not in told and "approved" in told
    assert await decisions(me, ids[0]) == ["approve"]


async def test_a_decision_on_a_version_changed_a_moment_before_is_refused(
    backend: Backend,
    traveller: Callable[[], Awaitable[Traveller]],
    reviewer_token: Callable[[str], str],
    console: AppFactory,
) -> None:
    """The other reviewer asks for material between this console's last look and its
    rejection: the status machine would allow the rejection, the version it was made on not."""
    consulate = "ITA"
    me = await traveller()
    ids = await file_people(me, consulate, 1)
    async with ApiClient(backend.url, token=reviewer_token(consulate)) as other:

        def late_client(url: str, token: str) -> ApiClient:
            transport = DecidedJustBefore(other, Decision.REQUEST_SUPPLEMENT)
            return ApiClient(url, token=token, transport=transport)

        app = console(reviewer_token(consulate), make_client=late_client)
        async with app.run_test(size=(120, 40)) as pilot:
            await open_first(pilot)
            await reject_with_first_reason(pilot)
            await settle(pilot)
            told = outcome(app)
            assert t("review.declaration.decided_meanwhile", "en") in told
            assert "supplementary material requested" in told
            assert ids[0] in app.screen.context.queue.entries  # still in review: kept listed
    assert await decisions(me, ids[0]) == ["request_supplement"]


# --- signing in ---------------------------------------------------------------------------


async def test_a_wrong_token_is_refused_and_a_right_one_opens_the_queue(
    reviewer_token: Callable[[str], str], console: AppFactory
) -> None:
    token = reviewer_token("JPN")
    app = console("not-a-token")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ConnectScreen)
        status = str(app.screen.query_one("#status", Static).render())
        assert status == t("review.connect.token_refused", "en")
        await pilot.press("ctrl+a")
        app.screen.query_one("#token").value = token  # type: ignore[attr-defined]
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, QueueScreen)
        assert app.context.consulate == "JPN"
    # The token is kept for next time: no --token needed.
    again = console(None)
    async with again.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(again.screen, QueueScreen)


async def test_a_travellers_token_is_not_a_reviewers(
    traveller: Callable[[], Awaitable[Traveller]], console: AppFactory
) -> None:
    me = await traveller()
    app = console(me.api.token)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        status = str(app.screen.query_one("#status", Static).render())
        assert status == t("review.connect.not_reviewer", "en")


class LosesTheDecisionsAnswer(httpx.AsyncBaseTransport):
    """The decision reaches the server, its answer never comes back."""

    def __init__(self) -> None:
        self.inner = httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        if request.method == "POST" and request.url.path.endswith("/decision"):
            await response.aclose()
            raise httpx.ReadTimeout("answer lost", request=request)
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()


async def test_a_lost_answer_shows_what_the_server_recorded(
    traveller: Callable[[], Awaitable[Traveller]],
    reviewer_token: Callable[[str], str],
    console: AppFactory,
) -> None:
    consulate = "KOR"
    me = await traveller()
    ids = await file_people(me, consulate, 2)

    def lossy(url: str, token: str) -> ApiClient:
        return ApiClient(url, token=token, transport=LosesTheDecisionsAnswer())

    app = console(reviewer_token(consulate), make_client=lossy)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_first(pilot)
        await approve(pilot)
        await settle(pilot)
        assert screen.declaration_id == ids[0]  # not moved on: the outcome was unknown
        assert screen.opened is not None
        assert screen.opened.detail.status is DeclarationStatus.APPROVED
        assert "no longer in review" in outcome(app)
    assert await decisions(me, ids[0]) == ["approve"]


def land_long_ago(database_url: str, declaration_id: str) -> None:
    """Move the declaration's flight into China two days back, as time would."""
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import create_engine, select, update

    from itdeclare.server.tables import DeclarationRow

    engine = create_engine(database_url)
    try:
        with engine.begin() as connection:
            document = connection.execute(
                select(DeclarationRow.document).where(DeclarationRow.id == declaration_id)
            ).scalar_one()
            arrives = datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(days=2)
            leg = document["itinerary"][-1]
            leg["departs_at"] = (arrives - timedelta(hours=13)).isoformat()
            leg["arrives_at"] = arrives.isoformat()
            connection.execute(
                update(DeclarationRow)
                .where(DeclarationRow.id == declaration_id)
                .values(document=document)
            )
    finally:
        engine.dispose()


async def test_approving_a_trip_that_is_over_says_so_and_keeps_it_in_review(
    backend: Backend,
    traveller: Callable[[], Awaitable[Traveller]],
    reviewer_token: Callable[[str], str],
    console: AppFactory,
) -> None:
    """The backend refuses to approve once the trip is over (trip_over): the console says why
    in the server's words, not that another reviewer decided first, and the declaration stays
    listed, to be rejected."""
    consulate = "ESP"
    me = await traveller()
    ids = await file_people(me, consulate, 1)
    land_long_ago(backend.database_url, ids[0])
    app = console(reviewer_token(consulate))
    async with app.run_test(size=(120, 40)) as pilot:
        await open_first(pilot)
        await approve(pilot)
        await settle(pilot)
        told = outcome(app)
        assert "This trip is over" in told
        assert t("review.declaration.decided_meanwhile", "en") not in told
        assert ids[0] in app.screen.context.queue.entries
    assert await decisions(me, ids[0]) == []
