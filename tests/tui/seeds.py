"""Local data put in place before a test starts the app (as an earlier session would have)."""

from __future__ import annotations

import copy
from typing import Any

from itdeclare.models import Relationship
from itdeclare.storage.records import Draft, Person
from itdeclare.storage.state import LocalState

#: A complete declaration for oneself, as typed (raw text), valid on ``conftest.NOW``.
COMPLETE_FORM: dict[str, Any] = {
    "relationship": "self",
    "subject": {
        "family_name": "ZHANG",
        "given_name": "SAN",
        "chinese_name": "张三",
        "sex": "male",
        "date_of_birth": "1956-03-01",
        "nationality": "CHN",
        "document": {"type": "passport", "number": "E12345678", "expires_on": "2031-05-01"},
        "id_card_number": "11010519560301001X",
    },
    "contact": {"phone": "+14155550123", "email": ""},
    "residence": {"country": "USA", "city": "San Francisco", "address": "1 Market St"},
    "status": "resident",
    "employer": "Example Co.",
    "itinerary": [
        {
            "flight": "UA857",
            "from": "SFO",
            "to": "PVG",
            "departs_at": "2026-12-01 11:00",
            "arrives_at": "2026-12-02 17:00",
        }
    ],
    "port_of_entry": "PVG",
    "tests": [
        {
            "kind": kind,
            "sampled_at": "2026-11-30 09:00",
            "result": "negative",
            "institution": "Example Lab",
            "country": "USA",
        }
        for kind in ("nucleic_acid", "igm")
    ],
    "vaccinations": [
        {"product": "EU/1/20/1528", "dose": "2", "of": "2", "date": "2021-06-01", "country": "USA"}
    ],
    "history": [],
    "attested": False,
}


def complete_form(**changes: Any) -> dict[str, Any]:
    """The complete form with some top-level sections replaced."""
    form = copy.deepcopy(COMPLETE_FORM)
    form.update(copy.deepcopy(changes))
    return form


def seed(
    form: dict[str, Any] | None = None,
    *,
    step: str = "identity",
    focus: str | None = None,
    relationship: Relationship = Relationship.SELF,
) -> tuple[Person, Draft]:
    """A person and their draft, stored as the app would have stored them."""
    state = LocalState()
    form = form if form is not None else complete_form()
    subject = {
        key: form["subject"][key]
        for key in ("family_name", "given_name", "chinese_name")
        if form["subject"].get(key)
    }
    person = state.people.add(Person(relationship=relationship, subject=subject))
    draft = state.drafts.save(Draft(person_id=person.id, declaration=form, step=step, focus=focus))
    return person, draft
