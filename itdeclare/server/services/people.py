"""The people an account files for: the holder, parents, a spouse, children, others."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from itdeclare.config import BackendSettings
from itdeclare.models import Relationship, Subject
from itdeclare.server.errors import not_found
from itdeclare.server.services import quotas
from itdeclare.server.tables import Account, Person, is_id


def add(
    session: Session,
    account: Account,
    relationship: Relationship,
    subject: Subject,
    settings: BackendSettings,
    now: datetime,
) -> Person:
    quotas.check_room_for_person(session, account, settings)
    person = Person(
        account_id=account.id,
        relationship=relationship.value,
        subject=subject.model_dump(mode="json"),
        created_at=now,
    )
    session.add(person)
    session.flush()
    return person


def of_account(session: Session, account: Account) -> Sequence[Person]:
    query = select(Person).where(Person.account_id == account.id).order_by(Person.created_at)
    return session.execute(query).scalars().all()


def own_person(session: Session, account: Account, person_id: str) -> Person:
    person = session.get(Person, person_id) if is_id(person_id) else None
    if person is None or person.account_id != account.id:
        raise not_found()
    return person
