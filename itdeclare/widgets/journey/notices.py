"""What the user is told when a declaration's status moves while the app is open."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Literal

from itdeclare.journey.text import status_text
from itdeclare.models import DeclarationStatus as S
from itdeclare.wording import tr

if TYPE_CHECKING:
    from textual.app import App

    from itdeclare.journey.snapshot import Change

Severity = Literal["information", "warning", "error"]

_NOTICES: dict[S, tuple[str, Severity]] = {
    S.APPROVED: ("journey.notice.approved", "information"),
    S.SUPPLEMENT_REQUESTED: ("journey.notice.supplement", "warning"),
    S.REJECTED: ("journey.notice.rejected", "error"),
    S.REVOKED: ("journey.notice.revoked", "warning"),
}


def notice(change: Change, name: str) -> tuple[str, Severity]:
    key, severity = _NOTICES.get(change.after, ("journey.notice.status", "information"))
    return tr(key, name=name, status=status_text(change.after)), severity


def tell_changes(
    app: App[object], changes: Iterable[Change], name_of: Callable[[str], str]
) -> None:
    """One notification per declaration whose status moved."""
    for change in changes:
        text, severity = notice(change, name_of(change.person_id))
        app.notify(text, severity=severity, timeout=12)
