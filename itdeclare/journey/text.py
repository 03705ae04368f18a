"""Texts of the journey screens in the app's language (:mod:`itdeclare.wording`): times
and statuses."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from itdeclare import i18n
from itdeclare.wording import enum_text, language


def when(moment: datetime | None) -> str:
    """A moment in the user's own time zone, as people write it in the app's language."""
    if moment is None:
        return "-"
    return i18n.format_datetime(moment.astimezone(), language())


def status_text(status: Any) -> str:
    return enum_text(status)
