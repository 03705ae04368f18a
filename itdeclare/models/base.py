"""The common base of the domain models and the annotated field types they share."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict

from itdeclare.models import validators


class DomainModel(BaseModel):
    """Strict about the file's shape: unknown fields are errors, aliases are what we write."""

    model_config = ConfigDict(
        extra="forbid",
        validate_by_name=True,
        validate_by_alias=True,
        serialize_by_alias=True,
    )


CountryCode = Annotated[str, AfterValidator(validators.country_code)]
AirportCode = Annotated[str, AfterValidator(validators.airport_code)]
PortCode = Annotated[str, AfterValidator(validators.port_of_entry)]
FlightNumber = Annotated[str, AfterValidator(validators.flight_number)]
LatinName = Annotated[str, AfterValidator(validators.latin_name)]
ChineseName = Annotated[str, AfterValidator(validators.chinese_name)]
IdCardNumber = Annotated[str, AfterValidator(validators.id_card_number)]
PhoneNumber = Annotated[str, AfterValidator(validators.phone_number)]
EmailAddress = Annotated[str, AfterValidator(validators.email_address)]
VaccineProduct = Annotated[str, AfterValidator(validators.vaccine_product)]
Text = Annotated[str, AfterValidator(validators.non_blank)]
BirthDate = Annotated[date, AfterValidator(validators.date_of_birth)]
