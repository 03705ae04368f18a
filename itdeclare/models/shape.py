"""The declaration's shape: the location of every field, read from the models themselves.

The models are the one description of the declaration (§4.5). Whatever else lists its fields,
the wizard's steps, the facts the cross-field checks read, the certified record with its claim
and report, and the reviewer's layout, is held to these locations by a coverage test
(``tests/models/test_shape.py``): a field added to a model and forgotten by one of them fails.
"""

from __future__ import annotations

import types
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel

from itdeclare.models.limits import TextLimit, field_limit

#: Stands for every item of a list in a location: ``itinerary.*.departs_at``.
ANY_ITEM = "*"


def _unwrap(annotation: Any) -> Any:
    """The type under ``Annotated[...]`` and ``X | None``."""
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            present = [arg for arg in get_args(annotation) if arg is not type(None)]
            if len(present) != 1:
                return annotation
            annotation = present[0]
        else:
            return annotation


def _is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def locations(model: type[BaseModel] | None = None, prefix: str = "") -> tuple[str, ...]:
    """Every leaf field of ``model`` (the declaration when not given) as a dotted location in
    the file's spelling (a field's alias: ``from``), in the models' order."""
    if model is None:
        from itdeclare.models.declaration import Declaration

        model = Declaration
    found: list[str] = []
    for name, info in model.model_fields.items():
        here = f"{prefix}{info.alias or name}"
        annotation = _unwrap(info.annotation)
        if get_origin(annotation) is list:
            annotation = _unwrap(get_args(annotation)[0])
            here = f"{here}.{ANY_ITEM}"
        if _is_model(annotation):
            found += locations(annotation, f"{here}.")
        else:
            found.append(here)
    return tuple(found)


def generalised(loc: str) -> str:
    """``loc`` with its item numbers as :data:`ANY_ITEM` (``tests.2.kind`` -> ``tests.*.kind``)."""
    return ".".join(ANY_ITEM if part.isdigit() else part for part in loc.split("."))


def _model_inside(annotation: Any) -> type[BaseModel] | None:
    """The model a field holds: itself, or the items of a list, or the X of ``X | None``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        inside = _model_inside(arg)
        if inside is not None:
            return inside
    return None


def limit_at(loc: str) -> TextLimit | None:
    """The text limit at a location of the declaration file (``tests.0.institution``), so a
    form can tell, as the user types, that a text has become too long."""
    from itdeclare.models.declaration import Declaration

    model: type[BaseModel] | None = Declaration
    names = [part for part in loc.split(".") if not part.isdigit()]
    for index, part in enumerate(names):
        if model is None:
            return None
        name = next(
            (key for key, info in model.model_fields.items() if part in (key, info.alias)), None
        )
        if name is None:
            return None
        if index == len(names) - 1:
            return field_limit(model, name)
        model = _model_inside(model.model_fields[name].annotation)
    return None
