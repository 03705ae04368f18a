"""What the cross-field checks read from a declaration, field by field.

A declaration with a mistyped phone number still has an itinerary and tests worth checking against
the rules: the traveller should learn every problem at once, not the rule breaches only after the
typos are fixed. So ``consistency`` and ``rules`` read these facts, where each field holds its
validated value, or ``None`` when it is missing or invalid (its own field error says why), and
each check runs only when the fields it relates are known.

Values are validated with the models' own field types, so they are normalised exactly as in a
valid ``Declaration``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, fields
from functools import cache
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError
from pydantic_core import PydanticCustomError

from itdeclare.models import validators
from itdeclare.models.contact import Residence
from itdeclare.models.declaration import Declaration
from itdeclare.models.enums import DocumentType, HistoryKind, LabResult, LabTestKind
from itdeclare.models.health import HistoryEntry, LabTest, Vaccination
from itdeclare.models.itinerary import FlightLeg
from itdeclare.models.person import IdentityDocument, Subject


@dataclass(frozen=True, slots=True)
class Person:
    date_of_birth: dt.date | None = None
    nationality: str | None = None
    document_type: DocumentType | None = None
    document_expires_on: dt.date | None = None
    id_card_number: str | None = None
    document_number: str | None = None
    chinese_name: str | None = None
    family_name: str | None = None
    given_name: str | None = None


@dataclass(frozen=True, slots=True)
class Leg:
    flight: str | None = None
    from_: str | None = None
    to: str | None = None
    departs_at: dt.datetime | None = None
    arrives_at: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class Sample:
    """One lab test of the trip."""

    kind: LabTestKind | None = None
    sampled_at: dt.datetime | None = None
    country: str | None = None
    result: LabResult | None = None


@dataclass(frozen=True, slots=True)
class Dated:
    """A vaccination or an entry of the history: only its dates matter to the checks."""

    date: dt.date | None = None
    recovered_on: dt.date | None = None
    kind: HistoryKind | None = None


@dataclass(frozen=True, slots=True)
class Facts:
    subject: Person
    itinerary: tuple[Leg, ...]
    port_of_entry: str | None
    tests: tuple[Sample, ...]
    vaccinations: tuple[Dated, ...]
    history: tuple[Dated, ...]
    residence_country: str | None = None

    @property
    def entry_leg(self) -> Leg | None:
        """The flight into China: the last leg, when there is one."""
        return self.itinerary[-1] if self.itinerary else None


def from_declaration(d: Declaration) -> Facts:
    """The facts of a valid declaration: every field is known."""
    subject = d.subject
    return Facts(
        Person(
            subject.date_of_birth,
            subject.nationality,
            subject.document.type,
            subject.document.expires_on,
            subject.id_card_number,
            subject.document.number,
            subject.chinese_name,
            subject.family_name,
            subject.given_name,
        ),
        tuple(Leg(g.flight, g.from_, g.to, g.departs_at, g.arrives_at) for g in d.itinerary),
        d.port_of_entry,
        tuple(Sample(t.kind, t.sampled_at, t.country, t.result) for t in d.tests),
        tuple(Dated(v.date) for v in d.vaccinations),
        tuple(Dated(h.date, h.recovered_on, h.kind) for h in d.history),
        d.residence.country,
    )


def from_data(data: Mapping[str, Any]) -> Facts:
    """The facts of a declaration that failed validation: what each field holds, if valid."""
    subject = _mapping(data.get("subject"))
    document = _mapping(subject.get("document"))
    document_type = _value(IdentityDocument, "type", document)
    return Facts(
        Person(
            _value(Subject, "date_of_birth", subject),
            _value(Subject, "nationality", subject),
            document_type,
            _value(IdentityDocument, "expires_on", document),
            _value(Subject, "id_card_number", subject),
            _document_number(document_type, document.get("number")),
            _value(Subject, "chinese_name", subject),
            _value(Subject, "family_name", subject),
            _value(Subject, "given_name", subject),
        ),
        tuple(_leg(item) for item in _items(data.get("itinerary"))),
        _value(Declaration, "port_of_entry", data),
        tuple(_sample(item) for item in _items(data.get("tests"))),
        tuple(
            Dated(_value(Vaccination, "date", item)) for item in _items(data.get("vaccinations"))
        ),
        tuple(
            Dated(
                _value(HistoryEntry, "date", item),
                _value(HistoryEntry, "recovered_on", item),
                _value(HistoryEntry, "kind", item),
            )
            for item in _items(data.get("history"))
        ),
        _value(Residence, "country", _mapping(data.get("residence"))),
    )


def _leg(item: Mapping[str, Any]) -> Leg:
    return Leg(*(_value(FlightLeg, field.name, item) for field in fields(Leg)))


def _sample(item: Mapping[str, Any]) -> Sample:
    return Sample(*(_value(LabTest, field.name, item) for field in fields(Sample)))


def _document_number(document_type: DocumentType | None, number: Any) -> str | None:
    if document_type is None or not isinstance(number, str):
        return None
    try:
        return validators.document_number(document_type, number)
    except PydanticCustomError:
        return None


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _items(value: Any) -> list[Mapping[str, Any]]:
    return [_mapping(item) for item in value] if isinstance(value, list) else []


@cache
def _adapter(model: type[BaseModel], name: str) -> TypeAdapter[Any]:
    return TypeAdapter(model.model_fields[name].rebuild_annotation())


def _value(model: type[BaseModel], name: str, data: Mapping[str, Any]) -> Any:
    """The field ``name`` of ``model`` as read from ``data``, or None if absent or invalid."""
    key = model.model_fields[name].alias or name
    if key not in data:
        return None
    try:
        return _adapter(model, name).validate_python(data[key])
    except ValidationError:
        return None
