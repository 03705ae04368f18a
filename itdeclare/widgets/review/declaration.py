"""The declaration's fields, one titled box per group, each problem beside its field."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Label

from itdeclare.client import Attachment
from itdeclare.models import Declaration, Problem
from itdeclare.reviewing.fields import Section, problems_for, sections
from itdeclare.wording import problem_text, tr


class SectionBox(Vertical):
    """One group of fields: label and value per row; a field with a problem is marked."""

    DEFAULT_CSS = """
    SectionBox {
        height: auto;
        border: round $border-blurred;
        border-title-color: $text-accent;
        padding: 0 1;
        & .row { height: auto; }
        & .label { width: 18; color: $text-muted; }
        & .value { width: 1fr; }
        & .-problem .value { color: $text-error; text-style: bold; }
        & .problem { color: $text-error; padding-left: 18; }
        &.-problem { border: round $error; }
    }
    """

    def __init__(self, section: Section, problems: Sequence[Problem] = ()) -> None:
        super().__init__()
        self.section = section
        self.problems = list(problems)
        self.border_title = section.title
        if any(problems_for(row, self.problems) for row in section.rows):
            self.add_class("-problem")

    def compose(self) -> ComposeResult:
        for row in self.section.rows:
            found = problems_for(row, self.problems)
            with Horizontal(classes="row -problem" if found else "row"):
                yield Label(row.label, classes="label", markup=False)
                yield Label(row.value, classes="value", markup=False)
            for problem in found:
                yield Label(
                    tr("review.problem_line", message=problem_text(problem)),
                    classes="problem",
                    markup=False,
                )


class DeclarationFields(VerticalScroll):
    """Every field of the declaration, grouped; on a wide terminal in two columns."""

    DEFAULT_CSS = """
    DeclarationFields {
        height: 1fr;
        layout: grid;
        grid-size: 1;
        grid-rows: auto;
        grid-gutter: 0 1;
    }
    """

    def __init__(
        self,
        declaration: Declaration,
        problems: Sequence[Problem] = (),
        *,
        attachments: Sequence[Attachment] = (),
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.declaration = declaration
        self.problems = list(problems)
        self.attachments = list(attachments)

    def compose(self) -> ComposeResult:
        for section in sections(self.declaration, self.attachments):
            yield SectionBox(section, self.problems)
