"""One catalogue for every user-facing text, in Chinese and English.

Texts live in TOML files under ``catalog/``, one per area (``errors.toml``, ``app.toml``, …);
each entry is a table with an ``en`` and a ``zh`` string. A key is the file name followed by the
table path: ``t("errors.id_card_checksum")``. Files load lazily, on the first key of their area,
so start-up pays only for the areas it shows.

The current language is a context variable: the TUI sets it once, the backend per request.
"""

from __future__ import annotations

import errno
import os
import re
import string
from collections.abc import Callable, Mapping
from contextvars import ContextVar
from datetime import date, datetime, timedelta
from enum import Enum
from functools import cache
from pathlib import Path
from typing import Any, Literal, get_args

Language = Literal["zh", "en"]
LANGUAGES: tuple[Language, ...] = get_args(Language)

_current: ContextVar[Language] = ContextVar("itdeclare_language", default="en")


class MissingText(KeyError):
    """A key that the catalogue does not hold (a programming error, caught by the tests)."""


def language_from_environment(environ: Mapping[str, str] | None = None) -> Language:
    """Chinese when the POSIX locale says so (LANGUAGE, LC_ALL, LC_MESSAGES, LANG), else English."""
    env = os.environ if environ is None else environ
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "")
        if value and value not in ("C", "POSIX") and not value.startswith("C."):
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def set_language(language: Language) -> None:
    if language not in LANGUAGES:
        raise ValueError(f"unsupported language {language!r}")
    _current.set(language)


def get_language() -> Language:
    return _current.get()


#: Beside this module (read as a plain path: ``importlib.resources`` would load a dozen modules,
#: zipfile among them, at the app's start-up, for a package that is never zipped).
_CATALOG = Path(__file__).with_name("catalog")


@cache
def _area(name: str) -> dict[str, Any]:
    try:
        text = (_CATALOG / f"{name}.toml").read_text("utf-8")
    except FileNotFoundError as exc:
        raise MissingText(name) from exc
    plain = read_plain_catalogue(text)
    if plain is not None:
        return plain
    import tomllib

    return tomllib.loads(text)


_HEADER = re.compile(r"\[([A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*)\]")
_STRING = r'"((?:[^"\\]|\\["\\nt])*)"'
_ENTRY = re.compile(rf"([A-Za-z0-9_-]+) = \{{ en = {_STRING}, zh = {_STRING} \}}")
_ESCAPE = re.compile(r"\\(.)")
_ESCAPED = {'"': '"', "\\": "\\", "n": "\n", "t": "\t"}


def read_plain_catalogue(text: str) -> dict[str, Any] | None:
    """A catalogue file read line by line, when each line has one of the forms the catalogue
    is written in (a blank line, a comment, a ``[table]`` header, ``key = { en = "…", zh = "…"
    }`` with no escape but ``\\"``, ``\\\\``, ``\\n`` and ``\\t``); else None, and the file
    is TOML for tomllib to read. The same tables, in a tenth of the time: tomllib takes a few
    milliseconds for the areas the app's first screen shows."""
    root: dict[str, Any] = {}
    table = root
    entries: set[int] = set()  # a text's own table takes no header below it
    headers: set[str] = set()  # a table is defined once
    for line in text.splitlines():
        if not line or line[0] == "#":
            continue
        if entry := _ENTRY.fullmatch(line):
            key, english, chinese = entry.groups()
            if key in table:
                return None
            texts = table[key] = {"en": _unescaped(english), "zh": _unescaped(chinese)}
            entries.add(id(texts))
            continue
        header = _HEADER.fullmatch(line)
        if header is None or header.group(1) in headers:
            return None
        headers.add(header.group(1))
        table = root
        for part in header.group(1).split("."):
            table = table.setdefault(part, {})
            if id(table) in entries:
                return None
    return root


def _unescaped(text: str) -> str:
    return _ESCAPE.sub(lambda escape: _ESCAPED[escape.group(1)], text) if "\\" in text else text


def _entry(key: str) -> Mapping[str, str]:
    area, _, path = key.partition(".")
    node: Any = _area(area)
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            raise MissingText(key)
        node = node[part]
    if not isinstance(node, dict) or not set(LANGUAGES) <= node.keys():
        raise MissingText(key)
    return node


def has_text(key: str) -> bool:
    try:
        _entry(key)
    except MissingText:
        return False
    return True


def t(key: str, language: Language | None = None, /, **params: Any) -> str:
    """The text for ``key`` in ``language`` (default: the current one), with ``params`` filled in.

    Parameters are formatted for the language: dates and times as people write them there,
    enum members by their catalogued names (``enum.<ClassName>.<value>``). In the template,
    ``{param:country}`` shows a country code as the country's name with its code
    (``德国（DEU）``), so no message shows a bare code, and ``{param:date}`` a moment's day.
    """
    lang = language or _current.get()
    template = _entry(key)[lang]
    if not params:
        return template
    return _Formatter(lang).vformat(template, (), params)


class _Formatter(string.Formatter):
    def __init__(self, language: Language) -> None:
        self.language = language

    def format_field(self, value: Any, format_spec: str) -> str:
        if format_spec == "country":
            return country_label(value, self.language)
        if format_spec == "date":
            return format_date(_day(value), self.language)
        return format(format_value(value, self.language), format_spec)


def file_reason(error: OSError, language: Language | None = None, *, writing: bool = False) -> str:
    """Why a file cannot be read (or, ``writing``, written), in the user's words: the common
    reasons translated, no class name; the system's own text for the rare others."""
    reasons = _WRITE_REASONS if writing else _READ_REASONS
    for kind, key in reasons:
        if isinstance(error, kind):
            return t(key, language)
    if writing and error.errno in (errno.ENOSPC, errno.EDQUOT):
        return t("cli.reason_no_space", language)
    return error.strerror or error.__class__.__name__


_READ_REASONS: tuple[tuple[type[OSError], str], ...] = (
    (FileNotFoundError, "cli.reason_missing"),
    (IsADirectoryError, "cli.reason_directory"),
    (PermissionError, "cli.reason_permission"),
)
_WRITE_REASONS: tuple[tuple[type[OSError], str], ...] = (
    (FileNotFoundError, "cli.reason_no_folder"),
    (IsADirectoryError, "cli.reason_directory"),
    (PermissionError, "cli.reason_write_permission"),
)


def _day(value: Any) -> date:
    """The calendar day of a date, a datetime (in its own offset) or their ISO text (as a
    problem's parameters arrive from the backend)."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
    return value.date() if isinstance(value, datetime) else value


#: Names a country code in Chinese and in English, or None: set by the reference data
#: (``models.reference``) when it loads, since the catalogue sits below the models.
CountryNamer = Callable[[str], "tuple[str, str] | None"]
_country_namer: CountryNamer | None = None


def name_countries_with(namer: CountryNamer) -> None:
    global _country_namer
    _country_namer = namer


def country_label(code: Any, language: Language) -> str:
    """``德国（DEU）`` / ``Germany (DEU)`` for an ISO alpha-3 or alpha-2 code; the code alone
    when it names no country (or no reference data is loaded)."""
    text = str(code)
    names = _country_namer(text) if _country_namer is not None else None
    if names is None:
        return text
    zh, en = names
    return f"{zh}（{text}）" if language == "zh" else f"{en} ({text})"


_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def format_date(value: date, language: Language) -> str:
    if language == "zh":
        return f"{value.year}年{value.month}月{value.day}日"
    return f"{value.day} {_MONTHS_EN[value.month - 1]} {value.year}"


def format_offset(offset: timedelta | None) -> str:
    if offset is None:
        return ""
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    hours, mins = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{mins:02d}"


def format_datetime(value: datetime, language: Language) -> str:
    clock = f"{value.hour:02d}:{value.minute:02d}"
    day = format_date(value.date(), language)
    if not value.tzinfo:
        return f"{day} {clock}"
    offset = format_offset(value.utcoffset())
    if language == "zh":
        return f"{day} {clock}（{offset}）"
    return f"{day} {clock} ({offset})"


def format_value(value: Any, language: Language) -> str:
    if isinstance(value, datetime):
        return format_datetime(value, language)
    if isinstance(value, date):
        return format_date(value, language)
    if isinstance(value, Enum):
        key = f"enum.{type(value).__name__}.{value.value}"
        return t(key, language) if has_text(key) else str(value.value)
    if isinstance(value, (list, tuple)):
        separator = "、" if language == "zh" else ", "
        return separator.join(format_value(item, language) for item in value)
    return str(value)


def problem_message(problem: Any, language: Language | None = None) -> str:
    """The message for a ``models.Problem`` (anything with code, params and fallback)."""
    key = f"errors.{problem.code}"
    if has_text(key):
        try:
            return t(key, language, **problem.params)
        except (KeyError, IndexError, ValueError):
            pass  # the catalogue's template wants a parameter this problem does not carry
    return problem.fallback or t("errors.invalid", language)


def _warning_value(value: Any, language: Language) -> str:
    """A warning's fact as its text shows it: reference data (a country) by its name."""
    name = getattr(value, "name", None)
    return str(name(language)) if callable(name) else format_value(value, language)


def warning_message(warning: Any, language: Language | None = None) -> str:
    """The text of a ``models.cautions.Caution``: its template from the rules' data (the
    language asked for, else English), filled with its facts formatted for the language."""
    lang = language or _current.get()
    template = warning.texts.get(lang) or warning.texts.get("en") or warning.code
    params = {name: _warning_value(value, lang) for name, value in warning.params.items()}
    try:
        return str(template.format_map(params))
    except (KeyError, IndexError, ValueError):  # a template from newer data wants another fact
        return str(template)
