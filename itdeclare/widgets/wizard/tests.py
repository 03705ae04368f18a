"""The wizard's tests step: the list of tests, with a way to fill one from a picture of its EU
DCC test certificate (a key while a test is being edited, and a button below the list). The
screen picks the picture and reads it (``journey.imports``); this step only asks."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Button

from itdeclare.journey.form import Step
from itdeclare.journey.form_state import WizardState
from itdeclare.widgets.bindings import translate_bindings
from itdeclare.widgets.wizard.step import ItemEditor, StepView
from itdeclare.wording import tr


class TestsView(StepView):
    """The tests step, built like any list step, plus the import."""

    __test__ = False  # not a pytest class, whatever its name

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+t", "import_test", "Import", id="wizard.import_test"),
    ]

    class ImportRequested(Message):
        """Fill the test ``test_index`` from a certificate (``None``: a new test)."""

        def __init__(self, test_index: int | None) -> None:
            super().__init__()
            self.test_index = test_index

    def __init__(self, state: WizardState, step: Step, *, filer_name: str | None = None) -> None:
        super().__init__(state, step, filer_name=filer_name)
        translate_bindings(self)

    def compose(self) -> ComposeResult:
        yield from super().compose()
        yield Button(
            tr("wizard.import.button"), id="import-test", classes="list--add", compact=True
        )

    def action_import_test(self) -> None:
        self.post_message(self.ImportRequested(self._focused_index()))

    @on(Button.Pressed, "#import-test")
    def _import_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(self.ImportRequested(None))

    def _focused_index(self) -> int | None:
        node: Widget | None = self.screen.focused
        while node is not None and node is not self:
            if isinstance(node, ItemEditor):
                return node.index
            parent = node.parent
            node = parent if isinstance(parent, Widget) else None
        return None
