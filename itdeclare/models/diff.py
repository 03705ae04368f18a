"""What changed between two versions of a declaration, field by field.

A re-declaration replaces a whole §4.5 document; the reviewer needs to see which fields the
traveller corrected. Both documents are compared as their JSON (the file of DESIGN.md §4.5),
leaf by leaf, at the same dotted locations that validation problems use (``tests.0.sampled_at``).
Lists are compared by position: a leg or a test added at the end shows as new fields there.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

#: A JSON leaf: what a field holds once containers are unfolded.
Leaf = str | int | float | bool | None


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One field whose value differs; ``None`` on a side means the field is absent there."""

    loc: str
    old: Leaf
    new: Leaf


def _as_json(document: BaseModel | Mapping[str, Any]) -> Any:
    if isinstance(document, BaseModel):
        return document.model_dump(mode="json", by_alias=True)
    return document


def _leaves(value: Any, loc: str = "") -> Iterator[tuple[str, Leaf]]:
    """Every leaf under ``value`` with its dotted location, in document order. Empty lists and
    objects hold no field, so an empty list and an absent one read the same."""
    if isinstance(value, Mapping):
        for key, item in value.items():
            yield from _leaves(item, f"{loc}.{key}" if loc else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _leaves(item, f"{loc}.{index}" if loc else str(index))
    else:
        yield loc, value


def field_changes(
    old: BaseModel | Mapping[str, Any], new: BaseModel | Mapping[str, Any]
) -> list[FieldChange]:
    """The fields whose values differ from ``old`` to ``new``, in the order the new document
    lists them, then the fields only the old one had. A null and an absent field are equal."""
    before = dict(_leaves(_as_json(old)))
    after = dict(_leaves(_as_json(new)))
    locations = list(after) + [loc for loc in before if loc not in after]
    return [
        FieldChange(loc, before.get(loc), after.get(loc))
        for loc in locations
        if before.get(loc) != after.get(loc) or type(before.get(loc)) is not type(after.get(loc))
    ]
