"""Settings, built once in ``cli.py`` (:func:`load_settings`) and handed to whatever needs them.

Sources, strongest first: values given in code (the command line), the TOML config file
(``ITDECLARE_CONFIG`` or ``config.toml`` in the config directory), then ``ITDECLARE_*``
environment variables, nested with ``__`` (``ITDECLARE_DRAFTS__AUTOSAVE_DELAY=1``); a table
may also be given whole as JSON (``ITDECLARE_KEYMAP='{"wizard.next": "ctrl+n"}'``).

``NamedTuple``s read by :mod:`itdeclare.plain`: every command starts by loading them, the
traveller app included, and pydantic-settings would cost it a tenth of a second (dataclasses,
a millisecond each: see :mod:`itdeclare.plain`).
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Annotated, Any, Literal, NamedTuple, get_origin, get_type_hints

from itdeclare import i18n, locations
from itdeclare.plain import Bounds, ConversionError, from_plain, is_record

ENV_PREFIX = "ITDECLARE_"
ENV_NESTING = "__"


class SettingsError(Exception):
    """The settings cannot be read: the message, in the user's language, says where and why."""

    def __init__(self, code: str, **params: Any) -> None:
        self.code = code
        self.params = params
        super().__init__(self.message("en"))

    def message(self, language: i18n.Language | None = None) -> str:
        params = dict(self.params)
        if isinstance(params.get("problems"), ConversionError):
            params["problems"] = params["problems"].describe(language)
        return i18n.t(f"cli.settings.{self.code}", language, **params)


#: No keys remapped: the one read-only mapping every settings without a keymap shares.
_NO_KEYS: Mapping[str, str] = MappingProxyType({})


class DraftSettings(NamedTuple):
    autosave_delay: Annotated[float, Bounds(ge=0.05, le=10)] = 0.5
    """Seconds of quiet after the last keystroke before a draft is written to disk."""

    autosave_max_wait: Annotated[float, Bounds(ge=0.1, le=30)] = 1.0
    """Seconds of continuous typing after which the draft is written anyway."""


class BackendSettings(NamedTuple):
    """How ``itdeclare serve`` runs (TOML table ``[backend]``, env ``ITDECLARE_BACKEND__*``)."""

    code_webhook_url: str | None = None
    """Where one-time sign-in codes are POSTed as JSON ``{"phone", "code", "expires_at"}``;
    unset means they are written to the server log."""

    code_ttl_seconds: Annotated[int, Bounds(ge=60, le=3600)] = 600
    """How long a one-time sign-in code stays valid."""

    codes_per_phone_per_hour: Annotated[int, Bounds(ge=1)] = 5
    """At most this many codes are sent to one phone number in an hour."""

    codes_per_address_per_hour: Annotated[int, Bounds(ge=1)] = 30
    """At most this many codes are requested from one client address in an hour."""

    token_ttl_days: Annotated[int, Bounds(ge=1, le=365)] = 30
    """Lifetime of a traveller's sign-in token."""

    reviewer_token_ttl_days: Annotated[int, Bounds(ge=1, le=730)] = 90
    """Lifetime of a reviewer token made by ``itdeclare admin add-reviewer``."""

    attachment_max_bytes: Annotated[int, Bounds(ge=1024)] = 10 * 1024 * 1024
    """Largest accepted attachment (test certificates: PDF, JPEG, PNG)."""

    attachment_max_pixels: Annotated[int, Bounds(ge=1_000_000)] = 50_000_000
    """Largest accepted image, in pixels (width × height), judged from its header before any
    pixel is decoded: a small file can unpack to gigabytes."""

    attachments_dir: Path | None = None
    """Where attachments are stored by SHA-256; unset means ``attachments`` in the data dir.
    Every worker and host of one deployment must see the same directory."""

    keys_dir: Path | None = None
    """The signing keys; unset means ``keys`` in the data dir (as ``itdeclare keys`` uses)."""

    outbound_failures_per_hour: Annotated[int, Bounds(ge=1)] = 10
    """Failed outbound-certificate requests one account may make in an hour."""

    max_header_bytes: Annotated[int, Bounds(ge=1024, le=1024 * 1024)] = 32 * 1024
    """Largest request head (request line and headers), counted as it arrives: 431 and the
    connection closed past it."""

    max_headers: Annotated[int, Bounds(ge=8, le=1000)] = 100
    """Most headers in one request (431 past it)."""

    max_request_line_bytes: Annotated[int, Bounds(ge=256, le=1024 * 1024)] = 8 * 1024
    """Longest request target (the URL with its query; 414 past it)."""

    header_timeout_seconds: Annotated[float, Bounds(ge=0.1, le=600)] = 10.0
    """Time to receive a request's head, from its first byte (or from the connection): a slow
    client gets 408 and is disconnected."""

    request_timeout_seconds: Annotated[float, Bounds(ge=0.1, le=3600)] = 60.0
    """Time to receive a whole request, body included (an upload of the largest attachment must
    fit in it on the slowest link served)."""

    keep_alive_seconds: Annotated[int, Bounds(ge=1, le=600)] = 5
    """How long an idle keep-alive connection stays open."""

    max_connections: Annotated[int, Bounds(ge=1)] = 500
    """Open connections one server process accepts; past it a connection is answered 503 and
    closed (keep it under the process's open-file limit, ``ulimit -n``)."""

    persons_per_account: Annotated[int, Bounds(ge=1)] = 12
    """People one account may keep (itself, family, others it files for)."""

    submissions_per_account_per_hour: Annotated[int, Bounds(ge=1)] = 30
    """Declarations (submissions and re-declarations) one account may file in an hour."""


class Settings(NamedTuple):
    language: Literal["zh", "en"] | None = None
    """Interface language; unset means Chinese under a zh locale and English otherwise."""

    server: str | None = None
    """Base URL of a deployed backend; unset means the embedded local backend."""

    database_url: str | None = None
    """Database of ``itdeclare serve`` (SQLAlchemy URL); unset means SQLite in the data dir."""

    theme: str = "textual-dark"
    """A Textual theme name; an unknown one falls back to the default with a notice."""

    keymap: Mapping[str, str] = _NO_KEYS
    """Key remapping: binding id to keys, e.g. {"wizard.next" = "ctrl+n"}."""

    drafts: DraftSettings = DraftSettings()
    """Draft autosave behaviour."""

    backend: BackendSettings = BackendSettings()
    """The backend (``itdeclare serve`` and the embedded local backend)."""


def load_settings(**given: Any) -> Settings:
    """The settings from every source; ``given`` (the command line) wins.

    Raises :class:`SettingsError` for an unreadable config file or a value that does not fit.
    """
    path = locations.config_file()
    merged = _merge(_merge(_from_environment(os.environ), _from_file(path)), given)
    try:
        return from_plain(Settings, merged, from_text=True)
    except ConversionError as problems:
        raise SettingsError("invalid", path=path, problems=problems) from None


def _from_file(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text("utf-8")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as exc:
        raise SettingsError("unreadable", path=path, reason=exc) from exc
    import tomllib  # only for a file there is (most start without one)

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError("not_toml", path=path, reason=exc) from exc


def _from_environment(environ: Mapping[str, str]) -> dict[str, Any]:
    """``ITDECLARE_A__B=v`` as ``{"a": {"b": "v"}}``, for the settings' own names only (the
    prefix also names directories and test switches, which are not settings). A table given
    whole (``ITDECLARE_DRAFTS='{…}'``) is taken first, so that its ``__`` variables win."""
    whole: dict[str, Any] = {}
    nested: dict[str, Any] = {}
    for name, value in environ.items():
        if not name.upper().startswith(ENV_PREFIX):
            continue
        path = name[len(ENV_PREFIX) :].lower().split(ENV_NESTING)
        if path[0] not in _SETTING_NAMES:
            continue
        if len(path) == 1 and path[0] in _tables():
            whole[path[0]] = _json_table(name, value)
        else:
            nested = _merge(nested, _nest(path, value))
    return _merge(whole, nested)


def _json_table(name: str, value: str) -> dict[str, Any]:
    try:
        table = json.loads(value)
    except ValueError as exc:
        raise SettingsError("env_not_json", name=name, reason=exc) from exc
    if not isinstance(table, dict):
        raise SettingsError("env_not_json", name=name, reason=type(table).__name__)
    return table


def _nest(path: list[str], value: Any) -> dict[str, Any]:
    for part in reversed(path[1:]):
        value = {part: value}
    return {path[0]: value}


def _merge(weaker: dict[str, Any], stronger: Mapping[str, Any]) -> dict[str, Any]:
    """``stronger`` over ``weaker``, table by table."""
    merged = dict(weaker)
    for key, value in stronger.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _is_table(annotation: object) -> bool:
    return get_origin(annotation) in (dict, Mapping) or is_record(annotation)


_SETTING_NAMES = frozenset(Settings._fields)


@cache
def _tables() -> frozenset[str]:
    """The settings that are tables: given whole in one variable, they are JSON. (Asked only
    when such a variable is set: reading the hints evaluates every annotation.)"""
    return frozenset(name for name, hint in get_type_hints(Settings).items() if _is_table(hint))
