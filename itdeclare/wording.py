"""The interface language of the running app (the traveller's or the reviewer's), and texts in it.

``itdeclare.i18n`` keeps the language in a context variable, which suits the backend (one
language per request) but not Textual: every widget's message loop runs in its own asyncio task
with a copy of the context taken when it started, so a switch made in one handler would not be
seen by the others. The app therefore keeps one process-wide language here and every text of the
interface is asked for in it explicitly. An ``ApiError`` is worded when its message is read, and
the client asks the backend for answers in the task's language, so a worker brings its task in
line (:func:`follow_language`) before it calls the backend or reads an error.
"""

from __future__ import annotations

from typing import Any

from itdeclare import i18n

_language: i18n.Language = "en"


def use_language(language: i18n.Language) -> None:
    """Switch the interface (and the calling context's default) to ``language``."""
    global _language
    i18n.set_language(language)
    _language = language


def language() -> i18n.Language:
    return _language


def follow_language() -> None:
    """Make the calling task's i18n context use the interface language."""
    if i18n.get_language() != _language:
        i18n.set_language(_language)


def tr(key: str, /, **params: Any) -> str:
    """The catalogue text for ``key`` in the interface language."""
    return i18n.t(key, _language, **params)


def problem_text(problem: Any) -> str:
    """The message for a ``models.Problem``."""
    return i18n.problem_message(problem, _language)


def warning_text(warning: Any) -> str:
    """The text of a ``models.cautions.Caution``: what the consulate will look for."""
    return i18n.warning_message(warning, _language)


def enum_text(value: Any) -> str:
    """The display name of a domain enumeration member."""
    return i18n.format_value(value, _language)


def size_text(size: int) -> str:
    """A file size in bytes, KiB or MiB (the same in both languages)."""
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KiB"
    return f"{size / (1024 * 1024):.1f} MiB"


def error_text(error: BaseException) -> str:
    """The user's words for a failure: an ``ApiError``, a ``StorageError``, one of the
    connection's own, or, for anything unforeseen, its kind."""
    follow_language()
    message: Any = getattr(error, "message", None)
    if callable(message):
        return str(message(language()))
    if isinstance(message, str):
        return message
    return tr("journey.unexpected", reason=type(error).__name__)
