"""Submitting joins the queue at the next place, without gaps, whichever way it is filed.

On PostgreSQL a submission to a consulate that already has a queue is filed by one statement
outside a transaction (``filing_at_once.submit_at_once``); a consulate's first submission, and every
submission on SQLite, goes through a transaction. Both must hand out the same places.
"""

from __future__ import annotations

import asyncio
import gc
import uuid
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
from psycopg import AsyncConnection
from sqlalchemy import func, literal, select
from sqlalchemy.engine import Dialect

from itdeclare.config import BackendSettings
from itdeclare.models import Declaration
from itdeclare.server.app import create_app
from itdeclare.server.db import Database, DriverStatement
from itdeclare.server.services import declarations, filing_at_once, live
from itdeclare.server.services.operations import declarations as operations
from itdeclare.server.tables import DeclarationRow, LiveDocument, QueueCounter, utcnow
from tests.server import documents
from tests.server.conftest import (
    TEST_SETTINGS,
    LiveServer,
    Traveller,
    fresh_consulate,
    queue_tallies_agree,
    running_server,
    sign_in,
)
from tests.server.databases import end_backend, end_every_backend


def _places(server: LiveServer, consulate: str) -> list[int]:
    with server.db.read() as session:
        seqs = session.execute(
            select(DeclarationRow.queue_seq)
            .where(DeclarationRow.consulate == consulate)
            .order_by(DeclarationRow.queue_seq)
        ).scalars()
        return list(seqs)


def _claimed(server: LiveServer) -> int:
    with server.db.read() as session:
        return session.execute(select(func.count()).select_from(LiveDocument)).scalar_one()


def _handed_out(server: LiveServer, consulate: str) -> int | None:
    with server.db.read() as session:
        counter = session.get(QueueCounter, consulate)
        return counter.last_seq if counter else None


def test_places_follow_each_other_across_replays_and_refusals(
    server: LiveServer, traveller: Traveller
) -> None:
    consulate = fresh_consulate()
    one, two, three = (traveller.add_person() for _ in range(3))
    body = documents.declaration(residence=consulate)
    first = traveller.submit(one, key="first", declaration=body)
    again = traveller.submit(one, key="again", declaration=body)  # the person is live: refused
    body = documents.declaration(residence=consulate)
    second = traveller.submit(two, key="second", declaration=body)
    replayed = traveller.submit(two, key="second", declaration=body)
    reused = traveller.submit(two, key="second", declaration=documents.declaration(residence="USA"))
    third = traveller.submit(
        three, key="third", declaration=documents.declaration(residence=consulate)
    )
    assert [first.status_code, second.status_code, third.status_code] == [201, 201, 201]
    assert (again.status_code, again.json()["error"]["code"]) == (409, "already_declared")
    assert replayed.status_code in (200, 201)
    assert replayed.json() == second.json()
    assert reused.status_code == 422
    assert reused.json()["error"]["code"] == "idempotency_key_reused"
    assert [a.json()["queue_position"] for a in (first, second, third)] == [0, 1, 2]
    assert {a.json()["consulate"] for a in (first, second, third)} == {consulate}
    assert _places(server, consulate) == [1, 2, 3]
    assert _handed_out(server, consulate) == 3
    queue_tallies_agree(server.db, consulate)


def test_a_submission_answers_as_the_declaration_reads_afterwards(traveller: Traveller) -> None:
    traveller.submitted()  # the consulate has a queue: this one is not its first
    filed = traveller.submitted()
    read = traveller.get(f"/api/v1/declarations/{filed['id']}").json()
    assert {name: read[name] for name in filed} == filed


def _filing(
    person: str, consulate: str, key: str, given_name: str = "SAN", **changes: Any
) -> declarations.Filing:
    about = documents.as_new_traveller(documents.declaration(residence=consulate), given_name)
    declaration = Declaration.model_validate(about | changes)
    return declarations.filing("submit", person, declaration, key)


# SQLite has no data-modifying WITH: there every submission takes a transaction.
@pytest.mark.parametrize("server", ["postgres"], indirect=True)
def test_one_statement_files_into_a_queue_or_leaves_it_as_it_was(
    server: LiveServer, traveller: Traveller
) -> None:
    consulate = fresh_consulate()

    def at_once(
        key: str,
        settings: BackendSettings = server.config.backend,
        by: str = traveller.token,
        **changes: Any,
    ) -> declarations.Filed | None:
        person = traveller.add_person()  # each filing for a person with no live declaration
        filing = _filing(person, consulate, key, traveller.given_names[person], **changes)
        now = utcnow()
        row = filing_at_once.new_row(person, filing, now)

        async def in_a_loop() -> declarations.Filed | None:
            try:
                return await filing_at_once.submit_at_once(
                    server.db, by, row, filing, settings, now
                )
            finally:
                await server.db.aclose()

        return asyncio.run(in_a_loop())

    assert at_once(uuid.uuid4().hex) is None  # no queue yet: nothing taken, nothing stored
    assert _handed_out(server, consulate) is None
    assert _places(server, consulate) == []
    traveller.submitted(declaration=documents.declaration(residence=consulate), key="made")
    filed = at_once("next")
    assert filed is not None
    assert (filed.row.queue_seq, filed.position) == (2, 1)
    with pytest.raises(declarations.KeyTaken):
        at_once("made")
    # What the statement checks itself leaves the queue and the document as they were: the
    # transaction that follows it answers (here: 404, 422, 429).
    claimed = _claimed(server)
    assert at_once("not-their-person", by=sign_in(traveller.http).token) is None
    assert at_once("not-a-token", by="not-a-token") is None
    assert at_once("a-reviewers-token", by=server.reviewer_token(consulate)) is None
    assert _claimed(server) == claimed  # nothing held for them
    assert at_once("not-the-person", relationship="child") is None
    assert at_once("not-about-them", subject=documents.subject(family_name="LI")) is None
    assert at_once("over-the-rate", BackendSettings(submissions_per_account_per_hour=2)) is None
    assert at_once("over-the-rate") is not None  # the key of a refusal was not taken
    assert _handed_out(server, consulate) == 3
    assert _places(server, consulate) == [1, 2, 3]
    queue_tallies_agree(server.db, consulate)


@pytest.mark.parametrize("server", ["postgres"], indirect=True)
def test_a_submission_is_one_statement_its_token_checked_inside(
    traveller: Traveller, monkeypatch: pytest.MonkeyPatch
) -> None:
    traveller.submitted()  # the consulate has a queue: this one is not its first
    person = traveller.add_person()
    statements: list[str] = []
    execute, execute_awaited = psycopg.Cursor.execute, psycopg.AsyncCursor.execute

    def counted(cursor: psycopg.Cursor[Any], query: Any, *args: Any, **kwargs: Any) -> Any:
        statements.append(str(query))
        return execute(cursor, query, *args, **kwargs)

    async def counted_awaited(
        cursor: psycopg.AsyncCursor[Any], query: Any, *args: Any, **kwargs: Any
    ) -> Any:
        statements.append(str(query))
        return await execute_awaited(cursor, query, *args, **kwargs)

    # the driver's cursors: SQLAlchemy's statements go through the one, the filing statement
    # (``Database.run``) through the other
    monkeypatch.setattr(psycopg.Cursor, "execute", counted)
    monkeypatch.setattr(psycopg.AsyncCursor, "execute", counted_awaited)
    traveller.submitted(person_id=person)
    monkeypatch.undo()
    assert len(statements) == 1, statements
    assert statements[0].startswith("WITH signed_in AS"), statements


_NOTHING = DriverStatement(select(literal(1)))


def _losing_the_answer(server: LiveServer, lost: list[bool]) -> Any:
    """``DriverStatement.rows`` whose first statement is made and committed, and whose answer
    is then lost with its connection (noted in ``lost``)."""
    rows = DriverStatement.rows

    async def answer_lost(
        self: DriverStatement,
        connection: AsyncConnection[Any],
        dialect: Dialect,
        parameters: Any,
    ) -> Any:
        found = await rows(self, connection, dialect, parameters)
        if not lost:
            lost.append(True)
            end_backend(server.db, connection)
            await rows(_NOTHING, connection, dialect, {})  # fails as the connection is lost
        return found

    return answer_lost


def _person_claimed(server: LiveServer, person: str) -> bool:
    with server.db.read() as session:
        key = live.person_key(person)
        return session.get(LiveDocument, key) is not None


def _passport_held_elsewhere(
    http: httpx.Client, traveller: Traveller
) -> tuple[Traveller, str, str]:
    """Another traveller, a person of theirs and a passport ``traveller`` has declared: filing
    for that person with it, the one statement claims the person but not the passport, makes
    nothing and lets the person go (``live.release_unmade``)."""
    traveller.submitted()  # the consulate has a queue: the statement files alone
    passport = documents.fresh_passport()
    traveller.submitted(declaration=documents.declaration(passport=passport))
    other = sign_in(http)
    other.submitted()
    return other, other.add_person(), passport


def _chains_of(server: LiveServer, person: str) -> list[str]:
    with server.db.read() as session:
        return list(
            session.execute(
                select(DeclarationRow.chain_id).where(DeclarationRow.person_id == person)
            ).scalars()
        )


@pytest.mark.parametrize("server", ["postgres"], indirect=True)
def test_a_filing_whose_answer_the_connection_lost_is_answered_once_made(
    server: LiveServer, traveller: Traveller, monkeypatch: pytest.MonkeyPatch
) -> None:
    traveller.submitted()  # the consulate has a queue: the statement files alone
    person = traveller.add_person()
    lost: list[bool] = []
    monkeypatch.setattr(DriverStatement, "rows", _losing_the_answer(server, lost))
    body = documents.declaration()
    answer = traveller.submit(person, key="lost", declaration=body)
    monkeypatch.undo()
    assert lost
    assert answer.status_code == 200, answer.text  # made by the first try, found by the next
    assert _chains_of(server, person) == [answer.json()["chain_id"]]
    again = traveller.submit(person, key="lost", declaration=body)
    assert (again.status_code, again.json()) == (200, answer.json())


@pytest.mark.parametrize("server", ["postgres"], indirect=True)
def test_claims_a_lost_connection_kept_from_being_let_go_are_let_go(
    server: LiveServer, http: httpx.Client, traveller: Traveller, monkeypatch: pytest.MonkeyPatch
) -> None:
    other, person, passport = _passport_held_elsewhere(http, traveller)
    release = live.release_unmade
    lost: list[bool] = []

    async def release_lost(database: Database, chain_id: str) -> None:
        if not lost:  # the person's claim is made, the passport's was not: let go, but ...
            lost.append(True)
            end_every_backend(server.db)  # ... the connection it would take is gone
        await release(database, chain_id)

    monkeypatch.setattr(live, "release_unmade", release_lost)
    held = other.submit(person, key="held", declaration=documents.declaration(passport=passport))
    monkeypatch.undo()
    assert lost
    assert (held.status_code, held.json()["error"]["code"]) == (409, "document_declared_elsewhere")
    # the person was not left claimed by a chain never made: on their own passport they file
    assert other.submit(person, key="own").status_code == 201


def test_a_filing_made_at_the_rate_whose_answer_was_lost_keeps_its_documents(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The attempt run again counts the declaration the lost one made against the rate, so it
    makes nothing: what it lets go of is that declaration's, and stays held."""
    settings = TEST_SETTINGS._replace(submissions_per_account_per_hour=2)
    with running_server("postgres", tmp_path, settings) as server, server.client() as http:
        traveller = sign_in(http)
        traveller.submitted()  # the queue is made; the next is filed by the one statement
        person = traveller.add_person()
        passport = documents.fresh_passport()
        lost: list[bool] = []
        # made: the account's second this hour
        monkeypatch.setattr(DriverStatement, "rows", _losing_the_answer(server, lost))
        body = documents.declaration(passport=passport)
        answer = traveller.submit(person, key="last", declaration=body)
        monkeypatch.undo()
        assert lost and answer.status_code == 200, answer.text
        assert _chains_of(server, person) == [answer.json()["chain_id"]]
        other = sign_in(http)
        elsewhere = other.submit(declaration=documents.declaration(passport=passport))
        assert (elsewhere.status_code, elsewhere.json()["error"]["code"]) == (
            409,
            "document_declared_elsewhere",
        )


@pytest.mark.parametrize("server", ["postgres"], indirect=True)
def test_a_filing_cancelled_midway_still_lets_go_of_what_it_claimed(
    server: LiveServer, http: httpx.Client, traveller: Traveller, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The request is cancelled (by whatever cancels its task) between the statement that
    claimed the person but not the passport, and the one that lets the person go: the filing
    goes on to let go, as it did in a thread, and nothing is left unreported."""
    other, person, passport = _passport_held_elsewhere(http, traveller)
    backend = create_app(server.config).state.backend
    release = live.release_unmade
    releasing, go_on = asyncio.Event(), asyncio.Event()

    async def release_later(database: Database, chain_id: str) -> None:
        releasing.set()
        await go_on.wait()
        await release(database, chain_id)

    monkeypatch.setattr(live, "release_unmade", release_later)
    held = Declaration.model_validate(
        documents.as_new_traveller(
            documents.declaration(passport=passport), other.given_names[person]
        )
    )

    unretrieved: list[dict[str, Any]] = []

    async def cancelled_midway() -> None:
        asyncio.get_running_loop().set_exception_handler(lambda _, c: unretrieved.append(c))
        filing = asyncio.create_task(
            operations.submit(backend, other.token, person, held, "cancelled")
        )
        await releasing.wait()
        filing.cancel()
        with pytest.raises(asyncio.CancelledError):
            await filing
        go_on.set()
        for _ in range(500):  # the shielded filing lets go in the background
            if not _person_claimed(server, person):
                break
            await asyncio.sleep(0.01)
        await backend.db.aclose()

    asyncio.run(cancelled_midway())
    monkeypatch.undo()
    assert unretrieved == []
    backend.db.dispose()
    # the person was not left claimed by a chain never made: on their own passport they file
    assert other.submit(person, key="own").status_code == 201


def test_a_filing_that_fails_after_its_request_was_cancelled_is_not_left_unreported() -> None:
    """Its error has no request to answer for it: asyncio must not find it never retrieved."""
    unretrieved: list[dict[str, Any]] = []

    async def failing() -> None:
        await asyncio.sleep(0.05)
        raise OSError("the connection was lost")

    async def scenario() -> None:
        asyncio.get_running_loop().set_exception_handler(lambda _, c: unretrieved.append(c))
        request = asyncio.create_task(operations._to_its_end(failing()))
        await asyncio.sleep(0.01)
        request.cancel()
        with pytest.raises(asyncio.CancelledError):
            await request
        await asyncio.sleep(0.1)  # the filing fails meanwhile
        gc.collect()  # where asyncio reports a task whose error nobody retrieved

    asyncio.run(scenario())
    assert unretrieved == []
