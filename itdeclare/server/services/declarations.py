"""Submitting, re-declaring and supplementing declarations: the traveller's side of review.

Every function here runs inside one write transaction (``Database.write``). Whatever must not
happen twice is decided under a lock: the idempotency key is claimed first (a concurrent retry
with the same key waits for it, then replays it), and re-declaration locks the declaration and
its chain, so twenty requests at once still produce at most two re-declarations.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from itdeclare.models import Declaration, validate_declaration
from itdeclare.models.enums import DeclarationStatus as S
from itdeclare.models.problems import Problem
from itdeclare.models.rules import default_rules
from itdeclare.models.status import IN_REVIEW, MAX_REDECLARATIONS, replaced_status
from itdeclare.server.db import dialect_insert
from itdeclare.server.errors import ApiError, invalid, not_found
from itdeclare.server.services import queue
from itdeclare.server.tables import (
    Account,
    Attachment,
    Certificate,
    Chain,
    DeclarationRow,
    Event,
    IdempotencyKey,
    Person,
    is_id,
    new_id,
)

TRAVELLER = "traveller"


@dataclass(frozen=True, slots=True)
class Filed:
    """A declaration as filed, and whether this answer replays an earlier request."""

    row: DeclarationRow
    replay: bool = False


def check(declaration: Declaration, now: datetime) -> None:
    """The same checks as the client and ``itdeclare validate``, with the server's clock."""
    report = validate_declaration(declaration, now=now)
    if report.problems:
        raise invalid(report.problems)


def consulate_for(declaration: Declaration) -> str:
    return default_rules().consulate_for(declaration.residence.country)


def request_digest(kind: str, target: str, declaration: Declaration) -> str:
    body = {"kind": kind, "target": target, "declaration": declaration.model_dump(mode="json")}
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def own_person(session: Session, account: Account, person_id: str) -> Person:
    person = session.get(Person, person_id) if is_id(person_id) else None
    if person is None or person.account_id != account.id:
        raise not_found()
    return person


def own_declaration(
    session: Session, account: Account, declaration_id: str, *, lock: bool = False
) -> DeclarationRow:
    if not is_id(declaration_id):
        raise not_found()
    query = select(DeclarationRow).where(
        DeclarationRow.id == declaration_id, DeclarationRow.account_id == account.id
    )
    row = session.execute(query.with_for_update() if lock else query).scalar_one_or_none()
    if row is None:
        raise not_found()
    return row


def _check_subject(person: Person, declaration: Declaration) -> None:
    """The declaration must be about the person it is filed for."""
    problems = []
    if declaration.relationship != person.relationship:
        problems.append(
            Problem("relationship", "relationship_not_person", {"expected": person.relationship})
        )
    subject = declaration.subject.model_dump(mode="json")
    for name in ("family_name", "given_name", "date_of_birth"):
        if subject[name] != person.subject.get(name):
            problems.append(Problem(f"subject.{name}", "subject_not_person"))
    if problems:
        raise invalid(problems)


def _claim_key(
    session: Session, account: Account, key: str | None, digest: str, new_declaration_id: str
) -> Filed | None:
    """Claim ``key`` for the declaration about to be made, or return what it made before.

    The insert waits for a concurrent request holding the same key to finish, then does nothing.
    """
    if key is None:
        return None
    insert = dialect_insert(session)
    claimed = session.execute(
        insert(IdempotencyKey)
        .values(
            account_id=account.id,
            key=key,
            request_hash=digest,
            declaration_id=new_declaration_id,
        )
        .on_conflict_do_nothing(index_elements=[IdempotencyKey.account_id, IdempotencyKey.key])
        .returning(IdempotencyKey.key)
    ).first()
    if claimed is not None:
        return None
    earlier = session.get(IdempotencyKey, (account.id, key))
    assert earlier is not None  # the conflict was with a committed row
    if earlier.request_hash != digest:
        raise ApiError(422, "idempotency_key_reused")
    row = session.get(DeclarationRow, earlier.declaration_id)
    assert row is not None
    return Filed(row, replay=True)


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


def _new_row(
    session: Session,
    declaration_id: str,
    chain: Chain,
    person: Person,
    declaration: Declaration,
    now: datetime,
    replaces: str | None = None,
) -> DeclarationRow:
    consulate = consulate_for(declaration)
    seq, _ = queue.enter(session, consulate)
    row = DeclarationRow(
        id=declaration_id,
        chain_id=chain.id,
        account_id=chain.account_id,
        person_id=person.id,
        replaces_id=replaces,
        consulate=consulate,
        status=S.PENDING_REVIEW.value,
        queue_seq=seq,
        document=declaration.model_dump(mode="json"),
        created_at=now,
        updated_at=now,
    )
    session.add(row)
    return row


def submit(
    session: Session,
    account: Account,
    person_id: str,
    declaration: Declaration,
    key: str,
    now: datetime,
) -> Filed:
    declaration_id = new_id()
    digest = request_digest("submit", person_id, declaration)
    earlier = _claim_key(session, account, key, digest, declaration_id)
    if earlier is not None:
        return earlier
    person = own_person(session, account, person_id)
    _check_subject(person, declaration)
    chain = Chain(account_id=account.id, head_id=declaration_id, created_at=now)
    session.add(chain)
    session.flush()
    row = _new_row(session, declaration_id, chain, person, declaration, now)
    session.flush()
    record(session, row, "submitted", now, actor=account)
    return Filed(row)


def redeclare(
    session: Session,
    account: Account,
    declaration_id: str,
    declaration: Declaration,
    key: str | None,
    now: datetime,
) -> Filed:
    """Replace the newest declaration of a chain: cancel its review or revoke its certificate,
    and queue the new one, all or nothing."""
    new_declaration_id = new_id()
    digest = request_digest("redeclare", declaration_id, declaration)
    earlier = _claim_key(session, account, key, digest, new_declaration_id)
    if earlier is not None:
        return earlier
    old = own_declaration(session, account, declaration_id, lock=True)
    chain = session.execute(
        select(Chain).where(Chain.id == old.chain_id).with_for_update()
    ).scalar_one()
    if chain.head_id != old.id:
        raise ApiError(409, "not_latest", {"latest": chain.head_id})
    if chain.redeclarations_used >= MAX_REDECLARATIONS:
        raise ApiError(409, "redeclaration_limit", {"max": MAX_REDECLARATIONS})
    person = session.get(Person, old.person_id)
    assert person is not None
    _check_subject(person, declaration)
    _replace(session, old, new_declaration_id, account, now)
    chain.redeclarations_used += 1
    chain.head_id = new_declaration_id
    row = _new_row(session, new_declaration_id, chain, person, declaration, now, replaces=old.id)
    session.flush()
    record(session, row, "redeclared", now, actor=account, data={"replaces": old.id})
    return Filed(row)


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
