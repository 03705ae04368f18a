"""Earlier versions of a declaration's chain and, between each two, the fields that changed."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Label

from itdeclare.client import ReviewDetail
from itdeclare.models.diff import FieldChange, Leaf, field_changes
from itdeclare.reviewing.fields import loc_label
from itdeclare.reviewing.text import value_text, when
from itdeclare.wording import tr


def leaf_text(value: Leaf) -> str:
    if value is None:
        return tr("review.none")
    if isinstance(value, bool):
        return tr(f"review.yes_no.{value}")
    return str(value)


class ChangeTable(DataTable[Text]):
    DEFAULT_CSS = """
    ChangeTable { height: auto; margin-bottom: 1; }
    """

    def __init__(self, changes: Sequence[FieldChange]) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True)
        self.changes = list(changes)

    def on_mount(self) -> None:
        for key in ("field", "before", "after"):
            self.add_column(tr(f"review.versions.column.{key}"), key=key)
        for change in self.changes:
            self.add_row(
                Text(loc_label(change.loc)),
                Text(leaf_text(change.old)),
                Text(leaf_text(change.new)),
            )


class VersionsView(VerticalScroll):
    """``versions`` oldest first, the one under review last."""

    DEFAULT_CSS = """
    VersionsView {
        height: 1fr;
        padding: 0 1;
        & Label { width: 1fr; }
        & .heading { text-style: bold; color: $text-accent; margin-top: 1; }
        & .-current { text-style: bold; }
        & .missing { color: $text-warning; }
    }
    """

    def __init__(
        self, versions: Sequence[ReviewDetail], *, missing: bool = False, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self.versions = list(versions)
        self.missing = missing

    def compose(self) -> ComposeResult:
        count = len(self.versions)
        if self.missing:
            yield Label(tr("review.versions.missing"), classes="missing")
        if count <= 1:
            yield Label(tr("review.versions.first"))
            return
        yield Label(tr("review.versions.list"), classes="heading")
        for number, version in enumerate(self.versions, start=1):
            line = tr(
                "review.versions.line",
                n=number,
                status=value_text(version.status),
                submitted=when(version.created_at),
                id=version.id,
            )
            current = number == count
            yield Label(
                tr("review.versions.current", line=line) if current else line,
                classes="-current" if current else "",
                markup=False,
            )
        for number in range(count - 1, 0, -1):
            older, newer = self.versions[number - 1], self.versions[number]
            changes = field_changes(older.declaration, newer.declaration)
            key = "review.versions.changes_one" if len(changes) == 1 else "review.versions.changes"
            yield Label(
                tr(key, old=number, new=number + 1, count=len(changes)),
                classes="heading",
            )
            if changes:
                yield ChangeTable(changes)
            else:
                yield Label(tr("review.versions.no_changes"))
