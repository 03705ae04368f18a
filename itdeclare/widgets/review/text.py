"""The console's language, and the texts, names and times it shows in it.

``itdeclare.i18n`` keeps the language in a context variable, which suits the backend (one
language per request) but not Textual: each widget's message loop runs in its own asyncio task
with a copy of the context made when it started, so a switch made in one handler would not reach
the others. The console keeps one process-wide language here, asks for every text in it
explicitly, and brings a task's context variable in line (:func:`follow_language`) before it
reads an ``ApiError``'s message or calls the backend (whose answers follow ``Accept-Language``).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from itdeclare import i18n

_language: i18n.Language = "en"
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def use_language(language: i18n.Language) -> None:
    """Show the console in ``language`` from now on."""
    global _language
    i18n.set_language(language)
    _language = language


def language() -> i18n.Language:
    return _language


def follow_language() -> None:
    """Make the calling task's i18n context use the console's language."""
    if i18n.get_language() != _language:
        i18n.set_language(_language)


def tr(key: str, /, **params: Any) -> str:
    """The catalogue text for ``key`` in the console's language."""
    return i18n.t(key, _language, **params)


def error_text(error: Any) -> str:
    """The user's words of an ``ApiError`` or ``StorageError``, in the console's language."""
    follow_language()
    message = error.message
    return message(_language) if callable(message) else str(message)


def problem_text(problem: Any) -> str:
    """The message for a ``models.Problem``."""
    return i18n.problem_message(problem, _language)


def value_text(value: Any) -> str:
    """Dates, times and enum members as people read them in the console's language."""
    if value is None:
        return tr("review.none")
    return i18n.format_value(value, _language)


def when(value: datetime | date | None) -> str:
    return value_text(value)


def country_name(code: str | None) -> str:
    """``USA`` → ``United States (USA)``; an unknown code stays as it is."""
    from itdeclare.models import reference

    if not code:
        return tr("review.none")
    found = reference.country(code)
    return tr("review.named_code", name=found.name(_language), code=code) if found else code


def airport_name(code: str) -> str:
    from itdeclare.models import reference

    found = reference.airport(code)
    if found is None:
        return code
    return f"{code} {found.city}"


def port_name(code: str) -> str:
    from itdeclare.models import reference

    found = reference.ports_of_entry().get(code)
    return f"{code} {found.name(_language)}" if found else airport_name(code)


def vaccine_name(code: str) -> str:
    from itdeclare.models import reference

    found = reference.vaccines().get(code)
    return tr("review.named_code", name=found.name(_language), code=code) if found else code


def size_text(size: int) -> str:
    """A file size in bytes, KiB or MiB (the same in both languages)."""
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KiB"
    return f"{size / (1024 * 1024):.1f} MiB"


def short_date(value: date) -> str:
    """``1 Dec`` / ``12月1日``: a day in the coming weeks, in a narrow column."""
    if _language == "zh":
        return f"{value.month}月{value.day}日"
    return f"{value.day} {_MONTHS[value.month - 1]}"


def waited_text(seconds: float) -> str:
    """How long a declaration has waited, to the coarsest unit that says it."""
    minutes = max(0, int(seconds // 60))
    if minutes < 60:
        return tr("review.age.minutes", n=minutes)
    hours = minutes // 60
    if hours < 48:
        return tr("review.age.hours", n=hours)
    return tr("review.age.days", n=hours // 24)
