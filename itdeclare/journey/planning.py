"""The dates plan in words and as an iCalendar file (UI-free: the wizard and ``itdeclare plan``).

The plan itself is the domain's (``models.plan``). Here it is worded in the interface language
and written as RFC 5545: one all-day event per sampling window (local dates at the departure
airport) and one event that ends when the flight into China departs (the time to submit by),
each with alarms. UIDs are derived from the flight and the test kind, so importing a newer plan
for the same trip updates its events rather than adding copies.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import TYPE_CHECKING

from itdeclare import i18n

if TYPE_CHECKING:
    from icalendar import Alarm, Event

    from itdeclare.models.plan import Plan, SampleWindow

PRODID = "-//itdeclare//dates plan//EN"


def describe(plan: Plan, language: i18n.Language) -> list[str]:
    """The plan as lines of text: the flight, each window, the time to submit by."""
    lines = [
        i18n.t(
            "plan.flight",
            language,
            flight=plan.flight,
            airport=plan.airport,
            departs=plan.departs_at,
            zone=plan.zone,
            rule=plan.rule_id,
            version=plan.rules_version,
        )
    ]
    lines += [_window_line(plan, window, language) for window in plan.windows]
    lines.append(
        i18n.t("plan.submit", language, first=plan.submit_from, by=plan.submit_by)
        if plan.windows
        else i18n.t("plan.submit_by", language, by=plan.submit_by)
    )
    return lines


def _window_line(plan: Plan, window: SampleWindow, language: i18n.Language) -> str:
    from itdeclare.models import reference

    key = "plan.window_in" if window.country else "plan.window"
    country = reference.country(window.country) if window.country else None
    return i18n.t(
        key,
        language,
        kind=window.kind,
        first=window.first_day,
        last=window.last_day,
        airport=plan.airport,
        country=country.name(language) if country else window.country or "",
    )


def to_ical(plan: Plan, language: i18n.Language, stamp: dt.datetime) -> bytes:
    """The plan as an iCalendar file; ``stamp`` (aware) is its DTSTAMP, the time it is made."""
    from icalendar import Calendar

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", i18n.t("plan.calendar_name", language, flight=plan.flight))
    for window in plan.windows:
        calendar.add_component(_window_event(plan, window, language, stamp))
    calendar.add_component(_submit_event(plan, language, stamp))
    return bytes(calendar.to_ical())


def _uid(plan: Plan, what: str) -> str:
    key = f"{plan.flight}|{plan.airport}|{plan.departs_at.isoformat()}|{what}"
    return f"{hashlib.sha256(key.encode()).hexdigest()[:32]}@itdeclare"


def _event(plan: Plan, what: str, summary: str, description: str, stamp: dt.datetime) -> Event:
    from icalendar import Event

    event = Event()
    event.add("uid", _uid(plan, what))
    event.add("dtstamp", stamp.astimezone(dt.UTC))
    event.add("summary", summary)
    event.add("description", description)
    event.add("location", plan.airport)
    event.add("transp", "TRANSPARENT")
    return event


def _alarm(trigger: dt.timedelta, description: str) -> Alarm:
    from icalendar import Alarm

    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", description)
    alarm.add("trigger", trigger)
    return alarm


def _window_event(
    plan: Plan, window: SampleWindow, language: i18n.Language, stamp: dt.datetime
) -> Event:
    summary = i18n.t("plan.event_sample", language, kind=window.kind, flight=plan.flight)
    event = _event(plan, window.kind.value, summary, _window_line(plan, window, language), stamp)
    event.add("dtstart", window.first_day)
    event.add("dtend", window.last_day + dt.timedelta(days=1))
    # The day before the window opens, at 09:00: time to book; the day it opens, at 09:00.
    event.add_component(_alarm(dt.timedelta(hours=-15), summary))
    event.add_component(_alarm(dt.timedelta(hours=9), summary))
    return event


def _submit_event(plan: Plan, language: i18n.Language, stamp: dt.datetime) -> Event:
    summary = i18n.t("plan.event_submit", language, flight=plan.flight)
    description = i18n.t("plan.submit_by", language, by=plan.submit_by)
    event = _event(plan, "submit", summary, description, stamp)
    departs = plan.departs_at.astimezone(dt.UTC)
    event.add("dtstart", departs - dt.timedelta(hours=1))
    event.add("dtend", departs)
    event.add_component(_alarm(dt.timedelta(hours=-23), summary))
    event.add_component(_alarm(dt.timedelta(hours=-5), summary))
    return event
