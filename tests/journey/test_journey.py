"""The traveller's whole journey, driven through the app against the real backend on loopback.

A reviewer acts through the API (as the console does); the traveller only through the app:
file, submit, watch the queue position move, see the approval, show the green code, export it,
answer a request for material, re-declare, and survive a backend that is down.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from textual.pilot import Pilot
from textual.widgets import Input, Static, TextArea

from itdeclare.app import TravellerApp
from itdeclare.certificate import qr
from itdeclare.client import ApiClient, Decision, RetryPolicy
from itdeclare.config import Settings
from itdeclare.journey.connection import Connection
from itdeclare.journey.documents import document_of
from itdeclare.models import Relationship
from itdeclare.screens.certificate import CertificateScreen
from itdeclare.screens.status import StatusScreen
from itdeclare.screens.wizard import WizardScreen
from itdeclare.storage.records import Draft
from itdeclare.storage.state import LocalState
from itdeclare.widgets.journey.qr import QrCode
from itdeclare.widgets.people.table import PeopleTable
from tests.journey.conftest import (
    AppFactory,
    Backend,
    form_for,
    next_consulate,
    next_phone,
    settle,
    until,
)
from tests.journey.relay import Relay
from tests.journey.screen_qr import colours_used, read_from_screen
from tests.tui.driver import focused_loc, problem_at
from tests.tui.seeds import seed

pytestmark = pytest.mark.slow

BLACK_ON_WHITE = {((0, 0, 0), (255, 255, 255))}


def headline(app: TravellerApp) -> str:
    return str(app.screen.query_one("#declaration-card .card--headline", Static).content)


def status_screen(app: TravellerApp) -> StatusScreen:
    screen = app.screen
    assert isinstance(screen, StatusScreen), f"expected the status screen, not {screen}"
    return screen


def notifications(app: TravellerApp) -> list[str]:
    return [notification.message for notification in app._notifications]


async def sign_in_when_asked(pilot: Pilot[Any], phone: str | None = None) -> None:
    """The sign-in dialog: the phone (if it is not filled in), ask for the code (the test
    backend hands it back), sign in."""
    app = pilot.app
    await until(pilot, lambda: app.screen.id == "sign-in")
    if phone is not None:
        await pilot.pause()
        app.screen.query_one("#f-contact--phone", Input).value = phone
        await pilot.pause()
    await pilot.click("#send")
    await until(pilot, lambda: getattr(app.screen, "dev_code", None) is not None)
    await pilot.click("#confirm")


async def submit_draft(pilot: Pilot[Any], *, sign_in: bool = True) -> StatusScreen:
    """From home: open the selected person's draft (kept at its last step) and submit it."""
    app = pilot.app
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(app.screen, WizardScreen)
    await pilot.press("ctrl+n")
    if sign_in:
        await sign_in_when_asked(pilot)
    await until(pilot, lambda: app.screen.id == "status")
    screen = status_screen(app)
    await until(pilot, lambda: screen.detail is not None)
    return screen


def filing_form(consulate: str) -> dict[str, Any]:
    form = form_for(consulate)
    form["contact"]["phone"] = next_phone()
    return form


async def file_ahead(backend: Backend, consulate: str) -> str:
    """Someone else's declaration, first in the consulate's queue."""
    async with ApiClient(backend.url) as other:
        phone = next_phone()
        sent = await other.request_code(phone)
        await other.sign_in(phone, sent.dev_code or "")
        form = form_for(consulate, given_name="WU", chinese_name="张五")
        document = document_of(form, _now())
        person = await other.create_person(Relationship.SELF, document.subject)
        filed = await other.submit_declaration(person.id, document, idempotency_key=person.id)
        return filed.id


def _now() -> datetime:
    return datetime.now(UTC)


#: A new consulate has made no decisions yet: too little history to estimate the wait from.
AHEAD_ONE = "Pending review: 1 ahead in the queue · no estimate of the wait yet"
NEXT = "Pending review: next in the queue · no estimate of the wait yet"


def backend_url(app: TravellerApp) -> str:
    return app.settings.server or ""


# --- file, follow, approve, show, export, verify --------------------------------------------


async def test_filed_followed_approved_shown_exported_and_verified(
    make_app: AppFactory,
    backend: Backend,
    reviewer: Callable[[str], ApiClient],
    isolated_user_dirs: Path,
    tmp_path: Path,
) -> None:
    consulate = next_consulate()
    ahead = await file_ahead(backend, consulate)
    form = filing_form(consulate)
    passport = form["subject"]["document"]["number"]
    seed(form, step="review")
    app = make_app()
    async with app.run_test(size=(130, 60)) as pilot:
        await settle(pilot)
        screen = await submit_draft(pilot)
        await until(pilot, lambda: headline(app) == AHEAD_ONE)  # the card is drawn after detail
        assert screen.detail is not None
        assert screen.detail.redeclarations_left == 2

        officer = reviewer(consulate)
        await officer.decide(ahead, Decision.APPROVE)
        await until(
            pilot,
            lambda: headline(app) == NEXT,
        )

        await officer.decide(screen.detail.id, Decision.APPROVE)
        await until(pilot, lambda: headline(app).startswith("Approved"))
        await until(pilot, lambda: screen.check_action("code", ()) is True)
        assert any("approved" in text for text in notifications(app))

        await pilot.press("g")
        await until(pilot, lambda: isinstance(app.screen, CertificateScreen))
        code_screen = app.screen
        assert isinstance(code_screen, CertificateScreen)
        await until(pilot, lambda: bool(code_screen.query(QrCode)))
        await pilot.pause()
        shown = code_screen.query_one(QrCode)
        assert shown.display
        payload = code_screen.certificate.payload
        # What the terminal shows is black on white whatever the theme, and a phone reads it.
        assert colours_used(shown) == BLACK_ON_WHITE
        assert read_from_screen(shown) == payload
        state = str(code_screen.query_one("#code-state", Static).content)
        assert state == "VALID: green code"
        holder = str(code_screen.query_one("#code-holder", Static).content)
        assert "ZHANG SAN (张三)" in holder and passport in holder

        exports = isolated_user_dirs / "exports"
        for key in ("p", "v", "d"):
            await pilot.press(key)
        await until(pilot, lambda: len(list(exports.glob("health-code-*"))) == 3)
        await settle(pilot)

        trust_list = tmp_path / "trust-list.json"
        connection = app.context.connection
        assert connection is not None
        trust_list.write_text(json.dumps(await connection.trust_list()), "utf-8")
        async with ApiClient(backend.url) as public:
            revocations = tmp_path / "revocations.json"
            revocations.write_bytes(await public.revocations())

        await pilot.press("escape", "escape")
        await settle(pilot)
        assert "approved" in app.screen.query_one(PeopleTable).rows_shown[0].state_text

    [png] = exports.glob("*.png")
    assert qr.read_image(png) == payload
    command = [sys.executable, "-m", "itdeclare", "verify", "--json", "--image", str(png)]
    command += ["--trust-list", str(trust_list), "--revocations", str(revocations)]
    verified = subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert verified.returncode == 0, verified.stdout + verified.stderr
    result = json.loads(verified.stdout)
    assert result["valid"] is True
    assert result["payload"]["record"]["document"]["number"] == passport
    [svg] = exports.glob("*.svg")
    assert "<svg" in svg.read_text("utf-8")
    [pdf] = exports.glob("*.pdf")
    assert pdf.read_bytes().startswith(b"%PDF")


# --- a request for material, answered with an upload ----------------------------------------


async def test_a_request_for_material_is_answered_with_an_upload(
    make_app: AppFactory, reviewer: Callable[[str], ApiClient], tmp_path: Path
) -> None:
    consulate = next_consulate()
    seed(filing_form(consulate), step="review")
    scan = tmp_path / "lab report.png"
    Image.new("RGB", (300, 200), (240, 240, 240)).save(scan)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = await submit_draft(pilot)
        assert screen.detail is not None
        declaration_id = screen.detail.id
        officer = reviewer(consulate)
        await officer.decide(declaration_id, Decision.REQUEST_SUPPLEMENT, "Upload the lab report")
        await until(pilot, lambda: headline(app) == "Status: supplementary material requested")
        note = str(app.screen.query_one("#declaration-card .card--note", Static).content)
        assert "Upload the lab report" in note

        await pilot.press("s")
        await until(pilot, lambda: app.screen.id == "supplement")
        await pilot.press("ctrl+o")
        await until(pilot, lambda: app.screen.id == "file-picker")
        await pilot.click("#file-path")
        app.screen.query_one("#file-path", Input).value = str(scan)
        await pilot.press("enter")
        await until(pilot, lambda: app.screen.id == "supplement")
        await pilot.click("#supplement-reply")
        await pilot.press(*"Here it is")
        assert app.screen.query_one("#supplement-reply", TextArea).text == "Here it is"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: app.screen.id == "status")
        await until(
            pilot,
            lambda: headline(app) == NEXT,
        )

    opened = await officer.get_review(declaration_id)
    [attachment] = opened.attachments
    assert attachment.content_type == "image/png"
    assert await officer.get_review_attachment(declaration_id, attachment.id) == scan.read_bytes()
    assert [step.action for step in opened.history][-1] == "supplemented"
    assert opened.history[-1].note == "Here it is"


# --- re-declaring twice; the third is refused before anything is lost ------------------------


async def _redeclare(pilot: Pilot[Any], expect: str) -> None:
    """r, read the confirmation, y; attest again in the pre-filled wizard and submit."""
    app = pilot.app
    before = status_screen(app).detail
    await pilot.press("r")
    await until(pilot, lambda: app.screen.id == "redeclare")
    said = " ".join(str(s.content) for s in app.screen.query(".dialog--text").results(Static))
    assert expect in said, said
    await pilot.press("y")
    await until(pilot, lambda: isinstance(app.screen, WizardScreen))
    wizard = app.screen
    assert isinstance(wizard, WizardScreen)
    assert wizard.draft.replaces is not None
    assert before is not None and before.declaration is not None
    declared = before.declaration.subject.document.number
    assert wizard.state.text("subject.document.number") == declared  # pre-filled
    await wizard.go_to("review")
    await settle(pilot)
    await pilot.press("space")  # the attestation, focused as the only thing left to do
    await pilot.press("ctrl+n")
    await until(pilot, lambda: app.screen.id == "status")
    await until(pilot, lambda: status_screen(app).detail not in (None, before))


async def test_re_declared_twice_and_the_third_refused(
    make_app: AppFactory, reviewer: Callable[[str], ApiClient]
) -> None:
    consulate = next_consulate()
    seed(filing_form(consulate), step="review")
    app = make_app()
    async with app.run_test(size=(130, 60)) as pilot:
        await settle(pilot)
        screen = await submit_draft(pilot)
        assert screen.detail is not None
        first = screen.detail.id
        await reviewer(consulate).decide(first, Decision.APPROVE)
        await until(pilot, lambda: screen.check_action("code", ()) is True)

        await _redeclare(pilot, "It is revoked when you submit it")
        screen = status_screen(app)
        assert screen.detail is not None
        second = screen.detail
        assert (second.replaces, second.redeclarations_left) == (first, 1)
        await until(pilot, lambda: headline(app) == NEXT)

        # The first code, kept on this machine, now shows as revoked: no QR to scan.
        await until(pilot, lambda: bool(screen.kept) and screen.kept[0].status.value == "revoked")
        await pilot.press("g")
        await until(pilot, lambda: isinstance(app.screen, CertificateScreen))
        await settle(pilot)
        assert str(app.screen.query_one("#code-state", Static).content).startswith("REVOKED")
        assert not app.screen.query(QrCode)
        await pilot.press("escape")
        await settle(pilot)

        await _redeclare(pilot, "last re-declaration")
        third = status_screen(app).detail
        assert third is not None
        assert (third.replaces, third.redeclarations_left) == (second.id, 0)

        # A third is refused with a clear message, before anything is changed: r says the
        # limit is used (the footer says none are left), no dialog, no wizard.
        assert status_screen(app).check_action("redeclare", ()) is False
        r_key = app.screen.active_bindings["r"].binding
        assert (r_key.action, r_key.description) == ("no_redeclaration", "Re-declare (none left)")
        drafts_before = len(LocalState().drafts.list())
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, StatusScreen)
        assert len(LocalState().drafts.list()) == drafts_before
        refused = "re-declared 2 times, the most allowed, so a third re-declaration is refused"
        assert any(refused in text for text in notifications(app)), notifications(app)
        # the pending third version has no code: g says the kept one is old
        assert app.screen.active_bindings["g"].binding.action == "old_code"

        statuses = {first: "revoked", second.id: "cancelled", third.id: "pending_review"}
        connection = app.context.connection
        assert connection is not None
        for declaration_id, expected in statuses.items():
            assert (await connection.detail(declaration_id)).status.value == expected


# --- one live declaration per travel document ---------------------------------------------------


async def test_a_second_declaration_of_a_live_trip_is_kept_as_its_redeclaration(
    make_app: AppFactory,
) -> None:
    """The backend refuses a second chain (409 already_declared); the app keeps the new draft as
    a re-declaration of the live declaration, says so, and re-declaring sends it."""
    form = filing_form(next_consulate())
    person, _ = seed(form, step="review")
    app = make_app()
    async with app.run_test(size=(130, 60)) as pilot:
        await settle(pilot)
        first = (await submit_draft(pilot)).detail
        assert first is not None
        again = LocalState().drafts.save(
            Draft(person_id=person.id, declaration=form, step="review")
        )
        await pilot.press("escape")
        await settle(pilot)
        await submit_draft(pilot, sign_in=False)
        said = notifications(app)
        assert any("already has a declaration for a trip not yet over" in text for text in said)
        kept = next(d for d in LocalState().drafts.list() if d.id == again.id)
        assert (kept.replaces, kept.submitted_as) == (first.id, None)

        await _redeclare(pilot, "is cancelled when you submit the re-declaration")
        screen = status_screen(app)
        await until(pilot, lambda: screen.detail is not None and screen.detail.id != first.id)
        assert screen.detail is not None
        assert (screen.detail.replaces, screen.detail.redeclarations_left) == (first.id, 1)


# --- the backend down during a submission ------------------------------------------------------


async def test_a_backend_down_keeps_the_draft_and_a_retry_files_once(backend: Backend) -> None:
    relay = Relay(backend.url)
    await relay.up()
    form = filing_form(next_consulate())
    seed(form, step="review")
    app = TravellerApp(
        Settings(language="en", server=relay.url),
        connection=lambda context: Connection(
            context, poll_interval=0.2, retry=RetryPolicy(attempts=3, base_delay=0.05)
        ),
    )
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            app.call_later(app.sign_in)
            await sign_in_when_asked(pilot, form["contact"]["phone"])
            await until(pilot, lambda: app.screen.id == "home")
            await pilot.press("enter")
            await settle(pilot)

            # The backend cannot be reached: nothing is filed, the draft is kept, and said so.
            await relay.down()
            await pilot.press("ctrl+n")
            await until(pilot, lambda: "Not submitted" in submit_status(app))
            assert "Your draft is kept" in submit_status(app)
            [draft] = LocalState().drafts.list()
            assert draft.submitted_as is None and draft.submission_key is not None
            key = draft.submission_key

            # The backend files it, but every answer is lost: still "not submitted" here.
            await relay.lose_answers(b"POST /api/v1/declarations HTTP")
            await pilot.press("ctrl+n")
            await until(pilot, lambda: relay.lost >= 3 and not app.screen.query(".-busy"))
            assert "Not submitted" in submit_status(app)
            filed = await declarations_of(app)
            assert len(filed) == 1

            # Back to normal: submitting again answers with that declaration, filed once.
            await relay.up()
            await pilot.press("ctrl+n")
            await until(pilot, lambda: app.screen.id == "status")
            screen = status_screen(app)
            await until(pilot, lambda: screen.detail is not None)
            assert screen.detail is not None and screen.detail.id == filed[0]
            assert await declarations_of(app) == filed
            [draft] = LocalState().drafts.list()
            assert draft.submitted_as == filed[0] and draft.submission_key is None
            assert key is not None
    finally:
        await relay.down()


def submit_status(app: TravellerApp) -> str:
    found = app.screen.query("#submit-status")
    return str(found.first(Static).content) if found else ""


async def declarations_of(app: TravellerApp) -> list[str]:
    """The ids of the account's declarations, asked of the backend directly."""
    connection = app.context.connection
    assert connection is not None
    api = await connection.api()
    async with ApiClient(backend_url(app), token=api.token) as direct:
        return [d.id for d in await direct.list_declarations()]


# --- what only the backend can refuse lands on the wizard's fields -----------------------------


async def test_a_field_the_backend_refuses_is_shown_beside_it(
    make_app: AppFactory, backend: Backend
) -> None:
    """This account registered the person before, under another given name, and filed for
    them: the backend refuses a declaration whose subject does not match, naming the field."""
    consulate, phone = next_consulate(), next_phone()
    async with ApiClient(backend.url) as api:
        sent = await api.request_code(phone)
        await api.sign_in(phone, sent.dev_code or "")
        registered = document_of(form_for(consulate, given_name="SI"), _now())
        remote = await api.create_person(Relationship.SELF, registered.subject)
        await api.submit_declaration(remote.id, registered, idempotency_key=remote.id)
    form = form_for(consulate)
    form["contact"]["phone"] = phone
    person, _ = seed(form, step="review")
    state = LocalState()
    state.people.update(dataclasses.replace(person, remote_id=remote.id))

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("ctrl+n")
        await sign_in_when_asked(pilot)
        wizard = app.screen
        assert isinstance(wizard, WizardScreen)
        await until(pilot, lambda: wizard.step.id == "identity")
        await settle(pilot)
        assert focused_loc(pilot) == "subject.given_name"
        assert problem_at(pilot, "subject.given_name") == (
            "This does not match the person the declaration is filed for"
        )
    [draft] = LocalState().drafts.list()
    assert draft.submitted_as is None  # kept, to be corrected


# --- the embedded backend: a newcomer with no setup --------------------------------------------


async def test_a_newcomer_files_on_the_embedded_backend_and_a_local_reviewer_approves(
    isolated_user_dirs: Path,
) -> None:
    from itdeclare.local_backend import LocalBackend
    from itdeclare.screens.home import HomeScreen

    consulate = next_consulate()
    seed(filing_form(consulate), step="review")
    settings = Settings(language="en")
    home_shown_first: list[bool] = []

    class Watched(LocalBackend):
        def start(self) -> str:
            screen = app.screen
            home_shown_first.append(isinstance(screen, HomeScreen) and screen.data is not None)
            return super().start()

    app = TravellerApp(
        settings,
        connection=lambda context: Connection(context, local=Watched(settings), poll_interval=0.2),
    )
    console = LocalBackend(settings)  # the reviewer's app, in "another terminal"
    connection = app.context.connection
    assert connection is not None and connection.is_local
    try:
        async with app.run_test(size=(130, 60)) as pilot:
            await settle(pilot)
            badge = str(app.screen.query_one("#connection-badge", Static).content)
            assert badge.startswith("LOCAL MODE")
            await until(pilot, lambda: connection.started)
            assert home_shown_first == [True]  # the first screen did not wait for the backend

            await pilot.press("enter")
            await settle(pilot)
            await pilot.press("ctrl+n")
            await until(pilot, lambda: app.screen.id == "sign-in")
            await pilot.click("#send")
            await until(pilot, lambda: getattr(app.screen, "dev_code", None) is not None)
            shown = str(app.screen.query_one("#dev-code", Static).content)
            assert shown.startswith("LOCAL MODE code: ")
            await pilot.click("#confirm")
            await until(pilot, lambda: app.screen.id == "status")
            screen = status_screen(app)
            await until(pilot, lambda: screen.detail is not None)
            assert screen.detail is not None

            url = await asyncio.to_thread(console.start)
            token = await asyncio.to_thread(console.add_reviewer, consulate)
            async with ApiClient(url, token=token) as officer:
                [waiting] = await officer.review_queue()
                assert waiting.id == screen.detail.id
                await officer.decide(waiting.id, Decision.APPROVE)
            await until(pilot, lambda: screen.check_action("code", ()) is True)
            await pilot.press("g")
            await until(pilot, lambda: bool(app.screen.query(QrCode)))
    finally:
        console.stop()
        connection.stop()
    data = isolated_user_dirs / "data"
    assert any(data.glob("*.sqlite3")) or any(data.glob("**/*.sqlite3"))
    [session] = (data / "session").glob("*")
    assert session.stat().st_mode & 0o777 == 0o600


# --- outbound: no health data typed ------------------------------------------------------------


async def test_an_outbound_traveller_receives_a_certificate(make_app: AppFactory) -> None:
    seed(filing_form(next_consulate()), step="review")
    app = make_app()
    async with app.run_test(size=(130, 60)) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await until(pilot, lambda: app.screen.id == "outbound")
        await settle(pilot)
        assert focused_loc(pilot) == "id_card_number"
        await pilot.press(*"110105199003071230", "tab")  # a wrong check character
        await settle(pilot)
        assert "check" in problem_at(pilot, "id_card_number")
        await pilot.click("#f-id_card_number")
        await pilot.press("end", "backspace", "9", "tab")
        await pilot.press(*"王小明", "tab")
        await pilot.press("tab")  # the document type: passport, chosen already
        await pilot.press(*"EA1234567", "tab")
        await pilot.press("ctrl+s")
        await sign_in_when_asked(pilot, next_phone())
        await until(pilot, lambda: isinstance(app.screen, CertificateScreen), within=30)
        code_screen = app.screen
        assert isinstance(code_screen, CertificateScreen)
        await until(pilot, lambda: bool(code_screen.query(QrCode)))
        await pilot.pause()
        assert read_from_screen(code_screen.query_one(QrCode)) == code_screen.certificate.payload
        holder = str(code_screen.query_one("#code-holder", Static).content)
        assert "WANG XIAOMING (王小明)" in holder and "EA1234567" in holder
    [kept] = LocalState().certificates.list()
    assert kept.declaration_id is None and kept.payload == code_screen.certificate.payload
