"""What the backend answers (DESIGN.md §4.4), as typed models.

They are lenient where a newer server may add things (unknown members are ignored, a numeric
id is read as text) and strict where the client relies on a meaning: statuses are the enum of
``itdeclare.models``, times must carry an offset, and a §4.5 document must be one.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Generic, TypeVar

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from itdeclare.models import Declaration, DeclarationStatus, Relationship, Subject


class ApiModel(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True, coerce_numbers_to_str=True)


Item = TypeVar("Item", bound=BaseModel)


class Items(ApiModel, Generic[Item]):
    """Every list of the API: ``{"items": [...]}``."""

    items: list[Item]


class CodeSent(ApiModel):
    """The answer to a request for a one-time sign-in code."""

    dev_code: str | None = None
    """The code itself, only from a backend in development mode (DESIGN.md §4.6)."""
    expires_at: AwareDatetime | None = None


class Account(ApiModel):
    id: str
    kind: str
    """``traveller`` or ``reviewer``."""
    consulate: str | None = None


class Session(ApiModel):
    """A signed-in session: the bearer token and, when the server tells, whose and how long."""

    token: str
    expires_at: AwareDatetime | None = None
    account: Account | None = None


class Person(ApiModel):
    """Someone the account files for: the holder (``self``) or a relative."""

    id: str
    relationship: Relationship
    subject: Subject


class Attachment(ApiModel):
    """An uploaded document, as the server stored it (type sniffed from the content)."""

    id: str
    sha256: str
    content_type: str
    size: int = Field(ge=0)
    created_at: AwareDatetime | None = None
    test_index: int | None = None
    """The declaration's test (index in ``tests``) the file is the report of, if it said."""


class DeclarationSummary(ApiModel):
    """A declaration as the traveller follows it: where it stands, not what it says."""

    id: str
    status: DeclarationStatus
    queue_position: int | None = Field(default=None, ge=0)
    """Declarations ahead in the consulate's review order (0 = next); it never grows. None once
    the declaration is out of the queue."""
    redeclarations_left: int = Field(ge=0)
    consulate: str
    person_id: str | None = None
    chain_id: str | None = None
    """Shared by a declaration and its re-declarations."""
    replaces: str | None = None
    """The declaration this one re-declared, if any."""
    replaced_by: str | None = None
    """The re-declaration that replaced this one, if any."""
    created_at: AwareDatetime | None = None
    updated_at: AwareDatetime | None = None


class StatusChange(ApiModel):
    """One step of a declaration's life, as ``history`` lists them."""

    status: DeclarationStatus
    """The status the step left the declaration in."""
    at: AwareDatetime
    action: str | None = None
    """What happened (``submitted``, ``supplemented``, …), when the server says."""
    note: str | None = None
    actor: str | None = None
    """``traveller``, ``reviewer`` or ``system``."""
    actor_id: str | None = None
    """Which account took the step; only reviewers are told."""
    attachment_ids: list[str] = Field(default_factory=list)


class DeclarationDetail(DeclarationSummary):
    estimated_wait_s: int | None = Field(default=None, ge=0)
    """Seconds until a decision, at the consulate's recent pace; ``None`` out of review or
    with too little history to estimate from."""
    review_note: str | None = None
    """The reviewer's words to the traveller: a reason to reject or what to supplement."""
    history: list[StatusChange] = Field(default_factory=list)
    declaration: Declaration | None = None
    """The §4.5 document as filed, when the server includes it."""
    attachments: list[Attachment] = Field(default_factory=list)


class Certificate(ApiModel):
    """A signed health certificate: ``payload`` is the ``HC1:`` text the QR code holds."""

    payload: str
    issued_at: AwareDatetime
    expires_at: AwareDatetime


class OutboundCertificate(Certificate):
    """An outbound certificate: ``missing`` names the kinds of record (``nucleic_acid``,
    ``antibody``, ``vaccination``) the health authority holds none of."""

    incomplete: bool = False
    missing: list[str] = Field(default_factory=list)


class Decision(StrEnum):
    APPROVE = "approve"
    REJECT = "reject"
    REQUEST_SUPPLEMENT = "request_supplement"


class ReviewItem(ApiModel):
    """A declaration in the reviewer's queue, in review order, with enough to pick it out."""

    id: str
    status: DeclarationStatus
    queue_position: int | None = Field(default=None, ge=0)
    submitted_at: AwareDatetime | None = None
    name: str | None = None
    nationality: str | None = None
    residence_country: str | None = None


class ReviewDetail(DeclarationDetail):
    """A declaration opened by its reviewer: the §4.5 document and what was uploaded."""

    declaration: Declaration


class TrustedKey(ApiModel):
    """One entry of the trust list (DESIGN.md §4.2): a DER certificate or public key, base64."""

    kid: str
    country: str | None = None
    certificate: str | None = None
    public_key: str | None = None


class TrustList(ApiModel):
    keys: list[TrustedKey]


class Health(ApiModel):
    status: str | None = None
    dev: bool | None = None
    """Whether the backend runs in development mode (codes in responses, DESIGN.md §4.6)."""
    certificates: bool | None = None
    """Whether approval issues signed certificates (the backend has its signing keys)."""
