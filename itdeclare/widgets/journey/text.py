"""Texts of the journey screens in the app's language: errors, times, statuses.

The app keeps one process-wide language (:mod:`itdeclare.widgets.text`); ``itdeclare.i18n``
keeps a context variable per asyncio task. An ``ApiError`` is worded when its message is read,
and the client asks the backend for answers in the task's language, so a worker brings its
task in line (:func:`follow_language`) before it calls the backend or reads an error.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from itdeclare import i18n
from itdeclare.widgets.text import enum_text, language, tr


def follow_language() -> None:
    """Make the calling task's i18n context use the app's language."""
    if i18n.get_language() != language():
        i18n.set_language(language())


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


def when(moment: datetime | None) -> str:
    """A moment in the user's own time zone, as people write it in the app's language."""
    if moment is None:
        return "-"
    return i18n.format_datetime(moment.astimezone(), language())


def status_text(status: Any) -> str:
    return enum_text(status)
