"""The common base of the domain models and the annotated field types they share."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict

from itdeclare.models import limits, reference, validators
from itdeclare.models.limits import TextLimit

if TYPE_CHECKING:
    from pydantic import GetJsonSchemaHandler
    from pydantic_core import CoreSchema


class DomainModel(BaseModel):
    """Strict about the file's shape: unknown fields are errors, aliases are what we write."""

    model_config = ConfigDict(
        extra="forbid",
        validate_by_name=True,
        validate_by_alias=True,
        serialize_by_alias=True,
    )


@dataclass(frozen=True, slots=True)
class Stated:
    """Field metadata for the JSON Schema alone (the API's document): the text may not be
    empty, ``rule`` says in words what its validator checks, with an ``example``, and
    ``choices`` (read when the schema is made) lists the values it takes. The validators
    themselves stay the judges: they refuse an empty text with a code of their own
    (``name_empty``), which a ``min_length`` constraint would replace with pydantic's, and they
    take a value in any case and with spaces around it, as people type it."""

    rule: str
    example: str
    choices: Callable[[], Iterable[str]] | None = None

    def __get_pydantic_json_schema__(
        self, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> dict[str, Any]:
        schema = handler(core_schema)
        schema.update(minLength=1, description=self.rule, examples=[self.example])
        if self.choices is not None:
            schema["enum"] = sorted(self.choices())
        return schema


CountryCode = Annotated[
    str,
    AfterValidator(validators.country_code),
    Stated("An ISO 3166-1 alpha-3 country code.", "USA", lambda: reference.countries()),
]
AirportCode = Annotated[
    str,
    AfterValidator(validators.airport_code),
    Stated("The IATA code of an airport: three letters.", "SFO"),
]
PortCode = Annotated[
    str,
    AfterValidator(validators.port_of_entry),
    Stated("The IATA code of a Chinese port of entry.", "PVG", lambda: reference.ports_of_entry()),
]
FlightNumber = Annotated[
    str,
    AfterValidator(validators.flight_number),
    Stated(
        "An IATA flight designator: the airline's two characters, 1 to 4 digits, and an "
        "optional letter.",
        "UA857",
    ),
]
LatinName = Annotated[
    str,
    AfterValidator(validators.latin_name),
    TextLimit(limits.LATIN_NAME),
    Stated(
        "As printed in the document's machine-readable zone: Latin letters A-Z, with a space, "
        "hyphen or apostrophe between parts.",
        "ZHANG",
    ),
]
ChineseName = Annotated[
    str,
    AfterValidator(validators.chinese_name),
    TextLimit(limits.CHINESE_NAME),
    Stated("Chinese characters; the parts of some names joined by a middle dot (·).", "张三"),
]
IdCardNumber = Annotated[
    str,
    AfterValidator(validators.id_card_number),
    Stated(
        "A mainland resident ID number: 17 digits and a check character (a digit or X, ISO "
        "7064 MOD 11-2), starting with a province code and holding a date of birth.",
        "11010519560301001X",
    ),
]
PhoneNumber = Annotated[
    str,
    AfterValidator(validators.phone_number),
    Stated(
        "A mobile number that takes text messages, with + and the country code.", "+14155550123"
    ),
]
EmailAddress = Annotated[
    str,
    AfterValidator(validators.email_address),
    TextLimit(limits.EMAIL),
    Stated("An email address.", "name@example.com"),
]
VaccineProduct = Annotated[
    str,
    AfterValidator(validators.vaccine_product),
    Stated("A vaccine product.", "CoronaVac", lambda: reference.vaccines()),
]
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
