"""The person a declaration is about, and the identity document they travel on."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated

from pydantic import ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from itdeclare.models import limits, validators
from itdeclare.models.base import (
    BirthDate,
    ChineseName,
    CountryCode,
    DomainModel,
    IdCardNumber,
    LatinName,
    Stated,
)
from itdeclare.models.enums import DocumentType, Sex
from itdeclare.models.limits import TextLimit

EARLIEST_BIRTH = validators.EARLIEST_BIRTH


class IdentityDocument(DomainModel):
    type: DocumentType
    number: Annotated[  # checked against the type below
        str,
        TextLimit(limits.DOCUMENT_NUMBER),
        Stated("The document's number, in the form of its type.", "E12345678"),
    ]
    expires_on: date | None = None

    @field_validator("number")
    @classmethod
    def _number_fits_type(cls, value: str, info: ValidationInfo) -> str:
        document_type = info.data.get("type")
        if document_type is None:  # the type itself failed; that error says enough
            return value.strip().upper()
        return validators.document_number(document_type, value)


#: Permits whose older booklets add a two-digit issue count to a number held for life: the
#: lifelong part is the document (``validators.DOCUMENT_FORMATS``).
_LIFELONG_LENGTH: dict[str | None, int] = {
    DocumentType.HK_MACAO_PERMIT: 9,
    DocumentType.TAIWAN_PERMIT: 8,
}
_SEPARATORS = re.compile(r"[^0-9A-Z]")


#: A permit's lifelong number and its older booklet's two-digit issue count, told by shape
#: alone: H or M and 8 digits (Hong Kong and Macao), or 8 digits (Taiwan), then 2 digits.
_PERMIT_WITH_ISSUE_COUNT = re.compile(r"([HM][0-9]{8}|[0-9]{8})[0-9]{2}")


def number_identity(number: str) -> str:
    """A document's number as it names the document whatever type or country it is declared
    with: without separators, and a number shaped as a permit with its issue count without
    that count. One number declared as a Chinese passport and as "other" from another country,
    or a permit's as "other" with its count, is one document (DESIGN.md §2)."""
    compact = _SEPARATORS.sub("", number.upper())
    permit = _PERMIT_WITH_ISSUE_COUNT.fullmatch(compact)
    return permit.group(1) if permit else compact


_NOT_LETTERS = re.compile(r"[^A-Z]")


def name_identity(family_name: str, given_name: str) -> str:
    """A holder's names as they tell one person apart within an account: the Latin letters
    alone, in upper case, family name then given name (ZHANG SAN and Zhang San, or XI-AO and
    XIAO, are one name)."""
    family = _NOT_LETTERS.sub("", family_name.upper())
    given = _NOT_LETTERS.sub("", given_name.upper())
    return f"{family}/{given}"


def document_identity(nationality: str, document_type: str | None, number: str) -> str:
    """A travel document as one string: its issuing country (the holder's nationality: a
    Chinese document is held by Chinese nationals only) and its number, without the separators
    some are written with (D.1234567, AB-123456) or a permit booklet's issue count. Not its type:
    one number declared as a passport and as "other" is one document (DESIGN.md §2)."""
    compact = _SEPARATORS.sub("", number.upper())
    return f"{nationality.strip().upper()}:{compact[: _LIFELONG_LENGTH.get(document_type)]}"


class Subject(DomainModel):
    family_name: LatinName
    given_name: LatinName
    chinese_name: ChineseName | None = None
    sex: Sex
    date_of_birth: BirthDate
    nationality: CountryCode
    document: IdentityDocument
    id_card_number: IdCardNumber | None = None

    @field_validator("id_card_number")
    @classmethod
    def _id_matches_birth(cls, value: str | None, info: ValidationInfo) -> str | None:
        born = info.data.get("date_of_birth")
        if value is None or born is None:
            return value
        if validators.id_card_birth_date(value) != born:
            raise PydanticCustomError(
                "id_card_birth_mismatch",
                "The ID number says born {id_birth}, the date of birth says {birth}",
                {"id_birth": validators.id_card_birth_date(value), "birth": born},
            )
        return value

    @field_validator("id_card_number")
    @classmethod
    def _id_matches_sex(cls, value: str | None, info: ValidationInfo) -> str | None:
        sex = info.data.get("sex")
        if value is None or sex not in (Sex.MALE, Sex.FEMALE):
            return value
        id_sex = Sex.MALE if validators.id_card_is_male(value) else Sex.FEMALE
        if id_sex is not sex:
            raise PydanticCustomError(
                "id_card_sex_mismatch",
                "The ID number is a {id_sex}'s, the sex says {sex}",
                {"id_sex": id_sex, "sex": sex},
            )
        return value
