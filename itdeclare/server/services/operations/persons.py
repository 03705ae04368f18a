"""The people an account files for."""

from __future__ import annotations

from itdeclare.models import Relationship, Subject
from itdeclare.server import schemas, views
from itdeclare.server.backend import Backend
from itdeclare.server.services import people
from itdeclare.server.tables import Account, utcnow


def add_person(
    backend: Backend,
    account: Account,
    relationship: Relationship,
    subject: Subject,
) -> schemas.PersonOut:
    settings = backend.config.backend
    return backend.db.write(
        lambda session: views.person(
            people.add(session, account, relationship, subject, settings, utcnow())
        )
    )


def list_persons(backend: Backend, account: Account) -> schemas.Items[schemas.PersonOut]:
    with backend.db.read() as session:
        return schemas.Items(items=[views.person(p) for p in people.of_account(session, account)])


def get_person(backend: Backend, account: Account, person_id: str) -> schemas.PersonOut:
    with backend.db.read() as session:
        return views.person(people.own_person(session, account, person_id))
