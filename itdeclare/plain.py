"""Plain data (what JSON and TOML hold) into records and back, checked field by field.

The settings and the local records are read at every start of the traveller app. Importing
pydantic and pydantic-settings costs about 0.15 s, more than the app may spend on top of
Textual itself (``bench/startup.py``), so these few flat shapes are read here instead; the
domain models, which need pydantic's full power, load when a declaration is opened.

Field types understood: ``str``, ``int``, ``float``, ``bool``, ``Any``, ``datetime`` (ISO 8601
with an offset), ``Path``, a string enum, a ``Literal`` of strings, a nested dataclass,
``dict[str, T]``, ``list[T]``, ``T | None`` and ``Annotated[T, Bounds(...)]``. Unknown keys are
ignored (a newer version may have written them); every problem is reported, not only the first.
A whole number may be written ``600.0``; a path may start with ``~``. Bounds are checked when
data is read here: a record built in code takes its values as given.

A record is a dataclass, or a ``NamedTuple`` for one never changed once made (the settings):
Python 3.11 compiles each of a dataclass's methods when its class is made, about half a
millisecond a class at every start, where a ``NamedTuple`` is made in a fifth of that.
"""

from __future__ import annotations

import dataclasses
import math
import types
import typing
from collections.abc import Callable, Mapping
from datetime import datetime
from enum import Enum
from functools import cache
from pathlib import Path
from typing import Any, TypeVar, Union

from itdeclare import i18n

T = TypeVar("T")
Loc = tuple[str | int, ...]

#: Spellings of yes and no in environment variables.
_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off"})


class Bounds(typing.NamedTuple):
    """Inclusive limits of a number field: ``Annotated[float, Bounds(ge=0.05, le=10)]``."""

    ge: float | None = None
    le: float | None = None


#: No details: the one mapping every problem without any shares (read-only).
_NO_PARAMS: Mapping[str, Any] = types.MappingProxyType({})


class Problem(typing.NamedTuple):
    """One field that does not fit: where, what is wrong (``plain.<code>``), and its details."""

    loc: Loc
    code: str
    params: Mapping[str, Any] = _NO_PARAMS

    @property
    def where(self) -> str:
        return ".".join(str(part) for part in self.loc) or "(top)"

    def message(self, language: i18n.Language | None = None) -> str:
        return i18n.t(f"cli.plain.{self.code}", language, **self.params)


class ConversionError(ValueError):
    """The data does not fit the record; ``problems`` lists every field that is wrong."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__(self.describe("en"))

    def describe(self, language: i18n.Language | None = None) -> str:
        return "; ".join(f"{p.where}: {p.message(language)}" for p in self.problems)


class _Invalid(Exception):
    def __init__(self, code: str, **params: Any) -> None:
        self.code = code
        self.params = params


def from_plain(cls: type[T], data: Any, *, from_text: bool = False) -> T:
    """``data`` as an instance of the record ``cls``; raises :class:`ConversionError`.

    ``from_text`` accepts numbers and yes/no written as strings (environment variables).
    """
    problems: list[Problem] = []
    value = _Reader(problems, from_text).record(cls, data, ())
    if problems:
        raise ConversionError(problems)
    return typing.cast(T, value)


def to_plain(value: Any) -> Any:
    """A record (or what it holds) as JSON-ready values: the inverse of :func:`from_plain`."""
    kind: type = type(value)
    if is_record(kind):
        return {name: to_plain(getattr(value, name)) for name, _ in record_fields(kind)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, dict | types.MappingProxyType):  # a record's read-only default
        return {key: to_plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [to_plain(item) for item in value]
    return value


def is_record(cls: Any) -> bool:
    """Whether ``cls`` is a record class: a dataclass or a ``NamedTuple``."""
    return isinstance(cls, type) and (
        dataclasses.is_dataclass(cls) or (issubclass(cls, tuple) and hasattr(cls, "_fields"))
    )


@cache
def record_fields(cls: type) -> tuple[tuple[str, bool], ...]:
    """The fields of the record class ``cls``, in order: each one's name, and whether it must
    be given (it has no default)."""
    if dataclasses.is_dataclass(cls):
        return tuple((field.name, _is_required(field)) for field in dataclasses.fields(cls))
    defaults = cls._field_defaults  # type: ignore[attr-defined]
    return tuple((name, name not in defaults) for name in cls._fields)  # type: ignore[attr-defined]


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls, include_extras=True)


class _Reader:
    def __init__(self, problems: list[Problem], from_text: bool) -> None:
        self.problems = problems
        self.from_text = from_text

    def record(self, cls: type, data: Any, loc: Loc) -> Any:
        if not isinstance(data, Mapping):
            self.problems.append(Problem(loc, "not_a_table"))
            return None
        hints = _hints(cls)
        given: dict[str, Any] = {}
        for name, required in record_fields(cls):
            if name in data:
                given[name] = self.value(hints[name], data[name], (*loc, name))
            elif required:
                self.problems.append(Problem((*loc, name), "missing"))
        return None if self.problems else cls(**given)

    def value(self, hint: Any, data: Any, loc: Loc) -> Any:
        try:
            return self._convert(hint, data, loc)
        except _Invalid as invalid:
            self.problems.append(Problem(loc, invalid.code, invalid.params))
            return None

    def _convert(self, hint: Any, data: Any, loc: Loc) -> Any:
        origin, args = typing.get_origin(hint), typing.get_args(hint)
        if origin is typing.Annotated:
            return _bounded(self._convert(args[0], data, loc), args[1:])
        if origin in (Union, types.UnionType):
            return self._optional([a for a in args if a is not type(None)], data, loc)
        if origin is typing.Literal:
            return _choice(args, data)
        if origin in (dict, Mapping):
            return self._dict(args[1], data, loc)
        if origin is list:
            return self._list(args[0], data, loc)
        if is_record(hint):
            return self.record(hint, data, loc)
        return _scalar(hint, data, self.from_text)

    def _optional(self, options: list[Any], data: Any, loc: Loc) -> Any:
        if data is None or (self.from_text and data == ""):
            return None
        if len(options) != 1:
            raise TypeError(f"only `T | None` unions are supported, not {options}")
        return self._convert(options[0], data, loc)

    def _dict(self, item: Any, data: Any, loc: Loc) -> dict[str, Any]:
        if not isinstance(data, Mapping):
            raise _Invalid("not_a_table")
        return {str(key): self.value(item, value, (*loc, str(key))) for key, value in data.items()}

    def _list(self, item: Any, data: Any, loc: Loc) -> list[Any]:
        if not isinstance(data, list):
            raise _Invalid("not_a_list")
        return [self.value(item, value, (*loc, index)) for index, value in enumerate(data)]


def _is_required(field: dataclasses.Field[Any]) -> bool:
    return field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING


def _choice(choices: tuple[Any, ...], data: Any) -> Any:
    if data not in choices:
        raise _Invalid("choice", choices=", ".join(str(choice) for choice in choices))
    return data


def _bounded(number: Any, metadata: tuple[Any, ...]) -> Any:
    for bounds in metadata:
        if not isinstance(bounds, Bounds) or number is None:
            continue
        if bounds.ge is not None and number < bounds.ge:
            raise _Invalid("too_small", limit=bounds.ge)
        if bounds.le is not None and number > bounds.le:
            raise _Invalid("too_large", limit=bounds.le)
    return number


def _scalar(hint: Any, data: Any, from_text: bool) -> Any:
    if hint is Any:
        return data
    reader = _SCALARS.get(hint)
    if reader is None and isinstance(hint, type) and issubclass(hint, Enum):
        return _enum(hint, data)
    if reader is None:
        raise TypeError(f"{hint!r} is not a type this module reads")
    return reader(data, from_text)


def _enum(enum: type[Enum], data: Any) -> Enum:
    try:
        return enum(data)
    except ValueError:
        raise _Invalid("choice", choices=", ".join(str(m.value) for m in enum)) from None


def _str(data: Any, from_text: bool) -> str:
    if not isinstance(data, str):
        raise _Invalid("not_text")
    return data


def _bool(data: Any, from_text: bool) -> bool:
    if isinstance(data, bool):
        return data
    if from_text and isinstance(data, str) and data.strip().lower() in _TRUE | _FALSE:
        return data.strip().lower() in _TRUE
    raise _Invalid("not_yes_no")


def _int(data: Any, from_text: bool) -> int:
    if isinstance(data, int) and not isinstance(data, bool):
        return data
    try:
        number = _float(data, from_text) if isinstance(data, float | str) else None
    except _Invalid:
        number = None
    if number is None or not number.is_integer():  # 600.0 is 600, as TOML may write it
        raise _Invalid("not_whole_number")
    return int(number)


def _float(data: Any, from_text: bool) -> float:
    if isinstance(data, int | float) and not isinstance(data, bool):
        try:
            number = float(data)
        except OverflowError:  # an integer beyond any float
            raise _Invalid("not_number") from None
    elif from_text and isinstance(data, str):
        try:
            number = float(data.strip())
        except ValueError:
            raise _Invalid("not_number") from None
    else:
        raise _Invalid("not_number")
    if not math.isfinite(number):
        raise _Invalid("not_number")
    return number


def _datetime(data: Any, from_text: bool) -> datetime:
    try:
        moment = datetime.fromisoformat(data) if isinstance(data, str) else None
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise _Invalid("not_a_time")
    return moment


def _path(data: Any, from_text: bool) -> Path:
    if not isinstance(data, str) or not data or "\0" in data:
        raise _Invalid("not_a_path")
    return Path(data).expanduser()


_SCALARS: dict[Any, Callable[[Any, bool], Any]] = {
    str: _str,
    bool: _bool,
    int: _int,
    float: _float,
    datetime: _datetime,
    Path: _path,
}
