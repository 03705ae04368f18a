"""Signing in with a mobile phone and a one-time code. Answers ``True`` once signed in.

The phone is the user's own (the account files for everyone they add): the dialog offers the
one last signed in with, else the one in the user's own declaration (``journey.filer``), never
the phone of the person being filed for. Enter in the phone sends the code; in the code, signs
in.

Against the embedded local backend no text message is sent: the backend hands the code back
and the dialog shows it, marked as local mode, and fills it in.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Static

from itdeclare.journey.field_check import field_check
from itdeclare.journey.form import Kind
from itdeclare.models import validators
from itdeclare.screens.base import TravellerModal
from itdeclare.widgets.bindings import recompose_keeping_focus
from itdeclare.widgets.footer import KeyFooter
from itdeclare.widgets.form.field import FormField
from itdeclare.wording import error_text, follow_language, tr

if TYPE_CHECKING:
    from itdeclare.journey.connection import Connection
    from itdeclare.journey.context import TravellerContext

log = logging.getLogger(__name__)

PHONE, CODE = "contact.phone", "code"


def _code_check(value: str) -> str | None:
    text = value.strip()
    if not text or (text.isdigit() and 4 <= len(text) <= 8):
        return None
    return tr("journey.sign_in.code_format")


class SignInModal(TravellerModal[bool]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "sign_in", "Sign in", id="journey.sign_in.confirm"),
        Binding("escape", "cancel", "Cancel", id="journey.sign_in.cancel"),
    ]

    def __init__(self, context: TravellerContext) -> None:
        super().__init__(classes="dialog", id="sign-in")
        assert context.connection is not None
        self.context = context
        self.connection: Connection = context.connection
        self.values = {PHONE: "", CODE: ""}
        self.dev_code: str | None = None
        self._status = ""
        self._error = False

    def compose(self) -> ComposeResult:
        local = self.connection.is_local
        with Vertical(classes="dialog--box"):
            yield Static(tr("journey.sign_in.title"), classes="dialog--title")
            explain = "journey.sign_in.local" if local else "journey.sign_in.remote"
            yield Static(tr(explain), classes="dialog--text", markup=False)
            yield Static(tr("journey.sign_in.own"), classes="dialog--text", markup=False)
            yield FormField(
                PHONE,
                Kind.TEXT,
                tr("journey.sign_in.phone"),
                self.values[PHONE],
                check=field_check(validators.phone_number, PHONE),
                enter_moves_on=False,
            )
            yield FormField(
                CODE,
                Kind.CODE,
                tr("journey.sign_in.code"),
                self.values[CODE],
                check=_code_check,
                enter_moves_on=False,
            )
            yield Static(self._dev_code_text(), id="dev-code", markup=False)
            yield Static(self._status, id="sign-in-status", markup=False)
            with Horizontal(classes="dialog--buttons"):
                yield Button(tr("journey.sign_in.send"), id="send")
                yield Button(tr("journey.sign_in.confirm"), id="confirm", variant="primary")
                yield Button(tr("app.person.cancel"), id="cancel")
        yield KeyFooter(compact=True)

    def on_mount(self) -> None:
        self._show_status(self._status, error=self._error)
        self.call_after_refresh(self._focus_first)
        self.offer_phone()

    @work(thread=True, exclusive=True, group="sign-in-phone", exit_on_error=False)
    def offer_phone(self) -> None:
        """Fill in the user's own phone, if this computer knows it (a read of the local state:
        in a thread, as the OS keyring may keep it waiting)."""
        from itdeclare.journey.filer import sign_in_phone
        from itdeclare.storage.errors import StorageError

        try:
            phone = sign_in_phone(self.context.state(), self.connection.slot)
        except StorageError:
            return  # nothing to offer: the user types it
        if phone:
            self.app.call_from_thread(self._offered, phone)

    def _offered(self, phone: str) -> None:
        if not self.values[PHONE]:  # what the user has typed meanwhile stays
            self.values[PHONE] = phone
            self._field(PHONE).set_text(phone)

    @on(Input.Submitted)
    def _entered(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.name == PHONE:
            self.send_code()
        elif event.input.name == CODE:
            self.sign_in()

    def _focus_first(self) -> None:
        self._field(CODE if self.values[PHONE] and self.dev_code else PHONE).control.focus()

    def _field(self, loc: str) -> FormField:
        return next(f for f in self.query(FormField) if f.loc == loc)

    def _dev_code_text(self) -> str:
        if self.dev_code is None:
            return ""
        key = "journey.sign_in.dev_code" if self.connection.is_local else "journey.sign_in.dev_mode"
        return tr(key, code=self.dev_code)

    def _show_status(self, text: str, *, error: bool = False) -> None:
        self._status, self._error = text, error
        status = self.query_one("#sign-in-status", Static)
        status.update(text)
        status.set_class(error, "-error")

    @on(FormField.Edited)
    def _edited(self, event: FormField.Edited) -> None:
        self.values[event.loc] = str(event.value)

    # --- the code ------------------------------------------------------------------------------

    @on(Button.Pressed, "#send")
    def _send_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.send_code()

    def _phone(self) -> str | None:
        """The phone as the backend spells it, or ``None`` (and the problem shown)."""
        phone = self.values[PHONE].strip()
        message = field_check(validators.phone_number, PHONE)(phone) if phone else None
        if not phone:
            message = tr("errors.missing")
        field = self._field(PHONE)
        field.show_problem(message)
        if message:
            field.control.focus()
            return None
        return validators.phone_number(phone)

    @work(exclusive=True, group="sign-in", exit_on_error=False)
    async def send_code(self) -> None:
        from itdeclare.journey.failures import failures

        phone = self._phone()
        if phone is None:
            return
        follow_language()
        self._show_status(tr("journey.sign_in.sending"))
        try:
            sent = await self.connection.request_code(phone)
        except failures() as error:
            self._show_status(error_text(error), error=True)
            return
        self.dev_code = sent.dev_code
        self.query_one("#dev-code", Static).update(self._dev_code_text())
        code = self._field(CODE)
        if sent.dev_code:
            self.values[CODE] = sent.dev_code
            code.set_text(sent.dev_code)
            self._show_status(tr("journey.sign_in.dev_sent"))
            self.query_one("#confirm", Button).focus()
        else:
            self._show_status(tr("journey.sign_in.sent", phone=phone))
            code.control.focus()

    # --- signing in ----------------------------------------------------------------------------

    @on(Button.Pressed, "#confirm")
    def _confirm_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_sign_in()

    def action_sign_in(self) -> None:
        self.sign_in()

    @work(exclusive=True, group="sign-in", exit_on_error=False)
    async def sign_in(self) -> None:
        from itdeclare.journey.failures import failures

        phone = self._phone()
        if phone is None:
            return
        code = self.values[CODE].strip()
        field = self._field(CODE)
        problem = _code_check(code) if code else tr("journey.sign_in.code_first")
        field.show_problem(problem)
        if problem:
            field.control.focus()
            return
        follow_language()
        self._show_status(tr("journey.sign_in.checking"))
        try:
            await self.connection.sign_in(phone, code)
        except failures() as error:
            self._show_status(error_text(error), error=True)
            field.control.focus()
            return
        await asyncio.to_thread(self._remember, phone)
        self.dismiss(True)

    def _remember(self, phone: str) -> None:
        """Keep the phone for the next sign-in; signed in all the same if the disk refuses."""
        from itdeclare.journey.filer import remember_phone
        from itdeclare.storage.errors import StorageError

        try:
            remember_phone(self.context.state(), self.connection.slot, phone)
        except StorageError:
            log.warning("the phone signed in with could not be kept", exc_info=True)

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_cancel()

    def action_cancel(self) -> None:
        self.dismiss(False)

    async def show_again(self) -> None:
        await recompose_keeping_focus(self)
