"""One step of the wizard, built from its spec and the form: plain fields, or a list of items
(flights, tests, vaccinations, history) that can be added, removed and reordered."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Label, Static

from itdeclare.i18n import has_text
from itdeclare.journey.filer import offer_text
from itdeclare.journey.form import FieldSpec, Kind, ListSpec, Step, field_id, label_key
from itdeclare.journey.form_state import WizardState
from itdeclare.widgets.form.choices import (
    Options,
    country_options,
    enum_options,
    port_options,
    vaccine_options,
)
from itdeclare.widgets.form.field import AirportField, FormField
from itdeclare.wording import tr


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


#: The links of an item's header, and how far each moves the item (0: removes it).
_LINKS = {"up": -1, "down": 1, "remove": 0}


class ItemHeader(Static):
    """An item's number, with links (for the mouse) to move or remove it; the keyboard has
    ctrl+up, ctrl+down and ctrl+r."""

    DEFAULT_CSS = """
    ItemHeader { height: 1; padding: 0 1; }
    """

    def __init__(self, title: str, moves: dict[str, bool]) -> None:
        links = []
        for name, allowed in moves.items():
            text = tr(f"wizard.{name}")
            links.append(f"[@click=item('{name}')]{text}[/]" if allowed else f"[dim]{text}[/]")
        super().__init__(f"[b]{title}[/b]   " + "  ".join(links), classes="item--header")

    def action_item(self, name: str) -> None:
        editor = self.parent
        if isinstance(editor, ItemEditor):
            editor.post_message(ItemEditor.Action(editor.spec, editor.index, _LINKS[name]))


class ItemEditor(Vertical):
    """One item of a list step: its header, then its fields."""

    DEFAULT_CSS = """
    ItemEditor {
        height: auto;
        margin-bottom: 1;
        border-left: thick $primary-muted;
        &:focus-within { border-left: thick $primary; }
    }
    """

    @dataclass
    class Action(Message):
        """A request to move (``delta`` ±1) or remove (``delta`` 0) an item."""

        spec: ListSpec
        index: int
        delta: int

    def __init__(self, state: WizardState, spec: ListSpec, index: int, count: int) -> None:
        super().__init__(id=f"item-{spec.path}-{index}")
        self._state = state
        self.spec = spec
        self.index = index
        self._count = count

    def compose(self) -> ComposeResult:
        title = tr(f"wizard.item.{self.spec.path}", number=self.index + 1, count=self._count)
        moves = {
            "up": self.index > 0,
            "down": self.index < self._count - 1,
            "remove": self._count > self.spec.min_items,
        }
        yield ItemHeader(title, moves)
        for spec in self.spec.fields:
            loc = f"{self.spec.path}.{self.index}.{spec.path}"
            yield build_field(self._state, loc, spec)


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


#: The steps that show the dates plan: where the itinerary is typed and where the tests are.
PLANNED_STEPS = frozenset({"itinerary", "tests"})


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
        & > .step--plan { color: $text-accent; padding: 0 1 1 1; }
        & > .step--plan.-empty { display: none; }
    }
    """

    def __init__(self, state: WizardState, step: Step, *, filer_name: str | None = None) -> None:
        super().__init__(id=f"step-{step.id}", classes="step")
        self.state = state
        self.step = step
        self._filer_name = filer_name
        self._fields: list[FormField] | None = None

    def compose(self) -> ComposeResult:
        yield Static(tr(f"wizard.step.{self.step.id}.title"), classes="step--title")
        intro = self._intro()
        if intro:
            yield Static(intro, classes="step--intro", markup=False)
        if self.step.id in PLANNED_STEPS:
            plan = self.state.plan_text()
            classes = "step--plan" if plan else "step--plan -empty"
            yield Static(plan, id="plan", classes=classes, markup=False)
        if self.step.id == "contact" and self._filer_name is not None and self.state.filer_offer():
            yield FilerOffer(offer_text(self._filer_name))
        for spec in self.step.fields:
            yield build_field(self.state, spec.path, spec)
        items = self.step.items
        if items is not None:
            yield Label("", id=field_id(items.path), classes="list--error", markup=False)
            entries = self.state.items(items)
            for index in range(len(entries)):
                yield ItemEditor(self.state, items, index, len(entries))
            add = Button(
                tr(f"wizard.add.{items.path}"),
                id=f"add-{items.path}",
                classes="list--add",
                compact=True,
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
        """The step's fields, in order (kept until the step is rebuilt)."""
        if self._fields is None:
            self._fields = list(self.query(FormField))
        return self._fields

    async def recompose(self) -> None:
        self._fields = None
        await super().recompose()

    def field(self, loc: str) -> FormField | None:
        for field in self.fields():
            if field.loc == loc:
                return field
        return None

    def show_messages(self, messages: Iterable[tuple[str, str]]) -> None:
        """Put each message beside the field at its location; those without a field of the
        step go above the list."""
        unplaced = []
        for loc, message in messages:
            form_field = self.field(loc)
            if form_field is None:
                unplaced.append(message)
            else:
                form_field.show_problem(message)
        if unplaced:
            self.show_list_problem("\n".join(unplaced))

    def show_list_problem(self, message: str | None) -> None:
        if self.step.items is None:
            return
        label = self.query_one(f"#{field_id(self.step.items.path)}", Label)
        label.update(message or "")
        label.set_class(bool(message), "-invalid")

    def refresh_hints(self) -> None:
        for field in self.fields():
            field.set_hint(self.state.hint(field.loc, field.kind))
        self.refresh_plan()

    def refresh_plan(self) -> None:
        """Show the dates plan as soon as the itinerary is valid (itinerary and tests steps)."""
        if self.step.id not in PLANNED_STEPS:
            return
        plan = self.state.plan_text()
        shown = self.query_one("#plan", Static)
        shown.update(plan)
        shown.set_class(not plan, "-empty")
