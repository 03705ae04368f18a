"""The form the wizard fills, and everything the wizard asks of it, without Textual.

The wizard screen owns one ``WizardState``; its widgets render from it and report edits to it.
It never touches the disk: the screen hands the form to the draft saver.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any

from pydantic_core import PydanticCustomError

from itdeclare.i18n import format_date, format_datetime
from itdeclare.journey.airports import describe_airport
from itdeclare.journey.field_check import Check
from itdeclare.journey.form import (
    FILER_FIELDS,
    Kind,
    ListSpec,
    Step,
    blank_item,
    copy_form,
    get_value,
    owns,
    set_value,
)
from itdeclare.journey.form_checks import field_problem, form_problems
from itdeclare.journey.planning import describe
from itdeclare.models import DocumentType, Problem, partial, reference, validators
from itdeclare.models.cautions import Caution, CertificateHolder
from itdeclare.models.form_reading import form_warnings, pattern_of, read_form, zone_at
from itdeclare.models.plan import plan_dates
from itdeclare.models.rules import default_rules
from itdeclare.models.typed_dates import (
    canonical_date,
    canonical_datetime,
    parse_date,
    read_datetime,
)
from itdeclare.wording import language, problem_text, tr

Clock = Callable[[], datetime]


def _document_number(state: WizardState, text: str) -> str:
    return validators.document_number(DocumentType(state.text("subject.document.type")), text)


#: Fields written the way the models normalise them, once what was typed is valid.
_NORMALISED: dict[str, Callable[[WizardState, str], str]] = {
    "subject.family_name": lambda _, text: validators.latin_name(text),
    "subject.given_name": lambda _, text: validators.latin_name(text),
    "subject.id_card_number": lambda _, text: validators.id_card_number(text),
    "subject.document.number": _document_number,
    "itinerary.*.flight": lambda _, text: validators.flight_number(text),
}


class WizardState:
    def __init__(
        self,
        form: dict[str, Any],
        *,
        clock: Clock,
        filer_values: Mapping[str, Any] | None = None,
    ) -> None:
        self.form = form
        self._clock = clock
        #: Whom the certificates of imported tests name, by test index (kept by the draft
        #: beside the form, which has no place for them): the warnings compare them.
        self.holders: Mapping[int, CertificateHolder] = {}
        self.filer_values = {
            loc: value
            for loc, value in (filer_values or {}).items()
            if loc in FILER_FIELDS and isinstance(value, str) and value.strip()
        }

    @property
    def now(self) -> datetime:
        return self._clock()

    @property
    def today(self) -> date:
        return self._clock().date()

    # --- values ---

    def value(self, loc: str) -> Any:
        return get_value(self.form, loc)

    def text(self, loc: str) -> str:
        value = self.value(loc)
        return value if isinstance(value, str) else ""

    def set(self, loc: str, value: str | bool) -> None:
        set_value(self.form, loc, value)

    # --- problems ---

    def field_message(self, loc: str, value: str) -> str | None:
        """The problem of ``value`` typed at ``loc`` (with the rest of the form as it is)."""
        form = copy_form(self.form)
        set_value(form, loc, value)
        problem = field_problem(form, loc, self.today, self.now)
        return problem_text(problem) if problem else None

    def check_for(self, loc: str) -> Check:
        return lambda value: self.field_message(loc, value)

    def problems(self, step: Step | None = None) -> list[Problem]:
        """The problems of one step, or of the whole form (the rules check included)."""
        found = form_problems(self.form, self.today, self.now)
        return found if step is None else [p for p in found if owns(step, p.loc)]

    def warnings(self) -> list[Caution]:
        """The common reasons for rejection the form trips (they never block finishing)."""
        return form_warnings(self.form, self.today, holders=self.holders)

    # --- hints and tidying ---

    def hint(self, loc: str, kind: Kind) -> str:
        """What the wizard shows under a field: how a date was read, an airport's name and time
        zone, the zone a time is typed in."""
        text = self.text(loc).strip()
        if kind is Kind.DATE and text:
            return self._date_hint(text)
        if kind is Kind.DATETIME:
            return self._datetime_hint(loc, text)
        if kind is Kind.AIRPORT and text:
            return describe_airport(text, language()) or ""
        return ""

    def _date_hint(self, text: str) -> str:
        try:
            day = parse_date(text, self.today)
        except PydanticCustomError:
            return ""
        return tr("wizard.hint.date", date=format_date(day, language()))

    def _datetime_hint(self, loc: str, text: str) -> str:
        found = zone_at(self.form, loc)
        zone = (
            tr("wizard.hint.zone", airport=found[0], zone=str(found[1]))
            if found
            else tr("wizard.hint.no_zone")
        )
        if not text:
            return zone
        try:
            moment = read_datetime(text, self.today)
        except PydanticCustomError:
            return zone
        tz = moment.explicit_offset or (found[1] if found else None)
        if tz is None:
            return zone
        shown = format_datetime(moment.local.replace(tzinfo=tz), language())
        if moment.explicit_offset is not None:
            return tr("wizard.hint.typed_offset", moment=shown)
        return tr("wizard.hint.moment", zone=zone, moment=shown)

    def tidy(self, loc: str, kind: Kind, text: str) -> str | None:
        """How a value the user typed loosely is written, if that differs: dates and times in
        full, codes and names as the document prints them (upper case, no stray spaces)."""
        try:
            if kind is Kind.DATE:
                tidy = canonical_date(parse_date(text, self.today))
            elif kind is Kind.DATETIME:
                tidy = canonical_datetime(read_datetime(text, self.today))
            elif kind is Kind.AIRPORT:
                tidy = validators.airport_code(text)
            elif pattern_of(loc) in _NORMALISED:
                tidy = _NORMALISED[pattern_of(loc)](self, text)
            else:
                return None
        except ValueError:  # the domain's errors, and a document type not chosen yet
            return None
        return tidy if tidy != text else None

    # --- lists ---

    def items(self, spec: ListSpec) -> list[dict[str, Any]]:
        items = self.form.setdefault(spec.path, [])
        assert isinstance(items, list)
        return items

    def add_item(self, spec: ListSpec) -> int | None:
        """Append an empty item; its index, or ``None`` when the list is full."""
        items = self.items(spec)
        if len(items) >= spec.max_items:
            return None
        items.append(blank_item(spec, **self._item_defaults(spec, items)))
        return len(items) - 1

    def _item_defaults(self, spec: ListSpec, items: list[dict[str, Any]]) -> dict[str, str]:
        """A new flight starts where the last one landed."""
        if spec.path == "itinerary" and items:
            return {"from": str(items[-1].get("to") or "")}
        return {}

    def remove_item(self, spec: ListSpec, index: int) -> bool:
        items = self.items(spec)
        if not 0 <= index < len(items) or len(items) <= spec.min_items:
            return False
        del items[index]
        return True

    def move_item(self, spec: ListSpec, index: int, delta: int) -> int | None:
        """Move an item up or down; its new index, or ``None`` when it cannot move."""
        items = self.items(spec)
        target = index + delta
        if not (0 <= index < len(items) and 0 <= target < len(items)):
            return None
        items[index], items[target] = items[target], items[index]
        return target

    def rule_description(self) -> str:
        """The entry rule in force for the flight into China as typed so far (or the latest)."""
        rules = default_rules()
        rule = rules.rules[-1]
        legs = self.form.get("itinerary") or []
        airport = reference.airport(str(legs[-1].get("from") or "").upper()) if legs else None
        if airport is not None:
            rule = rules.rule_for(airport.country, self.today) or rule
        return rule.description[language()]

    def plan_text(self) -> str:
        """When to sample each test and submit, once the itinerary as typed is valid ("" until
        then): the dates plan, in the interface language. A flight into China already gone
        leaves the plan valid but past: it is said under it."""
        itinerary = [p for p in self.problems() if p.loc.startswith("itinerary")]
        if any(problem.code != "flight_departed" for problem in itinerary):
            return ""
        reading = read_form(self.form, self.today)
        found = plan_dates(partial.from_data(reading.document), default_rules())
        if found is None:
            return ""
        lines = [tr("plan.wizard_heading"), *describe(found, language())]
        if itinerary:  # the flight has left: no time to submit by, but that it is gone
            lines[-1] = tr("plan.departed", flight=found.flight, departs=found.departs_at)
        return "\n".join(lines)

    def suggest_port(self) -> bool:
        """Fill an empty port of entry with where the last flight lands, if that is a port."""
        legs = self.form.get("itinerary") or []
        landing = str(legs[-1].get("to") or "").strip().upper() if legs else ""
        if self.text("port_of_entry") or landing not in reference.ports_of_entry():
            return False
        self.set("port_of_entry", landing)
        return True

    # --- filing for someone else ---

    def filer_offer(self) -> dict[str, str]:
        """The filer's values that would change this form (only for another person)."""
        if self.value("relationship") == "self":
            return {}
        return {loc: value for loc, value in self.filer_values.items() if self.text(loc) != value}

    def copy_from_filer(self) -> list[str]:
        offer = self.filer_offer()
        for loc, value in offer.items():
            self.set(loc, value)
        return list(offer)
