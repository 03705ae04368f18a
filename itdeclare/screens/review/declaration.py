"""One declaration opened in full, and the reviewer's decision on it.

Tabs: the fields, the rules check, the attachments, the earlier versions with what changed, and
the audit trail. One key per decision; each asks for its note where one is needed, then for a
confirmation. Just before the decision is sent the declaration is read again: if another
reviewer (or the traveller) changed it since it was opened, nothing is sent and the reviewer is
told; if the backend refuses the decision (another reviewer got there in the same instant), the
reviewer is told the same way. After a decision the next declaration of the queue opens at once.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.widgets import Label, LoadingIndicator, Static, TabbedContent, TabPane

from itdeclare.client import (
    ApiClient,
    ApiError,
    Conflict,
    Decision,
    NotFound,
    ReviewDetail,
    Unauthorized,
)
from itdeclare.models import DeclarationStatus
from itdeclare.models.status import IN_REVIEW, MAX_REDECLARATIONS, can_transition
from itdeclare.reviewing.checks import RulesCheck, check
from itdeclare.reviewing.context import ReviewContext
from itdeclare.reviewing.files import ChecksumMismatch
from itdeclare.reviewing.reply import Reply, latest_reply
from itdeclare.reviewing.text import value_text, when
from itdeclare.screens.review.base import ConsoleScreen
from itdeclare.widgets.footer import KeyFooter
from itdeclare.widgets.review.attachments import AttachmentList
from itdeclare.widgets.review.audit import AuditTrail
from itdeclare.widgets.review.bindings import key
from itdeclare.widgets.review.declaration import DeclarationFields
from itdeclare.widgets.review.messages import CallFailed
from itdeclare.widgets.review.rules import RulesView
from itdeclare.widgets.review.versions import VersionsView
from itdeclare.wording import error_text, follow_language, tr

TABS = ("fields", "rules", "files", "versions", "audit")

#: The status each decision leads to, and the action of its key.
OUTCOMES = {
    Decision.APPROVE: DeclarationStatus.APPROVED,
    Decision.REJECT: DeclarationStatus.REJECTED,
    Decision.REQUEST_SUPPLEMENT: DeclarationStatus.SUPPLEMENT_REQUESTED,
}
ACTIONS = {
    "approve": Decision.APPROVE,
    "reject": Decision.REJECT,
    "supplement": Decision.REQUEST_SUPPLEMENT,
}
#: The refusals that mean another hand decided or changed the declaration first; any other
#: (its trip is over, its document is another chain's) is the declaration's own state.
DECIDED_BY_ANOTHER = frozenset({"changed_meanwhile", "invalid_transition"})


@dataclass(frozen=True, slots=True)
class Opened:
    """A declaration as loaded for review: itself, its earlier versions, its rules check."""

    detail: ReviewDetail
    versions: tuple[ReviewDetail, ...]
    """The whole chain known, oldest first, ending with ``detail``."""
    missing_versions: bool
    check: RulesCheck


def decided_meanwhile(opened: ReviewDetail, fresh: ReviewDetail) -> bool:
    """Whether the declaration moved on since the reviewer opened it."""
    return fresh.status is not opened.status or fresh.updated_at != opened.updated_at


def subject_line(detail: ReviewDetail) -> str:
    subject = detail.declaration.subject
    name = f"{subject.family_name} {subject.given_name}"
    return f"{name} {subject.chinese_name}" if subject.chinese_name else name


async def earlier_versions(api: ApiClient, detail: ReviewDetail) -> tuple[list[ReviewDetail], bool]:
    """The versions ``detail`` replaced, oldest first, and whether one could not be read (it
    belongs to another consulate's queue)."""
    found: list[ReviewDetail] = []
    previous = detail.replaces
    for _ in range(MAX_REDECLARATIONS):
        if previous is None:
            return found[::-1], False
        try:
            version = await api.get_review(previous)
        except NotFound:
            return found[::-1], True
        found.append(version)
        previous = version.replaces
    return found[::-1], previous is not None


class DeclarationScreen(ConsoleScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        key("approve", "a"),
        key("reject", "r"),
        key("supplement", "s"),
        key("next", "n"),
        key("previous", "p", show=False),
        key("open_file", "o"),
        key("reload", "f5", show=False),
        key("back", "escape"),
        *(key(f"tab_{name}", str(n), show=False) for n, name in enumerate(TABS, start=1)),
    ]

    def __init__(self, context: ReviewContext, declaration_id: str) -> None:
        super().__init__()
        self.context = context
        self.declaration_id = declaration_id
        self.opened: Opened | None = None
        self.tab = "fields"
        self.outcome: str | None = None

    # --- layout ------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        opened = self.opened
        if opened is None or opened.detail.id != self.declaration_id:
            yield Label(tr("review.declaration.loading"), id="heading")
            yield LoadingIndicator()
            yield KeyFooter(spare=["quit", "next"])
            return
        detail = opened.detail
        yield Label(self._heading(detail), id="heading", markup=False)
        yield Static(self.outcome or "", id="outcome", markup=False)
        with TabbedContent(initial=f"tab-{self.tab}", id="tabs"):
            with TabPane(tr("review.tab.fields"), id="tab-fields"):
                yield DeclarationFields(
                    detail.declaration,
                    opened.check.problems(),
                    attachments=detail.attachments,
                    id="fields",
                )
            rules_title = tr("review.tab.rules" if opened.check.passed else "review.tab.rules_bad")
            with TabPane(rules_title, id="tab-rules"):
                yield RulesView(opened.check, id="rules")
            with TabPane(tr("review.tab.files", n=len(detail.attachments)), id="tab-files"):
                yield AttachmentList(detail.attachments, detail.history, id="attachments")
            with TabPane(tr("review.tab.versions", n=len(opened.versions)), id="tab-versions"):
                yield VersionsView(opened.versions, missing=opened.missing_versions, id="versions")
            with TabPane(tr("review.tab.audit"), id="tab-audit"):
                yield AuditTrail(detail.history, id="audit")
        reply = latest_reply(detail.history)
        if detail.review_note or reply is not None:
            # the request and its answer may be long (2000 characters each): they scroll
            # within a part of the window, so the tabs keep theirs
            with VerticalScroll(id="review-exchange"):
                if detail.review_note:
                    yield Label(
                        tr("review.declaration.note", note=detail.review_note),
                        id="review-note",
                        markup=False,
                    )
                if reply is not None:
                    yield Label(self._reply_text(reply), id="review-reply", markup=False)
        yield KeyFooter(spare=["quit", "next"])

    def _reply_text(self, reply: Reply) -> str:
        note = reply.note or tr("review.none")
        return tr("review.declaration.reply", at=when(reply.at), files=reply.files, note=note)

    def _heading(self, detail: ReviewDetail) -> str:
        document = detail.declaration.subject.document
        parts = [
            subject_line(detail),
            f"{value_text(document.type)} {document.number}",
            value_text(detail.status),
        ]
        if detail.queue_position is not None:
            parts.append(tr("review.declaration.position", n=detail.queue_position + 1))
        return " | ".join(parts)

    def on_mount(self) -> None:
        self.load(self.declaration_id)

    async def show_again(self) -> None:
        await self.recompose()
        self._show_outcome()
        self._focus_tab()

    def _show_outcome(self) -> None:
        outcome = self.query("#outcome")
        if outcome:
            outcome.first(Static).display = bool(self.outcome)

    def _focus_tab(self) -> None:
        focus_ids = {
            "fields": "#fields",
            "rules": "#rules",
            "files": "#files",
            "versions": "#versions",
            "audit": "#audit",
        }
        found = self.query(focus_ids[self.tab])
        if found:
            found.first().focus()

    @on(TabbedContent.TabActivated, "#tabs")
    def _tab_changed(self, event: TabbedContent.TabActivated) -> None:
        pane = event.pane.id or ""
        self.tab = pane.removeprefix("tab-") or "fields"

    # --- loading -----------------------------------------------------------------------------

    @work(exclusive=True, group="review-load", exit_on_error=False)
    async def load(self, declaration_id: str, *, outcome: str | None = None) -> None:
        """Open ``declaration_id`` (the same one again after a refusal, or the next one)."""
        api = self.context.api
        if api is None:
            return
        follow_language()
        if declaration_id != self.declaration_id:
            self.declaration_id, self.tab = declaration_id, "fields"
            await self.recompose()
        self.outcome = outcome
        try:
            detail = await api.get_review(declaration_id)
            versions, missing = await earlier_versions(api, detail)
        except ApiError as error:
            self.post_message(CallFailed(error))
            return
        checked = await asyncio.to_thread(
            check, detail.declaration, self.context.rules, self.context.clock()
        )
        self.opened = Opened(detail, (*versions, detail), missing, checked)
        if detail.status not in IN_REVIEW and self.outcome is None:
            self.outcome = tr("review.declaration.not_in_review", status=value_text(detail.status))
        await self.show_again()
        self.refresh_bindings()

    # --- deciding ----------------------------------------------------------------------------

    def allows(self, decision: Decision) -> bool:
        """Whether the declaration, as loaded, can take ``decision``."""
        opened = self.opened
        if opened is None or opened.detail.id != self.declaration_id:
            return False
        return can_transition(opened.detail.status, OUTCOMES[decision])

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Decision keys show dimmed when the declaration's status does not allow them (a
        declaration waiting for material can be rejected, not approved)."""
        if action in ACTIONS:
            return True if self.allows(ACTIONS[action]) else None
        return True

    def action_approve(self) -> None:
        self.decide(Decision.APPROVE)

    def action_reject(self) -> None:
        self.decide(Decision.REJECT)

    def action_supplement(self) -> None:
        self.decide(Decision.REQUEST_SUPPLEMENT)

    @work(exclusive=True, group="decision", exit_on_error=False)
    async def decide(self, decision: Decision) -> None:
        from itdeclare.screens.review.confirm import ConfirmDecision
        from itdeclare.screens.review.note import NoteModal

        opened, api = self.opened, self.context.api
        if opened is None or api is None or opened.detail.id != self.declaration_id:
            return
        detail = opened.detail
        if not self.allows(decision):
            return
        who = subject_line(detail)
        note: str | None = None
        if decision is not Decision.APPROVE:
            note = await self.app.push_screen_wait(NoteModal(decision, who))
            if note is None:
                return
        if not await self.app.push_screen_wait(ConfirmDecision(decision, who, note)):
            return
        await self._send(api, detail, decision, note)

    async def _send(
        self, api: ApiClient, detail: ReviewDetail, decision: Decision, note: str | None
    ) -> None:
        follow_language()
        try:
            fresh = await api.get_review(detail.id)
            if decided_meanwhile(detail, fresh):
                self._refused(fresh, None)
                return
            await api.decide(detail.id, decision, note, seen=detail.updated_at)
        except Conflict as error:
            self._refused(await self._as_it_is_now(api, detail.id), error)
            return
        except ApiError as error:
            self.post_message(CallFailed(error))
            if not isinstance(error, Unauthorized):
                self.load(detail.id)  # a lost answer: show whether the decision was recorded
            return
        self.notify(tr(f"review.decided.{decision.value}", name=subject_line(detail)))
        queue = self.context.queue
        following = queue.next_after(detail.id)
        queue.drop(detail.id)
        if following is None:
            self.app.pop_screen()
            self.app.notify(tr("review.queue.done"))
            return
        self.load(following)

    @staticmethod
    async def _as_it_is_now(api: ApiClient, declaration_id: str) -> ReviewDetail | None:
        """The declaration after a refusal: it may still be in review (material was asked
        for, or sent), so it keeps its row in the list; ``None`` if it cannot be read."""
        try:
            return await api.get_review(declaration_id)
        except ApiError:
            return None

    def _refused(self, fresh: ReviewDetail | None, error: Conflict | None) -> None:
        """Another hand decided first, or the declaration's state refuses the decision (its
        trip is over, its document is another chain's): say which, and show it as it is now."""
        if error is not None and error.code not in DECIDED_BY_ANOTHER:
            outcome = error_text(error)
        else:
            outcome = tr("review.declaration.decided_meanwhile")
            if fresh is not None:
                outcome += " " + tr("review.declaration.now", status=value_text(fresh.status))
            if error is not None:
                outcome += " " + error_text(error)
        self.notify(outcome, severity="error", timeout=10)
        if fresh is None or fresh.status not in IN_REVIEW:
            self.context.queue.drop(self.declaration_id)
        self.load(self.declaration_id, outcome=outcome)

    # --- moving ------------------------------------------------------------------------------

    def action_next(self) -> None:
        following = self.context.queue.next_after(self.declaration_id)
        if following is None or following == self.declaration_id:
            self.notify(tr("review.declaration.no_next"))
            return
        self.load(following)

    def action_previous(self) -> None:
        previous = self.context.queue.previous_before(self.declaration_id)
        if previous is None:
            self.notify(tr("review.declaration.no_previous"))
            return
        self.load(previous)

    def action_reload(self) -> None:
        self.load(self.declaration_id)

    def action_back(self) -> None:
        self.app.pop_screen()

    def _switch_tab(self, name: str) -> None:
        tabs = self.query(TabbedContent)
        if tabs:
            tabs.first().active = f"tab-{name}"
            self.tab = name
            self._focus_tab()

    def action_tab_fields(self) -> None:
        self._switch_tab("fields")

    def action_tab_rules(self) -> None:
        self._switch_tab("rules")

    def action_tab_files(self) -> None:
        self._switch_tab("files")

    def action_tab_versions(self) -> None:
        self._switch_tab("versions")

    def action_tab_audit(self) -> None:
        self._switch_tab("audit")

    # --- attachments -------------------------------------------------------------------------

    def action_open_file(self) -> None:
        lists = self.query(AttachmentList)
        if not lists:
            return
        if self.tab != "files":
            self._switch_tab("files")
        lists.first().request_open()

    @on(AttachmentList.OpenRequested)
    def _open_requested(self, event: AttachmentList.OpenRequested) -> None:
        self.open_attachment(event.attachment.id)

    @work(exclusive=True, group="attachment", exit_on_error=False)
    async def open_attachment(self, attachment_id: str) -> None:
        opened, api = self.opened, self.context.api
        if opened is None or api is None:
            return
        found = [a for a in opened.detail.attachments if a.id == attachment_id]
        if not found:
            return
        attachment = found[0]
        panel = self.query_one(AttachmentList)
        panel.note(tr("review.files.downloading"))
        follow_language()
        try:
            data = await api.get_review_attachment(opened.detail.id, attachment.id)
            path = await asyncio.to_thread(
                self.context.downloads.save,
                attachment.id,
                attachment.content_type,
                data,
                attachment.sha256,
            )
        except ApiError as error:
            panel.note(error_text(error), error=True)
            return
        except ChecksumMismatch as mismatch:
            panel.note(tr("review.files.mismatch", actual=mismatch.actual), error=True)
            return
        except OSError as error:
            panel.note(tr("review.files.unsaved", reason=error.strerror or error), error=True)
            return
        opener = await asyncio.to_thread(self.context.opener)
        if opener is None:
            panel.note(tr("review.files.no_viewer", path=path))  # its metadata shows above
            return
        try:
            await asyncio.to_thread(opener, path)
        except OSError as error:
            panel.note(tr("review.files.viewer_failed", reason=error, path=path), error=True)
            return
        panel.note(tr("review.files.opened", path=path))
