"""Fixtures of the journey tests: the real backend on loopback, reviewers made the operator's
way, the traveller app connected to it, and declarations valid on the day the tests run.

The backend is the embedded one (the same application as ``itdeclare serve --dev``) on SQLite
under a temporary directory, one per test module; each test signs in with its own phone number
and files with a consulate of its own, so tests do not see each other's declarations.
"""

from __future__ import annotations

import contextlib
import copy
import itertools
import time
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, TextArea
from textual.worker import WorkerCancelled

from itdeclare import wording
from itdeclare.app import TravellerApp
from itdeclare.client import ApiClient
from itdeclare.config import Settings
from itdeclare.i18n import Language
from itdeclare.journey.connection import Connection
from itdeclare.local_backend import add_reviewer_by_command
from tests.live import Backend, embedded_backend
from tests.tui import driver

LOS_ANGELES = ZoneInfo("America/Los_Angeles")

#: Fictional numbers (555-01xx), one per sign-in of this process.
_phones = (f"+1415555{n:04d}" for n in itertools.count(500))
#: Residence countries (and so consulates), one per test that files.
_consulates = itertools.cycle(
    ["CAN", "AUS", "GBR", "DEU", "FRA", "JPN", "KOR", "NZL", "SGP", "NLD", "ITA", "ESP"]
)


def next_phone() -> str:
    return next(_phones)


def next_consulate() -> str:
    return next(_consulates)


@pytest.fixture(autouse=True)
def deterministic(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No blinking cursors, English first and last, keys in a file, times shown in UTC."""
    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)
    monkeypatch.setattr(TextArea, "_toggle_cursor_blink_visible", lambda self: None)
    monkeypatch.setenv("ITDECLARE_KEY_STORE", "file")
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    wording.use_language("en")
    yield
    wording.use_language("en")
    monkeypatch.undo()
    time.tzset()


@pytest.fixture(scope="module")
def backend(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Backend]:
    with embedded_backend(tmp_path_factory.mktemp("backend")) as running:
        yield running


AppFactory = Callable[..., TravellerApp]


@pytest.fixture
def make_app(backend: Backend) -> AppFactory:
    """The traveller app on the test backend, looking at it every 0.2 s."""

    def build(language: Language = "en", **connection: Any) -> TravellerApp:
        connection.setdefault("poll_interval", 0.2)
        return TravellerApp(
            Settings(language=language, server=backend.url),
            connection=lambda context: Connection(context, **connection),
        )

    return build


@pytest.fixture
async def reviewer(backend: Backend) -> AsyncIterator[Callable[[str], ApiClient]]:
    """A reviewer of a consulate, made the operator's way (``itdeclare admin add-reviewer``)."""
    made: list[ApiClient] = []

    def make(consulate: str) -> ApiClient:
        token = add_reviewer_by_command(backend.database_url, consulate)
        client = ApiClient(backend.url, token=token)
        made.append(client)
        return client

    yield make
    for client in made:
        await client.aclose()


def form_for(residence: str, **subject: str) -> dict[str, Any]:
    """A complete declaration as the wizard holds it (text), valid today: a flight SFO→PVG
    tomorrow, tested an hour ago in the USA."""
    now = datetime.now(LOS_ANGELES)
    departs = (now + timedelta(days=1)).replace(hour=11, minute=0, second=0, microsecond=0)
    arrives = departs + timedelta(hours=13)
    sampled = (now - timedelta(hours=1)).replace(second=0, microsecond=0)
    form: dict[str, Any] = {
        "relationship": "self",
        "subject": {
            "family_name": "ZHANG",
            "given_name": "SAN",
            "chinese_name": "张三",
            "sex": "male",
            "date_of_birth": "1956-03-01",
            "nationality": "CHN",
            "document": {"type": "passport", "number": "E12345678", "expires_on": "2035-05-01"},
            "id_card_number": "11010519560301001X",
        },
        "contact": {"phone": "+14155550123", "email": ""},
        "residence": {"country": residence, "city": "Springfield", "address": "1 Main St"},
        "status": "resident",
        "employer": "Example Co.",
        "itinerary": [
            {
                "flight": "UA857",
                "from": "SFO",
                "to": "PVG",
                "departs_at": departs.isoformat(),
                "arrives_at": arrives.astimezone(ZoneInfo("Asia/Shanghai")).isoformat(),
            }
        ],
        "port_of_entry": "PVG",
        "tests": [
            {
                "kind": kind,
                "sampled_at": sampled.isoformat(),
                "result": "negative",
                "institution": "Example Lab",
                "country": "USA",
            }
            for kind in ("nucleic_acid", "igm")
        ],
        "vaccinations": [
            {
                "product": "EU/1/20/1528",
                "dose": "2",
                "of": "2",
                "date": "2021-06-01",
                "country": "USA",
            }
        ],
        "history": [],
        "attested": True,
    }
    form["subject"].update(subject)
    return copy.deepcopy(form)


async def settle(pilot: Pilot[Any]) -> None:
    """Let the screen catch up: the journey screens keep a polling worker running, so wait
    for everything else to finish and the screen to be quiet."""
    app = pilot.app
    for _ in range(3):
        await pilot.pause()
        with contextlib.suppress(WorkerCancelled):
            for worker in list(app.workers):
                if worker.group != "status-poll" and worker.is_running:
                    await worker.wait()
    await pilot.pause()


async def until(pilot: Pilot[Any], condition: Callable[[], bool], within: float = 20) -> None:
    """Wait (a bounded time) for something the app does in the background; the journey's
    steps go through the backend, so they get longer than the wizard's."""
    await driver.until(pilot, condition, within)
