"""The Alembic migrations build exactly the tables the models describe, on both databases."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import insert, inspect, select

from itdeclare.models import Subject
from itdeclare.server import migrate
from itdeclare.server.db import Database
from itdeclare.server.services import live
from itdeclare.server.tables import Account, Base, DeclarationRow, LiveDocument, Person
from tests.server import documents
from tests.server.conftest import DATABASES, fresh_database


@pytest.mark.parametrize("kind", DATABASES)
def test_migrations_match_the_models(kind: str, tmp_path: Path) -> None:
    with fresh_database(kind, tmp_path) as url:
        database = Database(url)
        try:
            migrate.upgrade(database.engine)
            migrate.upgrade(database.engine)  # a second run finds nothing to do
            with database.engine.connect() as connection:
                context = MigrationContext.configure(connection, opts={"compare_type": True})
                assert compare_metadata(context, Base.metadata) == []
                tables = set(inspect(connection).get_table_names())
            assert set(Base.metadata.tables) | {"alembic_version"} == tables
        finally:
            database.dispose()


@pytest.mark.parametrize("kind", DATABASES)
def test_upgrading_holds_the_documents_of_chains_already_live(kind: str, tmp_path: Path) -> None:
    """Declarations filed before the one-live rule: the open end of each chain whose trip is not
    over holds its document after the upgrade (the newer, where two chains had one document);
    replaced declarations and trips that are over hold nothing."""
    with fresh_database(kind, tmp_path) as url:
        database = Database(url)
        try:
            migrate.upgrade(database.engine, "0001")
            now = datetime.now(UTC)
            with database.engine.begin() as connection:
                connection.execute(
                    insert(Account.__table__).values(id="a" * 32, kind="traveller", created_at=now)
                )
                connection.execute(
                    insert(Person.__table__).values(
                        id="p" * 32, account_id="a" * 32, relationship="self", subject={},
                        created_at=now,
                    )
                )  # fmt: skip
                rows = [
                    ("1", "E00000001", None, now + timedelta(days=1), now),
                    ("2", "E00000001", None, now + timedelta(days=1), now + timedelta(seconds=1)),
                    ("3", "E00000002", "1" * 32, now + timedelta(days=1), now),
                    ("4", "E00000003", None, now - timedelta(days=2), now),
                ]
                for digit, passport, replaced_by, arrives, created in rows:
                    declaration = documents.declaration(passport=passport)
                    declaration["itinerary"][0]["arrives_at"] = arrives.isoformat()
                    connection.execute(
                        insert(DeclarationRow.__table__).values(
                            id=digit * 32, chain_id=digit * 32, redeclarations_used=0,
                            account_id="a" * 32, person_id="p" * 32, replaced_by_id=replaced_by,
                            consulate="USA", status="pending_review", queue_seq=int(digit),
                            document=declaration, created_at=created, updated_at=created,
                        )
                    )  # fmt: skip
            migrate.upgrade(database.engine, "0005_attachment_test")
            assert _held(database) == {"CHN:passport:E00000001": "2" * 32}
            # …and from 0006 on under the key without its type, with the chain's person.
            migrate.upgrade(database.engine, "0006_live_people")
            assert _held(database) == {"CHN:E00000001": "2" * 32, f"person:{'p' * 32}": "2" * 32}
        finally:
            database.dispose()


def _held(database: Database) -> dict[str, str]:
    with database.read() as session:
        return {row.document_key: row.chain_id for row in session.execute(select(LiveDocument))
                .scalars()}  # fmt: skip


@pytest.mark.parametrize("kind", DATABASES)
def test_upgrading_to_0006_and_on_holds_every_person_and_document_of_a_live_chain(
    kind: str, tmp_path: Path
) -> None:
    """A chain that moved from one document to another holds both; a permit written with and
    without its booklet's issue count is one document (the newer chain keeps it); a chain
    whose trip is over holds nothing. 0007 and 0008 add the numbers with the birth date, and the
    traveller within the account. Down again: the last document of each, with its type."""
    with fresh_database(kind, tmp_path) as url:
        database = Database(url)
        try:
            migrate.upgrade(database.engine, "0005_attachment_test")
            now = datetime.now(UTC)
            with database.engine.begin() as connection:
                connection.execute(
                    insert(Account.__table__).values(id="a" * 32, kind="traveller", created_at=now)
                )
                for person in "pqr":
                    connection.execute(
                        insert(Person.__table__).values(
                            id=person * 32, account_id="a" * 32, relationship="self",
                            subject={}, created_at=now,
                        )
                    )  # fmt: skip
                rows = [  # id, chain, person, document, replaced by, arrives, created
                    ("1", "1", "p", ("passport", "E00000001"), "2", 1, 0),
                    ("2", "1", "p", ("passport", "E00000002"), None, 1, 1),
                    ("3", "3", "q", ("hk_macao_permit", "H1234567801"), None, 1, 2),
                    ("4", "4", "r", ("hk_macao_permit", "H12345678"), None, 1, 3),
                    ("5", "5", "r", ("passport", "E00000005"), None, -2, 0),
                ]
                for digit, chain, person, (kind_, number), replaced_by, days, seconds in rows:
                    declaration = documents.declaration()
                    declaration["subject"]["document"] = {"type": kind_, "number": number,
                                                          "expires_on": "2035-01-01"}  # fmt: skip
                    arrives = now + timedelta(days=days)
                    declaration["itinerary"][0]["arrives_at"] = arrives.isoformat()
                    created = now + timedelta(seconds=seconds)
                    connection.execute(
                        insert(DeclarationRow.__table__).values(
                            id=digit * 32, chain_id=chain * 32, redeclarations_used=0,
                            account_id="a" * 32, person_id=person * 32,
                            replaced_by_id=replaced_by and replaced_by * 32,
                            consulate="USA", status="pending_review", queue_seq=int(digit),
                            document=declaration, created_at=created, updated_at=created,
                        )
                    )  # fmt: skip
            migrate.upgrade(database.engine, "0006_live_people")
            held_by_0006 = {
                "CHN:E00000001": "1" * 32,
                "CHN:E00000002": "1" * 32,
                f"person:{'p' * 32}": "1" * 32,
                "CHN:H12345678": "4" * 32,
                f"person:{'r' * 32}": "4" * 32,
                f"person:{'q' * 32}": "3" * 32,
            }
            assert _held(database) == held_by_0006
            # 0007: every number of a live chain with the date of birth, the newer chain first.
            migrate.upgrade(database.engine, "0007_live_numbers")
            born = documents.SUBJECT["date_of_birth"]
            held_by_0007 = held_by_0006 | {
                f"born:{born}:E00000001": "1" * 32,
                f"born:{born}:E00000002": "1" * 32,
                f"born:{born}:H12345678": "4" * 32,
            }
            assert _held(database) == held_by_0007
            # 0008: the holder's names within the account; p, q and r are one traveller (one
            # name and birthday in account a), so the newest chain holds it.
            migrate.upgrade(database.engine)
            traveller = documents.declaration()["subject"]
            named = live.named_key("a" * 32, Subject.model_validate(traveller))
            assert _held(database) == held_by_0007 | {named: "4" * 32}
            with database.engine.begin() as connection:
                command.downgrade(migrate.alembic_config(connection), "0005_attachment_test")
            assert _held(database) == {
                "CHN:passport:E00000002": "1" * 32,
                "CHN:hk_macao_permit:H12345678": "4" * 32,
                "CHN:hk_macao_permit:H1234567801": "3" * 32,
            }
        finally:
            database.dispose()


def test_the_heads_read_from_the_files_are_alembics() -> None:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(migrate.alembic_config())
    assert migrate.shipped_heads() == set(script.get_heads())


def test_a_database_at_the_newest_schema_is_opened_without_alembic(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    database = Database(url)
    try:
        assert not migrate.at_head(database.engine)
        migrate.upgrade(database.engine)
        assert migrate.at_head(database.engine)
    finally:
        database.dispose()
    check = (
        "import sys; from itdeclare.server import migrate; from itdeclare.server.db import "
        f"Database; migrate.upgrade(Database({url!r}).engine); print('alembic' in sys.modules)"
    )
    command = [sys.executable, "-c", check]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert done.stdout.strip() == "False", done.stderr
