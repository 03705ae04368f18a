"""One field of a form: its label, its control, and a note line (the problem, else a hint).

The control's id is derived from the field's location in the document, so a problem found
anywhere (the summary, the backend) can focus it. The field tells its form what happened with
messages; it holds no domain state of its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message
from textual.validation import ValidationResult
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Label, OptionList, Select
from textual.widgets.option_list import Option

from itdeclare.journey.airports import search_airports
from itdeclare.journey.field_check import Check
from itdeclare.journey.form import Kind, field_id
from itdeclare.models.shape import limit_at
from itdeclare.widgets.bindings import translate_bindings
from itdeclare.widgets.form.choices import ChoiceSelect, Options, with_value
from itdeclare.widgets.form.validators import DomainValidator
from itdeclare.wording import language, tr

if TYPE_CHECKING:
    from textual.widgets._input import InputValidationOn

#: When each kind of text field is checked: codes as they are typed, the rest on leaving.
_VALIDATE_ON: dict[Kind, tuple[InputValidationOn, ...]] = {
    Kind.CODE: ("changed", "blur", "submitted"),
    Kind.AIRPORT: ("blur", "submitted"),
}
_PLACEHOLDERS = {
    Kind.DATE: "input.placeholder.date",
    Kind.DATETIME: "input.placeholder.datetime",
    Kind.AIRPORT: "input.placeholder.airport",
}


class FormField(Widget):
    """Label and control side by side; under the control one note line: the problem if there
    is one, else the hint (how a date was read, an airport's name and time zone)."""

    DEFAULT_CSS = """
    FormField {
        layout: grid;
        grid-size: 2;
        grid-columns: 20 1fr;
        grid-rows: auto;
        height: auto;
        padding: 0 1;
        & > .field--label { color: $text-muted; }
        & > .field--note {
            display: none; column-span: 2; width: 1fr; padding-left: 20; color: $text-muted;
        }
        &.-noted > .field--note { display: block; }
        &.-invalid > .field--note { color: $text-error; }
        &.-code > .field--note { min-height: 1; }
        &.-check > Checkbox { column-span: 2; }
        &:focus-within { background: $boost; }
        &:focus-within > .field--label { color: $text; text-style: bold; }
    }
    """

    @dataclass
    class Edited(Message):
        """The user changed the value (``value`` is the text or code, or a bool)."""

        field: FormField
        loc: str
        value: str | bool

    @dataclass
    class Left(Message):
        """The user left a text field whose value reads well (a chance to tidy it)."""

        field: FormField
        loc: str
        value: str

    def __init__(
        self,
        loc: str,
        kind: Kind,
        label: str,
        value: str | bool,
        *,
        check: Check,
        required: bool = True,
        options: Options | None = None,
        enter_moves_on: bool = True,
    ) -> None:
        """``enter_moves_on``: Enter in a text goes to the next field; else the screen hears
        the text's ``Input.Submitted`` (a dialog whose field's Enter does its work)."""
        noted = " -noted" if kind is Kind.CODE else ""  # see _show_note
        super().__init__(classes=f"-{kind.value}{noted}")
        self.loc = loc
        self.kind = kind
        self._label = label + (" *" if required and kind is not Kind.CHECK else "")
        self._value = value
        self._options = options or []
        self._validator = DomainValidator(check)
        self._problem = ""
        self._hint = ""
        self._note = ""
        self._reserved = kind is Kind.CODE
        self._enter_moves_on = enter_moves_on
        # A text checked on leaving still says at once when it has grown past its limit.
        self._limit = limit_at(loc) if kind is Kind.TEXT else None

    def compose(self) -> ComposeResult:
        if self.kind is not Kind.CHECK:
            yield Label(self._label, classes="field--label")
        yield self._control()
        yield Label("", classes="field--note", markup=False)

    def _control(self) -> Widget:
        name, ident = self.loc, field_id(self.loc)
        if self.kind is Kind.CHECK:
            return Checkbox(self._label, bool(self._value), name=name, id=ident, compact=True)
        text = self._value if isinstance(self._value, str) else ""
        if self.kind in (Kind.CHOICE, Kind.COUNTRY, Kind.PORT, Kind.VACCINE):
            return ChoiceSelect(
                with_value(self._options, text),
                prompt=tr("wizard.choose"),
                value=text or Select.NULL,
                name=name,
                id=ident,
            )
        placeholder = _PLACEHOLDERS.get(self.kind)
        return Input(
            text,
            placeholder=tr(placeholder) if placeholder else "",
            validators=[self._validator],
            validate_on=_VALIDATE_ON.get(self.kind, ("blur", "submitted")),
            valid_empty=True,
            name=name,
            id=ident,
            compact=True,
            max_length=200,
        )

    @property
    def control(self) -> Widget:
        return self.query_one(f"#{field_id(self.loc)}")

    # --- what the form asks of a field ---

    def show_problem(self, message: str | None) -> None:
        if (message or "") == self._problem:
            return
        self._problem = message or ""
        self.set_class(bool(message), "-invalid")
        self.control.set_class(bool(message), "-invalid")
        self._show_note()

    @property
    def has_problem(self) -> bool:
        return bool(self._problem)

    def set_hint(self, text: str) -> None:
        if text == self._hint:
            return
        self._hint = text
        if not self._problem:
            self._show_note()

    def _show_note(self) -> None:
        """Show the problem, else the hint. The screen is laid out again only when the note
        changes height: a field checked as it is typed keeps its note line even when empty,
        so its message comes and goes without moving the fields below."""
        note = self.query_one(".field--note", Label)
        text = self._problem or self._hint
        rules = note.styles  # what Textual itself measures a label's height with
        width = note.content_size.width

        def height(content: str) -> int:
            return Content(content).get_height(rules, width) if content else 1  # type: ignore[arg-type]

        shown_before, shown_after = self.has_class("-noted"), bool(text) or self._reserved
        same_height = (
            shown_before and shown_after and width > 0 and height(text) == height(self._note)
        )
        self._note = text
        self.set_class(shown_after, "-noted")
        note.update(text, layout=not same_height)

    def set_text(self, text: str) -> None:
        """Replace the value as if typed (used to tidy a value or to copy one in)."""
        control = self.control
        if isinstance(control, Input):
            control.value = text
        elif isinstance(control, ChoiceSelect):
            control.set_choices(with_value(self._options, text))
            control.value = text or Select.NULL

    def revalidate(self) -> None:
        """Check the current value again (another field it depends on has changed)."""
        value = self.current_value
        if isinstance(value, str):
            self._show(self._validator.validate(value) if value.strip() else None)

    @property
    def current_value(self) -> str | bool:
        control = self.control
        if isinstance(control, Input):
            return control.value
        if isinstance(control, ChoiceSelect):
            return control.text_value
        if isinstance(control, Checkbox):
            return control.value
        return ""

    # --- events of the control ---

    def _show(self, result: ValidationResult | None) -> None:
        if result is None or result.is_valid:
            self.show_problem(None)
        else:
            self.show_problem(result.failure_descriptions[0])

    def _changed(self, value: str | bool) -> bool:
        """Whether ``value`` differs from the last one reported (controls also report the value
        they start with)."""
        if value == self._value:
            return False
        self._value = value
        self.post_message(self.Edited(self, self.loc, value))
        return True

    @on(Input.Changed)
    def _input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if not self._changed(event.value):
            return
        if event.validation_result is not None:
            self._show(event.validation_result)
        elif self.has_problem or (self._limit and not self._limit.fits(event.value.strip())):
            # say as soon as it is fixed, or as soon as it is too long
            self._show(event.input.validate(event.value))

    @on(Input.Blurred)
    def _input_blurred(self, event: Input.Blurred) -> None:
        event.stop()
        self._show(event.validation_result)
        result = event.validation_result
        if event.value.strip() and (result is None or result.is_valid):
            self.post_message(self.Left(self, self.loc, event.value))

    @on(Input.Submitted)
    def _input_submitted(self, event: Input.Submitted) -> None:
        self._show(event.validation_result)
        if self._enter_moves_on:
            event.stop()
            self.screen.focus_next()

    @on(Select.Changed)
    def _select_changed(self, event: Select.Changed) -> None:
        event.stop()
        value = event.value if isinstance(event.value, str) else ""
        if self._changed(value):
            self._show(self._validator.validate(value) if value else None)

    @on(Checkbox.Changed)
    def _checkbox_changed(self, event: Checkbox.Changed) -> None:
        event.stop()
        if self._changed(event.value):
            self.show_problem(None)


class AirportField(FormField):
    """An airport's IATA code, with matches for what is typed listed under it."""

    # The matches sit in the control's column, after an empty cell in the label's: spanning
    # both columns with a left margin, the list was given the height its options take at the
    # full width, so a match that wraps at the narrower width pushed the next one out of
    # sight (SHA under PVG for "shanghai").
    DEFAULT_CSS = """
    AirportField > .field--matches-gap { display: none; }
    AirportField > OptionList {
        display: none;
        height: auto;
        max-height: 8;
        border: none;
        background: $surface;
    }
    AirportField.-searching > OptionList, AirportField.-searching > .field--matches-gap {
        display: block;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "move(1)", "Next match", show=False, id="field.next_match"),
        Binding("up", "move(-1)", "Previous match", show=False, id="field.previous_match"),
        Binding("escape", "close", "Close the list", show=False, id="field.close_matches"),
    ]

    def __init__(self, loc: str, label: str, value: str, *, check: Check) -> None:
        super().__init__(loc, Kind.AIRPORT, label, value, check=check)
        translate_bindings(self)

    def compose(self) -> ComposeResult:
        yield from super().compose()
        yield Label("", classes="field--matches-gap")
        yield OptionList(classes="field--matches")

    @property
    def _matches(self) -> OptionList:
        return self.query_one(OptionList)

    def _search(self, text: str) -> None:
        found = search_airports(text)
        exact = bool(found) and found[0].code == text.strip().upper()
        matches = self._matches
        matches.clear_options()
        if found and not exact:
            lang = language()
            matches.add_options(Option(choice.label(lang), id=choice.code) for choice in found)
            matches.highlighted = 0
        self.set_class(bool(found) and not exact, "-searching")

    @on(Input.Changed)
    def _search_on_change(self, event: Input.Changed) -> None:
        if event.input.has_focus:
            self._search(event.value)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("move", "close"):
            return self.has_class("-searching")
        return True

    def action_move(self, delta: int) -> None:
        matches = self._matches
        if matches.option_count:
            current = matches.highlighted or 0
            matches.highlighted = (current + delta) % matches.option_count

    def action_close(self) -> None:
        self.set_class(False, "-searching")

    def _pick(self, code: str) -> None:
        """Take the chosen airport and move on, as Enter after a typed code does (staying
        would add the next airport's letters to this one: ``BERFRA``)."""
        self.set_class(False, "-searching")
        self.set_text(code)
        control = self.control
        if isinstance(control, Input):
            self._show(control.validate(code))
        self.screen.focus_next()

    @on(Input.Submitted)
    def _submit_match(self, event: Input.Submitted) -> None:
        matches = self._matches
        if self.has_class("-searching") and matches.highlighted is not None:
            event.stop()
            event.prevent_default()
            option = matches.get_option_at_index(matches.highlighted)
            if option.id:
                self._pick(option.id)

    @on(OptionList.OptionSelected)
    def _click_match(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self._pick(event.option.id)

    @on(Input.Blurred)
    def _close_on_leave(self) -> None:
        if not self._matches.has_focus:
            self.set_class(False, "-searching")
