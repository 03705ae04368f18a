"""What is wrong with a form, by field, by step, or all of it (pure: no Textual).

A field is checked the way the models check it: the whole form is read and validated as a
declaration, and the problems at the field's location are kept, so the message next to the field
is the one ``itdeclare validate`` and the backend would give. A step adds the cross-field
consistency and the rules (tests against the itinerary) as soon as the form is complete enough
for them to run.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from pydantic import ValidationError

from itdeclare.journey.form import Step, get_value, owns
from itdeclare.models import Declaration, Problem, partial
from itdeclare.models.consistency import trip_ahead
from itdeclare.models.form_reading import check_form, read_form
from itdeclare.models.problems import from_validation_error


def field_problem(
    form: Mapping[str, Any], loc: str, today: date, now: datetime | None = None
) -> Problem | None:
    """The first problem of the field at ``loc``; an empty field is not a problem yet. With
    ``now``, a flight into China that has already left is one too (said as it is typed)."""
    value = get_value(form, loc)
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    reading = read_form(form, today)
    for problem in reading.problems:
        if problem.loc == loc:
            return problem
    try:
        Declaration.model_validate({**reading.document, "attested": True})
    except ValidationError as error:
        for problem in from_validation_error(error):
            if problem.loc == loc:
                return problem
    if now is not None:
        for problem in trip_ahead(partial.from_data(reading.document), now):
            if problem.loc == loc:
                return problem
    return None


def form_problems(
    form: Mapping[str, Any], today: date, now: datetime | None = None
) -> list[Problem]:
    """Every problem of the form, the rules check included once it can run."""
    return check_form(form, today, now=now)


def step_problems(
    form: Mapping[str, Any], step: Step, today: date, now: datetime | None = None
) -> list[Problem]:
    return [problem for problem in form_problems(form, today, now) if owns(step, problem.loc)]
