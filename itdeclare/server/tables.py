"""The backend's tables (SQLAlchemy 2 typed models). The API's shapes live in ``schemas.py``.

Every change here comes with an Alembic migration in ``migrations/versions``; a test checks the
two agree.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from itdeclare.models.status import IN_REVIEW

ID_LENGTH = 32
#: Nationality, document type and number: "CHN:public_affairs_passport:" and up to 30 characters.
DOCUMENT_KEY_LENGTH = 64


_ID = re.compile(r"[0-9a-f]{32}")


def is_id(value: str) -> bool:
    """Whether ``value`` could be an id at all (anything else is not looked up)."""
    return _ID.fullmatch(value) is not None


def new_id() -> str:
    """A 32-hex-digit id: 48 bits of milliseconds then 80 random bits.

    Time first keeps index inserts local; the random part makes ids unguessable, so one
    account cannot probe for another's.
    """
    millis = time.time_ns() // 1_000_000
    return f"{millis:012x}{os.urandom(10).hex()}"


class Inserted:
    """A row just inserted, read from the values it was inserted with (``row.column``): the
    answer to a submission is made from it, where an ORM object would cost 35 µs to make."""

    __slots__ = ("_values",)

    def __init__(self, values: Mapping[str, Any]) -> None:
        self._values = values

    def __getattr__(self, column: str) -> Any:
        try:
            return self._values[column]
        except KeyError:
            raise AttributeError(column) from None


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out, on SQLite (which keeps no zone) as well."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


Document = JSON().with_variant(JSONB(), "postgresql")

_NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=_NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UTCDateTime}


def _id_column(**kwargs: Any) -> Mapped[str]:
    return mapped_column(String(ID_LENGTH), primary_key=True, default=new_id, **kwargs)


def _account_fk() -> Mapped[str]:
    return mapped_column(String(ID_LENGTH), ForeignKey("accounts.id"), index=True)


class Account(Base):
    """A traveller (signed in by phone) or a consulate reviewer (made by the operator)."""

    __tablename__ = "accounts"

    id: Mapped[str] = _id_column()
    kind: Mapped[str] = mapped_column(String(16))  # "traveller" | "reviewer"
    phone: Mapped[str | None] = mapped_column(String(20), unique=True)
    consulate: Mapped[str | None] = mapped_column(String(3))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Token(Base):
    """A bearer token, kept only as its SHA-256."""

    __tablename__ = "tokens"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    account_id: Mapped[str] = _account_fk()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]


class LoginCode(Base):
    """A one-time sign-in code sent to a phone, kept only salted and hashed."""

    __tablename__ = "login_codes"
    __table_args__ = (
        Index("ix_login_codes_phone_created", "phone", "created_at"),
        Index("ix_login_codes_address_created", "address", "created_at"),
    )

    id: Mapped[str] = _id_column()
    phone: Mapped[str] = mapped_column(String(20))
    address: Mapped[str] = mapped_column(String(64))
    salt: Mapped[str] = mapped_column(String(32))
    code_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)


class Person(Base):
    """Someone an account files for: the account holder, a parent, a child…"""

    __tablename__ = "persons"

    id: Mapped[str] = _id_column()
    account_id: Mapped[str] = _account_fk()
    relationship: Mapped[str] = mapped_column(String(16))
    subject: Mapped[dict[str, Any]] = mapped_column(Document)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


IN_QUEUE_SQL = "status IN ({})".format(", ".join(f"'{s.value}'" for s in sorted(IN_REVIEW)))


class DeclarationRow(Base):
    """One submitted declaration: its document, where it is in review, and whose it is."""

    __tablename__ = "declarations"
    __table_args__ = (
        # The review queue: the declarations still in review of one consulate, in order.
        Index(
            "ix_declarations_queue",
            "consulate",
            "queue_seq",
            postgresql_where=text(IN_QUEUE_SQL),
            sqlite_where=text(IN_QUEUE_SQL),
        ),
        Index("ix_declarations_account_created", "account_id", "created_at"),
        # An Idempotency-Key names one declaration per account (NULLs, no key, never collide).
        UniqueConstraint("account_id", "idempotency_key"),
    )

    id: Mapped[str] = _id_column()
    # A re-declaration chain is named by its first declaration; each row knows how many
    # re-declarations the chain had used when it was made (0 for the first).
    chain_id: Mapped[str] = mapped_column(String(ID_LENGTH), index=True)
    redeclarations_used: Mapped[int] = mapped_column(Integer, default=0)
    account_id: Mapped[str] = mapped_column(String(ID_LENGTH), ForeignKey("accounts.id"))
    person_id: Mapped[str] = mapped_column(String(ID_LENGTH), ForeignKey("persons.id"), index=True)
    replaces_id: Mapped[str | None] = mapped_column(String(ID_LENGTH))
    replaced_by_id: Mapped[str | None] = mapped_column(String(ID_LENGTH))
    consulate: Mapped[str] = mapped_column(String(3))
    status: Mapped[str] = mapped_column(String(24))
    queue_seq: Mapped[int] = mapped_column(BigInteger)
    document: Mapped[dict[str, Any]] = mapped_column(Document)
    review_note: Mapped[str | None] = mapped_column(Text)
    idempotency_key: Mapped[str | None] = mapped_column(String(200))
    request_hash: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class LiveDocument(Base):
    """A travel document whose declaration chain is live: its primary key is what makes one live
    chain per document, on either database, however many requests race.

    The row belongs to the chain until its trip is over (``live_until``: a day after the flight
    into China lands, when its code would expire, or the expiry of the code issued); from then on
    a new chain may take it over (``services.live``).
    """

    __tablename__ = "live_documents"

    document_key: Mapped[str] = mapped_column(String(DOCUMENT_KEY_LENGTH), primary_key=True)
    chain_id: Mapped[str] = mapped_column(String(ID_LENGTH), index=True)
    account_id: Mapped[str] = mapped_column(String(ID_LENGTH), ForeignKey("accounts.id"))
    live_until: Mapped[datetime]


class QueueCounter(Base):
    """Per consulate: the last place handed out and how many declarations are still waiting.

    Taking a place locks this row until commit, so places are committed in the order they were
    handed out, without gaps (a rolled-back place is handed out again), and a declaration never
    sees a newcomer appear ahead of it.
    """

    __tablename__ = "queue_counters"

    consulate: Mapped[str] = mapped_column(String(3), primary_key=True)
    last_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    waiting: Mapped[int] = mapped_column(BigInteger, default=0)


class QueueBlock(Base):
    """How many declarations have left review from each block of ``BLOCK_SIZE`` places.

    Places are handed out without gaps, so what still waits before a block is the places before
    it less the departures tallied here; a lookup adds that to a count inside its own block and
    reads at most a few thousand index entries however long the queue is.
    """

    __tablename__ = "queue_blocks"

    consulate: Mapped[str] = mapped_column(String(3), primary_key=True)
    block: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    departed: Mapped[int] = mapped_column(BigInteger, default=0)


class Attachment(Base):
    """An uploaded test certificate; the bytes are stored once per SHA-256."""

    __tablename__ = "attachments"

    id: Mapped[str] = _id_column()
    declaration_id: Mapped[str] = mapped_column(
        String(ID_LENGTH), ForeignKey("declarations.id"), index=True
    )
    sha256: Mapped[str] = mapped_column(String(64))
    content_type: Mapped[str] = mapped_column(String(32))
    size: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: The test of the declaration (its index in ``tests``) the file is the report of, when the
    #: traveller said so: the reviewer sees it beside that test.
    test_index: Mapped[int | None] = mapped_column(Integer, default=None)


class BlobChunk(Base):
    """A piece of an uploaded file, when files are kept in the database (PostgreSQL): the pieces
    of one file, by SHA-256, in order from 0."""

    __tablename__ = "blob_chunks"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    #: For ``sweep``: a piece no attachment names is removed only once it is this old.
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Event(Base):
    """The history of a declaration and the audit log of decisions: who did what, when."""

    __tablename__ = "events"
    __table_args__ = (
        Index("ix_events_declaration_at", "declaration_id", "at"),
        # The recent decisions, whose pace estimates the wait in each queue.
        Index("ix_events_action_at", "action", "at"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    declaration_id: Mapped[str] = mapped_column(String(ID_LENGTH), ForeignKey("declarations.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[str | None] = mapped_column(String(ID_LENGTH), ForeignKey("accounts.id"))
    actor_kind: Mapped[str] = mapped_column(String(16))  # traveller | reviewer | system
    action: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(24))  # the status after the event
    note: Mapped[str | None] = mapped_column(Text)
    data: Mapped[dict[str, Any] | None] = mapped_column(Document)


class Certificate(Base):
    """A signed health certificate: for an approved declaration, or an outbound one."""

    __tablename__ = "certificates"

    id: Mapped[str] = _id_column()
    declaration_id: Mapped[str | None] = mapped_column(
        String(ID_LENGTH), ForeignKey("declarations.id"), unique=True
    )
    account_id: Mapped[str] = _account_fk()
    payload: Mapped[str] = mapped_column(Text)
    issued_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]


class HealthRecordRow(Base):
    """The health authority's record of one ID-card holder (``admin import-health-records``)."""

    __tablename__ = "health_records"

    id_card_number: Mapped[str] = mapped_column(String(18), primary_key=True)
    record: Mapped[dict[str, Any]] = mapped_column(Document)
    digest: Mapped[str] = mapped_column(String(64))
    sample: Mapped[bool] = mapped_column(Boolean, default=False)
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)


class RateEvent(Base):
    """One counted attempt (e.g. a failed outbound request) for a sliding-window limit."""

    __tablename__ = "rate_events"
    __table_args__ = (Index("ix_rate_events_scope_key_at", "scope", "key", "at"),)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    scope: Mapped[str] = mapped_column(String(32))
    key: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(default=utcnow)
