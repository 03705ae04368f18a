"""A first submission as one statement that commits alone (PostgreSQL): it finds the account
the request's token signs in, checks the account's rate and the person, claims the person, the
travel document and the traveller, takes the queue place and inserts the row. When it cannot (a
token that is not a live traveller's, no queue yet, a check or a claim not passed), what it
claimed is let go, and the caller checks the token, then ``declarations.submit`` runs in a
transaction and says why, with the same answers."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, cast

from sqlalchemy import (
    CTE,
    ColumnElement,
    Insert,
    Table,
    UniqueConstraint,
    bindparam,
    exists,
    func,
    insert,
    literal_column,
    select,
    type_coerce,
)
from sqlalchemy import cast as cast_as
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.exc import IntegrityError

from itdeclare.config import BackendSettings
from itdeclare.server import credentials
from itdeclare.server.db import Database, DriverStatement
from itdeclare.server.services import accounts, live, queue, quotas
from itdeclare.server.services.declarations import (
    SAME_PERSON,
    Filed,
    Filing,
    KeyTaken,
    row_values,
)
from itdeclare.server.tables import (
    Account,
    DeclarationRow,
    Inserted,
    LiveDocument,
    Person,
    QueueCounter,
    Token,
    is_id,
)

_DECLARATIONS = cast(Table, DeclarationRow.__table__)
_LIVE = cast(Table, LiveDocument.__table__)
_PERSONS = cast(Table, Person.__table__)
#: The rows the new chain claims but the traveller's (``live.keys_but_named``), as bound in the
#: one statement, which adds the traveller's (``live.named_key_in_sql``).
_CLAIM_KEYS = bindparam("claim_keys", type_=postgresql.ARRAY(_LIVE.c.document_key.type))
#: The account the request's token signs in, if a traveller's (``accounts.live_token``): none,
#: and nothing is claimed, so nothing is made.
_SIGNED_IN = (
    select(Account.id)
    .join(Token, Token.account_id == Account.id)
    .where(
        accounts.live_token(bindparam("token_hash"), bindparam("signed_in_at")),
        Account.kind == accounts.TRAVELLER,
    )
    .cte("signed_in")
)
_ACCOUNT = select(_SIGNED_IN.c.id).scalar_subquery()
#: The constraint that makes an ``Idempotency-Key`` name one declaration per account.
_KEY_CONSTRAINT = next(
    c.name
    for c in _DECLARATIONS.constraints
    if isinstance(c, UniqueConstraint)
    and set(c.columns.keys()) == {"account_id", "idempotency_key"}
)

#: What a statement breaks when its declaration was made before: by a request with the same key,
#: or by this request's own attempt whose answer a lost connection kept (``new_row``).
_MADE_BEFORE = frozenset({_KEY_CONSTRAINT, _DECLARATIONS.primary_key.name})


def _insert_placed(place: CTE) -> Insert:
    """The new declaration at the place taken in ``place``; its other columns are parameters
    named ``new_<column>``: a parameter named as a column of ``queue_counters`` (``consulate``)
    would turn into a SET of the UPDATE in ``place``."""
    given = {_DECLARATIONS.c.queue_seq: place.c.last_seq, _DECLARATIONS.c.account_id: _ACCOUNT}
    row = [
        given.get(column, bindparam(f"new_{column.key}", type_=column.type))
        for column in _DECLARATIONS.c
    ]
    insert_placed = insert(_DECLARATIONS).from_select(
        list(_DECLARATIONS.c), select(*row).select_from(place)
    )
    return insert_placed.returning(_DECLARATIONS.c.account_id)


def _filer_matches() -> ColumnElement[bool]:
    """``_filer`` and ``_check_subject`` as a condition inside the one statement: the person is
    the account's and the declaration is about them (bound by ``_filer_parameters``)."""
    return exists().where(
        _PERSONS.c.id == bindparam("new_person_id", type_=_DECLARATIONS.c.person_id.type),
        _PERSONS.c.account_id == _ACCOUNT,
        _PERSONS.c.relationship == bindparam("filer_relationship"),
        type_coerce(_PERSONS.c.subject, JSONB).contains(bindparam("filer_same", type_=JSONB)),
    )


def _filer_parameters(filed: Filing) -> dict[str, Any]:
    subject = filed.document["subject"]
    return {
        "filer_relationship": filed.document["relationship"],
        "filer_same": {name: subject[name] for name in SAME_PERSON},
    }


def _claim_if_allowed() -> CTE:
    """The claims of the person, the document and the traveller (``live.chain_keys``), made
    only if the token signs a traveller in, the consulate has a queue, the account is below its
    rate (``quotas``) and the person is the account's and the declaration's: otherwise the
    statement makes nothing, and the token and the rate are checked and ``submit`` runs (it
    makes the queue, or says what is wrong)."""
    counters = cast(Table, QueueCounter.__table__)
    queued = select(counters.c.consulate).where(counters.c.consulate == bindparam("of_consulate"))
    named = live.named_key_in_sql(_ACCOUNT, bindparam("named_after_account"))
    # As the array's own type: PostgreSQL before 14 finds no array_append(varchar[], text).
    every_key = func.array_append(_CLAIM_KEYS, cast_as(named, _LIVE.c.document_key.type))
    keys = select(func.unnest(every_key).column_valued("key")).subquery("keys")
    rows = select(
        keys.c.key,
        bindparam("claim_chain", type_=_LIVE.c.chain_id.type),
        _ACCOUNT,
        bindparam("claim_until", type_=_LIVE.c.live_until.type),
    ).where(
        # the filer's check would fail without an account too; not left to that alone
        select(_SIGNED_IN).exists(),
        queued.exists(),
        quotas.under_rate(_ACCOUNT),
        _filer_matches(),
    )
    columns = [_LIVE.c.document_key, _LIVE.c.chain_id, _LIVE.c.account_id, _LIVE.c.live_until]
    return live.upsert(postgresql.insert(_LIVE).from_select(columns, rows)).cte("claim")


def _all_claimed(claim: CTE) -> CTE:
    """A row when the claim took every one of its rows: a chain must hold its person and its
    document (``live.chain_keys``), or not be made."""
    return (
        select(literal_column("1"))
        .select_from(claim)
        .having(func.count() == func.cardinality(_CLAIM_KEYS) + 1)  # and the named key
        .cte("claimed")
    )


#: Check, claim the person and the document, queue and store, as one statement (PostgreSQL):
#: built and compiled once, not per submission.
_SUBMIT = DriverStatement(queue.entering(_insert_placed, gate=_all_claimed(_claim_if_allowed())))


#: What ``submit_at_once`` runs, compiled when the application starts (``Database.prepare``):
#: the first submission would hold up the event loop for it (80 ms).
STATEMENTS = (_SUBMIT, live.RELEASE_UNMADE)


def new_row(person_id: str, filed: Filing, now: datetime) -> dict[str, Any]:
    """The row ``submit_at_once`` inserts, but for its place and account: its ids are chosen
    once per request, so that the statement run again after a lost connection (``Database``
    does) is the same chain. It takes back the rows an attempt that committed without an answer
    claimed, and lets them go if it cannot make the chain; a new chain would find them held
    until the trip's end. An attempt that made the declaration makes the next fail on its id or
    key: ``KeyTaken``, and the answer is what it made."""
    return row_values(None, person_id, filed, now)  # the account: the one the token signs in


async def submit_at_once(
    database: Database,
    token: str,
    row: Mapping[str, Any],
    filed: Filing,
    settings: BackendSettings,
    now: datetime,
) -> Filed | None:
    """``submit`` without a transaction, on PostgreSQL, awaited on the event loop
    (``Database.run``): one statement finds the traveller ``token`` signs in, checks the
    account's rate and the person, claims the person, the document and the traveller, takes
    the place, inserts ``row`` (``new_row``) and commits alone. ``None`` when the token is not
    a live traveller's, the consulate has no queue yet, or a check or a claim did not pass (the
    rate, a person not the account's or not the declaration's, a retry, a second chain), after
    letting go of what it claimed: the caller checks the token and the rate, then ``submit``
    makes the queue, or tells which.

    The insert has no ``ON CONFLICT``: a key the account has used must fail the statement, so
    that the place and the document it took are given back (``KeyTaken``).
    """
    person_id = row["person_id"]
    if not is_id(person_id):
        return None
    subject = filed.declaration.subject
    values = dict(row)
    parameters = {f"new_{name}": value for name, value in values.items()}
    claim = {
        "token_hash": credentials.token_hash(token),
        "signed_in_at": now,
        "claim_keys": live.keys_but_named(subject, person_id),
        "named_after_account": live.named_after_account(subject),
        "claim_chain": values["chain_id"],
        "claim_until": live.live_until(filed.declaration),
        "claim_now": now,
        "of_consulate": values["consulate"],
    }
    checks = _filer_parameters(filed) | quotas.rate_parameters(settings, now)
    try:
        placed = await database.run(_SUBMIT, parameters | claim | checks)
    except IntegrityError as error:
        if _violated(error) in _MADE_BEFORE:
            raise KeyTaken from error
        raise
    if not placed:
        await live.release_unmade(database, values["chain_id"])
        return None
    [(values["queue_seq"], position, values["account_id"])] = placed
    return Filed(Inserted(values), position)


def _violated(error: IntegrityError) -> str | None:
    """The name of the constraint PostgreSQL reports (psycopg's diagnostics)."""
    return getattr(getattr(error.orig, "diag", None), "constraint_name", None)
