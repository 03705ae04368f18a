"""Submitting, re-declaring and supplementing declarations: the traveller's side of review.

Every function here runs inside one write transaction (``Database.write``); on PostgreSQL a first
submission is tried first as one statement that commits alone (``services.filing_at_once``).
Whatever must not happen twice is settled by the database:

- an ``Idempotency-Key`` is stored on the declaration it made, unique per account; a retry that
  races the first request waits for it at the insert and finds the key taken (``KeyTaken``), and
  the caller answers with what the first request made (``replay``);
- a travel document is live in one chain at a time: the chain holds its row in
  ``live_documents`` until its trip is over (``services.live``), and a second chain finds it held;
- a chain of re-declarations has one open end, the declaration not yet replaced; re-declaring
  locks it first, so twenty requests at once replace it once, and each declaration carries how
  many re-declarations its chain has used, so the limit needs no count.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    Connection,
    Table,
    bindparam,
    select,
)
from sqlalchemy.orm import Session

from itdeclare.models import Declaration, validate_declaration
from itdeclare.models.enums import DeclarationStatus as S
from itdeclare.models.problems import Problem
from itdeclare.models.rules import default_rules
from itdeclare.models.status import IN_REVIEW, MAX_REDECLARATIONS, replaced_status
from itdeclare.server.db import dialect_insert
from itdeclare.server.errors import ApiError, invalid, not_found
from itdeclare.server.services import live, queue
from itdeclare.server.tables import (
    Account,
    Attachment,
    Certificate,
    DeclarationRow,
    Event,
    Inserted,
    Person,
    is_id,
    new_id,
)


@dataclass(frozen=True, slots=True)
class Filed:
    """A declaration just filed, with the place it took (so the answer needs no more queries)."""

    row: Inserted
    position: int


@dataclass(frozen=True, slots=True)
class Filing:
    """One request to file: what it carries, and the key and digest that identify it."""

    declaration: Declaration
    document: dict[str, Any]
    """``declaration`` as stored (JSON)."""
    key: str | None
    digest: str


class KeyTaken(Exception):
    """The idempotency key belongs to a declaration already made: roll back, then ``replay``."""


def check(declaration: Declaration, now: datetime) -> None:
    """The same checks as the client and ``itdeclare validate``, with the server's clock."""
    report = validate_declaration(declaration, now=now)
    if report.problems:
        raise invalid(report.problems)


def consulate_for(declaration: Declaration) -> str:
    return default_rules().consulate_for(declaration.residence.country)


def filing(kind: str, target: str, declaration: Declaration, key: str | None) -> Filing:
    """``target`` is what the request files against (a person or the declaration replaced)."""
    document = declaration.model_dump(mode="json")
    body = {"kind": kind, "target": target, "declaration": document}
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return Filing(declaration, document, key, hashlib.sha256(canonical.encode()).hexdigest())


def declaration_where(
    session: Session, declaration_id: str, visible: ColumnElement[bool], *, lock: bool = False
) -> DeclarationRow:
    """The declaration, if ``visible`` to the caller (row-locked when ``lock``); else 404."""
    if not is_id(declaration_id):
        raise not_found()
    query = select(DeclarationRow).where(DeclarationRow.id == declaration_id, visible)
    row = session.execute(query.with_for_update() if lock else query).scalar_one_or_none()
    if row is None:
        raise not_found()
    return row


def own_declaration(
    session: Session, account: Account, declaration_id: str, *, lock: bool = False
) -> DeclarationRow:
    mine = DeclarationRow.account_id == account.id
    return declaration_where(session, declaration_id, mine, lock=lock)


@dataclass(frozen=True, slots=True)
class _Filer:
    """What filing needs to know of the person filed for."""

    person_id: str
    relationship: str
    subject: dict[str, Any]


_PERSON_OF_ACCOUNT = select(Person.id, Person.relationship, Person.subject).where(
    Person.id == bindparam("person_id"), Person.account_id == bindparam("account_id")
)


def _filer(session: Session | Connection, account: Account, person_id: str) -> _Filer:
    found = None
    if is_id(person_id):
        parameters = {"person_id": person_id, "account_id": account.id}
        found = session.execute(_PERSON_OF_ACCOUNT, parameters).one_or_none()
    if found is None:
        raise not_found()
    return _Filer(found.id, found.relationship, found.subject)


#: What a declaration's subject must share with the person it is filed for.
SAME_PERSON = ("family_name", "given_name", "date_of_birth")


def _check_subject(filer: _Filer, filed: Filing) -> None:
    """The declaration must be about the person it is filed for."""
    problems = []
    if filed.declaration.relationship != filer.relationship:
        problems.append(
            Problem("relationship", "relationship_not_person", {"expected": filer.relationship})
        )
    subject = filed.document["subject"]
    for name in SAME_PERSON:
        if subject[name] != filer.subject.get(name):
            problems.append(Problem(f"subject.{name}", "subject_not_person"))
    if problems:
        raise invalid(problems)


def record(
    session: Session,
    row: DeclarationRow,
    action: str,
    now: datetime,
    *,
    actor: Account | None,
    note: str | None = None,
    data: dict[str, Any] | None = None,
) -> None:
    session.add(
        Event(
            declaration_id=row.id,
            at=now,
            actor_id=actor.id if actor else None,
            actor_kind=actor.kind if actor else "system",
            action=action,
            status=row.status,
            note=note,
            data=data,
        )
    )


def replay(session: Session, account: Account, filed: Filing) -> DeclarationRow:
    """What the earlier request with this key made; the same key with another body is a 422."""
    row = session.execute(
        select(DeclarationRow).where(
            DeclarationRow.account_id == account.id, DeclarationRow.idempotency_key == filed.key
        )
    ).scalar_one()
    if row.request_hash != filed.digest:
        raise ApiError(422, "idempotency_key_reused")
    return row


def _key_used(session: Session, account: Account, key: str) -> bool:
    found = session.execute(
        select(DeclarationRow.id).where(
            DeclarationRow.account_id == account.id, DeclarationRow.idempotency_key == key
        )
    ).first()
    return found is not None


def _insert_row(session: Session, values: dict[str, Any]) -> None:
    """A plain INSERT (filing is the busiest write; the unit of work would add nothing), which
    refuses quietly a key the account has used: then ``KeyTaken``."""
    table = cast(Table, DeclarationRow.__table__)
    # Against the table, with the values as parameters: the statement's compiled form is cached
    # once, where ORM-level values would be walked into a cache key (document included) each time.
    statement = dialect_insert(session)(table)
    if values["idempotency_key"] is not None:
        statement = statement.on_conflict_do_nothing(
            index_elements=[table.c.account_id, table.c.idempotency_key]
        )
    made = session.execute(statement.returning(table.c.id), values).first()
    if made is None:
        raise KeyTaken


def row_values(
    account_id: str | None,
    person_id: str,
    filed: Filing,
    now: datetime,
    replaces: DeclarationRow | None = None,
) -> dict[str, Any]:
    """The new declaration's row, but for its place in the queue (``queue_seq``) and, when
    ``account_id`` is ``None``, its account (a statement that finds it: ``filing_at_once``)."""
    declaration_id = new_id()
    return {
        "id": declaration_id,
        "chain_id": replaces.chain_id if replaces else declaration_id,
        "redeclarations_used": replaces.redeclarations_used + 1 if replaces else 0,
        "account_id": account_id,
        "person_id": person_id,
        "replaces_id": replaces.id if replaces else None,
        "replaced_by_id": None,
        "consulate": consulate_for(filed.declaration),
        "status": S.PENDING_REVIEW.value,
        "queue_seq": None,
        "document": filed.document,
        "review_note": None,
        "idempotency_key": filed.key,
        "request_hash": filed.digest,
        "created_at": now,
        "updated_at": now,
    }


def _new_row(session: Session, values: dict[str, Any]) -> Filed:
    """Queue and store a new declaration; the row returned is for reading only."""
    # Taken just before the insert: the counter stays locked to the commit.
    values["queue_seq"], position = queue.enter(session, values["consulate"])
    _insert_row(session, values)
    return Filed(Inserted(values), position)


def submit(
    session: Session, account: Account, person_id: str, filed: Filing, now: datetime
) -> Filed:
    """A new chain: its person and its document must not be live in another
    (``services.live``)."""
    filer = _filer(session, account, person_id)
    _check_subject(filer, filed)
    values = row_values(account.id, filer.person_id, filed, now)
    try:
        live.take(session, account.id, filed.declaration, values["chain_id"], filer.person_id, now)
    except ApiError:
        # The document is held; by the chain this very request made, if it is a retry: then
        # the answer is what it made, not a refusal.
        if filed.key is not None and _key_used(session, account, filed.key):
            raise KeyTaken from None
        raise
    return _new_row(session, values)


def redeclare(
    session: Session, account: Account, declaration_id: str, filed: Filing, now: datetime
) -> Filed:
    """Replace the open end of a chain: cancel its review or revoke its certificate, and queue
    the new declaration, all or nothing."""
    old = own_declaration(session, account, declaration_id, lock=True)
    # Looked for under the lock: a retry that waited for it sees what the first request made.
    if filed.key is not None and _key_used(session, account, filed.key):
        raise KeyTaken
    if old.replaced_by_id is not None:
        raise ApiError(409, "not_latest", {"latest": old.replaced_by_id})
    if old.redeclarations_used >= MAX_REDECLARATIONS:
        raise ApiError(409, "redeclaration_limit", {"max": MAX_REDECLARATIONS})
    filer = _filer(session, account, old.person_id)
    _check_subject(filer, filed)
    # The chain takes its document again: it may have been corrected, or its trip changed.
    live.take(session, account.id, filed.declaration, old.chain_id, old.person_id, now)
    new = _new_row(session, row_values(account.id, filer.person_id, filed, now, replaces=old))
    _replace(session, old, new.row.id, account, now)
    return new


def _replace(
    session: Session, old: DeclarationRow, new_id_: str, account: Account, now: datetime
) -> None:
    current = S(old.status)
    if current in IN_REVIEW:
        queue.leave(session, old.consulate, old.queue_seq)
    if current is S.APPROVED:
        certificate = session.execute(
            select(Certificate).where(Certificate.declaration_id == old.id).with_for_update()
        ).scalar_one_or_none()
        if certificate is not None and certificate.revoked_at is None:
            certificate.revoked_at = now
    old.status = replaced_status(current).value
    old.replaced_by_id = new_id_
    old.updated_at = now
    record(session, old, "replaced", now, actor=account, data={"replaced_by": new_id_})


def supplement(
    session: Session,
    account: Account,
    declaration_id: str,
    message: str,
    attachment_ids: Sequence[str],
    now: datetime,
) -> DeclarationRow:
    """Answer the consulate's request for material: back to review, at the same place."""
    row = own_declaration(session, account, declaration_id, lock=True)
    if row.status != S.SUPPLEMENT_REQUESTED.value:
        raise ApiError(409, "no_supplement_requested", {"status": S(row.status)})
    known = set(
        session.execute(select(Attachment.id).where(Attachment.declaration_id == row.id)).scalars()
    )
    unknown = [
        Problem(f"attachment_ids.{i}", "attachment_unknown")
        for i, attachment_id in enumerate(attachment_ids)
        if attachment_id not in known
    ]
    if unknown:
        raise invalid(unknown)
    row.status = S.PENDING_REVIEW.value
    row.updated_at = now
    record(
        session,
        row,
        "supplemented",
        now,
        actor=account,
        note=message,
        data={"attachment_ids": list(dict.fromkeys(attachment_ids))},
    )
    return row
