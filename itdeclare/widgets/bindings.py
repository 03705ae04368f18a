"""Key bindings whose descriptions and tooltips follow the interface language.

Every binding of the app has an ``id`` (which is also what ``settings.keymap`` remaps); its
footer text is ``app.keys.<id>`` and its tooltip ``app.tips.<id>`` in the catalogue. Textual
copies a class's bindings into each instance, so translating means replacing those copies,
on creation and again whenever the language changes.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Protocol, runtime_checkable

from textual.binding import Binding
from textual.dom import DOMNode

from itdeclare.i18n import has_text
from itdeclare.widgets.text import tr


@runtime_checkable
class Relabel(Protocol):
    """A screen that can show itself again in a new language, keeping what was typed."""

    async def relabel(self) -> None: ...


def translated(binding: Binding) -> Binding:
    if binding.id is None or not has_text(f"app.keys.{binding.id}"):
        return binding
    tooltip_key = f"app.tips.{binding.id}"
    return replace(
        binding,
        description=tr(f"app.keys.{binding.id}"),
        tooltip=tr(tooltip_key) if has_text(tooltip_key) else binding.tooltip,
    )


def translate_bindings(node: DOMNode) -> None:
    """Give ``node``'s own bindings the texts of the current language."""
    bindings = node._bindings.key_to_bindings
    for key, entries in bindings.items():
        bindings[key] = [translated(binding) for binding in entries]
