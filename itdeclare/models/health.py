"""Tests, vaccinations and the earlier history of infection."""

from __future__ import annotations

import datetime as dt

from pydantic import Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from itdeclare.models.base import CountryCode, DomainModel, Institution, Moment, VaccineProduct
from itdeclare.models.enums import HistoryKind, LabResult, LabTestKind


class LabTest(DomainModel):
    """A nucleic-acid or antibody (IgM / IgG) test for this trip."""

    kind: LabTestKind
    sampled_at: Moment
    result: LabResult
    institution: Institution
    country: CountryCode


class Vaccination(DomainModel):
    product: VaccineProduct
    dose: int = Field(ge=1, le=9)
    of: int = Field(ge=1, le=9)
    date: dt.date
    country: CountryCode

    @field_validator("of")
    @classmethod
    def _dose_in_series(cls, value: int, info: ValidationInfo) -> int:
        dose = info.data.get("dose")
        if dose is not None and dose > value:
            raise PydanticCustomError(
                "dose_exceeds_series",
                "Dose {dose} cannot be more than the doses in the series ({of})",
                {"dose": dose, "of": value},
            )
        return value


class HistoryEntry(DomainModel):
    """An earlier positive test or confirmed diagnosis, and the recovery if there was one."""

    kind: HistoryKind
    date: dt.date
    recovered_on: dt.date | None = None

    @field_validator("recovered_on")
    @classmethod
    def _after_onset(cls, value: dt.date | None, info: ValidationInfo) -> dt.date | None:
        onset = info.data.get("date")
        if value is not None and onset is not None and value < onset:
            raise PydanticCustomError(
                "recovery_before_onset",
                "Recovery ({recovered}) cannot be before the date itself ({onset})",
                {"recovered": value, "onset": onset},
            )
        return value
