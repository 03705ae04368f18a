"""``itdeclare plan FILE [--ics OUT]``: when to sample each test and when to submit (DESIGN §4.1).

Only the itinerary must be valid for a plan: a draft with its tests still to take is the file
this is for. A flight that has left still gets its plan, with a notice on stderr that its dates
are past. Exit 0 with a plan, 1 when there is none (the flight into China is incomplete or no
rule applies), 2 when the file cannot be read or the calendar cannot be written.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from typing import TYPE_CHECKING, Any

from itdeclare import i18n
from itdeclare.cli import EXIT_INVALID, EXIT_OK, EXIT_USAGE, UnreadableFile, _read_json
from itdeclare.output import writing

if TYPE_CHECKING:
    from itdeclare.config import Settings
    from itdeclare.models.plan import Plan


def plan_for(data: Any) -> Plan | None:
    """The plan of a declaration file's content (parsed JSON), if its itinerary gives one."""
    from collections.abc import Mapping

    from itdeclare.models import partial
    from itdeclare.models.plan import plan_dates
    from itdeclare.models.rules import default_rules

    if not isinstance(data, Mapping):
        return None
    return plan_dates(partial.from_data(data), default_rules())


def plan(args: argparse.Namespace, settings: Settings) -> int:
    language = i18n.get_language()
    try:
        data = _read_json(args.file)
    except UnreadableFile as exc:
        print(exc, file=sys.stderr)
        return EXIT_USAGE
    found = plan_for(data)
    if found is None:
        print(i18n.t("plan.not_planned", path=args.file), file=sys.stderr)
        return EXIT_INVALID
    from itdeclare.journey.planning import describe, to_ical
    from itdeclare.storage.atomic import atomic_write

    with writing():
        for line in describe(found, language):
            print(line)
    now = dt.datetime.now(dt.UTC)
    if found.departs_at <= now:  # still a plan (the dates are right), but of a trip gone by
        gone = i18n.t("plan.departed", flight=found.flight, departs=found.departs_at)
        print(gone, file=sys.stderr)
    if args.ics is None:
        return EXIT_OK
    content = to_ical(found, language, now)
    try:
        atomic_write(args.ics, content, mode=0o644)
    except OSError as exc:
        reason = i18n.file_reason(exc, writing=True)
        print(i18n.t("plan.unwritable", path=args.ics, reason=reason), file=sys.stderr)
        return EXIT_USAGE
    with writing():
        print(i18n.t("plan.written", path=args.ics, count=len(found.windows) + 1))
    return EXIT_OK
