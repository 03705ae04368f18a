"""Re-declaring: a confirmation that says what will happen, and the draft it starts from.

Re-declaring cancels a review still pending or revokes a green code already issued, and the
new declaration goes to the back of the review queue. A chain may be re-declared twice; the
status screen refuses a third before this dialog opens, so nothing is lost.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from itdeclare.models import DeclarationStatus as S
from itdeclare.models.status import MAX_REDECLARATIONS
from itdeclare.screens.confirm import YesNoModal
from itdeclare.widgets.footer import KeyFooter
from itdeclare.wording import tr

if TYPE_CHECKING:
    from itdeclare.client import DeclarationDetail
    from itdeclare.storage.records import Draft, Person
    from itdeclare.storage.state import LocalState

#: What re-declaring does to the declaration replaced, by its status.
_CONSEQUENCE = {
    S.PENDING_REVIEW: "journey.redeclare.cancels",
    S.SUPPLEMENT_REQUESTED: "journey.redeclare.cancels",
    S.APPROVED: "journey.redeclare.revokes",
    S.EXPIRED: "journey.redeclare.replaces",
    S.REJECTED: "journey.redeclare.replaces",
}

#: Why an upload to the earlier version was refused that says nothing against the file: the
#: re-declaration takes it.
_REFUSED_BY_THE_DECLARATION = frozenset({"not_in_review", "too_many_attachments"})


def consequences(detail: DeclarationDetail) -> list[str]:
    """What the user is told before re-declaring, one paragraph each."""
    left_after = detail.redeclarations_left - 1
    return [
        tr(_CONSEQUENCE.get(detail.status, "journey.redeclare.replaces")),
        tr("journey.redeclare.queue"),
        tr(
            "journey.redeclare.left",
            left=left_after,
            total=MAX_REDECLARATIONS,
        )
        if left_after > 0
        else tr("journey.redeclare.last"),
    ]


class RedeclareModal(YesNoModal):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Re-declare", id="journey.redeclare.yes"),
        Binding("n,escape", "answer(False)", "Keep", id="journey.redeclare.no"),
    ]

    def __init__(self, detail: DeclarationDetail) -> None:
        super().__init__(id="redeclare")
        self.detail = detail

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog--box"):
            yield Static(tr("journey.redeclare.title"), classes="dialog--title")
            for paragraph in consequences(self.detail):
                yield Static(paragraph, classes="dialog--text", markup=False)
            with Horizontal(classes="dialog--buttons"):
                yield Button(tr("journey.redeclare.confirm"), id="yes", variant="warning")
                yield Button(tr("journey.redeclare.keep"), id="no")
        yield KeyFooter(compact=True)


def redeclaration_draft(state: LocalState, person: Person, detail: DeclarationDetail) -> Draft:
    """The draft that re-declares ``detail``: one begun before and not sent yet, else a new one
    filled with the declaration as it was typed (or as it was filed), to be attested again.
    Blocking (storage): call it from a thread."""
    from itdeclare.journey.documents import form_of
    from itdeclare.journey.people import active_draft
    from itdeclare.storage.records import Draft

    drafts = state.drafts.list()
    begun = active_draft(drafts, person.id)
    if begun is not None:
        if begun.replaces != detail.id:
            begun.replaces = detail.id
            begun.submission_key = begun.submission_started = None
            begun = state.drafts.save(begun)
        return begun
    typed = next((d for d in drafts if d.submitted_as == detail.id), None)
    if typed is not None:
        return state.drafts.save(
            Draft(
                person_id=person.id,
                declaration={**typed.declaration, "attested": False},
                step="identity",
                replaces=detail.id,
                # The files went to the earlier version; their copies kept here go again.
                reports=[
                    dataclasses.replace(report, uploaded_to=None, uploaded_as=None, refused=None)
                    for report in typed.reports
                    if report.refused is None or report.refused in _REFUSED_BY_THE_DECLARATION
                ],
                imported=list(typed.imported),
            )
        )
    form = form_of(detail.declaration) if detail.declaration is not None else {}
    return state.drafts.save(
        Draft(person_id=person.id, declaration=form, step="identity", replaces=detail.id)
    )
