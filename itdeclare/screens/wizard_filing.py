"""What leaves the wizard: the draft written to disk (save, close, finish) and the declaration
filed with the backend (signing in first if need be, the backend's field errors put beside
their fields). The wizard (``screens/wizard.py``) builds on this class."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Literal

from textual import on, work

from itdeclare.journey.form import field_id, step_of
from itdeclare.journey.people import display_name, names_from_form
from itdeclare.screens.wizard_files import WizardFiles
from itdeclare.widgets.form.field import FormField
from itdeclare.widgets.keys import closed, hold_keys_while_closing
from itdeclare.widgets.wizard.review import ReviewView
from itdeclare.wording import language, problem_text, tr

if TYPE_CHECKING:
    from collections.abc import Callable

    from itdeclare.journey.form import Step
    from itdeclare.storage.records import Person


class WizardFiling(WizardFiles):
    person: Person
    _after_submit: Callable[[], object] | None

    async def show_step(self, step: Step, focus: str | None = None) -> None:
        """Show ``step`` and focus ``focus`` (a widget id) on it: the wizard knows how."""
        raise NotImplementedError

    def _focus(self, widget_id: str | None) -> None:
        """Focus ``widget_id`` on the step shown, or its first field: the wizard knows how."""
        raise NotImplementedError

    # --- finishing the review ---

    @on(ReviewView.Finish)
    async def _finish_pressed(self) -> None:
        await self._finish()

    async def _finish(self) -> None:
        view = self.view
        if not isinstance(view, ReviewView):
            return
        problems = view.refresh_problems()
        if problems:
            attest = [p for p in problems if p.loc == "attested"]
            field = view.query(FormField).first()
            field.show_problem(problem_text(attest[0]) if attest else None)
            if len(problems) > len(attest):
                view.focus_first()
            else:
                field.control.focus()
            return
        self.save_now("finish")

    # --- saving ---

    def action_save(self) -> None:
        self._save_soon()
        self.save_now("stay")

    def action_close(self) -> None:
        hold_keys_while_closing(self.app)  # what is typed meanwhile is home's
        self._save_soon()
        self.save_now("close")

    @work(thread=True, exclusive=True, group="draft-save", exit_on_error=False)
    def save_now(self, then: Literal["stay", "close", "finish"]) -> None:
        """Write the draft (and the person's names) now, then stay, close or finish."""
        from itdeclare.storage.errors import StorageError

        try:
            self.context.saver().flush()
            self._update_person()
        except StorageError as error:
            message = tr("wizard.save_failed", reason=error.message(language()))
            self.app.call_from_thread(self.notify, message, severity="error")
            if then == "close":
                self.app.call_from_thread(closed, self.app)  # staying: the keys are the wizard's
            return
        self.app.call_from_thread(self._saved, then)

    def _saved(self, then: Literal["stay", "close", "finish"]) -> None:
        if then == "close":
            self.dismiss()
            closed(self.app)
            return
        if then == "stay":
            self.notify(tr("wizard.saved"))
            return
        if then == "finish":
            if self.context.connection is not None:
                self.submit()
                return
            name = display_name(self.state.value("subject") or {})
            self.notify(tr("wizard.review.finished", name=name))
        self.dismiss()

    def _update_person(self) -> None:
        """Keep the person's names (shown on the home screen) in step with the draft."""
        subject = names_from_form(self.person.subject, self.state.text)
        if subject != self.person.subject:
            updated = dataclasses.replace(self.person, subject=subject)
            self.person = self.context.state().people.update(updated)

    # --- submitting (when the app has a backend) ---

    @work(exclusive=True, group="submit", exit_on_error=False)
    async def submit(self) -> None:
        """Send the declaration; sign in first if need be. Whatever fails, the draft is kept
        (and says so); a retry reuses the submission's key, so it never files twice."""
        from itdeclare.client import InvalidInput
        from itdeclare.journey.failures import EarlierSubmissionFiled, Refused, failures
        from itdeclare.screens.sign_in import SignInModal
        from itdeclare.wording import error_text, follow_language

        connection = self.context.connection
        view = self.view
        if connection is None or not isinstance(view, ReviewView):
            return
        follow_language()
        view.show_submitting(tr("journey.submit.connecting"))
        try:
            await connection.start()
            if not connection.signed_in and not await self.app.push_screen_wait(
                SignInModal(self.context)
            ):
                view.show_submitting(tr("journey.submit.sign_in_first"), error=True)
                return
            view.show_submitting(tr("journey.submit.sending"))
            summary = await self.file_declaration(connection, view)
            if summary is None:  # filed, but reports left for the next attempt (said)
                return
        except InvalidInput as error:
            view.show_submitting(tr("journey.submit.refused", reason=error_text(error)), error=True)
            await self.show_server_problems(error)
            return
        except EarlierSubmissionFiled as filed:
            view.show_submitting(error_text(filed), error=True)
            self.notify(error_text(filed), severity="warning", timeout=20)
            self._submitted()
            return
        except Refused as refused:  # for good: no "submit again"
            view.show_submitting(error_text(refused), error=True)
            self.notify(error_text(refused), severity="error", timeout=20)
            return
        except failures() as error:
            text = tr("journey.submit.failed", reason=error_text(error))
            view.show_submitting(text, error=True)
            self.notify(text, severity="error", timeout=15)
            return
        view.show_submitting(None)
        name = display_name(self.state.value("subject") or {})
        self.notify(tr("journey.submit.done", name=name, status=summary.status), timeout=10)
        self._submitted()

    def _submitted(self) -> None:
        """Back to the opener, which goes on to the person's declaration as the review service
        sees it."""
        self.dismiss()
        if self._after_submit is not None:
            self._after_submit()

    async def show_server_problems(self, error: object) -> None:
        """Put each field error the backend named beside its field, and go to the first."""
        fields = getattr(error, "fields", [])
        if not fields:
            return
        first = fields[0]
        step = step_of(first.loc)
        await self.show_step(step, field_id(first.loc))
        view = self.view
        if isinstance(view, ReviewView):
            return
        view.show_messages((problem.loc, problem.message) for problem in fields)
        self._focus(field_id(first.loc))
