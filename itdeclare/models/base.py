"""The common base of the domain models and the annotated field types they share."""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import Annotated

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict

from itdeclare.models import limits, validators
from itdeclare.models.limits import FILLED, TextLimit


class DomainModel(BaseModel):
    """Strict about the file's shape: unknown fields are errors, aliases are what we write."""

    model_config = ConfigDict(
        extra="forbid",
        validate_by_name=True,
        validate_by_alias=True,
        serialize_by_alias=True,
    )


CountryCode = Annotated[str, AfterValidator(validators.country_code), FILLED]
AirportCode = Annotated[str, AfterValidator(validators.airport_code), FILLED]
PortCode = Annotated[str, AfterValidator(validators.port_of_entry), FILLED]
FlightNumber = Annotated[str, AfterValidator(validators.flight_number), FILLED]
LatinName = Annotated[str, AfterValidator(validators.latin_name), TextLimit(limits.LATIN_NAME)]
ChineseName = Annotated[
    str, AfterValidator(validators.chinese_name), TextLimit(limits.CHINESE_NAME)
]
IdCardNumber = Annotated[str, AfterValidator(validators.id_card_number), FILLED]
PhoneNumber = Annotated[str, AfterValidator(validators.phone_number), FILLED]
EmailAddress = Annotated[str, AfterValidator(validators.email_address), TextLimit(limits.EMAIL)]
VaccineProduct = Annotated[str, AfterValidator(validators.vaccine_product), FILLED]
BirthDate = Annotated[date, AfterValidator(validators.date_of_birth)]
#: A flight's or a sample's time: kept to the minute, as schedules and test reports give it.
Moment = Annotated[AwareDatetime, AfterValidator(validators.to_the_minute)]


def _text_check(max_length: int, *, by_width: bool = False) -> AfterValidator:
    return AfterValidator(partial(validators.non_blank, max_length=max_length, by_width=by_width))


#: Free text on one line, each with its limit (see ``limits``); the metadata tells tools.
City = Annotated[str, _text_check(limits.CITY), TextLimit(limits.CITY)]
Address = Annotated[str, _text_check(limits.ADDRESS), TextLimit(limits.ADDRESS)]
Employer = Annotated[str, _text_check(limits.EMPLOYER), TextLimit(limits.EMPLOYER)]
Institution = Annotated[
    str,
    _text_check(limits.INSTITUTION, by_width=True),
    TextLimit(limits.INSTITUTION, by_width=True),
]
