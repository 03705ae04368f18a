"""One person's declaration as the review service sees it, kept fresh while shown.

The screen asks the backend again every few seconds (backing off when it fails) in one
exclusive worker, stopped while another screen covers it. From here the traveller shows the
green code (``g``), answers a request for material (``s``) and re-declares (``r``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import Static

from itdeclare.journey.chain import Chain
from itdeclare.journey.people import display_name
from itdeclare.journey.poll import keep_looking
from itdeclare.models import DeclarationStatus as S
from itdeclare.models.status import MAX_REDECLARATIONS
from itdeclare.screens.base import TravellerScreen
from itdeclare.widgets.footer import KeyFooter
from itdeclare.widgets.journey.badge import ConnectionBadge
from itdeclare.widgets.journey.card import DeclarationCard
from itdeclare.widgets.journey.messages import LookFailed
from itdeclare.widgets.journey.notices import tell_changes
from itdeclare.wording import error_text, tr

if TYPE_CHECKING:
    from itdeclare.client import DeclarationDetail
    from itdeclare.journey.connection import Connection
    from itdeclare.journey.context import TravellerContext
    from itdeclare.journey.snapshot import Change
    from itdeclare.storage.records import Certificate, Person


class StatusScreen(TravellerScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        # g and r each have a second binding, shown instead when the first would promise too
        # much: a code that is no longer valid, a re-declaration the limit refuses.
        Binding("g", "code", "Green code", id="journey.status.code"),
        Binding("g", "old_code", "Old code", id="journey.status.old_code"),
        Binding("s", "supplement", "Supplement", id="journey.status.supplement"),
        Binding("r", "redeclare", "Re-declare", id="journey.status.redeclare"),
        Binding("r", "no_redeclaration", "Re-declare", id="journey.status.no_redeclaration"),
        Binding("f5", "refresh", "Refresh", id="journey.status.refresh"),
        Binding("escape", "back", "Back", id="journey.status.back"),
    ]

    @dataclass
    class Looked(Message):
        """The backend's latest word on the person's declaration (``None``: none filed)."""

        detail: DeclarationDetail | None
        changes: list[Change]
        versions: list[DeclarationDetail]

    def __init__(self, context: TravellerContext, person: Person) -> None:
        super().__init__(id="status")
        assert context.connection is not None
        self.context = context
        self.connection: Connection = context.connection
        self.person = person
        self.detail: DeclarationDetail | None = None
        self.versions: list[DeclarationDetail] = []
        self.chain = Chain()
        self.kept: list[Certificate] = []
        self._notice = tr("journey.status.asking")

    def compose(self) -> ComposeResult:
        yield from self.heading(self._title(), self.connection)
        yield Static(self._notice, id="status-notice", markup=False)
        if self.detail is not None:
            yield DeclarationCard(self.detail, self.versions)
        yield KeyFooter(compact=True)

    def _title(self) -> str:
        name = display_name(self.person.subject) or tr("wizard.unnamed")
        return tr("journey.status.title", name=name)

    def on_mount(self) -> None:
        self.read_kept()
        self.follow()

    def on_screen_suspend(self) -> None:
        self.workers.cancel_group(self, "status-poll")

    def on_screen_resume(self) -> None:
        self.query_one(ConnectionBadge).show()
        self.read_kept()
        self.follow()

    # --- looking at the backend ----------------------------------------------------------------

    @work(exclusive=True, group="status-poll", exit_on_error=False)
    async def follow(self) -> None:
        await keep_looking(self.connection, self._look, self._failed)

    async def _look(self) -> None:
        changes = await self.connection.refresh()
        latest = self.connection.snapshot.latest(self.person.id)
        detail = await self.connection.detail(latest.id) if latest is not None else None
        versions = await self.chain.versions(detail, self.connection.detail) if detail else []
        self.post_message(self.Looked(detail, changes, versions))

    def _failed(self, text: str, signed_out: bool) -> None:
        self.post_message(LookFailed(text, signed_out))

    @on(Looked)
    async def _looked(self, event: Looked) -> None:
        names = {self.person.id: display_name(self.person.subject)}
        tell_changes(self.app, event.changes, lambda pid: names.get(pid, ""))
        if event.changes:
            self.read_kept()
        self._notice = "" if event.detail is not None else tr("journey.status.none")
        await self._show(event.detail, event.versions)

    @on(LookFailed)
    def _look_failed(self, event: LookFailed) -> None:
        key = "journey.status.signed_out" if event.signed_out else "journey.status.offline"
        self._notice = tr(key, reason=event.text)
        self.query_one("#status-notice", Static).update(self._notice)
        self.query_one(ConnectionBadge).show()
        self.refresh_bindings()

    async def _show(
        self, detail: DeclarationDetail | None, versions: list[DeclarationDetail]
    ) -> None:
        changed = detail != self.detail or versions != self.versions
        self.detail, self.versions = detail, versions
        if changed:
            await self.recompose()
        else:
            self.query_one("#status-notice", Static).update(self._notice)
        self.refresh_bindings()

    @work(thread=True, exclusive=True, group="kept-codes", exit_on_error=False)
    def read_kept(self) -> None:
        """The green codes kept on this machine for the person (they show offline too)."""
        from itdeclare.storage.errors import StorageError

        try:
            kept = self.context.state().certificates.list(self.person.id)
        except StorageError as error:
            self.app.call_from_thread(self.notify, error_text(error), severity="error")
            return
        self.app.call_from_thread(self._kept, kept)

    def _kept(self, kept: list[Certificate]) -> None:
        self.kept = kept
        self.refresh_bindings()

    # --- actions ---------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        detail = self.detail
        if action in ("code", "old_code"):
            code = self._code()
            return code is not None and self._valid(code) == (action == "code")
        if action == "supplement":
            return detail is not None and detail.status is S.SUPPLEMENT_REQUESTED
        if action in ("redeclare", "no_redeclaration"):  # the latter once both are used
            open_end = detail is not None and detail.replaced_by is None
            left = detail is not None and detail.redeclarations_left > 0
            return open_end and left == (action == "redeclare")
        return True

    def _valid(self, certificate: Certificate) -> bool:
        """Whether ``certificate`` is a valid green code: approved, not expired, and (once the
        backend has answered) the code of the declaration that counts now."""
        return (
            certificate.status is S.APPROVED
            and certificate.expires_at > self.context.clock()
            and (self.detail is None or certificate.declaration_id == self.detail.id)
        )

    def _code(self) -> Certificate | None:
        """The code to show: the current declaration's, else the newest kept."""
        if not self.kept:
            return None
        if self.detail is not None:
            own = [c for c in self.kept if c.declaration_id == self.detail.id]
            if own:
                return own[0]
        return self.kept[0]

    def action_code(self) -> None:
        from itdeclare.screens.certificate import CertificateScreen

        certificate = self._code()
        if certificate is not None:
            self.app.push_screen(CertificateScreen(self.context, certificate))

    def action_old_code(self) -> None:
        """The code kept here, no longer valid: it opens marked as such (revoked, expired)."""
        self.action_code()

    def action_supplement(self) -> None:
        from itdeclare.screens.supplement import SupplementScreen

        if self.detail is not None and self.detail.status is S.SUPPLEMENT_REQUESTED:
            self.app.push_screen(SupplementScreen(self.context, self.detail))

    def action_redeclare(self) -> None:
        from itdeclare.screens.redeclare import RedeclareModal

        detail = self.detail
        if detail is None or detail.replaced_by is not None or detail.redeclarations_left <= 0:
            return
        self.app.push_screen(RedeclareModal(detail), self._redeclare_answered)

    def action_no_redeclaration(self) -> None:
        """A third re-declaration: refused, saying why (DESIGN.md §2)."""
        self.notify(
            tr("journey.status.no_redeclaration", total=MAX_REDECLARATIONS),
            severity="warning",
            timeout=15,
        )

    def _redeclare_answered(self, yes: bool | None) -> None:
        if yes and self.detail is not None:
            self.open_redeclaration(self.detail)

    @work(thread=True, exclusive=True, group="redeclare", exit_on_error=False)
    def open_redeclaration(self, detail: DeclarationDetail) -> None:
        """Make (or resume) the re-declaration's draft, filled with what was filed."""
        from itdeclare.screens.redeclare import redeclaration_draft
        from itdeclare.storage.errors import StorageError

        try:
            draft = redeclaration_draft(self.context.state(), self.person, detail)
        except StorageError as error:
            self.app.call_from_thread(self.notify, error_text(error), severity="error")
            return
        self.app.call_from_thread(self._open_wizard, draft)

    def _open_wizard(self, draft: object) -> None:
        from itdeclare.screens.wizard import WizardScreen
        from itdeclare.storage.records import Draft

        assert isinstance(draft, Draft)
        self.app.push_screen(WizardScreen(self.context, draft, self.person))

    def action_refresh(self) -> None:
        self._notice = tr("journey.status.asking")
        self.query_one("#status-notice", Static).update(self._notice)
        self.follow()

    def action_back(self) -> None:
        self.dismiss()
