"""The records the client keeps on disk, as dataclasses read by :mod:`itdeclare.plain`.

Each file carries ``schema_version``: a file written by a newer version is left alone and
reported, never misread. Bump the default of a record's ``schema_version`` when its shape
changes incompatibly (and teach the store to read the old one).

The annotations are evaluated as each class is made (this module does not postpone them with
``from __future__ import annotations``): :mod:`itdeclare.plain` reads them at every start, and
a postponed one is compiled from its text when read.
"""

import uuid
from dataclasses import Field, dataclass, field, fields
from datetime import UTC, datetime
from typing import Any, cast

from itdeclare.models.enums import DeclarationStatus, Relationship


class _Record:
    """Equality and repr of every record, by its fields, written once here: a dataclass made
    with its own (``eq``, ``repr``) compiles them when its module is imported, at every start
    of the app (see :mod:`itdeclare.plain`); the records pass ``eq=False, repr=False``."""

    __slots__ = ()
    __hash__ = None  # type: ignore[assignment]  # as any dataclass that compares by its fields

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return all(getattr(self, f.name) == getattr(other, f.name) for f in _fields(self))

    def __repr__(self) -> str:
        shown = (f"{f.name}={getattr(self, f.name)!r}" for f in _fields(self) if f.repr)
        return f"{type(self).__qualname__}({', '.join(shown)})"


def _fields(record: _Record) -> tuple[Field[Any], ...]:
    return fields(cast(Any, record))  # every _Record is a dataclass


def new_id() -> str:
    return uuid.uuid4().hex


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(kw_only=True, eq=False, repr=False)
class AttachedReport(_Record):
    """A test's report attached to a draft: its bytes are kept in the report store (by
    SHA-256) until the backend has them, so neither a moved file nor a crash loses it."""

    sha256: str
    name: str
    """The file's name when it was attached (shown to the traveller)."""
    content_type: str
    size: int
    test_index: int
    """The test (index in the draft's ``tests``) it is the report of."""
    test_key: str
    """That test as it was when the file was attached (kind and sampling time), so the link
    follows the test when the list is reordered."""
    uploaded_to: str | None = None
    """The backend's declaration it was uploaded to, with ``uploaded_as`` its attachment id."""
    uploaded_as: str | None = None
    refused: str | None = None
    """The backend's error code when it will never take the file (the declaration left review,
    the file was refused): not tried again."""


@dataclass(kw_only=True, eq=False, repr=False)
class ImportedHolder(_Record):
    """Whose name an imported test certificate bears: the §4.5 document has no place for it,
    so it stays here, beside the test it filled in (matched by ``test_key``)."""

    test_key: str
    family_name: str = ""
    given_name: str = ""
    date_of_birth: str = ""
    """As the certificate gives it: ``YYYY-MM-DD``, or only the year (and month)."""


@dataclass(kw_only=True, eq=False, repr=False)
class Draft(_Record):
    """A declaration being typed, with what it takes to resume it exactly where it was left."""

    schema_version: int = 1
    id: str = field(default_factory=new_id)
    person_id: str | None = None
    """The ``Person`` it is filed for (local id)."""
    declaration: dict[str, Any] = field(default_factory=dict)
    """The §4.5 document as typed so far: JSON values, possibly incomplete or still invalid."""
    step: str = ""
    """The wizard step shown last; empty means the first step."""
    focus: str | None = None
    """The id of the field that had the focus."""
    revision: int = 0
    """Set by ``DraftStore.save``: grows by at least one with every save."""
    created_at: datetime = field(default_factory=utc_now)
    updated_at: datetime = field(default_factory=utc_now)
    submitted_as: str | None = None
    """The backend's declaration id once submitted."""
    replaces: str | None = None
    """The backend's declaration this draft re-declares, if it is a re-declaration."""
    submission_key: str | None = None
    """The ``Idempotency-Key`` of a submission sent but not answered: every retry reuses it, so
    the backend files the draft once however often the answer is lost."""
    submission_started: datetime | None = None
    """When that unanswered submission was first sent."""
    reports: list[AttachedReport] = field(default_factory=list)
    """The tests' reports attached, in the order attached; they upload with the submission."""
    imported: list[ImportedHolder] = field(default_factory=list)
    """The holders of the test certificates tests were imported from."""


@dataclass(kw_only=True, eq=False, repr=False)
class Person(_Record):
    """Someone this account files for: the user, an elder parent, a child…"""

    schema_version: int = 1
    id: str = field(default_factory=new_id)
    relationship: Relationship = Relationship.SELF
    subject: dict[str, Any] = field(default_factory=dict)
    """The §4.5 subject fields known so far."""
    remote_id: str | None = None
    """The backend's id once the person is registered there."""
    created_at: datetime = field(default_factory=utc_now)


@dataclass(kw_only=True, eq=False, repr=False)
class Certificate(_Record):
    """An issued health certificate, kept to be shown with no network."""

    schema_version: int = 1
    id: str = field(default_factory=new_id)
    payload: str
    """The QR content, ``HC1:…``."""
    declaration_id: str | None = None
    """The declaration it was issued for; ``None`` for an outbound certificate."""
    person_id: str | None = None
    issued_at: datetime
    expires_at: datetime
    status: DeclarationStatus = DeclarationStatus.APPROVED
    """The declaration's status when last seen (``revoked`` or ``expired`` once replaced)."""
    checked_at: datetime | None = None
    """When the backend last confirmed that status (the code's revocation check); None if it
    never has since the code was kept."""
    missing: list[str] = field(default_factory=list)
    """Outbound: the kinds of record the health authority held none of (``nucleic_acid``,
    ``antibody``, ``vaccination``); the certificate is incomplete when there are any."""


@dataclass(kw_only=True, eq=False, repr=False)
class Session(_Record):
    """The signed-in account on one backend."""

    schema_version: int = 1
    server: str
    """The backend's base URL (or the embedded backend's name)."""
    token: str = field(repr=False)
    phone: str
    created_at: datetime = field(default_factory=utc_now)


@dataclass(kw_only=True, eq=False, repr=False)
class SignInPhone(_Record):
    """The phone last signed in with on one backend: offered at the next sign-in, so it is
    kept when the session ends (signing out, an expired token), unlike ``Session``."""

    schema_version: int = 1
    server: str
    phone: str
