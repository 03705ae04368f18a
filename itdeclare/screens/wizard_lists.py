"""The wizard's list steps and the filer's details: adding, removing and moving the items of
a list step (legs, tests, doses), and copying the filer's contact details into a relative's
draft. The wizard (``screens/wizard.py``) builds on this class."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.widget import Widget
from textual.widgets import Button

from itdeclare.journey.form import ListSpec, Step, field_id
from itdeclare.journey.form_state import WizardState
from itdeclare.screens.base import TravellerScreen
from itdeclare.widgets.wizard.review import ReviewView
from itdeclare.widgets.wizard.step import FilerOffer, ItemEditor, StepView
from itdeclare.wording import tr

if TYPE_CHECKING:
    from itdeclare.journey.context import TravellerContext
    from itdeclare.storage.records import Draft

StepWidget = StepView | ReviewView


class WizardLists(TravellerScreen[None]):
    context: TravellerContext
    draft: Draft
    state: WizardState
    step: Step

    @property
    def view(self) -> StepWidget:
        widget = self.query_one(f"#step-{self.step.id}")
        assert isinstance(widget, (StepView, ReviewView))
        return widget

    def _save_soon(self) -> None:
        self.context.saver().schedule(self.draft)

    def _after_show(self, focus: str | None) -> None:
        """Focus ``focus`` (a widget id) on the step shown: the wizard knows how."""
        raise NotImplementedError

    # --- lists ---

    def _focused_item(self) -> ItemEditor | None:
        focused = self.focused
        while focused is not None and not isinstance(focused, ItemEditor):
            parent = focused.parent
            focused = parent if isinstance(parent, Widget) else None
        return focused

    async def action_add_item(self) -> None:
        spec = self.step.items
        if spec is None:
            return
        index = self.state.add_item(spec)
        if index is None:
            self.notify(tr("wizard.list_full"), severity="warning")
            return
        await self._rebuild(f"{spec.path}.{index}.{spec.fields[0].path}")

    async def action_remove_item(self) -> None:
        item = self._focused_item()
        if item is not None and self.step.items is not None:
            await self._change_item(self.step.items, item.index, 0)

    async def action_move_item(self, delta: int) -> None:
        item = self._focused_item()
        if item is not None and self.step.items is not None:
            await self._change_item(self.step.items, item.index, delta)

    @on(ItemEditor.Action)
    async def _item_action(self, event: ItemEditor.Action) -> None:
        await self._change_item(event.spec, event.index, event.delta)

    async def _change_item(self, spec: ListSpec, index: int, delta: int) -> None:
        """Remove the item (``delta`` 0) or move it by ``delta``, keeping the focus on it."""
        focused = self.focused.id if self.focused else None
        suffix = focused.split("--", 2)[-1] if focused else spec.fields[0].path
        if delta == 0:
            if not self.state.remove_item(spec, index):
                self.notify(tr("wizard.list_min"), severity="warning")
                return
            remaining = len(self.state.items(spec))
            target = min(index, remaining - 1)
            focus = f"{spec.path}.{target}.{spec.fields[0].path}" if remaining else None
        else:
            moved = self.state.move_item(spec, index, delta)
            if moved is None:
                return
            focus = f"{spec.path}.{moved}.{suffix}"
        await self._rebuild(focus)

    @on(Button.Pressed, ".list--add")
    async def _add_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        await self.action_add_item()

    async def _rebuild(self, focus_loc: str | None) -> None:
        """Rebuild the current step after its list changed shape, and save."""
        view = self.view
        await view.recompose()
        self._save_soon()
        self._after_show(field_id(focus_loc) if focus_loc else None)

    # --- filing for someone else ---

    @on(FilerOffer.Accepted)
    async def _accept_offer(self) -> None:
        await self.action_copy_filer()

    async def action_copy_filer(self) -> None:
        changed = self.state.copy_from_filer()
        if not changed:
            return
        view = self.view
        if isinstance(view, StepView):
            for loc in changed:
                form_field = view.field(loc)
                if form_field is not None:
                    form_field.set_text(self.state.text(loc))
            offer = view.query(FilerOffer)
            if offer:
                await offer.remove()
        self._save_soon()
        self.notify(tr("wizard.filer.copied"))
        self.refresh_bindings()
