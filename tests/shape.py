"""Which fields of the declaration a consumer reads, found by trying each one.

Every consumer of the declaration's shape (``itdeclare.models.shape``) is held to it by a
coverage test: each field the models define is either read by the consumer or named in the
test as deliberately left out. To find what a consumer reads without writing its mapping out
a second time, each field in turn is replaced by a marker (without validation) and the consumer
run again: the field is read when the marker shows in the result, or when the consumer trips
over it (a marker is text, not the date or enumeration it expected).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import BaseModel

from itdeclare.models.shape import ANY_ITEM, locations


class Marker(str):
    """Text that names the field it replaced."""


def marked(model: BaseModel, loc: str) -> tuple[BaseModel, Marker]:
    """A copy of ``model`` with the field at ``loc`` (``*``: the first item) set to a marker."""
    marker = Marker(f"<<{loc}>>")
    return _replace(model, loc.split("."), marker), marker


def _replace(node: Any, path: list[str], value: Any) -> Any:
    head, rest = path[0], path[1:]
    if isinstance(node, list | tuple):
        assert head == ANY_ITEM and node, f"the example needs an item at {head}"
        return [_replace(node[0], rest, value), *node[1:]] if rest else [value, *node[1:]]
    assert isinstance(node, BaseModel)
    name = next(n for n, info in type(node).model_fields.items() if (info.alias or n) == head)
    inner = getattr(node, name)
    return node.model_copy(update={name: _replace(inner, rest, value) if rest else value})


def read_by(consume: Callable[[Any], Any], example: BaseModel) -> set[str]:
    """The locations of the declaration ``consume`` reads from ``example``."""
    read = set()
    for loc in locations():
        changed, marker = marked(example, loc)
        try:
            result = consume(changed)
        except (AttributeError, TypeError, ValueError, KeyError):
            read.add(loc)
            continue
        if marker in repr(result) or marker in str(result):
            read.add(loc)
    return read
