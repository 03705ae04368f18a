"""Key bindings whose descriptions and tooltips follow the interface language.

Every binding of the app has an ``id`` (which is also what ``settings.keymap`` remaps); its
footer text is ``app.keys.<id>`` and its tooltip ``app.tips.<id>`` in the catalogue (or, for an
id whose first part names an area with texts of its own, ``<area>.keys.<rest>``). Textual
copies a class's bindings into each instance, so translating means replacing those copies,
on creation and again whenever the language changes.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Protocol, runtime_checkable

from textual.binding import Binding
from textual.dom import DOMNode
from textual.screen import Screen

from itdeclare.i18n import has_text
from itdeclare.wording import tr


@runtime_checkable
class Relabel(Protocol):
    """A screen that can show itself again in a new language, keeping what was typed."""

    async def relabel(self) -> None: ...


def _area_of(text_id: str) -> tuple[str, str]:
    """The catalogue area holding a binding's texts, and its id there: ``app`` for the app's
    own ids, the id's first part for an area that keeps its own (``journey.status.refresh`` is
    ``keys.status.refresh`` in ``journey.toml``)."""
    area, _, rest = text_id.partition(".")
    if rest and area != "app" and has_text(f"{area}.keys.{rest}"):
        return area, rest
    return "app", text_id


def translated(binding: Binding, text_id: str | None = None) -> Binding:
    """``binding`` with its footer text, tooltip and group label in the current language."""
    text_id = text_id or binding.id
    if text_id is None:
        return binding
    area, text_id = _area_of(text_id)
    if not has_text(f"{area}.keys.{text_id}"):
        return binding
    tooltip_key = f"{area}.tips.{text_id}"
    group = binding.group
    if group is not None and has_text(f"app.groups.{group.description}"):
        group = Binding.Group(tr(f"app.groups.{group.description}"), compact=group.compact)
    return replace(
        binding,
        description=tr(f"{area}.keys.{text_id}"),
        tooltip=tr(tooltip_key) if has_text(tooltip_key) else binding.tooltip,
        group=group,
    )


def translate_bindings(node: DOMNode, by_action: dict[str, str] | None = None) -> None:
    """Give ``node``'s bindings the texts of the current language.

    The texts are made afresh from the bindings its class declares (where a group's
    description is a catalogue id), so switching languages back and forth loses nothing.
    ``by_action`` names the texts of bindings without an id (a Textual widget's), by action.
    """
    declared = type(node)._merged_bindings
    if declared is None:
        return
    by_action = by_action or {}
    bindings = node._bindings.key_to_bindings
    for key, entries in declared.key_to_bindings.items():
        bindings[key] = [translated(b, by_action.get(b.action)) for b in entries]


async def recompose_keeping_focus(screen: Screen[Any]) -> None:
    """Make ``screen``'s widgets anew (in a new language), the focus back on the widget (by id)
    that had it: recomposing makes every widget anew, so the focus would otherwise be lost."""
    focused = screen.focused.id if screen.focused else None
    await screen.recompose()
    if focused:
        screen.query_one(f"#{focused}").focus()
