"""The audit trail: every step of the declaration's life, who took it and what they wrote."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import DataTable

from itdeclare.client import StatusChange
from itdeclare.i18n import has_text
from itdeclare.reviewing.text import value_text, when
from itdeclare.wording import tr


def action_text(action: str | None) -> str:
    """``request_supplement`` → ``asked for material``; an action this console does not know
    yet is shown as the server named it."""
    if not action:
        return tr("review.none")
    key = f"review.action.{action}"
    return tr(key) if has_text(key) else action


def actor_text(step: StatusChange) -> str:
    kind = step.actor or "system"
    key = f"review.actor.{kind}"
    name = tr(key) if has_text(key) else kind
    return f"{name} {step.actor_id}" if step.actor_id else name


class AuditTrail(DataTable[str | Text]):
    DEFAULT_CSS = """
    AuditTrail { height: 1fr; }
    """

    def __init__(self, history: Sequence[StatusChange], *, id: str | None = None) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, id=id)
        self.history = list(history)

    def on_mount(self) -> None:
        for key in ("at", "action", "status", "actor", "note", "files"):
            self.add_column(tr(f"review.audit.column.{key}"), key=key)
        for step in self.history:
            self.add_row(
                when(step.at),
                action_text(step.action),
                value_text(step.status),
                Text(actor_text(step)),
                Text(step.note or ""),
                str(len(step.attachment_ids)) if step.attachment_ids else "",
            )
