"""The shapes of the HTTP API v1 (DESIGN.md §4.4), separate from the tables.

Declarations and subjects are the domain models of ``itdeclare.models`` themselves, so the API
accepts exactly what the declaration file (§4.5) and ``itdeclare validate`` accept.
"""

from __future__ import annotations

import unicodedata
from datetime import datetime
from typing import Annotated, Any, Generic, Literal, TypeVar

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
)
from pydantic_core import PydanticCustomError

from itdeclare.models import Declaration, Relationship, Subject

T = TypeVar("T")

Id = Annotated[str, StringConstraints(min_length=1, max_length=64)]


def _plain_text(value: str) -> str:
    """Refuse control characters other than line breaks and tabs, and lone surrogates: they are
    never typed on purpose and a database cannot store some of them."""
    if any(
        unicodedata.category(c) == "Cs" or (unicodedata.category(c) == "Cc" and c not in "\n\r\t")
        for c in value
    ):
        raise PydanticCustomError("text_control", "Remove the control characters from this text")
    return value


Note = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=2000),
    AfterValidator(_plain_text),
]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Items(BaseModel, Generic[T]):
    items: list[T]


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
    subject: dict[str, Any]
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


class HistoryItem(BaseModel):
    at: datetime
    action: str
    status: str
    note: str | None = None
    attachment_ids: list[str] = Field(default_factory=list)
    actor: str = Field(description="traveller, reviewer or system")
    actor_id: str | None = Field(None, description="Reviewer views only: who did it.")


class DeclarationOut(BaseModel):
    id: str
    person_id: str
    chain_id: str
    status: str
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
    declaration: dict[str, Any]
    review_note: str | None
    history: list[HistoryItem]
    attachments: list[AttachmentOut]


class CertificateOut(BaseModel):
    payload: str
    issued_at: datetime
    expires_at: datetime


# --- review ------------------------------------------------------------------------------


class QueueItem(BaseModel):
    id: str
    queue_position: int
    status: str
    submitted_at: datetime
    name: str
    nationality: str
    residence_country: str


class DecisionIn(_In):
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
        description="Whether the current document signer can sign (its certificate is valid)."
    )
