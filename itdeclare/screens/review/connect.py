"""Signing in: a consulate to review for on the local backend, or a token for a deployed one."""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.widgets import Button, Input, Label, Select, Static

from itdeclare.journey.choices import Choice, toneless
from itdeclare.reviewing.context import NotAReviewer, ReviewContext
from itdeclare.screens.review.base import ConsoleScreen
from itdeclare.widgets.footer import KeyFooter
from itdeclare.widgets.form.choices import ChoiceSelect
from itdeclare.widgets.review.messages import SignedIn
from itdeclare.wording import error_text, language, tr


def consulate_options() -> list[Choice]:
    """Every country as a consulate to pick, code first, in the console's language; found by
    its code, its name in either language or its pinyin (as the traveller's pickers are)."""
    from itdeclare.models import reference

    lang = language()
    countries = reference.countries()
    return [
        Choice(
            f"{code}  {countries[code].name(lang)}",
            code,
            (countries[code].en, countries[code].zh, toneless(countries[code].pinyin)),
        )
        for code in sorted(countries)
    ]


class ConnectScreen(ConsoleScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = []

    def __init__(self, context: ReviewContext, *, notice: str | None = None) -> None:
        super().__init__()
        self.context = context
        self._consulate: str | None = None
        self._token = ""
        self._status = notice or ""
        self._error = notice is not None
        self._busy = False

    def compose(self) -> ComposeResult:
        with Vertical(id="connect"):
            yield Label(tr("review.connect.title"), id="connect-title")
            if self.context.is_local:
                yield Static(tr("review.connect.local"), classes="explain")
                yield ChoiceSelect(
                    consulate_options(),
                    prompt=tr("review.connect.choose"),
                    value=self._consulate if self._consulate else Select.NULL,
                    name="consulate",
                    id="consulate",
                )
                yield Button(tr("review.connect.open"), id="open", variant="primary")
            else:
                yield Static(
                    tr("review.connect.remote", server=self.context.server), classes="explain"
                )
                yield Input(
                    self._token,
                    placeholder=tr("review.connect.token"),
                    password=True,
                    id="token",
                )
            yield Static(self._status, id="status", markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        self._show_status(self._status, error=self._error)
        if self.context.is_local:
            self.prepare_local()
        elif not self._error:
            self.resume()

    async def show_again(self) -> None:
        await self.recompose()
        self._show_status(self._status, error=self._error)

    def _show_status(self, text: str, *, error: bool = False) -> None:
        self._status, self._error = text, error
        status = self.query_one("#status", Static)
        status.update(text)
        status.set_class(error, "-error")

    # --- the local backend ------------------------------------------------------------------

    @work(exclusive=True, group="connect", exit_on_error=False)
    async def prepare_local(self) -> None:
        """Start the backend while the reviewer chooses, and offer last time's consulate."""
        import asyncio

        last = await asyncio.to_thread(self.context.last_local_consulate)
        if last and self._consulate is None:
            self._consulate = last
            self.query_one("#consulate", Select).value = last
            self.query_one("#open", Button).focus()
        else:
            self.query_one("#consulate", Select).focus()
        if self.context.store_failed:
            self._show_status(tr("review.connect.store_failed"), error=True)

    @on(Select.Changed, "#consulate")
    def _chosen(self, event: Select.Changed) -> None:
        self._consulate = event.value if isinstance(event.value, str) else None
        if self._consulate:
            self.query_one("#open", Button).focus()

    @on(Button.Pressed, "#open")
    def _open(self) -> None:
        if not self._consulate:
            self._show_status(tr("review.connect.choose_first"), error=True)
            self.query_one("#consulate", Select).focus()
            return
        self.sign_in_local(self._consulate)

    @work(exclusive=True, group="connect", exit_on_error=False)
    async def sign_in_local(self, consulate: str) -> None:
        from itdeclare.client import ApiError
        from itdeclare.local_backend import LocalBackendError

        if self._busy:
            return
        self._busy = True
        self._show_status(tr("review.connect.starting", consulate=consulate))
        try:
            await self.context.sign_in_local(consulate)
        except LocalBackendError as error:
            self._show_status(tr("review.connect.local_failed", reason=error.reason), error=True)
        except ApiError as error:
            self._show_status(error_text(error), error=True)
        else:
            self.post_message(SignedIn())
        finally:
            self._busy = False

    # --- a deployed backend -----------------------------------------------------------------

    @work(exclusive=True, group="connect", exit_on_error=False)
    async def resume(self) -> None:
        """Sign in with the token given or kept, if any; else wait for one."""
        from itdeclare.client import ApiError, Unauthorized

        self._show_status(tr("review.connect.checking"))
        try:
            account = await self.context.resume_remote()
        except NotAReviewer:
            self._show_status(tr("review.connect.not_reviewer"), error=True)
            return
        except Unauthorized:
            self._show_status(tr("review.connect.token_refused"), error=True)
            self.query_one("#token", Input).focus()
            return
        except ApiError as error:
            self._show_status(error_text(error), error=True)
            return
        if account is None:
            self._show_status(tr("review.connect.enter_token"))
            self.query_one("#token", Input).focus()
        else:
            self.post_message(SignedIn())

    @on(Input.Changed, "#token")
    def _typed(self, event: Input.Changed) -> None:
        self._token = event.value

    @on(Input.Submitted, "#token")
    def _submitted(self, event: Input.Submitted) -> None:
        token = event.value.strip()
        if not token:
            self._show_status(tr("review.connect.enter_token"), error=True)
            return
        self.sign_in_remote(token)

    @work(exclusive=True, group="connect", exit_on_error=False)
    async def sign_in_remote(self, token: str) -> None:
        from itdeclare.client import ApiError, Unauthorized

        self._show_status(tr("review.connect.checking"))
        try:
            await self.context.sign_in_remote(token)
        except NotAReviewer:
            self._show_status(tr("review.connect.not_reviewer"), error=True)
        except Unauthorized:
            self._show_status(tr("review.connect.token_refused"), error=True)
        except ApiError as error:
            self._show_status(error_text(error), error=True)
        else:
            self.post_message(SignedIn())
