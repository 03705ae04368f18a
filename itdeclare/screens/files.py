"""Choosing a file to upload: browse the folders, or type (or paste) its path.

The tree shows folders and the kinds of file the review service takes (PDF, JPEG, PNG); the
service judges a file by its content, so the name's suffix only narrows the list.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import DirectoryTree, Input, Static

from itdeclare.screens.base import TravellerModal
from itdeclare.widgets.footer import KeyFooter
from itdeclare.wording import tr

#: The suffixes of the files the review service takes.
UPLOADABLE = frozenset({".pdf", ".jpg", ".jpeg", ".png"})


class UploadableTree(DirectoryTree):
    """Folders (hidden ones aside) and uploadable files."""

    def filter_paths(self, paths: Iterable[Path]) -> Iterable[Path]:
        return [
            path
            for path in paths
            if not path.name.startswith(".")
            and (path.is_dir() or path.suffix.lower() in UPLOADABLE)
        ]


class FilePickerModal(TravellerModal[Path | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="journey.files.cancel"),
    ]

    def __init__(self, start: Path) -> None:
        super().__init__(classes="dialog", id="file-picker")
        self.start = start

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog--box"):
            yield Static(tr("journey.files.title"), classes="dialog--title")
            yield Input(placeholder=tr("journey.files.path"), id="file-path")
            yield Static("", id="file-problem", markup=False)
            yield UploadableTree(self.start, id="file-tree")
        yield KeyFooter(compact=True)

    def on_mount(self) -> None:
        # The path first, as its placeholder invites (a path pasted from a file manager);
        # Tab goes on to the folders.
        self.query_one("#file-path", Input).focus()

    @on(DirectoryTree.FileSelected)
    def _chosen(self, event: DirectoryTree.FileSelected) -> None:
        event.stop()
        self.dismiss(event.path)

    @on(Input.Submitted, "#file-path")
    def _typed(self, event: Input.Submitted) -> None:
        event.stop()
        path = Path(event.value.strip().strip("'\"")).expanduser()
        problem = None
        if not event.value.strip():
            problem = tr("journey.files.empty")
        elif not path.is_file():
            problem = tr("journey.files.missing", path=str(path))
        elif path.suffix.lower() not in UPLOADABLE:
            problem = tr("journey.files.kind")
        if problem is not None:
            self.query_one("#file-problem", Static).update(problem)
            return
        self.dismiss(path)

    def action_cancel(self) -> None:
        self.dismiss(None)
