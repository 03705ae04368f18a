"""A real backend under uvicorn on loopback, on SQLite and (when configured) on PostgreSQL.

Each test module gets its own server per database; tests keep out of each other's way by
signing in with phone numbers of their own. PostgreSQL runs need ``ITDECLARE_TEST_POSTGRES_URL``
(each server gets a fresh database, dropped afterwards); without it those runs skip, unless
``ITDECLARE_REQUIRE_POSTGRES=1`` makes that a failure.
"""

from __future__ import annotations

import copy
import os
import random
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import phonenumbers
import pytest

from itdeclare.certificate.keys import KeyStore
from itdeclare.config import BackendSettings
from itdeclare.server.app import create_app
from itdeclare.server.config import ServerConfig, sqlite_url
from itdeclare.server.db import Database
from itdeclare.server.runtime import prepare, serve_in_thread
from itdeclare.server.services import accounts
from itdeclare.server.tables import utcnow
from tests.server import documents
from tests.server.databases import scratch_postgres

POSTGRES_ENV = "ITDECLARE_TEST_POSTGRES_URL"
DATABASES = ("sqlite", "postgres")

#: Tests sign in many accounts from one loopback address, and some file many declarations from
#: one account (the limits per account have tests of their own, on servers of their own).
TEST_SETTINGS = BackendSettings(
    codes_per_address_per_hour=1_000_000,
    persons_per_account=1_000,
    submissions_per_account_per_hour=1_000_000,
)


def postgres_base_url() -> str:
    url = os.environ.get(POSTGRES_ENV)
    if url:
        return url
    if os.environ.get("ITDECLARE_REQUIRE_POSTGRES") == "1":
        pytest.fail(f"ITDECLARE_REQUIRE_POSTGRES=1 but {POSTGRES_ENV} is not set")
    pytest.skip(f"PostgreSQL tests need {POSTGRES_ENV} (e.g. postgresql+psycopg://…/test)")


@contextmanager
def fresh_database(kind: str, directory: Path) -> Iterator[str]:
    """A database URL nobody else uses: a SQLite file, or a new PostgreSQL database."""
    if kind == "sqlite":
        yield sqlite_url(directory / "server.sqlite3")
        return
    with scratch_postgres(postgres_base_url(), "server_test") as url:
        yield url


@dataclass
class LiveServer:
    url: str
    config: ServerConfig
    db: Database

    def client(self, **kwargs: Any) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=30, **kwargs)

    def reviewer_token(self, consulate: str) -> str:
        issued = self.db.write(
            lambda session: accounts.add_reviewer(session, consulate, self.config.backend, utcnow())
        )
        return issued.token


@contextmanager
def running_server(
    kind: str, directory: Path, settings: BackendSettings = TEST_SETTINGS, *, dev: bool = True
) -> Iterator[LiveServer]:
    with fresh_database(kind, directory) as url:
        config = ServerConfig.build(
            database_url=url,
            data_dir=directory,
            dev=dev,
            backend=settings,
            passphrase_file=None if dev else _operator_keys(directory),
        )
        database = prepare(config)
        base_url, stop = serve_in_thread(create_app(config), settings=settings)
        try:
            yield LiveServer(base_url, config, database)
        finally:
            stop()
            database.dispose()


def _operator_keys(directory: Path) -> Path:
    """What an operator does before ``serve`` without ``--dev``: ``itdeclare keys init``."""
    passphrase = directory / "passphrase"
    passphrase.write_text("operator passphrase", "utf-8")
    KeyStore.init(directory / "keys", passphrase.read_bytes())
    return passphrase


@pytest.fixture(scope="module", params=DATABASES)
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    directory = tmp_path_factory.mktemp(f"server-{request.param}")
    with running_server(request.param, directory) as live:
        yield live


def _consulates() -> Iterator[str]:
    from itdeclare.models import default_rules, reference

    overridden = set(default_rules().consulate_overrides)
    for code in sorted(reference.countries()):
        if code not in overridden and code != "CHN":
            yield code


_unused_consulates = _consulates()


def fresh_consulate() -> str:
    """A country whose consulate queue no other test of this process uses."""
    return next(_unused_consulates)


def new_phone() -> str:
    """A valid, unused-looking US mobile number (different in every call)."""
    while True:
        candidate = f"+1415{random.randint(2_000_000, 9_999_999)}"
        if phonenumbers.is_valid_number(phonenumbers.parse(candidate)):
            return candidate


@dataclass
class Traveller:
    """A signed-in traveller and the calls the tests make on its behalf."""

    http: httpx.Client
    phone: str
    token: str
    people: list[str] = field(default_factory=list)
    #: The given name of each person added (``add_person``), by id.
    given_names: dict[str, str] = field(default_factory=dict)

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.http.get(path, headers=self.auth, **kwargs)

    def post(
        self, path: str, headers: dict[str, str] | None = None, **kwargs: Any
    ) -> httpx.Response:
        return self.http.post(path, headers={**self.auth, **(headers or {})}, **kwargs)

    def add_person(self, relationship: str = "self", **subject: Any) -> str:
        """A person of the account: ZHANG SAN the first, then people of names of their own
        (one traveller has one live declaration however many entries name them, DESIGN.md
        §2), unless the test gives the name."""
        if self.people and "given_name" not in subject:
            subject["given_name"] = documents.fresh_given_name()
        added = documents.subject(**subject)
        response = self.post(
            "/api/v1/persons", json={"relationship": relationship, "subject": added}
        )
        assert response.status_code == 201, response.text
        person_id = str(response.json()["id"])
        self.people.append(person_id)
        self.given_names[person_id] = added["given_name"]
        return person_id

    def submit(
        self,
        person_id: str | None = None,
        key: str | None = None,
        declaration: dict[str, Any] | None = None,
    ) -> httpx.Response:
        # A traveller has one live declaration (DESIGN.md §2): a new one is for a new person,
        # unless the test names whom it is for; the declaration is about that person.
        person_id = person_id or self.add_person()
        declaration = documents.as_new_traveller(
            declaration or documents.declaration(),
            self.given_names.get(person_id, documents.SUBJECT["given_name"]),
        )
        return self.post(
            "/api/v1/declarations",
            json={"person_id": person_id, "declaration": declaration},
            headers={"Idempotency-Key": key or uuid.uuid4().hex},
        )

    def submitted(self, **kwargs: Any) -> dict[str, Any]:
        response = self.submit(**kwargs)
        assert response.status_code == 201, response.text
        return dict(response.json())

    def redeclare(
        self, declaration_id: str, declaration: dict[str, Any] | None = None
    ) -> httpx.Response:
        declaration = self._about_its_traveller(declaration_id, declaration)
        return self.post(
            f"/api/v1/declarations/{declaration_id}/redeclare",
            json={"declaration": declaration},
        )

    def _about_its_traveller(
        self, declaration_id: str, declaration: dict[str, Any] | None
    ) -> dict[str, Any]:
        """``declaration`` (by default a fresh one) about the traveller ``declaration_id`` was
        filed for, who has a name of their own (``submit``), unless the test chose another."""
        declaration = copy.deepcopy(declaration or documents.declaration())
        if declaration["subject"]["given_name"] != documents.SUBJECT["given_name"]:
            return declaration
        replaced = self.get(f"/api/v1/declarations/{declaration_id}")
        if replaced.status_code == 200:
            filed_for = replaced.json()["declaration"]["subject"]["given_name"]
            declaration["subject"]["given_name"] = filed_for
        return declaration


def sign_in(http: httpx.Client, phone: str | None = None) -> Traveller:
    phone = phone or new_phone()
    sent = http.post("/api/v1/auth/code", json={"phone": phone})
    assert sent.status_code == 202, sent.text
    token = http.post("/api/v1/auth/token", json={"phone": phone, "code": sent.json()["dev_code"]})
    assert token.status_code == 200, token.text
    return Traveller(http, phone, token.json()["token"])


@pytest.fixture
def http(server: LiveServer) -> Iterator[httpx.Client]:
    with server.client() as client:
        yield client


@pytest.fixture
def traveller(http: httpx.Client) -> Traveller:
    return sign_in(http)


@pytest.fixture
def make_traveller(http: httpx.Client) -> Callable[[], Traveller]:
    return lambda: sign_in(http)


@dataclass
class Reviewer:
    http: httpx.Client
    token: str
    consulate: str

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.http.get(path, headers={"Authorization": f"Bearer {self.token}"}, **kwargs)

    def decide(
        self, declaration_id: str, decision: str, note: str | None = None, **more: Any
    ) -> httpx.Response:
        return self.http.post(
            f"/api/v1/review/{declaration_id}/decision",
            json={"decision": decision, "note": note, **more},
            headers={"Authorization": f"Bearer {self.token}"},
        )


@pytest.fixture
def make_reviewer(server: LiveServer, http: httpx.Client) -> Callable[[str], Reviewer]:
    return lambda consulate: Reviewer(http, server.reviewer_token(consulate), consulate)


def queue_tallies_agree(db: Database, consulate: str | None = None) -> None:
    """The counters and the departure tallies agree with the declarations actually in review
    (of one consulate, or of all)."""
    from sqlalchemy import func, select

    from itdeclare.server.services import queue
    from itdeclare.server.tables import DeclarationRow, QueueBlock, QueueCounter

    def of(table: Any) -> Any:
        return table.consulate == consulate if consulate else True

    with db.read() as session:
        in_review = session.execute(
            select(func.count())
            .select_from(DeclarationRow)
            .where(of(DeclarationRow), queue.IN_QUEUE)
        ).scalar_one()
        handed_out, waiting = session.execute(
            select(func.coalesce(func.sum(QueueCounter.last_seq), 0),
                   func.coalesce(func.sum(QueueCounter.waiting), 0)).where(of(QueueCounter))
        ).one()  # fmt: skip
        departed = session.execute(
            select(func.coalesce(func.sum(QueueBlock.departed), 0)).where(of(QueueBlock))
        ).scalar_one()
    assert in_review == waiting == handed_out - departed
