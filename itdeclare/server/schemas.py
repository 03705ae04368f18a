"""The shapes of the HTTP API v1 (DESIGN.md §4.4), separate from the tables.

Declarations, subjects and statuses are the domain models of ``itdeclare.models`` themselves, so
the API accepts exactly what the declaration file (§4.5) and ``itdeclare validate`` accept, and
answers in the shapes the client (``itdeclare.client.models``) reads: a contract test holds the
two to the API document (``tests/server/test_contract.py``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Generic, Literal, TypeVar

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
)

from itdeclare.models import Declaration, DeclarationStatus, Relationship, Subject, validators

T = TypeVar("T")

Id = Annotated[str, StringConstraints(min_length=1, max_length=64)]


def _plain_text(value: str) -> str:
    """Notes may span lines; otherwise the same characters are refused as in the declaration."""
    return validators.visible_text(value, line_breaks=True)


Note = Annotated[
    str,
    # ``\S``: not blank, stated so that the document says what the stripping refuses.
    StringConstraints(strip_whitespace=True, min_length=1, max_length=2000, pattern=r"\S"),
    AfterValidator(_plain_text),
]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Items(BaseModel, Generic[T]):
    items: list[T]


# --- errors ------------------------------------------------------------------------------


class FieldError(BaseModel):
    loc: str = Field(
        description="Dotted location of the field in the request body (for a declaration, in "
        "the §4.5 document itself: `tests.0.sampled_at`); empty for the body as a whole."
    )
    code: str = Field(description="A stable code of the problem, such as `flight_departed`.")
    message: str = Field(description="The problem in the request's language (zh or en).")


class ErrorDetail(BaseModel):
    code: str = Field(description="A stable code, listed in each status's description.")
    message: str = Field(description="What happened, in the request's language (zh or en).")
    fields: list[FieldError] = Field(description="Field errors (422); empty otherwise.")


class ErrorBody(BaseModel):
    """Every 4xx and 5xx answer of the API (DESIGN.md §4.4)."""

    error: ErrorDetail


# --- accounts ----------------------------------------------------------------------------


class CodeRequest(_In):
    phone: Annotated[str, StringConstraints(max_length=40)]


class CodeSent(BaseModel):
    expires_at: datetime
    dev_code: str | None = Field(
        None, description="Development mode only: the code itself, for the local user to read."
    )


class TokenRequest(_In):
    phone: Annotated[str, StringConstraints(max_length=40)]
    code: Annotated[str, StringConstraints(max_length=12)]


class AccountOut(BaseModel):
    id: str
    kind: Literal["traveller", "reviewer"]
    phone: str | None
    consulate: str | None


class TokenOut(BaseModel):
    token: str
    expires_at: datetime
    account: AccountOut


# --- people ------------------------------------------------------------------------------


class PersonIn(_In):
    relationship: Relationship
    subject: Subject


class PersonOut(BaseModel):
    id: str
    relationship: Relationship
    subject: Subject
    created_at: datetime


# --- declarations ------------------------------------------------------------------------


class SubmitIn(_In):
    person_id: Id
    declaration: Declaration


class RedeclareIn(_In):
    declaration: Declaration


class SupplementIn(_In):
    message: Note
    attachment_ids: list[Id] = Field(default_factory=list, max_length=20)


class AttachmentOut(BaseModel):
    id: str
    sha256: str
    content_type: str
    size: int
    created_at: datetime
    test_index: int | None = Field(
        None, description="The test (index in the declaration's tests) this is the report of."
    )


class HistoryItem(BaseModel):
    at: datetime
    action: str
    status: DeclarationStatus
    note: str | None = None
    attachment_ids: list[str] = Field(default_factory=list)
    actor: str = Field(description="traveller, reviewer or system")
    actor_id: str | None = Field(None, description="Reviewer views only: who did it.")


class DeclarationOut(BaseModel):
    id: str
    person_id: str
    chain_id: str
    status: DeclarationStatus
    queue_position: int | None = Field(
        description="Declarations ahead in the consulate's review queue (0 = next); "
        "null once out of review. It never grows."
    )
    redeclarations_left: int
    consulate: str
    replaces: str | None
    replaced_by: str | None
    created_at: datetime
    updated_at: datetime


class DeclarationDetail(DeclarationOut):
    estimated_wait_s: int | None = Field(
        description="Seconds until a decision, estimated from the consulate's decisions of the "
        "last 24 hours and the declarations ahead; null out of review or with too little "
        "history to estimate from."
    )
    declaration: Declaration
    review_note: str | None
    history: list[HistoryItem]
    attachments: list[AttachmentOut]


class CertificateOut(BaseModel):
    payload: str
    issued_at: datetime
    expires_at: datetime


class OutboundCertificateOut(CertificateOut):
    incomplete: bool = Field(
        description="Whether the health authority holds no record of some kind (the notice, "
        "Q5): the certificate says what it has, and this says it is not all."
    )
    missing: list[Literal["nucleic_acid", "antibody", "vaccination"]] = Field(
        description="The kinds of record the authority holds none of for this person."
    )


# --- review ------------------------------------------------------------------------------


class QueueItem(BaseModel):
    id: str
    queue_position: int
    status: DeclarationStatus
    submitted_at: datetime
    name: str
    nationality: str
    residence_country: str


class DecisionIn(_In):
    # A rejection and a request for material say why (the traveller reads it): stated in the
    # schema as well; the service refuses a missing note with ``note_required``.
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "if": {"properties": {"decision": {"enum": ["reject", "request_supplement"]}}},
            "then": {"required": ["note"], "properties": {"note": {"type": "string"}}},
        },
    )

    decision: Literal["approve", "reject", "request_supplement"]
    note: Note | None = None
    expected_updated_at: AwareDatetime | None = Field(
        None,
        description="The declaration's updated_at as the reviewer saw it, exactly as the API "
        "gave it (to the microsecond). When given and the "
        "declaration has changed since (another reviewer decided, the traveller answered), "
        "the decision is refused with 409 changed_meanwhile.",
    )


class Health(BaseModel):
    status: Literal["ok"]
    database: Literal["sqlite", "postgresql"]
    dev: bool
    certificates: bool = Field(
        description="Whether the current document signer can sign the codes asked of it: its "
        "certificate lasts at least as long as an outbound certificate issued now (7 days). "
        "False: rotate the keys (itdeclare keys rotate) before approvals and outbound "
        "certificates answer 503 signing_key_ends. A returnee code ends a day after its flight "
        "lands, and one for a flight further ahead may need the signer for longer."
    )
