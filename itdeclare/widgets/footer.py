"""The footer of every screen: Textual's, rebuilt only when the keys it shows change."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import groupby
from typing import Any

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey


class KeyFooter(Footer):
    """Textual's footer rebuilds all its keys each time the screen signals that its bindings
    changed, which happens several times while a screen starts (focus moves, texts are
    translated, actions become possible), mostly with the same keys; every rebuild mounts and
    styles each key again. This one compares what it would show and rebuilds only on a change.

    In a compact footer a group's keys (``^up ^down Move``) are spaced as the other keys are:
    Textual's run together with the group's label and the next key (``^up^down Move^q``).

    Keys that do not fit are drawn over by the palette's key or cut at the edge. A screen
    may name ``spare`` actions: their keys are left out when the footer has no room for all
    (they still work).
    """

    DEFAULT_CSS = """
    KeyFooter.-compact {
        KeyGroup { margin: 0; padding: 0; }
        KeyGroup > FooterKey.-grouped { margin: 0; padding: 0 1 0 0; }
        FooterLabel { margin: 0 1 0 0; }
    }
    """

    def __init__(self, *, compact: bool = False, spare: Iterable[str] = ()) -> None:
        super().__init__(compact=compact)
        self._shown: tuple[object, ...] | None = None
        self._spare = frozenset(spare)
        self._left_out: frozenset[str] = frozenset()

    def compose(self) -> ComposeResult:
        for widget in super().compose():
            if not (isinstance(widget, FooterKey) and widget.action in self._left_out):
                yield widget

    def on_resize(self) -> None:
        if self.is_attached:
            self.call_later(self.recompose)  # in the footer's own task, as Textual's keys bind

    def watch_show_command_palette(self) -> None:
        # Textual's footer shows the change only at the next bindings signal (a resize of the
        # wizard hides the palette key to make room: it should go at once).
        if self.is_attached:
            self.call_after_refresh(self.recompose)

    async def recompose(self) -> None:
        shown = self._keys_to_show()
        if shown == self._shown:
            return
        self._shown = shown
        await super().recompose()

    def _keys_to_show(self) -> tuple[object, ...] | None:
        if not self._bindings_ready or not self.is_attached:
            return None
        bindings = tuple(
            (binding, self.app.get_key_display(binding), enabled, tooltip)
            for _node, binding, enabled, tooltip in self.screen.active_bindings.values()
        )
        self._left_out = self._leave_out(bindings)
        return (self.compact, self.show_command_palette, self._left_out, bindings)

    def _leave_out(self, bindings: tuple[tuple[Any, str, bool, str], ...]) -> frozenset[str]:
        """The actions whose keys are not shown: none when all fit, else the spare ones, else
        the palette's too (ctrl+p still opens it), so that no key is drawn over another."""
        width = self.size.width
        palette = self.screen.active_bindings.get(self.app.COMMAND_PALETTE_BINDING)
        tighter = self._spare | ({palette[1].action} if palette is not None else set())
        for left_out in (frozenset(), self._spare):
            if not width or self._width_needed(bindings, left_out) <= width:
                return left_out
        return tighter

    def _width_needed(
        self, bindings: tuple[tuple[Any, str, bool, str], ...], left_out: frozenset[str]
    ) -> int:
        """Columns the footer's keys take, laid out as Textual's footer lays them out: one key
        per action with its description and a space (and a space before the key when not
        compact), a group of actions' keys side by side with the group's description once
        (``^up ^down Move``), and the palette's key with its bar."""
        padding = 0 if self.compact else 1
        first_of_action: dict[str, tuple[Any, str]] = {}
        for binding, display, _enabled, _tooltip in bindings:
            if binding.show and binding.action not in left_out:
                first_of_action.setdefault(binding.action, (binding, display))
        needed = 0
        for group, members in groupby(first_of_action.values(), lambda shown: shown[0].group):
            keys = list(members)
            if group is not None and len(keys) > 1:
                needed += sum(cell_len(display) + 1 for _, display in keys)
                needed += cell_len(group.description) + 1
            else:
                needed += sum(
                    padding + cell_len(display) + 1 + cell_len(binding.description) + 1
                    for binding, display in keys
                )
        palette = self.screen.active_bindings.get(self.app.COMMAND_PALETTE_BINDING)
        if self.show_command_palette and palette is not None and palette[1].action not in left_out:
            binding = palette[1]
            needed += 1 + cell_len(self.app.get_key_display(binding)) + 1
            needed += cell_len(binding.description)
        return needed
