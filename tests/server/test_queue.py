"""Queue positions from block tallies equal a plain count, and never grow."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from itdeclare.models.enums import DeclarationStatus as S
from itdeclare.server import migrate
from itdeclare.server.db import Database
from itdeclare.server.services import queue
from itdeclare.server.tables import (
    Account,
    DeclarationRow,
    Person,
    QueueBlock,
    QueueCounter,
    new_id,
    utcnow,
)
from tests.server.conftest import DATABASES, fresh_database

CONSULATE = "TST"


@pytest.fixture(scope="module", params=DATABASES)
def database(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Database]:
    with fresh_database(request.param, tmp_path_factory.mktemp("queue")) as url:
        db = Database(url)
        migrate.upgrade(db.engine)
        db.write(_owner)
        yield db
        db.dispose()


def _owner(session: Session) -> None:
    session.add(Account(id="a", kind="traveller", phone="+1", created_at=utcnow()))
    session.add(Person(id="p", account_id="a", relationship="self", subject={}))


def _reset(session: Session) -> None:
    for table in (DeclarationRow, QueueBlock, QueueCounter):
        session.execute(delete(table))


def _enter(session: Session) -> str:
    seq, position = queue.enter(session, CONSULATE)
    row_id = new_id()
    session.add(
        DeclarationRow(
            id=row_id,
            chain_id="c",
            account_id="a",
            person_id="p",
            consulate=CONSULATE,
            status=S.PENDING_REVIEW.value,
            queue_seq=seq,
            document={},
        )
    )
    session.flush()
    assert position == queue.position(session, CONSULATE, seq)
    return row_id


def _leave(session: Session, row_id: str) -> None:
    row = session.get(DeclarationRow, row_id)
    assert row is not None
    row.status = S.APPROVED.value
    session.flush()
    queue.leave(session, CONSULATE, row.queue_seq)


def _toggle_supplement(session: Session, row_id: str) -> None:
    row = session.get(DeclarationRow, row_id)
    assert row is not None
    waiting = row.status == S.SUPPLEMENT_REQUESTED.value
    row.status = (S.PENDING_REVIEW if waiting else S.SUPPLEMENT_REQUESTED).value


def _positions(session: Session) -> dict[str, int]:
    rows = session.execute(
        select(DeclarationRow.id, DeclarationRow.queue_seq)
        .where(DeclarationRow.consulate == CONSULATE, queue.IN_QUEUE)
        .order_by(DeclarationRow.queue_seq)
    ).all()
    counted = {row_id: i for i, (row_id, _) in enumerate(rows)}
    tallied = {row_id: queue.position(session, CONSULATE, seq) for row_id, seq in rows}
    assert tallied == counted
    return tallied


operations = st.lists(
    st.tuples(st.sampled_from(["enter", "enter", "leave", "supplement"]), st.integers(0, 10_000)),
    max_size=60,
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=operations)
def test_positions_match_a_count_and_never_grow(
    database: Database, monkeypatch: pytest.MonkeyPatch, steps: list[tuple[str, int]]
) -> None:
    monkeypatch.setattr(queue, "BLOCK_SIZE", 4)  # cross many block boundaries

    def run(session: Session) -> None:
        _reset(session)
        waiting: list[str] = []
        before: dict[str, int] = {}
        for operation, pick in steps:
            if operation == "enter":
                waiting.append(_enter(session))
            elif waiting and operation == "leave":
                _leave(session, waiting.pop(pick % len(waiting)))
            elif waiting:
                _toggle_supplement(session, waiting[pick % len(waiting)])
            now = _positions(session)
            assert all(now[i] <= before[i] for i in now if i in before)
            before = now
        counter = session.get(QueueCounter, CONSULATE)
        assert (counter.waiting if counter else 0) == len(waiting)

    database.write(run)


def test_an_empty_queue_has_nobody_ahead(database: Database) -> None:
    with database.read() as session:
        assert queue.position(session, "NOB", 1) == 0


def test_the_tallies_are_per_consulate(database: Database) -> None:
    def run(session: Session) -> None:
        _reset(session)
        first = queue.enter(session, "AAA")
        assert queue.enter(session, "BBB") == (1, 0)
        assert queue.enter(session, "AAA") == (first[0] + 1, 1)

    database.write(run)
