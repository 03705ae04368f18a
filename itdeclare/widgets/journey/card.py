"""One declaration as the traveller follows it: status, place in the queue, the consulate's words,
and its history."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from itdeclare.journey.chain import history_lines
from itdeclare.journey.text import status_text, wait_text, when
from itdeclare.models import DeclarationStatus as S
from itdeclare.wording import language, tr

if TYPE_CHECKING:
    from itdeclare.client import DeclarationDetail

#: The CSS class of each status: how it is coloured (theme variables only).
_TONE = {
    S.PENDING_REVIEW: "-waiting",
    S.SUPPLEMENT_REQUESTED: "-asked",
    S.APPROVED: "-good",
    S.REJECTED: "-bad",
    S.CANCELLED: "-over",
    S.REVOKED: "-bad",
    S.EXPIRED: "-over",
}


def headline(detail: DeclarationDetail) -> str:
    """The status in words, with the place in the queue while in review."""
    position = detail.queue_position
    if detail.status is S.PENDING_REVIEW and position is not None:
        place = (
            tr("journey.status.next")
            if position == 0
            else tr("journey.status.ahead", ahead=position)
        )
        return tr("journey.status.with_wait", status=place, wait=wait_text(detail.estimated_wait_s))
    if detail.status is S.APPROVED:
        return tr("journey.status.approved")
    return tr("journey.status.plain", status=status_text(detail.status))


def consulate_name(code: str) -> str:
    """``USA`` → ``United States (USA)``: a consulate is named by its country's code."""
    from itdeclare.models import reference

    country = reference.country(code)
    return tr("journey.status.named", name=country.name(language()), code=code) if country else code


def facts(detail: DeclarationDetail) -> str:
    # Ids begin with the time they were made, so a chain's declarations share their first
    # digits: the last eight (random) tell them apart.
    submitted = detail.created_at or (detail.history[0].at if detail.history else None)
    lines = [
        tr("journey.status.consulate", consulate=consulate_name(detail.consulate)),
        tr("journey.status.submitted", at=when(submitted), id=detail.id[-8:]),
        tr("journey.status.redeclarations", left=detail.redeclarations_left),
    ]
    if detail.replaced_by is not None:
        lines.append(tr("journey.status.replaced", id=detail.replaced_by[-8:]))
    return "\n".join(lines)


def note(detail: DeclarationDetail) -> str:
    """The consulate's words to the traveller: its request, or its reason to refuse."""
    if not detail.review_note:
        return ""
    if detail.status is S.SUPPLEMENT_REQUESTED:
        return tr("journey.status.request", note=detail.review_note)
    if detail.status is S.REJECTED:
        return tr("journey.status.reason", note=detail.review_note)
    return tr("journey.status.note", note=detail.review_note)


class DeclarationCard(VerticalScroll):
    DEFAULT_CSS = """
    DeclarationCard {
        height: 1fr;
        padding: 0 1;
        & > .card--headline { text-style: bold; padding: 1 1 0 1; }
        & > .card--headline.-waiting { color: $text-primary; }
        & > .card--headline.-asked { color: $text-warning; }
        & > .card--headline.-good { color: $text-success; }
        & > .card--headline.-bad { color: $text-error; }
        & > .card--headline.-over { color: $text-muted; }
        & > .card--facts { padding: 0 1 1 1; color: $text-muted; }
        & > .card--note { padding: 0 1 1 1; border-left: thick $warning; }
        & > .card--note.-empty { display: none; }
        & > .card--history-title { padding: 0 1; text-style: bold; }
        & > .card--history { padding: 0 1 1 1; }
    }
    """

    def __init__(
        self, detail: DeclarationDetail, versions: Sequence[DeclarationDetail] = ()
    ) -> None:
        """``versions``: the chain, oldest first, ending with ``detail`` (``journey.chain``);
        without it, ``detail``'s own history."""
        super().__init__(id="declaration-card")
        self.detail = detail
        self.versions = list(versions) or [detail]

    def compose(self) -> ComposeResult:
        detail = self.detail
        yield Static(
            headline(detail), classes=f"card--headline {_TONE[detail.status]}", markup=False
        )
        yield Static(facts(detail), classes="card--facts", markup=False)
        words = note(detail)
        yield Static(words, classes="card--note" + ("" if words else " -empty"), markup=False)
        yield Static(tr("journey.history.title"), classes="card--history-title")
        lines = "\n".join(history_lines(self.versions))
        yield Static(lines, classes="card--history", markup=False)
