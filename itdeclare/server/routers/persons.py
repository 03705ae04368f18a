"""The people an account files for: the holder, parents, a spouse, children, others."""

from __future__ import annotations

from fastapi import APIRouter, status

from itdeclare.server import responses, schemas, threads
from itdeclare.server.bodies import JsonBodyRoute
from itdeclare.server.deps import BackendDep, Traveller
from itdeclare.server.services.operations import persons

router = APIRouter(prefix="/api/v1/persons", tags=["persons"], route_class=JsonBodyRoute)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.PersonOut,
    responses=responses.ADD_PERSON,
)
async def add_person(
    body: schemas.PersonIn, account: Traveller, state: BackendDep
) -> schemas.PersonOut:
    return await threads.run(persons.add_person, state, account, body.relationship, body.subject)


@router.get("", response_model=schemas.Items[schemas.PersonOut], responses=responses.LIST_PERSONS)
async def list_persons(account: Traveller, state: BackendDep) -> schemas.Items[schemas.PersonOut]:
    return await threads.run(persons.list_persons, state, account)


@router.get("/{person_id}", response_model=schemas.PersonOut, responses=responses.GET_PERSON)
async def get_person(person_id: str, account: Traveller, state: BackendDep) -> schemas.PersonOut:
    return await threads.run(persons.get_person, state, account, person_id)
