"""The traveller's declarations: submit, follow, supplement, re-declare, fetch the certificate.

Field errors in a declaration are located in the §4.5 document itself (``tests.0.sampled_at``);
errors in the request's other fields name them (``person_id``, ``attachment_ids.0``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Form, Header, Query, Response, UploadFile, status
from fastapi.responses import FileResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from itdeclare.server import schemas, uploads, views
from itdeclare.server.deps import BackendDep, Traveller, now
from itdeclare.server.errors import ApiError
from itdeclare.server.services import attachments, declarations, quotas
from itdeclare.server.tables import Account, DeclarationRow, is_id

router = APIRouter(prefix="/api/v1/declarations", tags=["declarations"])

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


def _file(
    state: BackendDep,
    account: Account,
    filing: declarations.Filing,
    file: Callable[[Session], declarations.Filed],
) -> Response:
    """Run ``file`` and answer with what it made (built in its transaction: no more queries);
    when the key was used before, answer with what that earlier request made, as 200."""
    try:
        return _answer(state.db.write(lambda session: _view(file(session))))
    except declarations.KeyTaken:
        return _replay(state, account, filing)


def _replay(state: BackendDep, account: Account, filing: declarations.Filing) -> Response:
    with state.db.read() as session:
        made = views.declaration(session, declarations.replay(session, account, filing))
    return _answer(made, status.HTTP_200_OK)


def _check_rate(state: BackendDep, account: Account, key: str | None) -> None:
    settings = state.config.backend
    state.db.lookup(lambda c: quotas.check_submission_rate(c, account, key, settings, now()))


def _view(filed: declarations.Filed) -> schemas.DeclarationOut:
    return views.queued(filed.row, filed.position)


def _answer(made: schemas.DeclarationOut, code: int = status.HTTP_201_CREATED) -> Response:
    """The reply, serialised here: handed the model, FastAPI would validate it once more, and
    for a plain-function route in a thread-pool hop of its own."""
    return Response(made.model_dump_json(), code, media_type="application/json")


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.DeclarationOut,
    responses={200: {"description": "A replay of an earlier request with the same key"}},
)
def submit(
    body: schemas.SubmitIn, key: IdempotencyKey, account: Traveller, state: BackendDep
) -> Response:
    """Submit a declaration for one of the account's people; it joins its consulate's queue."""
    declarations.check(body.declaration, now())
    _check_rate(state, account, key)
    filing = declarations.filing("submit", body.person_id, body.declaration, key)
    if not state.db.sqlite:  # the busiest write: on PostgreSQL without a transaction
        try:
            filed = state.db.lookup(
                lambda c: declarations.submit_at_once(c, account, body.person_id, filing, now())
            )
        except declarations.KeyTaken:
            return _replay(state, account, filing)
        if filed is not None:
            return _answer(_view(filed))
    return _file(
        state,
        account,
        filing,
        lambda session: declarations.submit(session, account, body.person_id, filing, now()),
    )


@router.get("", response_model=schemas.Items[schemas.DeclarationOut])
def list_declarations(
    account: Traveller,
    state: BackendDep,
    person_id: Annotated[str | None, Query(max_length=64)] = None,
) -> schemas.Items[schemas.DeclarationOut]:
    """The account's declarations, newest first (optionally of one person)."""
    if person_id is not None and not is_id(person_id):
        return schemas.Items(items=[])
    with state.db.read() as session:
        query = select(DeclarationRow).where(DeclarationRow.account_id == account.id)
        if person_id is not None:
            query = query.where(DeclarationRow.person_id == person_id)
        rows = session.execute(query.order_by(DeclarationRow.created_at.desc())).scalars()
        return schemas.Items(items=[views.declaration(session, row) for row in rows])


@router.get("/{declaration_id}", response_model=schemas.DeclarationDetail)
def get_declaration(
    declaration_id: str, account: Traveller, state: BackendDep
) -> schemas.DeclarationDetail:
    with state.db.read() as session:
        return views.detail(session, declarations.own_declaration(session, account, declaration_id))


@router.post(
    "/{declaration_id}/redeclare",
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.DeclarationOut,
    responses={200: {"description": "A replay of an earlier request with the same key"}},
)
def redeclare(
    declaration_id: str,
    body: schemas.RedeclareIn,
    account: Traveller,
    state: BackendDep,
    key: OptionalIdempotencyKey = None,
) -> Response:
    """Replace the newest declaration of a chain (at most twice per chain)."""
    declarations.check(body.declaration, now())
    _check_rate(state, account, key)
    filing = declarations.filing("redeclare", declaration_id, body.declaration, key)
    return _file(
        state,
        account,
        filing,
        lambda session: declarations.redeclare(session, account, declaration_id, filing, now()),
    )


@router.post("/{declaration_id}/supplement", response_model=schemas.DeclarationOut)
def supplement(
    declaration_id: str, body: schemas.SupplementIn, account: Traveller, state: BackendDep
) -> schemas.DeclarationOut:
    """Answer the consulate's request for material; the declaration returns to its place."""

    def work(session: Session) -> schemas.DeclarationOut:
        row = declarations.supplement(
            session, account, declaration_id, body.message, body.attachment_ids, now()
        )
        return views.declaration(session, row)

    return state.db.write(work)


@router.post(
    "/{declaration_id}/attachments",
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.AttachmentOut,
)
def upload(
    declaration_id: str,
    file: UploadFile,
    account: Traveller,
    state: BackendDep,
    test_index: Annotated[
        int | None,
        Form(ge=0, description="The test (index in the declaration's tests) it is the report of."),
    ] = None,
) -> schemas.AttachmentOut:
    """Upload a test certificate (PDF, JPEG or PNG, judged by its content) while in review,
    optionally as the report of one of the declaration's tests."""
    with state.db.read() as session:
        row = declarations.own_declaration(session, account, declaration_id)
        attachments.check_room(session, row)
        attachments.check_test(row, test_index)
    settings = state.config.backend
    limits = uploads.UploadLimits(settings.attachment_max_bytes, settings.attachment_max_pixels)
    checked = uploads.check(file.file, limits)
    stored = state.db.write(
        lambda session: attachments.add(
            session,
            account,
            declaration_id,
            lambda: state.blobs.put(file.file, checked),
            now(),
            test_index=test_index,
        )
    )
    return views.attachment(stored)


@router.get(
    "/{declaration_id}/attachments/{attachment_id}",
    response_class=FileResponse,
    responses=views.ATTACHMENT_RESPONSES,
)
def download(
    declaration_id: str, attachment_id: str, account: Traveller, state: BackendDep
) -> Response:
    with state.db.read() as session:
        declarations.own_declaration(session, account, declaration_id)
        found = attachments.of_declaration(session, declaration_id, attachment_id)
    return views.attachment_file(state.blobs, found)


@router.get("/{declaration_id}/certificate", response_model=schemas.CertificateOut)
def certificate(
    declaration_id: str, account: Traveller, state: BackendDep
) -> schemas.CertificateOut:
    """The signed health certificate (HC1) of an approved declaration."""
    with state.db.read() as session:
        row = declarations.own_declaration(session, account, declaration_id)
        issued = views.certificate_of(session, row)
    if issued is None or issued.revoked_at is not None:
        raise ApiError(409, "no_certificate", {"status": views.status(row, issued)})
    return schemas.CertificateOut(
        payload=issued.payload, issued_at=issued.issued_at, expires_at=issued.expires_at
    )
