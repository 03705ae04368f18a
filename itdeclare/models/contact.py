"""How to reach the traveller, and where they live abroad."""

from __future__ import annotations

from pydantic import field_validator
from pydantic_core import PydanticCustomError

from itdeclare.models.base import (
    Address,
    City,
    CountryCode,
    DomainModel,
    EmailAddress,
    PhoneNumber,
)


class Contact(DomainModel):
    phone: PhoneNumber
    email: EmailAddress | None = None


class Residence(DomainModel):
    country: CountryCode
    city: City
    address: Address

    @field_validator("country")
    @classmethod
    def _abroad(cls, value: str) -> str:
        if value == "CHN":
            raise PydanticCustomError(
                "residence_in_china", "The residence abroad cannot be in mainland China"
            )
        return value
