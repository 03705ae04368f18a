"""The user's own details, as far as this computer knows them.

Filing for someone else, the user may copy their own phone and residence into that person's
declaration (offered, never forced). Signing in, the account is the user's own: the phone
offered is the one last signed in with, else the user's own declaration's, never the phone
of the person being filed for (an account and a text message would go to a parent).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from itdeclare.journey.form import FILER_FIELDS, get_value
from itdeclare.journey.people import DraftLike, PersonLike, display_name
from itdeclare.models import Relationship
from itdeclare.wording import tr

if TYPE_CHECKING:
    from itdeclare.storage.state import LocalState

PHONE = "contact.phone"


@dataclass(frozen=True, slots=True)
class Filer:
    """Who files, as the offer names them ("" when the user is not among the people), and the
    values another's declaration may copy."""

    name: str
    values: dict[str, str]


def own_person(people: Iterable[PersonLike]) -> PersonLike | None:
    return next((p for p in people if p.relationship is Relationship.SELF), None)


def own_values(people: Iterable[PersonLike], drafts: Iterable[DraftLike]) -> dict[str, str]:
    """The phone and residence typed in the user's own declarations, newest first per field
    (``drafts`` come newest first), submitted or not: filing oneself does not forget them."""
    me = own_person(people)
    if me is None:
        return {}
    values: dict[str, str] = {}
    for draft in drafts:
        if draft.person_id != me.id:
            continue
        for loc in FILER_FIELDS:
            value = get_value(draft.declaration, loc)
            if loc not in values and isinstance(value, str) and value.strip():
                values[loc] = value.strip()
    return values


def filer_for(
    person: PersonLike,
    people: Iterable[PersonLike],
    drafts: Iterable[DraftLike],
    account_phone: str | None = None,
) -> Filer | None:
    """What the user may copy into ``person``'s declaration; ``None`` when ``person`` is the
    user, or nothing of the user's own is known. ``account_phone`` (the phone signed in with)
    stands in for a phone the user's own declaration lacks."""
    if person.relationship is Relationship.SELF:
        return None
    people = list(people)
    values = own_values(people, drafts)
    if PHONE not in values and account_phone:
        values[PHONE] = account_phone
    if not values:
        return None
    me = own_person(people)
    return Filer(display_name(me.subject) if me is not None else "", values)


def offer_text(filer_name: str) -> str:
    """The offer to copy, naming the user when their name is known."""
    if filer_name:
        return tr("wizard.filer.offer", name=filer_name)
    return tr("wizard.filer.offer_mine")


def sign_in_phone(state: LocalState, server: str) -> str:
    """The phone to offer at sign-in: the one last signed in with on ``server``, else the one
    in the user's own declaration, else none."""
    remembered = state.sign_in_phones.load(server)
    if remembered:
        return remembered
    return own_values(state.people.list(), state.drafts.list()).get(PHONE, "")


def remember_phone(state: LocalState, server: str, phone: str) -> None:
    state.sign_in_phones.save(server, phone)
