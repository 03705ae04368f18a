"""One person, one trip, one live declaration (DESIGN.md §2), settled by the database.

A travel document is live while a declaration chain holds its row in ``live_documents``; the
row's primary key is the document, so of any number of requests racing to file for one document,
one takes the row and the others find it taken. The person filed for has a row of the same kind
(``person_key``), so a person with a live chain cannot start a second one with another document
either. The chain keeps its rows, whatever the status of its declarations, until its trip is over
(``live_until``); then the first new chain to come takes them over, in the same statement (an
upsert whose update applies only to a row whose time is up). Nothing has to run at the moment a
trip ends.

A document's type and issuing country are what the traveller says, so a chain also holds its
number with the holder's date of birth (``born_key``): the same number declared for someone
born the same day is the same document, however its type, country or issue count is given.
And it holds its holder's names and date of birth within the account (``named_key``): a second
entry for one person in an account, filing with a second genuine document (a dual national's
other passport), would otherwise start a second chain for the same traveller.

A re-declaration files for the chain that holds the rows: it takes its document again (the
document may have been corrected, the trip changed) and keeps every other document it declared
until its trip is over. Were a corrected document let go, a chain could move to a second
document and free the first for a new chain with two more re-declarations, as often as one
liked: the limit of two would be evaded (§2). A mistyped number stays held for a few days at
most; filing with someone else's number holds it as long in any case.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime
from typing import cast

from sqlalchemy import (
    ColumnElement,
    Connection,
    Insert,
    String,
    Table,
    bindparam,
    delete,
    func,
    literal,
    or_,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from itdeclare.models import Declaration, Subject
from itdeclare.models.person import document_identity, name_identity, number_identity
from itdeclare.models.status import AFTER_ARRIVAL
from itdeclare.server.db import Database, DriverStatement, dialect_insert
from itdeclare.server.errors import ApiError
from itdeclare.server.tables import DeclarationRow, LiveDocument

_LIVE = cast(Table, LiveDocument.__table__)
#: How often a claim is tried again when the chain that held the document let go of it between
#: the attempt and the look at who holds it.
_ATTEMPTS = 3


#: A person's row: no document key starts so (those start with an ISO alpha-3 nationality).
_PERSON = "person:"
#: A traveller's row within an account (``named_key``): this, then the first hex digits of a
#: SHA-256.
_NAMED, _NAMED_DIGITS = "named:", 40


def document_key(subject: Subject) -> str:
    """The row of the subject's travel document (``models.person.document_identity``)."""
    document = subject.document
    return document_identity(subject.nationality, document.type, document.number)


def person_key(person_id: str) -> str:
    """The row that makes one live chain per person, whichever document it declares."""
    return f"{_PERSON}{person_id}"


def born_key(born: date, number: str) -> str:
    """The row of a document number held by someone born on ``born``, whatever type or
    country the number is declared with (``models.person.number_identity``)."""
    return f"born:{born.isoformat()}:{number_identity(number)}"


def named_key(account_id: str, subject: Subject) -> str:
    """The row of one traveller within an account: their names and date of birth
    (``models.person.name_identity``), whichever person entry they are filed under. Only within
    the account: two travellers elsewhere may share a common name and a birthday. Hashed, to
    fit the key's column and to keep names out of it."""
    named = account_id + named_after_account(subject)
    return f"{_NAMED}{hashlib.sha256(named.encode()).hexdigest()[:_NAMED_DIGITS]}"


def named_after_account(subject: Subject) -> str:
    """What ``named_key`` hashes after the account's id."""
    return f":{subject.date_of_birth.isoformat()}:" + name_identity(
        subject.family_name, subject.given_name
    )


def named_key_in_sql(
    account_id: ColumnElement[str], after_account: ColumnElement[str]
) -> ColumnElement[str]:
    """``named_key`` as PostgreSQL computes it, for an account it finds itself (the one a
    filing statement's token signs in); ``after_account`` is ``named_after_account``."""
    digest = func.encode(func.sha256(func.convert_to(account_id + after_account, "UTF8")), "hex")
    return literal(_NAMED, String) + func.left(digest, _NAMED_DIGITS)


def chain_keys(subject: Subject, person_id: str, account_id: str) -> list[str]:
    """Every row a chain filed for ``subject`` by ``account_id`` holds, the document's first
    (when it is held, that says the most: another account's?)."""
    return [*keys_but_named(subject, person_id), named_key(account_id, subject)]


def keys_but_named(subject: Subject, person_id: str) -> list[str]:
    """``chain_keys`` but ``named_key``, for a statement that names the account itself."""
    return [
        document_key(subject),
        person_key(person_id),
        born_key(subject.date_of_birth, subject.document.number),
    ]


def live_until(declaration: Declaration) -> datetime:
    """Until when a chain filed with ``declaration`` is live, before any code is issued: a day
    after its flight into China lands, when a code issued before then would expire (the
    calendar's end for an arrival on its last day)."""
    try:
        return declaration.entry_leg.arrives_at + AFTER_ARRIVAL
    except OverflowError:
        return datetime.max.replace(tzinfo=UTC)


def upsert(statement: postgresql.Insert | sqlite.Insert) -> Insert:
    """``statement`` (an INSERT into ``live_documents``) made a claim: when the document is held,
    it takes the row over only from the same chain or once the trip of the chain holding it is
    over (``claim_now``), and answers a row only when it did."""
    taken = statement.excluded
    return statement.on_conflict_do_update(
        index_elements=[_LIVE.c.document_key],
        set_={
            "chain_id": taken.chain_id,
            "account_id": taken.account_id,
            "live_until": taken.live_until,
        },
        where=or_(
            _LIVE.c.live_until <= bindparam("claim_now", type_=_LIVE.c.live_until.type),
            _LIVE.c.chain_id == taken.chain_id,
        ),
    ).returning(_LIVE.c.chain_id)


def claim(
    session: Session, account_id: str, key: str, chain_id: str, until: datetime, now: datetime
) -> bool:
    """Whether the chain now holds the document (until ``until``)."""
    parameters = {
        "document_key": key,
        "chain_id": chain_id,
        "account_id": account_id,
        "live_until": until,
        "claim_now": now,
    }
    statement = upsert(dialect_insert(session)(_LIVE))
    return session.execute(statement, parameters).first() is not None


def holder(session: Session | Connection, key: str, now: datetime) -> str | None:
    """The account whose chain holds the document live, if any."""
    return session.execute(
        select(LiveDocument.account_id).where(
            LiveDocument.document_key == key, LiveDocument.live_until > now
        )
    ).scalar_one_or_none()


def refusal(account_id: str, holding: str) -> ApiError:
    """409: the account's own chain holds it (re-declare that one), or another account's does
    (the answer names nothing of that account)."""
    if holding == account_id:
        return ApiError(409, "already_declared")
    return ApiError(409, "document_declared_elsewhere")


def take(
    session: Session,
    account_id: str,
    declaration: Declaration,
    chain_id: str,
    person_id: str,
    now: datetime,
    *,
    until: datetime | None = None,
) -> None:
    """Make ``chain_id`` the chain of the person and of the declaration's document, and hold
    every row of the chain until ``until`` (by default the end of the declaration's trip); or
    raise the 409 that says who holds one."""
    until = until or live_until(declaration)
    for key in chain_keys(declaration.subject, person_id, account_id):
        _take_key(session, account_id, key, chain_id, until, now)
    session.execute(
        update(LiveDocument).where(LiveDocument.chain_id == chain_id).values(live_until=until)
    )


def _take_key(
    session: Session, account_id: str, key: str, chain_id: str, until: datetime, now: datetime
) -> None:
    for _attempt in range(_ATTEMPTS):
        if claim(session, account_id, key, chain_id, until, now):
            return
        holding = holder(session, key, now)
        if holding is not None:
            raise refusal(account_id, holding)
    raise ApiError(503, "unavailable")


def _release_unmade() -> DriverStatement:
    """Delete the chain's rows unless a declaration of the chain exists."""
    chain_id = bindparam("chain_id", type_=_LIVE.c.chain_id.type)
    made = select(DeclarationRow.id).where(DeclarationRow.chain_id == chain_id).exists()
    return DriverStatement(delete(LiveDocument).where(LiveDocument.chain_id == chain_id, ~made))


RELEASE_UNMADE = _release_unmade()


async def release_unmade(database: Database, chain_id: str) -> None:
    """Let go of what a chain that was never made claimed: the one statement of
    ``filing_at_once`` may take some of its rows and not the others, and then makes nothing.
    Run again after a lost connection, that statement may find its chain made by the attempt
    whose answer was lost, and be stopped by what that attempt counted (the rate): the rows are
    then that declaration's, and stay."""
    await database.run(RELEASE_UNMADE, {"chain_id": chain_id})
