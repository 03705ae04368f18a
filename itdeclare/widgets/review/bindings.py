"""Key bindings whose footer texts and tooltips follow the console's language.

Every binding of the console has an id ``review.<name>`` (which is also what
``settings.keymap`` remaps); its footer text is ``review.keys.<name>`` in the catalogue and its
tooltip ``review.tips.<name>``. Textual copies a class's bindings into each instance, so
translating means replacing those copies: on creation, and again when the language changes.
"""

from __future__ import annotations

from dataclasses import replace

from textual.binding import Binding
from textual.dom import DOMNode

from itdeclare.i18n import has_text
from itdeclare.widgets.review.text import tr

PREFIX = "review."


def key(name: str, keys: str, *, show: bool = True, priority: bool = False) -> Binding:
    """The binding ``review.<name>`` to the action ``<name>`` (texts filled in later)."""
    return Binding(keys, name, name, show=show, priority=priority, id=f"{PREFIX}{name}")


def translated(binding: Binding) -> Binding:
    if binding.id is None or not binding.id.startswith(PREFIX):
        return binding
    name = binding.id.removeprefix(PREFIX)
    if not has_text(f"review.keys.{name}"):
        return binding
    tip = f"review.tips.{name}"
    return replace(
        binding,
        description=tr(f"review.keys.{name}"),
        tooltip=tr(tip) if has_text(tip) else binding.tooltip,
    )


def translate_bindings(node: DOMNode) -> None:
    """Give ``node``'s own bindings the texts of the current language."""
    bindings = node._bindings.key_to_bindings
    for keys, entries in bindings.items():
        bindings[keys] = [translated(binding) for binding in entries]
