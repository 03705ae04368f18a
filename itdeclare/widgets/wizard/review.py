"""The last step: a short summary, every problem with a way to its field, and the attestation."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Button, Label, OptionList, ProgressBar, Static
from textual.widgets.option_list import Option

from itdeclare.i18n import has_text
from itdeclare.journey.form import REVIEW, field_id, label_key, step_of
from itdeclare.journey.form_state import WizardState
from itdeclare.journey.people import display_name
from itdeclare.models import DocumentType, Problem
from itdeclare.widgets.wizard.step import build_field
from itdeclare.wording import enum_text, problem_text, tr, warning_text


def where(loc: str) -> str:
    """Where a problem is, in words: 'Tests › Test 1 › Sampled at'."""
    step_title = tr(f"wizard.step.{step_of(loc).id}.title")
    parts = loc.split(".")
    field = tr(label_key(loc)) if has_text(label_key(loc)) else ""
    if not field:
        return step_title
    if len(parts) > 2 and parts[1].isdigit():
        item = tr(f"wizard.item_short.{parts[0]}", number=int(parts[1]) + 1)
        return tr("wizard.review.where_item", step=step_title, item=item, field=field)
    return tr("wizard.review.where", step=step_title, field=field)


class ReviewView(VerticalScroll):
    DEFAULT_CSS = """
    ReviewView {
        height: 1fr;
        & > .step--title { text-style: bold; padding: 0 1; }
        & > .review--summary { padding: 0 1 1 1; color: $text-muted; }
        & > .review--status { padding: 0 1; }
        & > .review--status.-ok { color: $text-success; }
        & > .review--status.-problems { color: $text-warning; }
        & > OptionList { height: auto; max-height: 12; margin: 0 1 1 1; }
        & > OptionList.-empty { display: none; }
        & > .review--warnings { padding: 0 1; color: $text-warning; }
        & > .review--warnings.-empty { display: none; }
        & > #finish { margin: 1 1; }
        & > .review--redeclares { padding: 0 1 1 1; color: $text-warning; }
        & > #submit-progress { display: none; margin: 0 1; }
        & > #submit-status { display: none; padding: 0 1; }
        & > #submit-status.-shown { display: block; }
        & > #submit-status.-error { color: $text-error; }
        &.-busy > #submit-progress { display: block; }
        &.-busy > #finish { display: none; }
    }
    """

    @dataclass
    class Jump(Message):
        """The user picked a problem: go to the field at ``loc``."""

        loc: str

    class Finish(Message):
        """The user asked to finish the declaration."""

    def __init__(
        self, state: WizardState, *, submits: bool = False, replaces: str | None = None
    ) -> None:
        """``submits``: finishing sends the declaration to the backend (the app has one);
        ``replaces``: the backend's declaration this one re-declares."""
        super().__init__(id=f"step-{REVIEW.id}", classes="step")
        self.state = state
        self.step = REVIEW
        self.submits = submits
        self.replaces = replaces
        self._submit_status = ("", False)

    def compose(self) -> ComposeResult:
        yield Static(tr("wizard.step.review.title"), classes="step--title")
        yield Static(self._summary(), classes="review--summary", markup=False)
        if self.replaces is not None:
            yield Static(
                tr("journey.submit.redeclares", id=self.replaces[-8:]),
                classes="review--redeclares",
                markup=False,
            )
        yield Label("", classes="review--status", markup=False)
        yield OptionList(id="problems")
        yield Label("", classes="review--warnings -empty", markup=False)
        yield OptionList(id="warnings", classes="-empty")
        for spec in REVIEW.fields:
            yield build_field(self.state, spec.path, spec)
        label = "journey.submit.button" if self.submits else "wizard.review.finish"
        yield Button(tr(label), id="finish", variant="primary")
        yield ProgressBar(total=None, show_eta=False, show_percentage=False, id="submit-progress")
        text, error = self._submit_status
        classes = ("-shown " if text else "") + ("-error" if error else "")
        yield Static(text, id="submit-status", classes=classes.strip(), markup=False)

    def on_mount(self) -> None:
        self.refresh_problems()

    def _summary(self) -> str:
        state = self.state
        subject = state.value("subject") or {}
        document = state.text("subject.document.type")
        known = document in {member.value for member in DocumentType}
        document_name = enum_text(DocumentType(document)) if known else ""
        lines = [
            tr(
                "wizard.review.summary.person",
                name=display_name(subject) or tr("wizard.unnamed"),
                document=document_name,
                number=state.text("subject.document.number"),
            )
        ]
        legs = state.value("itinerary") or []
        flights = ", ".join(
            f"{leg.get('flight', '')} {leg.get('from', '')}-{leg.get('to', '')}".strip()
            for leg in legs
            if any(leg.get(key) for key in ("flight", "from", "to"))
        )
        if flights:
            lines.append(tr("wizard.review.summary.flights", flights=flights))
        if state.text("port_of_entry"):
            lines.append(tr("wizard.review.summary.port", port=state.text("port_of_entry")))
        return "\n".join(lines)

    def refresh_problems(self) -> list[Problem]:
        """Check the whole form (rules included) and list what is wrong."""
        problems = self.state.problems()
        listed = [p for p in problems if p.loc != "attested"]
        options = self.query_one("#problems", OptionList)
        options.clear_options()
        options.add_options(
            Option(
                tr("wizard.review.problem", where=where(p.loc), message=problem_text(p)),
                id=f"{i}:{p.loc}",
            )
            for i, p in enumerate(listed)
        )
        options.set_class(not listed, "-empty")
        status = self.query_one(".review--status", Label)
        if listed:
            status.update(tr("wizard.review.problems", count=len(listed)))
        else:
            status.update(tr("wizard.review.ready"))
        status.set_class(not listed, "-ok")
        status.set_class(bool(listed), "-problems")
        self.query_one(".review--summary", Static).update(self._summary())
        self._refresh_warnings()
        return problems

    def _refresh_warnings(self) -> None:
        """List what the consulate will look for, each with a way to its field."""
        warnings = self.state.warnings()
        options = self.query_one("#warnings", OptionList)
        options.clear_options()
        options.add_options(
            Option(
                tr("wizard.review.problem", where=where(w.loc), message=warning_text(w)),
                id=f"{i}:{w.loc}",
            )
            for i, w in enumerate(warnings)
        )
        heading = self.query_one(".review--warnings", Label)
        heading.update(tr("wizard.review.warnings", count=len(warnings)))
        for widget in (options, heading):
            widget.set_class(not warnings, "-empty")

    @on(OptionList.OptionSelected, "#problems, #warnings")
    def _jump(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        loc = (event.option.id or "").partition(":")[2]
        self.post_message(self.Jump(loc))

    @on(Button.Pressed, "#finish")
    def _finish(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(self.Finish())

    def show_submitting(self, text: str | None, *, error: bool = False) -> None:
        """The submission's progress (``text`` while it runs) or its outcome (``None``: done,
        with the last text kept); ``error`` marks a failure."""
        busy = text is not None and not error
        self.set_class(busy, "-busy")
        if text is not None:
            self._submit_status = (text, error)
            status = self.query_one("#submit-status", Static)
            status.update(text)
            status.set_class(error, "-error")
            status.set_class(bool(text), "-shown")

    def focus_first(self) -> None:
        options = self.query_one("#problems", OptionList)
        if options.option_count:
            if options.highlighted is None:
                options.highlighted = 0
            options.focus()
        else:
            self.query_one(f"#{field_id('attested')}").focus()
