"""The outbound certificate: a mainland ID-card holder proves who they are and receives a
certificate generated from the health authority's records. No health data is typed here."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from pydantic import ValidationError
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Static

from itdeclare.journey.field_check import Check, field_check
from itdeclare.journey.form import Kind
from itdeclare.models import DocumentType, validators
from itdeclare.models.enums import OUTBOUND_DOCUMENTS
from itdeclare.models.outbound import card_name
from itdeclare.models.problems import from_validation_error
from itdeclare.screens.base import TravellerScreen
from itdeclare.widgets.footer import KeyFooter
from itdeclare.widgets.form.choices import Options, enum_options
from itdeclare.widgets.form.field import FormField
from itdeclare.wording import error_text, follow_language, problem_text, tr

if TYPE_CHECKING:
    from itdeclare.journey.connection import Connection
    from itdeclare.journey.context import TravellerContext
    from itdeclare.models import OutboundRequest
    from itdeclare.storage.records import Certificate

ID_CARD, NAME, DOCUMENT_TYPE, DOCUMENT_NUMBER = (
    "id_card_number",
    "name",
    "document.type",
    "document.number",
)
#: The request's fields: location, kind, catalogue label.
FIELDS = (
    (ID_CARD, Kind.CODE, "journey.outbound.id_card"),
    (NAME, Kind.TEXT, "journey.outbound.name"),
    (DOCUMENT_TYPE, Kind.CHOICE, "journey.outbound.document_type"),
    (DOCUMENT_NUMBER, Kind.CODE, "journey.outbound.document_number"),
)


def document_options() -> Options:
    documents = {member.value for member in OUTBOUND_DOCUMENTS}
    return [choice for choice in enum_options(DocumentType) if choice.value in documents]


class OutboundScreen(TravellerScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "request", "Get certificate", id="journey.outbound.request"),
        Binding("ctrl+g", "show_kept", "Show kept", id="journey.outbound.kept"),
        Binding("escape", "back", "Back", id="journey.outbound.back"),
    ]

    def __init__(self, context: TravellerContext) -> None:
        super().__init__(id="outbound")
        assert context.connection is not None
        self.context = context
        self.connection: Connection = context.connection
        self.values = {loc: "" for loc, _, _ in FIELDS}
        self.values[DOCUMENT_TYPE] = DocumentType.PASSPORT.value
        self.kept: Certificate | None = None
        self._status = ""
        self._error = False

    def compose(self) -> ComposeResult:
        yield from self.heading(tr("journey.outbound.title"), self.connection)
        with VerticalScroll(id="outbound-body"):
            yield Static(tr("journey.outbound.explain"), classes="explain", markup=False)
            for loc, kind, label in FIELDS:
                yield FormField(
                    loc,
                    kind,
                    tr(label),
                    self.values[loc],
                    check=self._check(loc),
                    options=document_options() if kind is Kind.CHOICE else None,
                )
            yield Static(self._status, id="outbound-status", markup=False)
            with Horizontal(classes="dialog--buttons"):
                yield Button(tr("journey.outbound.request"), id="request", variant="primary")
            yield Static(self._kept_text(), id="outbound-kept", markup=False)
        yield KeyFooter(compact=True)

    def on_mount(self) -> None:
        self.query(FormField).first().control.focus()
        self._show_status(self._status, error=self._error)
        self.read_kept()

    def _check(self, loc: str) -> Check:
        if loc == ID_CARD:
            return field_check(validators.id_card_number, loc)
        if loc == NAME:
            return field_check(card_name, loc)
        if loc == DOCUMENT_NUMBER:
            return self._check_number
        return lambda value: None

    def _check_number(self, value: str) -> str | None:
        kind = self.values[DOCUMENT_TYPE]
        if not kind:
            return None
        return field_check(
            lambda text: validators.document_number(DocumentType(kind), text), DOCUMENT_NUMBER
        )(value)

    def _show_status(self, text: str, *, error: bool = False) -> None:
        self._status, self._error = text, error
        status = self.query_one("#outbound-status", Static)
        status.update(text)
        status.set_class(error, "-error")

    @on(FormField.Edited)
    def _edited(self, event: FormField.Edited) -> None:
        self.values[event.loc] = str(event.value)

    # --- the certificate kept from last time ---------------------------------------------------

    @work(thread=True, exclusive=True, group="kept-codes", exit_on_error=False)
    def read_kept(self) -> None:
        from itdeclare.storage.errors import StorageError

        try:
            kept = [c for c in self.context.state().certificates.list() if c.person_id is None]
        except StorageError as error:
            self.app.call_from_thread(self.notify, error_text(error), severity="error")
            return
        self.app.call_from_thread(self._kept, kept[0] if kept else None)

    def _kept(self, kept: Certificate | None) -> None:
        self.kept = kept
        self.query_one("#outbound-kept", Static).update(self._kept_text())
        self.refresh_bindings()

    def _kept_text(self) -> str:
        if self.kept is None:
            return ""
        from itdeclare.journey.text import incomplete_text, when

        kept = tr("journey.outbound.kept", expires=when(self.kept.expires_at))
        return f"{kept}\n{incomplete_text(self.kept.missing)}" if self.kept.missing else kept

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "show_kept":
            return self.kept is not None
        return True

    def action_show_kept(self) -> None:
        from itdeclare.screens.certificate import CertificateScreen

        if self.kept is not None:
            self.app.push_screen(CertificateScreen(self.context, self.kept))

    # --- asking for it ---------------------------------------------------------------------------

    def _request(self) -> OutboundRequest | None:
        """The request as typed, or ``None`` with each problem beside its field."""
        from itdeclare.models import OutboundRequest

        data = {
            "id_card_number": self.values[ID_CARD],
            "name": self.values[NAME],
            "document": {
                "type": self.values[DOCUMENT_TYPE],
                "number": self.values[DOCUMENT_NUMBER],
            },
        }
        problems: dict[str, str] = {}
        for loc, _, _ in FIELDS:
            if not self.values[loc].strip():
                problems[loc] = tr("errors.missing")
        request = None
        try:
            request = OutboundRequest.model_validate(data)
        except ValidationError as error:
            for problem in from_validation_error(error):
                problems.setdefault(problem.loc, problem_text(problem))
        fields = list(self.query(FormField))
        for form_field in fields:
            form_field.show_problem(problems.get(form_field.loc))
        bad = [f for f in fields if f.loc in problems]
        if bad:
            bad[0].control.focus()
            return None
        return request

    @on(Button.Pressed, "#request")
    def _request_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_request()

    def action_request(self) -> None:
        request = self._request()
        if request is not None:
            self.ask(request)

    @work(exclusive=True, group="outbound", exit_on_error=False)
    async def ask(self, request: OutboundRequest) -> None:
        from itdeclare.journey.failures import failures
        from itdeclare.screens.certificate import CertificateScreen
        from itdeclare.screens.sign_in import SignInModal

        follow_language()
        self._show_status(tr("journey.outbound.asking"))
        try:
            await self.connection.start()
            if not self.connection.signed_in and not await self.app.push_screen_wait(
                SignInModal(self.context)
            ):
                self._show_status(tr("journey.outbound.sign_in_first"), error=True)
                return
            certificate = await self.connection.outbound(request)
        except failures() as error:
            self._show_status(error_text(error), error=True)
            return
        self._show_status(tr("journey.outbound.received"))  # incomplete: said under it, once
        self._kept(certificate)
        await self.app.push_screen(CertificateScreen(self.context, certificate))

    def action_back(self) -> None:
        self.dismiss()
