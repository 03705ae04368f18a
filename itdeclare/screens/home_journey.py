"""What the home screen opens for the selected person: the wizard on their draft (a new one,
with the filer's details to copy into a relative's), their declaration's status, their kept
green code; and the outbound certificate. The home screen (``screens/home.py``) builds on this
class."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from textual import work

from itdeclare.journey.people import active_draft
from itdeclare.screens.home_people import PeopleEditing
from itdeclare.wording import language, tr

if TYPE_CHECKING:
    from itdeclare.journey.filer import Filer
    from itdeclare.storage.records import Draft, Person


class HomeJourney(PeopleEditing):
    def action_file(self) -> None:
        person = self._selected()
        if person is None:
            return
        drafts = self.data.drafts if self.data is not None else []
        if self._has_declaration(person) and active_draft(drafts, person.id) is None:
            self.action_status()
            return
        self.file_for(person.id)

    def _has_declaration(self, person: Person) -> bool:
        connection = self.context.connection
        if connection is None or self.data is None:
            return False
        return (
            connection.snapshot.latest(person.id) is not None
            or any(d.person_id == person.id and d.submitted_as for d in self.data.drafts)
            or any(c.person_id == person.id for c in self.data.certificates)
        )

    def _journey_allows(self, action: str) -> bool:
        if self.context.connection is None or self.data is None:
            return False
        if action == "outbound":
            return True
        person = self._selected()
        if person is None:
            return False
        if action == "code":  # only a code kept here can be shown (offline too)
            return any(c.person_id == person.id for c in self.data.certificates)
        return self._has_declaration(person)

    def action_status(self) -> None:
        person = self._selected()
        if person is not None and self.context.connection is not None:
            self._show_status(person)

    def _show_status(self, person: Person) -> None:
        from itdeclare.screens.status import StatusScreen

        self.app.push_screen(StatusScreen(self.context, person))

    def action_code(self) -> None:
        person = self._selected()
        if person is not None:
            self.open_code(person)

    @work(thread=True, exclusive=True, group="kept-codes", exit_on_error=False)
    def open_code(self, person: Person) -> None:
        """Show the person's newest green code kept on this machine (no network needed)."""
        from itdeclare.storage.errors import StorageError

        try:
            kept = self.context.state().certificates.list(person.id)
        except StorageError as error:
            self.app.call_from_thread(self.notify, error.message(language()), severity="error")
            return
        if not kept:
            self.app.call_from_thread(self.notify, tr("journey.home.no_code"), severity="warning")
            return
        self.app.call_from_thread(self._show_code, kept[0])

    def _show_code(self, certificate: object) -> None:
        from itdeclare.screens.certificate import CertificateScreen
        from itdeclare.storage.records import Certificate

        assert isinstance(certificate, Certificate)
        self.app.push_screen(CertificateScreen(self.context, certificate))

    def action_outbound(self) -> None:
        from itdeclare.screens.outbound import OutboundScreen

        if self.context.connection is not None:
            self.app.push_screen(OutboundScreen(self.context))

    def file_for(self, person_id: str) -> None:
        """Open the wizard on the person's draft (a new one if there is none)."""
        if self.data is None:
            return
        person = next((p for p in self.data.people if p.id == person_id), None)
        if person is None:
            return
        from itdeclare.screens.wizard import WizardScreen

        draft = active_draft(self.data.drafts, person.id)
        if draft is None:
            draft = self._new_draft(person)
        filer = self._filer(person)
        screen = WizardScreen(
            self.context,
            draft,
            person,
            filer_name=filer.name if filer else None,
            filer_values=filer.values if filer else {},
            after_submit=partial(self._show_status, person),
        )
        self.app.push_screen(screen)

    def _new_draft(self, person: Person) -> Draft:
        from itdeclare.journey.form import blank_form
        from itdeclare.models.rules import default_rules
        from itdeclare.storage.records import Draft

        rule = default_rules().rules[-1]
        required = tuple(test.kind.value for test in rule.required_tests)
        form = blank_form(person.relationship, person.subject, required)
        return Draft(person_id=person.id, declaration=form, step="identity")

    def _filer(self, person: Person) -> Filer | None:
        """The user's own name and the values another person's declaration may copy."""
        from itdeclare.journey.filer import filer_for

        if self.data is None:
            return None
        connection = self.context.connection
        phone = connection.phone if connection is not None and connection.signed_in else None
        return filer_for(person, self.data.people, self.data.drafts, phone)
