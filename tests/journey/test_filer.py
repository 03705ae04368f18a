"""The user's own details: what filing for someone else may copy, and the phone to sign in."""

from __future__ import annotations

from pathlib import Path

from itdeclare.journey.filer import (
    filer_for,
    offer_text,
    own_values,
    remember_phone,
    sign_in_phone,
)
from itdeclare.models import Relationship
from itdeclare.storage.records import Draft, Person
from itdeclare.storage.state import LocalState

ME = Person(relationship=Relationship.SELF, subject={"family_name": "ZHANG", "given_name": "SAN"})
PARENT = Person(relationship=Relationship.PARENT, subject={"family_name": "ZHANG"})


def draft(person: Person, phone: str, city: str = "", *, submitted: bool = False) -> Draft:
    form = {"contact": {"phone": phone}, "residence": {"city": city}}
    return Draft(person_id=person.id, declaration=form, submitted_as="x" if submitted else None)


def test_own_values_come_from_the_newest_own_draft_submitted_or_not() -> None:
    drafts = [
        draft(PARENT, "+8613900000000", "Beijing"),
        draft(ME, "", "Oakland"),
        draft(ME, "+14155550123", "San Francisco", submitted=True),
    ]
    assert own_values([ME, PARENT], drafts) == {
        "contact.phone": "+14155550123",
        "residence.city": "Oakland",
    }


def test_a_relative_is_offered_the_users_details_the_user_is_not() -> None:
    drafts = [draft(ME, "+14155550123", submitted=True)]
    filer = filer_for(PARENT, [ME, PARENT], drafts)
    assert filer is not None
    assert filer.name == "ZHANG SAN"
    assert filer.values == {"contact.phone": "+14155550123"}
    assert filer_for(ME, [ME, PARENT], drafts) is None


def test_the_account_phone_stands_in_for_an_unknown_own_phone() -> None:
    assert filer_for(PARENT, [PARENT], []) is None
    filer = filer_for(PARENT, [PARENT], [], account_phone="+14155550199")
    assert filer is not None
    assert filer.values == {"contact.phone": "+14155550199"}
    assert filer.name == ""
    assert offer_text(filer.name) == "Use my own phone (the one I signed in with)?"
    assert offer_text("ZHANG SAN") == "Use ZHANG SAN's phone and residence?"


def test_the_sign_in_phone_is_the_remembered_one_else_the_users_own(tmp_path: Path) -> None:
    state = LocalState(tmp_path)
    assert sign_in_phone(state, "embedded") == ""
    me = state.people.add(ME)
    parent = state.people.add(PARENT)
    state.drafts.save(draft(parent, "+8613900000000"))
    assert sign_in_phone(state, "embedded") == ""  # never the parent's
    state.drafts.save(draft(me, "+14155550123"))
    assert sign_in_phone(state, "embedded") == "+14155550123"
    remember_phone(state, "embedded", "+14155550100")
    assert sign_in_phone(state, "embedded") == "+14155550100"
    assert sign_in_phone(state, "https://declare.example") == "+14155550123"
    state.session.clear("embedded")  # signing out keeps the phone for next time
    assert LocalState(tmp_path).sign_in_phones.load("embedded") == "+14155550100"
