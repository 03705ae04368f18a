"""The outbound traveller's request for a certificate from the health authority's records."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from itdeclare.models import limits, validators
from itdeclare.models.base import DomainModel, IdCardNumber, LatinName, Stated
from itdeclare.models.enums import OUTBOUND_DOCUMENTS, DocumentType, Sex
from itdeclare.models.health import LabTest, Vaccination


def card_name(value: str) -> str:
    """The name as on the ID card: Chinese characters (or Latin for some minority names)."""
    try:
        return validators.chinese_name(value)
    except PydanticCustomError:
        return validators.latin_name(value)


class OutboundDocument(DomainModel):
    type: DocumentType
    number: Annotated[
        str,
        Stated("The document's number, in the form of its type.", "E12345678"),
    ]

    @field_validator("type")
    @classmethod
    def _outbound_type(cls, value: DocumentType) -> DocumentType:
        if value not in OUTBOUND_DOCUMENTS:
            raise PydanticCustomError(
                "outbound_document_type",
                "Outbound certificates are issued for Chinese passports and travel documents",
            )
        return value

    @field_validator("number")
    @classmethod
    def _number_fits_type(cls, value: str, info: ValidationInfo) -> str:
        document_type = info.data.get("type")
        if document_type is None:
            return value.strip().upper()
        return validators.document_number(document_type, value)


#: ID-style numbers of the residence permits of Hong Kong, Macao and Taiwan residents: their
#: holders have no mainland resident ID card, and so no outbound certificate.
RESIDENCE_PERMIT_PREFIXES = ("81", "82", "83")


class OutboundRequest(DomainModel):
    id_card_number: IdCardNumber
    name: Annotated[
        str,
        Stated("The name as on the ID card: in Chinese characters, or in Latin letters.", "张三"),
    ]
    document: OutboundDocument

    @field_validator("id_card_number")
    @classmethod
    def _mainland_card(cls, value: str) -> str:
        if value.startswith(RESIDENCE_PERMIT_PREFIXES):
            raise PydanticCustomError(
                "outbound_mainland_id_only",
                "Outbound certificates are for holders of a mainland resident ID card; "
                "this is a residence permit number",
            )
        return value

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        return card_name(value)


class HealthRecord(DomainModel):
    """The health authority's record of one mainland ID-card holder, as the operator imports it
    (``itdeclare admin import-health-records``). The outbound certificate is generated from it;
    the traveller types none of it."""

    id_card_number: IdCardNumber
    name: str
    family_name: LatinName
    given_name: LatinName
    sex: Sex
    documents: list[OutboundDocument] = Field(min_length=1, max_length=5)
    # The same limits as a declaration's: the certificate made from it must fit a QR code too.
    tests: list[LabTest] = Field(default_factory=list, max_length=limits.TESTS)
    vaccinations: list[Vaccination] = Field(default_factory=list, max_length=limits.VACCINATIONS)

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        return card_name(value)

    @property
    def date_of_birth(self) -> date:
        born = validators.id_card_birth_date(self.id_card_number)
        assert born is not None  # guaranteed by the ID number's validator
        return born


#: What an outbound certificate reports, by kind of record (the notice, Q5): a nucleic-acid
#: test, an antibody (IgM or IgG) test, a vaccination.
OUTBOUND_RECORD_KINDS = ("nucleic_acid", "antibody", "vaccination")


def missing_records(record: HealthRecord) -> list[str]:
    """The kinds of record (``OUTBOUND_RECORD_KINDS``) the health authority holds none of for
    this person: a certificate needs at least one kind, and says it is incomplete without all."""
    kinds = {test.kind.value for test in record.tests}
    held = {
        "nucleic_acid": "nucleic_acid" in kinds,
        "antibody": bool(kinds & {"igm", "igg"}),
        "vaccination": bool(record.vaccinations),
    }
    return [kind for kind in OUTBOUND_RECORD_KINDS if not held[kind]]
