"""Whether a person still has a live declaration, as far as this computer knows.

A declaration chain stays live until its trip is over (DESIGN.md §2: the flight into China has
landed and any green code has expired), whatever its status, and the review service keeps it
for the person it was filed for. Removing that person here would lose the declaration and its
code in the app while the service still holds them: a new declaration for the same person or
document is then refused, with nothing left to re-declare from. The home screen refuses the
removal until the trip is over, saying why and when.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from itdeclare.journey.people import CertificateLike, SubmittedLike
from itdeclare.models import DeclarationStatus
from itdeclare.models.status import AFTER_ARRIVAL


@dataclass(frozen=True, slots=True)
class LiveDeclaration:
    """A declaration submitted for a person whose trip is not over yet."""

    until: datetime | None
    """When its trip is over; ``None`` when a submitted draft does not say (it is live then)."""
    code_kept: bool
    """A green code for it, still valid, is kept on this computer."""


def trip_over_at(form: dict[str, object], now: datetime) -> datetime | None:
    """When the trip of a submitted draft is over: a day after its flight into China lands;
    ``None`` when the draft does not say when that flight lands."""
    from itdeclare.models.form_reading import read_form

    reading = read_form(form, now.date())
    itinerary = reading.document.get("itinerary")
    if reading.problems or not isinstance(itinerary, list) or not itinerary:
        return None
    arrives = itinerary[-1].get("arrives_at") if isinstance(itinerary[-1], dict) else None
    try:
        arrival = datetime.fromisoformat(str(arrives))
    except ValueError:
        return None
    if arrival.tzinfo is None:
        return None
    try:
        return arrival + AFTER_ARRIVAL
    except OverflowError:  # an arrival on the calendar's last day: never over
        return datetime.max.replace(tzinfo=arrival.tzinfo)


def live_declaration(
    person_id: str,
    drafts: Iterable[SubmittedLike],
    certificates: Iterable[CertificateLike],
    now: datetime,
) -> LiveDeclaration | None:
    """The person's declaration still live by what this computer holds (the drafts submitted
    for them, the codes kept for them), ``None`` when every trip of theirs is over."""
    ends: list[datetime] = []
    unknown = False
    for draft in drafts:
        if draft.person_id != person_id or not draft.submitted_as:
            continue
        end = trip_over_at(draft.declaration, now)
        if end is None:
            unknown = True
        else:
            ends.append(end)
    codes = [c for c in certificates if c.person_id == person_id and c.declaration_id]
    ends.extend(code.expires_at for code in codes)
    if not unknown and not any(end > now for end in ends):
        return None
    code_kept = any(
        code.status is DeclarationStatus.APPROVED and code.expires_at > now for code in codes
    )
    return LiveDeclaration(None if unknown else max(ends), code_kept)
