"""The traveller's declarations: submit, follow, supplement, re-declare, fetch the certificate.

Field errors in a declaration are located in the §4.5 document itself (``tests.0.sampled_at``);
errors in the request's other fields name them (``person_id``, ``attachment_ids.0``).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Header, Query, Response, UploadFile, status
from fastapi.responses import FileResponse
from pydantic import WithJsonSchema

from itdeclare.server import responses, schemas, threads
from itdeclare.server.bodies import JsonBodyRoute
from itdeclare.server.deps import BackendDep, Traveller, TravellerToken
from itdeclare.server.services.operations import attachments, declarations

router = APIRouter(prefix="/api/v1/declarations", tags=["declarations"], route_class=JsonBodyRoute)

IdempotencyKey = Annotated[
    str,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=200,
        description="Chosen by the client per submission; a retry with the same key and body "
        "answers with the declaration the first request made.",
    ),
]
OptionalIdempotencyKey = Annotated[
    str | None,
    Header(alias="Idempotency-Key", min_length=1, max_length=200),
]


def _answer(made: declarations.Made) -> Response:
    """The reply, serialised here: handed the model, FastAPI would validate it once more, and
    for a plain-function route in a thread-pool hop of its own. A replay answers 200."""
    code = status.HTTP_200_OK if made.replayed else status.HTTP_201_CREATED
    return Response(made.declaration.model_dump_json(), code, media_type="application/json")


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.DeclarationOut,
    responses=responses.SUBMIT,
)
async def submit(
    body: schemas.SubmitIn, key: IdempotencyKey, token: TravellerToken, state: BackendDep
) -> Response:
    """Submit a declaration for one of the account's people; it joins its consulate's queue."""
    made = await declarations.submit(state, token, body.person_id, body.declaration, key)
    return _answer(made)


@router.get(
    "", response_model=schemas.Items[schemas.DeclarationOut], responses=responses.LIST_DECLARATIONS
)
async def list_declarations(
    account: Traveller,
    state: BackendDep,
    person_id: Annotated[str | None, Query(max_length=64)] = None,
) -> schemas.Items[schemas.DeclarationOut]:
    """The account's declarations, newest first (optionally of one person)."""
    return await threads.run(declarations.list_declarations, state, account, person_id)


@router.get(
    "/{declaration_id}",
    response_model=schemas.DeclarationDetail,
    responses=responses.GET_DECLARATION,
)
async def get_declaration(
    declaration_id: str, account: Traveller, state: BackendDep
) -> schemas.DeclarationDetail:
    return await threads.run(declarations.get_declaration, state, account, declaration_id)


@router.post(
    "/{declaration_id}/redeclare",
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.DeclarationOut,
    responses=responses.REDECLARE,
)
async def redeclare(
    declaration_id: str,
    body: schemas.RedeclareIn,
    account: Traveller,
    state: BackendDep,
    key: OptionalIdempotencyKey = None,
) -> Response:
    """Replace the newest declaration of a chain (at most twice per chain)."""
    made = await threads.run(
        declarations.redeclare, state, account, declaration_id, body.declaration, key
    )
    return _answer(made)


@router.post(
    "/{declaration_id}/supplement",
    response_model=schemas.DeclarationOut,
    responses=responses.SUPPLEMENT,
)
async def supplement(
    declaration_id: str, body: schemas.SupplementIn, account: Traveller, state: BackendDep
) -> schemas.DeclarationOut:
    """Answer the consulate's request for material; the declaration returns to its place."""
    return await threads.run(
        declarations.supplement, state, account, declaration_id, body.message, body.attachment_ids
    )


@router.post(
    "/{declaration_id}/attachments",
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.AttachmentOut,
    responses=responses.UPLOAD,
)
async def upload(
    declaration_id: str,
    file: UploadFile,
    account: Traveller,
    state: BackendDep,
    test_index: Annotated[
        int | None,
        Form(ge=0, description="The test (index in the declaration's tests) it is the report of."),
        # A multipart field has no null: absent means "no test", so the schema states only
        # the integer a client may send.
        WithJsonSchema({"type": "integer", "minimum": 0}),
    ] = None,
) -> schemas.AttachmentOut:
    """Upload a test certificate (PDF, JPEG or PNG, judged by its content) while in review,
    optionally as the report of one of the declaration's tests."""
    return await threads.run(
        attachments.upload, state, account, declaration_id, file.file, test_index
    )


@router.get(
    "/{declaration_id}/attachments/{attachment_id}",
    response_class=FileResponse,
    responses=responses.DOWNLOAD,
)
async def download(
    declaration_id: str, attachment_id: str, account: Traveller, state: BackendDep
) -> Response:
    return await threads.run(attachments.download, state, account, declaration_id, attachment_id)


@router.get(
    "/{declaration_id}/certificate",
    response_model=schemas.CertificateOut,
    responses=responses.CERTIFICATE,
)
async def certificate(
    declaration_id: str, account: Traveller, state: BackendDep
) -> schemas.CertificateOut:
    """The signed health certificate (HC1) of an approved declaration."""
    return await threads.run(declarations.certificate, state, account, declaration_id)
