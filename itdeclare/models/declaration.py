"""The returnee declaration: the file of DESIGN.md §4.5."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator
from pydantic_core import PydanticCustomError

from itdeclare.models import limits
from itdeclare.models.base import DomainModel, Employer, PortCode
from itdeclare.models.contact import Contact, Residence
from itdeclare.models.enums import Relationship, TravellerStatus
from itdeclare.models.health import HistoryEntry, LabTest, Vaccination
from itdeclare.models.itinerary import FlightLeg
from itdeclare.models.person import Subject

SCHEMA_VERSION: Literal[1] = 1


class Declaration(DomainModel):
    schema_version: Literal[1] = SCHEMA_VERSION
    relationship: Relationship
    subject: Subject
    contact: Contact
    residence: Residence
    status: TravellerStatus
    employer: Employer | None = None
    itinerary: list[FlightLeg] = Field(min_length=1, max_length=limits.ITINERARY_LEGS)
    port_of_entry: PortCode
    tests: list[LabTest] = Field(default_factory=list, max_length=limits.TESTS)
    vaccinations: list[Vaccination] = Field(default_factory=list, max_length=limits.VACCINATIONS)
    history: list[HistoryEntry] = Field(default_factory=list, max_length=limits.HISTORY)
    attested: bool

    @field_validator("attested")
    @classmethod
    def _must_attest(cls, value: bool) -> bool:
        if not value:
            raise PydanticCustomError(
                "not_attested", "Confirm that the declaration is true and complete"
            )
        return value

    @property
    def entry_leg(self) -> FlightLeg:
        """The flight into China: the last leg of the itinerary."""
        return self.itinerary[-1]
