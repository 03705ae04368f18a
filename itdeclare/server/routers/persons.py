"""The people an account files for: the holder, parents, a spouse, children, others."""

from __future__ import annotations

from fastapi import APIRouter, status
from sqlalchemy import select
from sqlalchemy.orm import Session

from itdeclare.server import schemas, views
from itdeclare.server.deps import BackendDep, Traveller, now
from itdeclare.server.services.declarations import own_person
from itdeclare.server.tables import Person

router = APIRouter(prefix="/api/v1/persons", tags=["persons"])


@router.post("", status_code=status.HTTP_201_CREATED, response_model=schemas.PersonOut)
def add_person(body: schemas.PersonIn, account: Traveller, state: BackendDep) -> schemas.PersonOut:
    def work(session: Session) -> schemas.PersonOut:
        row = Person(
            account_id=account.id,
            relationship=body.relationship.value,
            subject=body.subject.model_dump(mode="json"),
            created_at=now(),
        )
        session.add(row)
        session.flush()
        return views.person(row)

    return state.db.write(work)


@router.get("", response_model=schemas.Items[schemas.PersonOut])
def list_persons(account: Traveller, state: BackendDep) -> schemas.Items[schemas.PersonOut]:
    with state.db.read() as session:
        rows = session.execute(
            select(Person).where(Person.account_id == account.id).order_by(Person.created_at)
        ).scalars()
        return schemas.Items(items=[views.person(row) for row in rows])


@router.get("/{person_id}", response_model=schemas.PersonOut)
def get_person(person_id: str, account: Traveller, state: BackendDep) -> schemas.PersonOut:
    with state.db.read() as session:
        return views.person(own_person(session, account, person_id))
