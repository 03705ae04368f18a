"""The declaration form: its steps, their fields, and the draft's values by location.

Pure data and functions (no Textual), so the home screen can tell how complete a draft is
without building the wizard. A field is named by its location in the §4.5 document
(``subject.document.number``, ``itinerary.0.departs_at``): the same dotted path the models use
for their problems, so a problem leads straight to its field.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from enum import StrEnum
from typing import Any, NamedTuple

from itdeclare.models import (
    DocumentType,
    HistoryKind,
    LabResult,
    LabTestKind,
    Relationship,
    Sex,
    TravellerStatus,
    limits,
)


class Kind(StrEnum):
    TEXT = "text"  # checked when the field is left
    CODE = "code"  # short codes, checked as they are typed
    DATE = "date"
    DATETIME = "datetime"
    NUMBER = "number"
    CHOICE = "choice"  # one of an enumeration
    COUNTRY = "country"
    AIRPORT = "airport"
    PORT = "port"
    VACCINE = "vaccine"
    CHECK = "check"


class FieldSpec(NamedTuple):
    path: str
    """Location in the document, or within one list item for a list step."""
    kind: Kind
    required: bool = True
    choices: type[StrEnum] | None = None


class ListSpec(NamedTuple):
    path: str
    fields: tuple[FieldSpec, ...]
    min_items: int
    max_items: int


class Step(NamedTuple):
    id: str
    owns: tuple[str, ...]
    """The document locations whose problems this step shows."""
    fields: tuple[FieldSpec, ...] = ()
    items: ListSpec | None = None


def _f(path: str, kind: Kind, *, required: bool = True, choices: Any = None) -> FieldSpec:
    return FieldSpec(path, kind, required, choices)


STEPS: tuple[Step, ...] = (
    Step(
        "identity",
        ("subject", "relationship"),
        fields=(
            _f("subject.family_name", Kind.TEXT),
            _f("subject.given_name", Kind.TEXT),
            _f("subject.chinese_name", Kind.TEXT, required=False),
            _f("subject.sex", Kind.CHOICE, choices=Sex),
            _f("subject.date_of_birth", Kind.DATE),
            _f("subject.nationality", Kind.COUNTRY),
            _f("subject.document.type", Kind.CHOICE, choices=DocumentType),
            _f("subject.document.number", Kind.CODE),
            _f("subject.document.expires_on", Kind.DATE, required=False),
            _f("subject.id_card_number", Kind.CODE, required=False),
        ),
    ),
    Step(
        "contact",
        ("contact", "residence"),
        fields=(
            _f("contact.phone", Kind.TEXT),
            _f("contact.email", Kind.TEXT, required=False),
            _f("residence.country", Kind.COUNTRY),
            _f("residence.city", Kind.TEXT),
            _f("residence.address", Kind.TEXT),
        ),
    ),
    Step(
        "status",
        ("status", "employer"),
        fields=(
            _f("status", Kind.CHOICE, choices=TravellerStatus),
            _f("employer", Kind.TEXT, required=False),
        ),
    ),
    Step(
        "itinerary",
        ("itinerary",),
        items=ListSpec(
            "itinerary",
            (
                _f("flight", Kind.CODE),
                _f("from", Kind.AIRPORT),
                _f("to", Kind.AIRPORT),
                _f("departs_at", Kind.DATETIME),
                _f("arrives_at", Kind.DATETIME),
            ),
            min_items=1,
            max_items=limits.ITINERARY_LEGS,
        ),
    ),
    Step("port", ("port_of_entry",), fields=(_f("port_of_entry", Kind.PORT),)),
    Step(
        "tests",
        ("tests",),
        items=ListSpec(
            "tests",
            (
                _f("kind", Kind.CHOICE, choices=LabTestKind),
                _f("sampled_at", Kind.DATETIME),
                _f("result", Kind.CHOICE, choices=LabResult),
                _f("institution", Kind.TEXT),
                _f("country", Kind.COUNTRY),
            ),
            min_items=0,
            max_items=limits.TESTS,
        ),
    ),
    # The tests' reports (检测证明): files kept beside the document, not fields of it.
    Step("reports", ()),
    Step(
        "vaccination",
        ("vaccinations",),
        items=ListSpec(
            "vaccinations",
            (
                _f("product", Kind.VACCINE),
                _f("dose", Kind.NUMBER),
                _f("of", Kind.NUMBER),
                _f("date", Kind.DATE),
                _f("country", Kind.COUNTRY),
            ),
            min_items=0,
            max_items=limits.VACCINATIONS,
        ),
    ),
    Step(
        "history",
        ("history",),
        items=ListSpec(
            "history",
            (
                _f("kind", Kind.CHOICE, choices=HistoryKind),
                _f("date", Kind.DATE),
                _f("recovered_on", Kind.DATE, required=False),
            ),
            min_items=0,
            max_items=limits.HISTORY,
        ),
    ),
    Step("review", ("attested",), fields=(_f("attested", Kind.CHECK),)),
)

STEP_IDS = tuple(step.id for step in STEPS)
REVIEW = STEPS[-1]

#: What a declaration for someone else may take from the filer's own: offered, never forced.
FILER_FIELDS = (
    "contact.phone",
    "contact.email",
    "residence.country",
    "residence.city",
    "residence.address",
)


def step_by_id(step_id: str) -> Step:
    for step in STEPS:
        if step.id == step_id:
            return step
    return STEPS[0]


def owns(step: Step, loc: str) -> bool:
    return any(loc == prefix or loc.startswith(prefix + ".") for prefix in step.owns)


def step_of(loc: str) -> Step:
    """The step where the field at ``loc`` is typed (the review step for the document itself)."""
    for step in STEPS:
        if owns(step, loc):
            return step
    return REVIEW


# --- locations and widget ids ----------------------------------------------------------------


def field_id(loc: str) -> str:
    """The widget id of the field at ``loc``: ``itinerary.0.from`` -> ``f-itinerary--0--from``."""
    return "f-" + loc.replace(".", "--")


def loc_of(widget_id: str) -> str:
    return widget_id.removeprefix("f-").replace("--", ".")


def label_key(loc: str) -> str:
    """Catalogue key of a field's label: ``itinerary.0.from`` -> ``wizard.field.itinerary.from``."""
    return "wizard.field." + ".".join(part for part in loc.split(".") if not part.isdigit())


def get_value(form: Mapping[str, Any], loc: str) -> Any:
    node: Any = form
    for part in loc.split("."):
        if isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        elif isinstance(node, Mapping) and part in node:
            node = node[part]
        else:
            return None
    return node


def set_value(form: dict[str, Any], loc: str, value: Any) -> None:
    *parents, last = loc.split(".")
    node: Any = form
    for part in parents:
        node = node[int(part)] if isinstance(node, list) else node.setdefault(part, {})
    if isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value


# --- blank forms and items -------------------------------------------------------------------


def blank_item(spec: ListSpec, **values: str) -> dict[str, Any]:
    return {field.path: values.get(field.path, "") for field in spec.fields}


def _blank(step_fields: tuple[FieldSpec, ...]) -> dict[str, Any]:
    form: dict[str, Any] = {}
    for field in step_fields:
        set_value(form, field.path, False if field.kind is Kind.CHECK else "")
    return form


def blank_form(
    relationship: Relationship, subject: Mapping[str, Any], required_tests: tuple[str, ...]
) -> dict[str, Any]:
    """A new form for a person: what is known of them filled in, one empty flight, and one row
    for each test the rules require."""
    form = _blank(tuple(field for step in STEPS for field in step.fields))
    form["relationship"] = relationship.value
    for key, value in subject.items():
        if isinstance(value, Mapping):
            form["subject"].setdefault(key, {}).update(value)
        elif value is not None:
            form["subject"][key] = value
    for step in STEPS:
        if step.items is not None:
            form[step.items.path] = []
    itinerary, tests = step_by_id("itinerary").items, step_by_id("tests").items
    assert itinerary is not None and tests is not None
    form["itinerary"] = [blank_item(itinerary)]
    # The result is the traveller's to declare: nothing is chosen for them (not "negative").
    form["tests"] = [blank_item(tests, kind=kind) for kind in required_tests]
    return form


def copy_form(form: Mapping[str, Any]) -> dict[str, Any]:
    return copy.deepcopy(dict(form))


# --- progress -----------------------------------------------------------------------------


def _filled(value: Any) -> bool:
    return value is True or (isinstance(value, str) and bool(value.strip()))


def completeness(form: Mapping[str, Any]) -> int:
    """How much of the form is filled in, in percent (required fields only)."""
    filled = total = 0
    for step in STEPS:
        for field in step.fields:
            if field.required:
                total += 1
                filled += _filled(get_value(form, field.path))
        if step.items is None:
            continue
        items = form.get(step.items.path) or []
        required = [field for field in step.items.fields if field.required]
        missing_items = max(0, step.items.min_items - len(items))
        total += missing_items * len(required)
        for item in items:
            total += len(required)
            filled += sum(_filled(get_value(item, field.path)) for field in required)
    return round(100 * filled / total) if total else 100
