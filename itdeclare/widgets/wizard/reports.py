"""The wizard's step for the tests' reports (检测证明): under each test, the files attached to
it, a button to attach one and one to remove each. What attaching does (checking the file,
keeping its copy, linking it to the test) is ``journey.reports``; choosing the file is the
screen's (it posts ``Pick``)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Button, Label, Static

from itdeclare.journey import reports
from itdeclare.journey.form import Step
from itdeclare.journey.form_state import WizardState
from itdeclare.storage.records import AttachedReport, Draft
from itdeclare.widgets.wizard.step import StepView
from itdeclare.wording import tr


class ReportsView(StepView):
    """The reports step: built like any step (title, intro), with the tests' files below."""

    DEFAULT_CSS = """
    ReportsView {
        & .reports--test { text-style: bold; padding: 0 1; margin-top: 1; }
        & .reports--none { color: $text-muted; padding: 0 3; }
        & .reports--file { height: auto; padding: 0 3; }
        & .reports--file Label { width: 1fr; }
        & .reports--loose { color: $text-warning; padding: 0 1; margin-top: 1; }
        & .reports--attach { margin: 0 3; }
        & #reports-status { padding: 0 1; margin-top: 1; }
    }
    """

    class Pick(Message):
        """Choose a file to attach to the test ``test_index``."""

        def __init__(self, test_index: int) -> None:
            super().__init__()
            self.test_index = test_index

    class Removed(Message):
        """A report was taken off the draft (the draft is to be saved)."""

    def __init__(self, state: WizardState, step: Step, draft: Draft) -> None:
        super().__init__(state, step)
        self.draft = draft

    def compose(self) -> ComposeResult:
        yield from super().compose()
        reports.relink(self.draft)
        count = reports.test_count(self.draft)
        if not count:
            yield Static(tr("journey.reports.no_tests"), classes="reports--none", markup=False)
        for index in range(count):
            yield Label(reports.test_line(self.draft, index), classes="reports--test", markup=False)
            attached = reports.of_test(self.draft, index)
            if not attached:
                yield Static(tr("journey.reports.none"), classes="reports--none", markup=False)
            for report in attached:
                yield from self._report_row(report)
            yield Button(
                tr("journey.reports.attach"),
                id=f"attach-{index}",
                classes="reports--attach",
                compact=True,
            )
        stray = reports.loose(self.draft)
        if stray:
            yield Static(tr("journey.reports.loose"), classes="reports--loose", markup=False)
            for report in stray:
                yield from self._report_row(report)
        yield Static("", id="reports-status", markup=False)

    def _report_row(self, report: AttachedReport) -> ComposeResult:
        number = self.draft.reports.index(report)
        with Horizontal(classes="reports--file"):
            yield Label(reports.report_line(self.draft, report), markup=False)
            yield Button(tr("journey.reports.remove"), id=f"remove-{number}", compact=True)

    def on_show(self) -> None:
        # The step has no form fields for the wizard to focus: its first button takes it.
        self.call_after_refresh(self.focus_first)

    def focus_first(self) -> None:
        buttons = self.query(Button)
        if buttons:
            buttons.first().focus()

    def show_status(self, text: str) -> None:
        self.query_one("#reports-status", Static).update(text)

    @on(Button.Pressed)
    async def _pressed(self, event: Button.Pressed) -> None:
        button = event.button.id or ""
        if button.startswith("attach-"):
            event.stop()
            self.post_message(self.Pick(int(button.removeprefix("attach-"))))
        elif button.startswith("remove-"):
            event.stop()
            reports.detach(self.draft, self.draft.reports[int(button.removeprefix("remove-"))])
            self.post_message(self.Removed())
            await self.recompose()
            self.focus_first()
