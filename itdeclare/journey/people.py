"""What the home screen shows for each person: a small view-model, free of Textual and storage.

Part of it comes from the local drafts (how complete the declaration being typed is); the rest
(status, queue position, re-declarations left) from the backend once a declaration has been
submitted. ``person_rows`` takes both, so whatever knows the backend's answers feeds them in as
``DeclarationView``s keyed by person id.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import Any, NamedTuple, Protocol, TypeVar

from itdeclare.journey.form import completeness
from itdeclare.models import DeclarationStatus, Relationship
from itdeclare.wording import enum_text, language, tr


class PersonLike(Protocol):
    id: str
    relationship: Relationship
    subject: dict[str, Any]


class DraftLike(Protocol):
    person_id: str | None
    declaration: dict[str, Any]
    submitted_as: str | None


D = TypeVar("D", bound=DraftLike)


class DeclarationView(NamedTuple):
    """A submitted declaration as the backend last reported it."""

    status: DeclarationStatus
    queue_position: int | None = None
    redeclarations_left: int | None = None
    stale: bool = False
    """Read from the local records while the backend has not answered yet."""


class PersonRow(NamedTuple):
    person_id: str
    name: str
    relationship: Relationship
    draft_percent: int | None = None
    """How complete the draft being typed is; ``None`` when there is none."""
    declaration: DeclarationView | None = None

    @property
    def state_text(self) -> str:
        declaration = self.declaration
        if (
            declaration is not None
            and declaration.status is DeclarationStatus.PENDING_REVIEW
            and declaration.queue_position is not None
        ):
            if declaration.queue_position == 0:
                return tr("app.state.pending_next")
            return tr("app.state.pending", ahead=declaration.queue_position)
        if declaration is not None:
            text = enum_text(declaration.status)
            if declaration.stale:
                text += tr("app.state.not_refreshed")
            if self.draft_percent is not None:
                text += tr("app.state.and_draft", percent=self.draft_percent)
            return text
        if self.draft_percent is not None:
            return tr("app.state.draft", percent=self.draft_percent)
        return tr("app.state.none")

    @property
    def redeclarations_text(self) -> str:
        left = self.declaration.redeclarations_left if self.declaration else None
        return "-" if left is None else str(left)

    @property
    def relationship_text(self) -> str:
        return enum_text(self.relationship)


def display_name(subject: Mapping[str, Any]) -> str:
    """'张三 ZHANG SAN' in Chinese, 'ZHANG SAN (张三)' in English; whatever parts are known."""
    latin = " ".join(
        str(subject.get(part) or "").strip().upper() for part in ("family_name", "given_name")
    ).strip()
    chinese = str(subject.get("chinese_name") or "").strip()
    if language() == "zh":
        return " ".join(part for part in (chinese, latin) if part)
    if chinese and latin:
        return f"{latin} ({chinese})"
    return latin or chinese


def active_draft(drafts: Iterable[D], person_id: str) -> D | None:
    """The draft being typed for a person (not yet submitted), the first found."""
    for draft in drafts:
        if draft.person_id == person_id and draft.submitted_as is None:
            return draft
    return None


class SubmittedLike(DraftLike, Protocol):
    replaces: str | None


class CertificateLike(Protocol):
    person_id: str | None
    declaration_id: str | None
    status: DeclarationStatus
    issued_at: datetime
    expires_at: datetime


def kept_views(
    people: Iterable[PersonLike],
    drafts: Iterable[SubmittedLike],
    certificates: Iterable[CertificateLike],
    now: datetime,
) -> dict[str, DeclarationView]:
    """Each person's last known state from the local records, for the moments before the
    backend answers: the status of the kept code of the declaration that counts now (expired
    once past its expiry), else pending review for one submitted from here without a code."""
    drafts, certificates = list(drafts), list(certificates)
    views = {}
    for person in people:
        submitted = [d for d in drafts if d.person_id == person.id and d.submitted_as]
        replaced = {d.replaces for d in submitted if d.replaces}
        current = {d.submitted_as for d in submitted} - replaced
        kept = [c for c in certificates if c.person_id == person.id]
        newest = max(kept, key=lambda c: c.issued_at, default=None)
        if newest is not None and (newest.declaration_id in current or not current):
            status = newest.status
            if status is DeclarationStatus.APPROVED and now >= newest.expires_at:
                status = DeclarationStatus.EXPIRED
            views[person.id] = DeclarationView(status, stale=True)
        elif current:
            views[person.id] = DeclarationView(DeclarationStatus.PENDING_REVIEW, stale=True)
    return views


def person_rows(
    people: Iterable[PersonLike],
    drafts: Iterable[DraftLike],
    declarations: Mapping[str, DeclarationView] | None = None,
) -> list[PersonRow]:
    """One row per person: self first, then in the order given."""
    drafts = list(drafts)
    known = declarations or {}
    rows = []
    for person in people:
        draft = active_draft(drafts, person.id)
        subject = draft.declaration.get("subject") if draft else None
        name = display_name(subject if isinstance(subject, Mapping) else person.subject)
        rows.append(
            PersonRow(
                person.id,
                name or tr("wizard.unnamed"),
                person.relationship,
                completeness(draft.declaration) if draft else None,
                known.get(person.id),
            )
        )
    rows.sort(key=lambda row: row.relationship is not Relationship.SELF)
    return rows


def names_from_form(subject: Mapping[str, Any], text: Callable[[str], str]) -> dict[str, Any]:
    """``subject`` with the names the draft now holds (``text`` reads the form by location),
    each one only once it is valid: until then the person keeps the name they had."""
    from itdeclare.models import validators

    named = dict(subject)
    for name, rule in (
        ("family_name", validators.latin_name),
        ("given_name", validators.latin_name),
        ("chinese_name", validators.chinese_name),
    ):
        value = text(f"subject.{name}")
        if not value.strip():
            continue
        try:
            named[name] = rule(value)
        except ValueError:
            continue
    return named
