"""The wizard's files: the tests' reports (their step, and their upload with the submission)
and filling a test from a picture of its EU DCC certificate. The wizard (``screens/wizard.py``)
builds on this class; what happens without drawing is ``journey.reports`` and
``journey.imports``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on, work

from itdeclare.journey import filing_reports, imports, reports
from itdeclare.journey.form import Step, field_id, step_by_id
from itdeclare.screens.wizard_lists import WizardLists
from itdeclare.widgets.wizard.reports import ReportsView
from itdeclare.widgets.wizard.review import ReviewView
from itdeclare.widgets.wizard.step import StepView
from itdeclare.widgets.wizard.tests import TestsView
from itdeclare.wording import tr

if TYPE_CHECKING:
    from itdeclare.client import DeclarationSummary
    from itdeclare.journey.connection import Connection
    from itdeclare.storage.records import AttachedReport, Person


class WizardFiles(WizardLists):
    person: Person
    filer_name: str | None
    #: Where the file picker opens: the folder of the last file chosen.
    _start_dir: Path = Path.home()

    def step_view(self, step: Step) -> StepView | None:
        """The view of a step that has files of its own (tests, reports); ``None`` for others."""
        if step.id == "reports":
            return ReportsView(self.state, step, self.draft)
        if step.id == "tests":
            return TestsView(self.state, step, filer_name=self.filer_name)
        return None

    def on_mount(self) -> None:
        self.state.holders = imports.holders(self.draft)

    def _pick(self, then: Callable[[Path], object]) -> None:
        """Let the traveller choose a file, then ``then`` (unless they cancelled)."""
        from itdeclare.screens.files import FilePickerModal

        def chosen(path: Path | None) -> None:
            if path is not None:
                then(path)

        self.app.push_screen(FilePickerModal(self._start_dir), chosen)

    # --- the reports step ---

    @on(ReportsView.Pick)
    def _pick_report(self, event: ReportsView.Pick) -> None:
        event.stop()
        index = event.test_index
        self._pick(lambda path: self._attach_report(index, path))

    @work(thread=True, group="attach", exit_on_error=False)
    def _attach_report(self, test_index: int, path: Path) -> None:
        """Check the file and keep its copy (disk work: in a thread), then show it."""
        from itdeclare.storage.errors import StorageError
        from itdeclare.wording import language

        self._start_dir = path.parent
        try:
            report = reports.attach(self.draft, self.context.state().reports, test_index, path)
            # Written now, not on the debounced save: a crash the next moment keeps the file.
            saver = self.context.saver()
            saver.schedule(self.draft)
            saver.flush()
        except reports.ReportRefused as refused:
            self.app.call_from_thread(self.notify, refused.message, severity="warning")
            return
        except StorageError as error:
            text = tr("wizard.save_failed", reason=error.message(language()))
            self.app.call_from_thread(self.notify, text, severity="error")
            return
        self.app.call_from_thread(self.call_later, self._reports_changed, report)

    async def _reports_changed(self, report: AttachedReport) -> None:
        view = self.view
        if isinstance(view, ReportsView):
            await view.recompose()
            view.show_status(tr("journey.reports.attached", name=report.name))
            view.focus_first()

    @on(ReportsView.Removed)
    def _report_removed(self, event: ReportsView.Removed) -> None:
        event.stop()
        self._save_soon()

    # --- submitting with the reports ---

    async def file_declaration(
        self, connection: Connection, view: ReviewView
    ) -> DeclarationSummary | None:
        """File the draft and upload its reports, showing their progress; ``None`` when some
        did not go (said in the view: they go on the next attempt)."""
        from itdeclare.wording import error_text

        waiting = [r.sha256 + str(r.test_index) for r in reports.unsent(self.draft)]

        def progress(report: AttachedReport, sent: int, total: int) -> None:
            key = report.sha256 + str(report.test_index)
            number = waiting.index(key) + 1 if key in waiting else 1
            percent = 100 * sent // total if total else 100
            text = tr(
                "journey.reports.sending",
                number=number,
                count=max(len(waiting), 1),
                name=report.name,
                percent=percent,
            )
            view.show_submitting(text)

        try:
            summary, sending = await filing_reports.file_with_reports(
                connection, self.context.state(), self.draft, self.person, progress=progress
            )
        except filing_reports.ReportsNotSent as failed:
            text = tr("journey.reports.failed", count=failed.left, reason=error_text(failed.error))
            view.show_submitting(text, error=True)
            self.notify(text, severity="error", timeout=15)
            return None
        if sending.refused:
            text = tr("journey.reports.some_refused", list=sending.refused_text)
            self.notify(text, severity="warning", timeout=20)
        return summary

    # --- filling a test from its certificate ---

    @on(TestsView.ImportRequested)
    def _import_requested(self, event: TestsView.ImportRequested) -> None:
        event.stop()
        index = event.test_index
        self._pick(lambda path: self._import(index, path))

    @work(thread=True, group="import", exit_on_error=False)
    def _import(self, test_index: int | None, path: Path) -> None:
        """Read the picture and verify its certificate (slow: in a thread), then fill the test."""
        self._start_dir = path.parent
        try:
            imported = imports.read_picture(path)
        except imports.ImportFailed as failed:
            text = tr("wizard.import.failed", reason=failed.message)
            self.app.call_from_thread(self.notify, text, severity="error", timeout=15)
            return
        self.app.call_from_thread(self.call_later, self._fill_test, test_index, imported)

    async def _fill_test(self, test_index: int | None, imported: imports.Imported) -> None:
        spec = step_by_id("tests").items
        assert spec is not None
        if test_index is None:
            test_index = self.state.add_item(spec)
            if test_index is None:
                self.notify(tr("wizard.list_full"), severity="warning")
                return
        imports.fill(self.draft, test_index, imported)
        self.state.holders = imports.holders(self.draft)
        self._save_soon()
        view = self.view
        if isinstance(view, TestsView):
            await view.recompose()
            view.refresh_hints()
            self.query_one(f"#{field_id(f'tests.{test_index}.kind')}").focus()
        differs = imports.holder_warnings(self.draft, self.state.today)
        said = [tr("wizard.import.done", number=test_index + 1, holder=imported.holder_name)]
        self.notify(" ".join(said + imported.warnings + differs), timeout=20)
