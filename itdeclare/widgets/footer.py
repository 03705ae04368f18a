"""The footer of every screen: Textual's, rebuilt only when the keys it shows change."""

from __future__ import annotations

from textual.widgets import Footer


class KeyFooter(Footer):
    """Textual's footer rebuilds all its keys each time the screen signals that its bindings
    changed, which happens several times while a screen starts (focus moves, texts are
    translated, actions become possible), mostly with the same keys; every rebuild mounts and
    styles each key again. This one compares what it would show and rebuilds only on a change.

    In a compact footer a group's keys (``^up ^down Move``) are spaced as the other keys are:
    Textual's run together with the group's label and the next key (``^up^down Move^q``).
    """

    DEFAULT_CSS = """
    KeyFooter.-compact {
        KeyGroup { margin: 0; padding: 0; }
        KeyGroup > FooterKey.-grouped { margin: 0; padding: 0 1 0 0; }
        FooterLabel { margin: 0 1 0 0; }
    }
    """

    def __init__(self, *, compact: bool = False) -> None:
        super().__init__(compact=compact)
        self._shown: tuple[object, ...] | None = None

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
        return (self.compact, self.show_command_palette, bindings)
