"""The declaration wizard: one screen that owns the draft, its steps in a ContentSwitcher.

Steps are built when first shown and kept, so what was typed survives moving between them.
Every edit goes into the draft's form and to the debounced saver; the step and the focused
field are saved too, so a draft resumes exactly where it was left. This class lays the steps
out, moves between them and takes the edits; the list steps and the filer's details are
``screens/wizard_lists.py``'s, saving and filing with the backend ``screens/wizard_filing.py``'s.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.css.query import NoMatches
from textual.events import DescendantFocus
from textual.widget import Widget
from textual.widgets import ContentSwitcher, Input, Label, OptionList
from textual.widgets.option_list import Option

from itdeclare.journey.context import TravellerContext
from itdeclare.journey.form import (
    REVIEW,
    STEPS,
    Kind,
    Step,
    field_id,
    step_by_id,
    step_of,
)
from itdeclare.journey.form_state import WizardState
from itdeclare.journey.text import filing_title, progress_text
from itdeclare.models import Problem
from itdeclare.screens.wizard_filing import WizardFiling
from itdeclare.screens.wizard_lists import StepWidget
from itdeclare.widgets.footer import KeyFooter
from itdeclare.widgets.form.field import FormField
from itdeclare.widgets.wizard.review import ReviewView
from itdeclare.widgets.wizard.step import StepView
from itdeclare.wording import problem_text, tr

if TYPE_CHECKING:
    from itdeclare.storage.records import Draft, Person

#: From this width the footer has room for the command palette's key too.
WIDE = 100
#: Changing one of these can change what the other fields of the step accept.
_SELECTS = (Kind.CHOICE, Kind.COUNTRY, Kind.PORT, Kind.VACCINE)


def _filled(form_field: FormField) -> bool:
    return form_field.current_value not in ("", False)


class WizardScreen(WizardFiling):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+n", "next", "Next", id="wizard.next"),
        Binding("ctrl+b", "back", "Back", id="wizard.back"),
        Binding("escape", "close", "Save & close", id="wizard.close"),
        Binding("ctrl+s", "save", "Save", id="wizard.save", show=False),
        Binding("ctrl+o", "add_item", "Add", id="wizard.add_item"),
        Binding("ctrl+r", "remove_item", "Remove", id="wizard.remove_item"),
        # Shown as one group; "↑" and "↓" are ambiguous-width characters in CJK terminals.
        Binding(
            "ctrl+up",
            "move_item(-1)",
            "Up",
            id="wizard.move_up",
            key_display="^up",
            group=Binding.Group("move", compact=True),
        ),
        Binding(
            "ctrl+down",
            "move_item(1)",
            "Down",
            id="wizard.move_down",
            key_display="^down",
            group=Binding.Group("move", compact=True),
        ),
        Binding("ctrl+f", "copy_filer", "Copy", id="wizard.copy_filer"),
    ]

    def __init__(
        self,
        context: TravellerContext,
        draft: Draft,
        person: Person,
        *,
        filer_name: str | None = None,
        filer_values: Mapping[str, str] | None = None,
        after_submit: Callable[[], object] | None = None,
    ) -> None:
        """``after_submit``: what the opener shows once the declaration is filed and the
        wizard closed (the home screen opens the person's status; the status screen, already
        beneath, has nothing to add)."""
        super().__init__(id="wizard")
        self.context = context
        self._after_submit = after_submit
        self.draft = draft
        self.person = person
        self.filer_name = filer_name
        self.state = WizardState(draft.declaration, clock=context.clock, filer_values=filer_values)
        self.step = step_by_id(draft.step)
        #: The focused field and its caret across a language switch (see ``_restore_caret``).
        self._caret_to_restore: tuple[str, int] | None = None

    # --- layout ---

    def compose(self) -> ComposeResult:
        with Horizontal(classes="title-bar"):
            yield Label(self._title(), id="wizard-title", markup=False)
            yield Label(progress_text(self.step), id="wizard-progress", markup=False)
        with Horizontal(id="wizard-body"):
            steps = OptionList(*self._step_options(), id="step-list")
            steps.can_focus = False
            yield steps
            with ContentSwitcher(initial=f"step-{self.step.id}", id="steps"):
                yield self._build(self.step)
        yield KeyFooter(compact=True, spare=["quit"])

    def _build(self, step: Step) -> StepWidget:
        if step is REVIEW:
            submits = self.context.connection is not None
            return ReviewView(self.state, submits=submits, replaces=self.draft.replaces)
        return self.step_view(step) or StepView(self.state, step, filer_name=self.filer_name)

    def _title(self) -> str:
        relationship = self.state.text("relationship") or self.person.relationship.value
        return filing_title(self.state.value("subject"), relationship)

    def _step_options(self) -> list[Option]:
        return [
            Option(f"{i}. {tr(f'wizard.step.{step.id}.title')}", id=step.id)
            for i, step in enumerate(STEPS, start=1)
        ]

    def on_mount(self) -> None:
        self._after_show(self.draft.focus)

    def on_resize(self) -> None:
        # On a narrow terminal the wizard's own keys fill the footer; ctrl+p still opens the
        # palette, and the home screen's footer shows it.
        self.query_one(KeyFooter).show_command_palette = self.size.width >= WIDE

    # --- moving between steps ---

    async def show_step(self, step: Step, focus: str | None = None) -> None:
        if step.id == "port" and self.state.suggest_port():
            await self._forget(step)
        switcher = self.query_one(ContentSwitcher)
        if not switcher.query(f"#step-{step.id}"):
            await switcher.mount(self._build(step))
        switcher.current = f"step-{step.id}"
        self.step = step
        self.draft.step = step.id
        self._after_show(focus)
        self._save_soon()

    async def _forget(self, step: Step) -> None:
        """Drop a step's widgets (built from older values): it is rebuilt when shown."""
        for view in self.query(f"#step-{step.id}"):
            await view.remove()

    def _after_show(self, focus: str | None) -> None:
        view = self.view
        if isinstance(view, StepView):
            view.refresh_hints()
            self._show_known_problems(view)
        else:
            view.refresh_problems()
        self.query_one("#wizard-progress", Label).update(progress_text(self.step))
        self._update_title()
        self.query_one("#step-list", OptionList).highlighted = STEPS.index(self.step)
        self._focus(focus)
        self.refresh_bindings()

    def _show_known_problems(self, view: StepView) -> None:
        """On showing a step (a resumed draft, a step come back to), what is wrong with the
        values already there; an empty field says nothing until the user moves on."""
        for form_field in view.fields():
            if not _filled(form_field):
                form_field.show_problem(None)
        self._show_settled_problems(view)

    def _show_settled_problems(self, view: StepView) -> None:
        """What the step's check (Next's) finds at each filled field, beside it, in Next's
        words: a field's own check knows only its own value, so what is wrong between two
        fields (an arrival before the departure, dose 3 of 2, a test sampled after the
        flight left) would wait for Next. Run when a field is left or a choice made, never as
        a field is typed; an empty field keeps what it shows, and a check whose other field
        is empty does not run (``models.consistency``)."""
        problems = {p.loc: p for p in reversed(self.state.problems(self.step))}
        for form_field in view.fields():
            if _filled(form_field):
                problem = problems.get(form_field.loc)
                form_field.show_problem(problem_text(problem) if problem else None)

    def _focus(self, widget_id: str | None) -> None:
        view = self.view
        if widget_id:
            try:
                view.query_one(f"#{widget_id}").focus()
                return
            except NoMatches:
                pass
        if isinstance(view, ReviewView):
            view.focus_first()
            return
        fields = view.fields()
        if fields:
            fields[0].control.focus()

    async def action_next(self) -> None:
        if self.step is REVIEW:
            await self._finish()
            return
        if self.show_problems():
            self.notify(tr("wizard.fix_first"), severity="warning")
            return
        await self.show_step(STEPS[STEPS.index(self.step) + 1])

    async def action_back(self) -> None:
        index = STEPS.index(self.step)
        if index > 0:
            await self.show_step(STEPS[index - 1])

    async def go_to(self, step_id: str) -> None:
        """Show another step: going forward passes the same check as Next."""
        step = step_by_id(step_id)
        if STEPS.index(step) > STEPS.index(self.step) and self.show_problems():
            self.notify(tr("wizard.fix_first"), severity="warning")
            return
        await self.show_step(step)

    @on(OptionList.OptionSelected, "#step-list")
    async def _step_clicked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            await self.go_to(event.option.id)

    def show_problems(self) -> list[Problem]:
        """Check the current step, put each problem beside its field, focus the first."""
        view = self.view
        if isinstance(view, ReviewView):
            return view.refresh_problems()
        problems = self.state.problems(self.step)
        by_loc: dict[str, Problem | None] = {}
        for found in problems:
            by_loc.setdefault(found.loc, found)
        first: Widget | None = None
        for form_field in view.fields():
            problem = by_loc.pop(form_field.loc, None)
            form_field.show_problem(problem_text(problem) if problem else None)
            if problem is not None and first is None:
                first = form_field.control
        # What has no field of its own (a missing test, an empty itinerary) goes above the list.
        rest = [problem_text(p) for p in by_loc.values() if p is not None]
        view.show_list_problem("\n".join(rest) or None)
        if first is not None:
            first.focus()
        elif by_loc:
            view.scroll_home()
        return problems

    # --- edits ---

    @on(FormField.Edited)
    def _edited(self, event: FormField.Edited) -> None:
        self.state.set(event.loc, event.value)
        self._save_soon()
        view = self.view
        edited = event.field
        if isinstance(view, StepView):
            # A choice, or a whole airport code, can change what the other fields mean: a
            # number that does not fit the new document type, the zone of a time.
            decisive = edited.kind in _SELECTS or (
                edited.kind is Kind.AIRPORT and len(str(event.value).strip()) in (0, 3)
            )
            if decisive and edited.kind is Kind.AIRPORT:
                view.refresh_hints()
            else:
                edited.set_hint(self.state.hint(event.loc, edited.kind))
                view.refresh_plan()
            self._recheck_others(view, edited, decisive=decisive)
            if edited.kind in _SELECTS:  # a choice is made whole, as a text field is left
                self._show_settled_problems(view)

    def _recheck_others(self, view: StepView, edited: FormField, *, decisive: bool) -> None:
        """After an edit: a decisive one may make other fields wrong, and problems shown
        elsewhere may now be fixed."""
        others = [field for field in view.fields() if field is not edited]
        if decisive:
            for other in others:
                if not other.has_problem:
                    other.revalidate()
        shown = [other for other in others if other.has_problem]
        if shown:
            problems = {p.loc: p for p in reversed(self.state.problems(self.step))}
            for other in shown:
                problem = problems.get(other.loc)
                other.show_problem(problem_text(problem) if problem else None)

    @on(FormField.Left)
    def _left(self, event: FormField.Left) -> None:
        tidy = self.state.tidy(event.loc, event.field.kind, event.value)
        if tidy is not None:
            event.field.set_text(tidy)
        if event.loc.startswith("subject."):
            self._update_title()
        view = self.view
        if isinstance(view, StepView):
            self._show_settled_problems(view)

    def _update_title(self) -> None:
        title = self._title()
        label = self.query_one("#wizard-title", Label)
        if str(label.content) != title:
            label.update(title)

    def on_descendant_focus(self, event: DescendantFocus) -> None:
        widget_id = event.widget.id
        self._restore_caret(event.widget)
        if widget_id and widget_id.startswith("f-") and widget_id != self.draft.focus:
            self.draft.focus = widget_id
            self._save_soon()
        self.refresh_bindings()

    def _restore_caret(self, widget: Widget) -> None:
        """A field gaining focus selects its text, so after a language switch the next key
        would replace it: put the caret back where it was, with nothing selected. (This runs
        after the field's own focus handler, which made the selection.)"""
        restore, self._caret_to_restore = self._caret_to_restore, None
        if restore is not None and isinstance(widget, Input) and widget.id == restore[0]:
            widget.cursor_position = min(restore[1], len(widget.value))

    # --- which keys apply ---

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("add_item", "remove_item", "move_item"):
            return self.step.items is not None
        if action == "copy_filer":
            return self.step.id == "contact" and bool(self.state.filer_offer())
        if action == "back":
            return self.step is not STEPS[0] or None
        return True

    # --- review ---

    @on(ReviewView.Jump)
    async def _jump(self, event: ReviewView.Jump) -> None:
        step = step_of(event.loc)
        await self.show_step(step, field_id(event.loc))
        if step is not REVIEW:
            self.show_problems()
            self._focus(field_id(event.loc))

    async def show_again(self) -> None:
        focused = self.focused
        focus = focused.id if focused else None
        if isinstance(focused, Input) and focus:
            self._caret_to_restore = (focus, focused.cursor_position)
        await self.recompose()
        self._after_show(focus)
