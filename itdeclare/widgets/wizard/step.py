"""One step of the wizard, built from its spec and the form: plain fields, or a list of items
(flights, tests, vaccinations, history) that can be added, removed and reordered."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Label, Static

from itdeclare.i18n import has_text
from itdeclare.widgets.form.choices import (
    Options,
    country_options,
    enum_options,
    port_options,
    vaccine_options,
)
from itdeclare.widgets.form.field import AirportField, FormField
from itdeclare.widgets.text import tr
from itdeclare.widgets.wizard.form import FieldSpec, Kind, ListSpec, Step, field_id, label_key
from itdeclare.widgets.wizard.state import WizardState


def _options(spec: FieldSpec) -> Options | None:
    if spec.kind is Kind.CHOICE and spec.choices is not None:
        return enum_options(spec.choices)
    return {
        Kind.COUNTRY: country_options,
        Kind.PORT: port_options,
        Kind.VACCINE: vaccine_options,
    }.get(spec.kind, lambda: None)()


def build_field(state: WizardState, loc: str, spec: FieldSpec) -> FormField:
    label = tr(label_key(loc))
    if spec.kind is Kind.AIRPORT:
        return AirportField(loc, label, state.text(loc), check=state.check_for(loc))
    value = state.value(loc)
    return FormField(
        loc,
        spec.kind,
        label,
        value if isinstance(value, (str, bool)) else "",
        check=state.check_for(loc),
        required=spec.required,
        options=_options(spec),
    )


#: The buttons of an item, and how far each moves it (0: remove it).
_BUTTONS = {"up": -1, "down": 1, "remove": 0}


class ItemEditor(Vertical):
    """One item of a list step, with its number and buttons to move or remove it."""

    DEFAULT_CSS = """
    ItemEditor {
        height: auto;
        margin-bottom: 1;
        border-left: thick $primary-muted;
        &:focus-within { border-left: thick $primary; }
        & > .item--header { height: 1; padding: 0 1; }
        & .item--title { width: 1fr; text-style: bold; }
        & Button { min-width: 4; margin-left: 1; }
    }
    """

    @dataclass
    class Action(Message):
        """A mouse user's request to move (``delta`` ±1) or remove (``delta`` 0) an item."""

        spec: ListSpec
        index: int
        delta: int

    def __init__(self, state: WizardState, spec: ListSpec, index: int, count: int) -> None:
        super().__init__(id=f"item-{spec.path}-{index}")
        self._state = state
        self._spec = spec
        self.index = index
        self._count = count

    def compose(self) -> ComposeResult:
        with Horizontal(classes="item--header"):
            title = tr(f"wizard.item.{self._spec.path}", number=self.index + 1, count=self._count)
            yield Label(title, classes="item--title")
            for name, delta in _BUTTONS.items():
                button = Button(tr(f"wizard.{name}"), name=name, compact=True)
                button.can_focus = False  # keyboard users have ctrl+up/down and ctrl+r
                if delta:
                    button.disabled = not 0 <= self.index + delta < self._count
                else:
                    button.disabled = self._count <= self._spec.min_items
                yield button
        for spec in self._spec.fields:
            loc = f"{self._spec.path}.{self.index}.{spec.path}"
            yield build_field(self._state, loc, spec)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        delta = _BUTTONS.get(event.button.name or "", 0)
        self.post_message(self.Action(self._spec, self.index, delta))


class FilerOffer(Horizontal):
    """Offers the filer's own phone and residence for a declaration filed for someone else."""

    DEFAULT_CSS = """
    FilerOffer {
        height: auto;
        padding: 0 1;
        margin-bottom: 1;
        background: $primary-muted;
        & > Label { width: 1fr; }
    }
    """

    class Accepted(Message):
        """The user chose to copy the filer's values."""

    def __init__(self, text: str) -> None:
        super().__init__(id="filer-offer")
        self._text = text

    def compose(self) -> ComposeResult:
        yield Label(self._text, markup=False)
        yield Button(tr("wizard.filer.copy"), id="copy-filer", compact=True, variant="primary")

    @on(Button.Pressed, "#copy-filer")
    def _accept(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(self.Accepted())


class StepView(VerticalScroll):
    """The fields of one step, or its list of items with a button to add one."""

    DEFAULT_CSS = """
    StepView {
        height: 1fr;
        & > .step--title { text-style: bold; padding: 0 1; }
        & > .step--intro { color: $text-muted; padding: 0 1 1 1; }
        & > .list--error { display: none; color: $text-error; padding: 0 1; }
        & > .list--error.-invalid { display: block; }
        & > .list--add { margin: 0 1 1 1; }
    }
    """

    def __init__(self, state: WizardState, step: Step, *, filer_name: str | None = None) -> None:
        super().__init__(id=f"step-{step.id}", classes="step")
        self.state = state
        self.step = step
        self._filer_name = filer_name

    def compose(self) -> ComposeResult:
        yield Static(tr(f"wizard.step.{self.step.id}.title"), classes="step--title")
        intro = self._intro()
        if intro:
            yield Static(intro, classes="step--intro", markup=False)
        if self.step.id == "contact" and self._filer_name and self.state.filer_offer():
            yield FilerOffer(tr("wizard.filer.offer", name=self._filer_name))
        for spec in self.step.fields:
            yield build_field(self.state, spec.path, spec)
        items = self.step.items
        if items is not None:
            yield Label("", id=field_id(items.path), classes="list--error", markup=False)
            entries = self.state.items(items)
            for index in range(len(entries)):
                yield ItemEditor(self.state, items, index, len(entries))
            add = Button(
                tr(f"wizard.add.{items.path}"), id=f"add-{items.path}", classes="list--add"
            )
            add.disabled = len(entries) >= items.max_items
            yield add

    def _intro(self) -> str:
        if self.step.id == "tests":
            return self.state.rule_description()
        key = f"wizard.step.{self.step.id}.intro"
        return tr(key) if has_text(key) else ""

    # --- what the wizard asks of a step ---

    def fields(self) -> list[FormField]:
        return list(self.query(FormField))

    def field(self, loc: str) -> FormField | None:
        for field in self.query(FormField):
            if field.loc == loc:
                return field
        return None

    def show_list_problem(self, message: str | None) -> None:
        if self.step.items is None:
            return
        label = self.query_one(f"#{field_id(self.step.items.path)}", Label)
        label.update(message or "")
        label.set_class(bool(message), "-invalid")

    def refresh_hints(self) -> None:
        for field in self.fields():
            field.set_hint(self.state.hint(field.loc, field.kind))
