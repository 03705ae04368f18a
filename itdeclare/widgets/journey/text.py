"""Texts of the journey screens in the app's language (:mod:`itdeclare.widgets.text`): errors,
times, statuses."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from itdeclare import i18n
from itdeclare.widgets.text import enum_text, follow_language, language, tr


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
