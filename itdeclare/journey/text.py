"""Texts of the journey screens in the app's language (:mod:`itdeclare.wording`): times,
statuses, and the wizard's title and progress."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from itdeclare import i18n
from itdeclare.journey.form import STEPS, Step
from itdeclare.wording import enum_text, language, tr


def incomplete_text(missing: list[str]) -> str:
    """The line that says an outbound certificate is incomplete, naming the records it lacks."""
    kinds = [tr(f"journey.outbound.record.{kind}") for kind in missing]
    return tr("journey.outbound.incomplete", missing=tr("journey.outbound.and").join(kinds))


def when(moment: datetime | None) -> str:
    """A moment in the user's own time zone, as people write it in the app's language."""
    if moment is None:
        return "-"
    return i18n.format_datetime(moment.astimezone(), language())


def status_text(status: Any) -> str:
    return enum_text(status)


def wait_text(seconds: int | None) -> str:
    """The estimated wait, roughly: "about 3 h" (minutes under an hour, days past two)."""
    if seconds is None:
        return i18n.t("journey.status.wait_unknown", language())
    if seconds < 3600:
        return i18n.t("journey.status.wait_minutes", language(), n=max(1, round(seconds / 60)))
    if seconds < 48 * 3600:
        return i18n.t("journey.status.wait_hours", language(), n=round(seconds / 3600))
    return i18n.t("journey.status.wait_days", language(), n=round(seconds / 86400))


def filing_title(subject: Any, relationship: str) -> str:
    """The wizard's title: whose declaration this is (``subject`` as the form holds it)."""
    from itdeclare.journey.people import display_name
    from itdeclare.models import Relationship

    name = display_name(subject or {}) or tr("wizard.unnamed")
    if relationship == Relationship.SELF:
        return tr("wizard.title_self", name=name)
    return tr("wizard.title", name=name, relationship=enum_text(Relationship(relationship)))


def progress_text(step: Step) -> str:
    number = STEPS.index(step) + 1
    title = tr(f"wizard.step.{step.id}.title")
    return tr("wizard.progress", number=number, count=len(STEPS), step=title)
