"""The texts, names and times the console shows, in the interface language
(:mod:`itdeclare.wording`)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from itdeclare import i18n
from itdeclare.wording import language, tr

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def value_text(value: Any) -> str:
    """Dates, times and enum members as people read them in the console's language."""
    if value is None:
        return tr("review.none")
    return i18n.format_value(value, language())


def when(value: datetime | date | None) -> str:
    return value_text(value)


def country_name(code: str | None) -> str:
    """``USA`` → ``United States (USA)``; an unknown code stays as it is."""
    from itdeclare.models import reference

    if not code:
        return tr("review.none")
    found = reference.country(code)
    return tr("review.named_code", name=found.name(language()), code=code) if found else code


def airport_name(code: str) -> str:
    from itdeclare.models import reference

    found = reference.airport(code)
    if found is None:
        return code
    return f"{code} {found.city}"


def port_name(code: str) -> str:
    from itdeclare.models import reference

    found = reference.ports_of_entry().get(code)
    return f"{code} {found.name(language())}" if found else airport_name(code)


def vaccine_name(code: str) -> str:
    from itdeclare.models import reference

    found = reference.vaccines().get(code)
    return tr("review.named_code", name=found.name(language()), code=code) if found else code


def short_date(value: date) -> str:
    """``1 Dec`` / ``12月1日``: a day in the coming weeks, in a narrow column."""
    if language() == "zh":
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
