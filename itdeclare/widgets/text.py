"""The interface language of the running app, and texts in it.

``itdeclare.i18n`` keeps the language in a context variable, which suits the backend (one
language per request) but not Textual: every widget's message loop runs in its own asyncio task
with a copy of the context taken when it started, so a switch made in one handler would not be
seen by the others. The app therefore keeps one process-wide language here and every text of the
interface is asked for in it explicitly.
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


def tr(key: str, /, **params: Any) -> str:
    """The catalogue text for ``key`` in the interface language."""
    return i18n.t(key, _language, **params)


def problem_text(problem: Any) -> str:
    """The message for a ``models.Problem``."""
    return i18n.problem_message(problem, _language)


def enum_text(value: Any) -> str:
    """The display name of a domain enumeration member."""
    return i18n.format_value(value, _language)
