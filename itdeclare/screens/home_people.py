"""The home screen's list of people: adding, editing and removing the people this user files
for (a person's new names and relationship carried into the draft being typed for them). The home
screen (``screens/home.py``) builds on this class."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, NamedTuple

from textual import work

from itdeclare.journey.people import active_draft, display_name
from itdeclare.models import Relationship
from itdeclare.screens.base import TravellerScreen
from itdeclare.widgets.people.table import PeopleTable
from itdeclare.wording import language, tr

if TYPE_CHECKING:
    from itdeclare.journey.context import TravellerContext
    from itdeclare.screens.person import PersonInput
    from itdeclare.storage.data_key import KeySource
    from itdeclare.storage.records import Certificate, Draft, Person
    from itdeclare.storage.vault import CorruptRecord


class LocalData(NamedTuple):
    """What the home screen read from the local state (a ``NamedTuple``: it is made at every
    start, see :mod:`itdeclare.plain`)."""

    people: list[Person]
    drafts: list[Draft]
    certificates: list[Certificate]
    """The kept codes: what home shows of each person until the backend answers."""
    key_source: KeySource | None
    set_aside: list[CorruptRecord]


class PeopleEditing(TravellerScreen[None]):
    context: TravellerContext
    data: LocalData | None

    def load(self, select: str | None = None) -> None:
        """Read the people again and show them, ``select`` selected: the home screen knows
        how."""
        raise NotImplementedError

    def _selected(self) -> Person | None:
        if self.data is None:
            return None
        person_id = self.query_one(PeopleTable).selected_person_id
        return next((p for p in self.data.people if p.id == person_id), None)

    def _self_taken(self, other_than: str | None = None) -> bool:
        people = self.data.people if self.data else []
        return any(p.relationship is Relationship.SELF and p.id != other_than for p in people)

    def action_add(self) -> None:
        from itdeclare.screens.person import PersonModal

        self.app.push_screen(PersonModal(self_taken=self._self_taken()), self._add_person)

    def _add_person(self, answer: PersonInput | None) -> None:
        if answer is not None:
            self.save_person(None, answer)

    def action_edit(self) -> None:
        from itdeclare.screens.person import PersonModal

        person = self._selected()
        if person is None:
            return
        modal = PersonModal(
            person.relationship, person.subject, self_taken=self._self_taken(person.id)
        )
        self.app.push_screen(modal, lambda answer: self._edit_person(person, answer))

    def _edit_person(self, person: Person, answer: PersonInput | None) -> None:
        if answer is not None:
            self.save_person(person, answer)

    @work(thread=True, group="people-save", exit_on_error=False)
    def save_person(self, person: Person | None, answer: PersonInput) -> None:
        from itdeclare.storage.errors import StorageError
        from itdeclare.storage.records import Person

        state = self.context.state()
        try:
            if person is None:
                saved = state.people.add(
                    Person(relationship=answer.relationship, subject=answer.subject)
                )
            else:
                subject = {**person.subject, **answer.subject}
                for name in ("chinese_name",):
                    if name not in answer.subject:
                        subject.pop(name, None)
                saved = state.people.update(
                    dataclasses.replace(person, relationship=answer.relationship, subject=subject)
                )
                self._carry_into_draft(saved)
        except StorageError as error:
            self.app.call_from_thread(self.notify, error.message(language()), severity="error")
            return
        self.app.call_from_thread(self.load, saved.id)

    def _carry_into_draft(self, person: Person) -> None:
        """A person's new names and relationship go into the draft being typed for them."""
        state = self.context.state()
        draft = active_draft(state.drafts.list(), person.id)
        if draft is None:
            return
        form = draft.declaration
        form["relationship"] = person.relationship.value
        subject = form.setdefault("subject", {})
        for name in ("family_name", "given_name", "chinese_name"):
            subject[name] = person.subject.get(name, "")
        state.drafts.save(draft)

    def action_remove(self) -> None:
        from itdeclare.screens.confirm import ConfirmModal

        person = self._selected()
        if person is None:
            return
        name = display_name(person.subject) or tr("wizard.unnamed")
        refusal = self._live_refusal(person, name)
        if refusal is not None:
            self.notify(refusal, severity="warning", timeout=30)
            return
        modal = ConfirmModal("app.confirm.remove", name=name)
        self.app.push_screen(modal, lambda yes: self._remove(person, name) if yes else None)

    def _live_refusal(self, person: Person, name: str) -> str | None:
        """Why the person cannot be removed yet (a declaration of theirs is still live: removing
        them would lose it here while the review service keeps it), or ``None`` if they can."""
        from itdeclare.journey.live import live_declaration
        from itdeclare.journey.text import when

        if self.data is None:
            return None
        live = live_declaration(
            person.id, self.data.drafts, self.data.certificates, self.context.clock()
        )
        if live is None:
            return None
        key = "app.home.remove_live_code" if live.code_kept else "app.home.remove_live"
        why = tr(key, name=name)
        if live.until is None:
            return why + tr("app.home.remove_after_trip")
        return why + tr("app.home.remove_after", until=when(live.until))

    def _remove(self, person: Person, name: str) -> None:
        self.remove_person(person)
        self.notify(tr("app.home.removed", name=name))

    @work(thread=True, group="people-save", exit_on_error=False)
    def remove_person(self, person: Person) -> None:
        from itdeclare.storage.errors import StorageError

        state = self.context.state()
        try:
            for draft in state.drafts.list():
                if draft.person_id == person.id:
                    state.drafts.delete(draft.id)
            state.people.remove(person.id)
        except StorageError as error:
            self.app.call_from_thread(self.notify, error.message(language()), severity="error")
        self.app.call_from_thread(self.load)
