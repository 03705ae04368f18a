"""The people an account files for: the holder, parents, a spouse, children, others."""

from __future__ import annotations

from fastapi import APIRouter, status

from itdeclare.server import responses, schemas, views
from itdeclare.server.deps import BackendDep, Traveller, now
from itdeclare.server.services import people

router = APIRouter(prefix="/api/v1/persons", tags=["persons"])


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.PersonOut,
    responses=responses.ADD_PERSON,
)
def add_person(body: schemas.PersonIn, account: Traveller, state: BackendDep) -> schemas.PersonOut:
    settings = state.config.backend
    return state.db.write(
        lambda session: views.person(
            people.add(session, account, body.relationship, body.subject, settings, now())
        )
    )


@router.get("", response_model=schemas.Items[schemas.PersonOut], responses=responses.LIST_PERSONS)
def list_persons(account: Traveller, state: BackendDep) -> schemas.Items[schemas.PersonOut]:
    with state.db.read() as session:
        return schemas.Items(items=[views.person(p) for p in people.of_account(session, account)])


@router.get("/{person_id}", response_model=schemas.PersonOut, responses=responses.GET_PERSON)
def get_person(person_id: str, account: Traveller, state: BackendDep) -> schemas.PersonOut:
    with state.db.read() as session:
        return views.person(people.own_person(session, account, person_id))
