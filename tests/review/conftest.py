"""Fixtures of the reviewer console's tests: determinism, the real backend on loopback, travellers
who file declarations through the client, reviewers made the operator's way, and app factories."""

from __future__ import annotations

import contextlib
import io
import itertools
import json
import subprocess
import sys
import tempfile
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from textual.pilot import Pilot
from textual.widgets import Input
from textual.worker import WorkerCancelled

from itdeclare import wording
from itdeclare.client import ApiClient
from itdeclare.config import Settings
from itdeclare.i18n import Language
from itdeclare.models import Declaration, Relationship
from itdeclare.review_app import ReviewerApp
from itdeclare.reviewing.context import ClientFactory, connect
from itdeclare.reviewing.files import Opener
from tests.live import Backend, embedded_backend
from tests.server import documents

#: Fictional numbers (555-01xx), one per sign-in of this process.
_phones = (f"+1415555{n:04d}" for n in itertools.count(300))


@pytest.fixture(autouse=True)
def deterministic(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """No blinking cursor, English first and last, keys in a file (never a real keyring),
    downloaded attachments under the test's tmp_path."""
    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    monkeypatch.setenv("ITDECLARE_KEY_STORE", "file")
    wording.use_language("en")
    yield
    wording.use_language("en")


async def settle(pilot: Pilot[Any], rounds: int = 60) -> None:
    """Wait until no worker has run for three pauses in a row: workers start workers (the
    queue, then its declarations), and a screen pushed by a key starts its own on mounting."""
    app = pilot.app
    quiet = 0
    for _ in range(rounds):
        await pilot.pause()
        with contextlib.suppress(WorkerCancelled):  # an exclusive worker replaced by a newer one
            await app.workers.wait_for_complete()
        busy = any(worker.is_running for worker in app.workers)
        quiet = 0 if busy else quiet + 1
        if quiet == 3:
            return
    raise AssertionError("the app did not settle")


# --- declarations ------------------------------------------------------------------------


def declaration(
    *,
    residence: str,
    family: str = "ZHANG",
    given: str = "SAN",
    chinese: str | None = "张三",
    number: str | None = None,
    relationship: str = "self",
    employer: str = "Example Co.",
) -> Declaration:
    """A flight SFO to PVG tomorrow at 11:00, both tests sampled an hour ago in the USA; no
    vaccination and no ID card number, so that what the reviewer checks fits one screen. The
    passport is ``number``, else one of its own (a document has one live declaration)."""
    document = documents.declaration(residence=residence, employer=employer)
    subject = documents.subject(family_name=family, given_name=given, chinese_name=chinese)
    del subject["id_card_number"]
    subject["document"]["number"] = number or documents.fresh_passport()
    document.update(relationship=relationship, subject=subject, vaccinations=[])
    return Declaration.model_validate(document)


def png_file(path: Path) -> Path:
    buffer = io.BytesIO()
    Image.new("RGB", (32, 32), (20, 120, 200)).save(buffer, format="PNG")
    path.write_bytes(buffer.getvalue())
    return path


# --- the real backend --------------------------------------------------------------------


@pytest.fixture(scope="module")
def backend(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Backend]:
    """Shared by the module's tests, which file with consulates of their own."""
    with embedded_backend(tmp_path_factory.mktemp("backend")) as running:
        yield running


def add_reviewer(database_url: str, consulate: str) -> str:
    """A reviewer token, made as an operator makes one (DESIGN.md §4.6)."""
    command = [sys.executable, "-m", "itdeclare", "admin", "add-reviewer", "--json"]
    command += ["--consulate", consulate, "--database-url", database_url]
    made = json.loads(subprocess.run(command, capture_output=True, text=True, check=True).stdout)
    assert made["consulate"] == consulate
    return str(made["token"])


@pytest.fixture
def reviewer_token(backend: Backend) -> Callable[[str], str]:
    return lambda consulate: add_reviewer(backend.database_url, consulate)


@dataclass
class Traveller:
    """A signed-in traveller account filing for several people."""

    api: ApiClient

    async def file(self, document: Declaration) -> str:
        person = await self.api.create_person(Relationship(document.relationship), document.subject)
        filed = await self.api.submit_declaration(
            person.id, document, idempotency_key=f"review-test-{person.id}"
        )
        return filed.id


@pytest.fixture
async def traveller(backend: Backend) -> AsyncIterator[Callable[[], Awaitable[Traveller]]]:
    made: list[ApiClient] = []

    async def sign_in() -> Traveller:
        api = ApiClient(backend.url)
        made.append(api)
        phone = next(_phones)
        sent = await api.request_code(phone)
        assert sent.dev_code is not None
        await api.sign_in(phone, sent.dev_code)
        return Traveller(api)

    yield sign_in
    for api in made:
        await api.aclose()


# --- the app -----------------------------------------------------------------------------


class OpenedFiles(list[Path]):
    """Stands in for the system viewer: records what it was asked to show."""

    def __call__(self, path: Path) -> None:
        self.append(path)


@pytest.fixture
def opened_files() -> OpenedFiles:
    return OpenedFiles()


AppFactory = Callable[..., ReviewerApp]


@pytest.fixture
def console(backend: Backend, opened_files: OpenedFiles) -> Iterator[AppFactory]:
    """A console on the live backend signed in with ``token``, whose system viewer is
    ``opened_files`` unless ``find_opener`` says otherwise; its downloads are cleaned up."""
    made: list[ReviewerApp] = []

    def build(
        token: str | None,
        *,
        language: Language = "en",
        find_opener: Callable[[], Opener | None] | None = None,
        make_client: ClientFactory = connect,
    ) -> ReviewerApp:
        app = ReviewerApp(
            Settings(language=language, server=backend.url),
            token=token,
            find_opener=find_opener or (lambda: opened_files),
            make_client=make_client,
        )
        made.append(app)
        return app

    yield build
    for app in made:
        app.context.shut_down()
