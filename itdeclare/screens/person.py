"""Add or edit a person this user files for: relationship and names, checked as typed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from itdeclare.journey.field_check import Check, field_check
from itdeclare.journey.form import Kind
from itdeclare.journey.people import display_name
from itdeclare.models import Relationship, validators
from itdeclare.screens.base import TravellerModal
from itdeclare.widgets.bindings import recompose_keeping_focus
from itdeclare.widgets.footer import KeyFooter
from itdeclare.widgets.form.choices import enum_options
from itdeclare.widgets.form.field import FormField
from itdeclare.wording import tr

#: The fields of the dialog: location in the §4.5 subject (or "relationship"), kind, required.
_FIELDS = (
    ("relationship", Kind.CHOICE, True),
    ("subject.family_name", Kind.TEXT, True),
    ("subject.given_name", Kind.TEXT, True),
    ("subject.chinese_name", Kind.TEXT, False),
)
_RULES = {
    "subject.family_name": validators.latin_name,
    "subject.given_name": validators.latin_name,
    "subject.chinese_name": validators.chinese_name,
}


@dataclass(frozen=True)
class PersonInput:
    """What the dialog returns: the relationship and the subject's names, normalised."""

    relationship: Relationship
    subject: dict[str, Any] = field(default_factory=dict)


class PersonModal(TravellerModal[PersonInput | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="person.save"),
        Binding("escape", "cancel", "Cancel", id="person.cancel"),
    ]

    def __init__(
        self,
        relationship: Relationship | None = None,
        subject: Mapping[str, Any] | None = None,
        *,
        self_taken: bool = False,
    ) -> None:
        """``self_taken``: another person is already the user, so "self" is refused."""
        super().__init__(classes="dialog")
        self._editing = relationship is not None
        self._self_taken = self_taken
        subject = subject or {}
        self.values: dict[str, str] = {
            "relationship": relationship.value if relationship else "",
            **{
                loc: str(subject.get(loc.removeprefix("subject.")) or "")
                for loc, _, _ in _FIELDS[1:]
            },
        }

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog--box"):
            yield Static(self._title(), classes="dialog--title", markup=False)
            for loc, kind, required in _FIELDS:
                yield FormField(
                    loc,
                    kind,
                    tr(f"app.person.{loc}" if loc == "relationship" else f"wizard.field.{loc}"),
                    self.values[loc],
                    check=self._check(loc),
                    required=required,
                    options=enum_options(Relationship) if kind is Kind.CHOICE else None,
                )
            with Horizontal(classes="dialog--buttons"):
                yield Button(tr("app.person.save"), id="save", variant="primary")
                yield Button(tr("app.person.cancel"), id="cancel")
        yield KeyFooter(compact=True)

    def _title(self) -> str:
        if not self._editing:
            return tr("app.person.title_add")
        names = {loc.removeprefix("subject."): value for loc, value in self.values.items()}
        return tr("app.person.title_edit", name=display_name(names))

    def on_mount(self) -> None:
        self.query(FormField).first().control.focus()

    def _check(self, loc: str) -> Check:
        if loc == "relationship":
            return self._check_relationship
        return field_check(_RULES[loc], loc)

    def _check_relationship(self, value: str) -> str | None:
        if value == Relationship.SELF and self._self_taken:
            return tr("app.person.self_exists")
        return None

    @on(FormField.Edited)
    def _edited(self, event: FormField.Edited) -> None:
        self.values[event.loc] = str(event.value)

    def _problems(self) -> dict[str, str]:
        found = {}
        for loc, _, required in _FIELDS:
            value = self.values[loc]
            if not value.strip():
                if required:
                    found[loc] = tr("errors.missing")
                continue
            message = self._check(loc)(value)
            if message:
                found[loc] = message
        return found

    def action_save(self) -> None:
        problems = self._problems()
        fields = list(self.query(FormField))
        for form_field in fields:
            form_field.show_problem(problems.get(form_field.loc))
        if problems:
            first = next(f for f in fields if f.loc in problems)
            first.control.focus()
            self.notify(tr("app.person.fix"), severity="warning")
            return
        subject = {
            loc.removeprefix("subject."): _RULES[loc](value)
            for loc, value in self.values.items()
            if loc in _RULES and value.strip()
        }
        self.dismiss(PersonInput(Relationship(self.values["relationship"]), subject))

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    async def show_again(self) -> None:
        await recompose_keeping_focus(self)
