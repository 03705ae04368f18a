"""The console's key bindings: each has an id ``review.<name>`` (which is also what
``settings.keymap`` remaps), so :func:`itdeclare.widgets.bindings.translate_bindings` finds its
footer text at ``review.keys.<name>`` and its tooltip at ``review.tips.<name>``."""

from __future__ import annotations

from textual.binding import Binding


def key(name: str, keys: str, *, show: bool = True, priority: bool = False) -> Binding:
    """The binding ``review.<name>`` to the action ``<name>`` (texts filled in later)."""
    return Binding(keys, name, name, show=show, priority=priority, id=f"review.{name}")
