"""The outbound traveller's request for a certificate from the health authority's records."""

from __future__ import annotations

from pydantic import ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from itdeclare.models import validators
from itdeclare.models.base import DomainModel, IdCardNumber
from itdeclare.models.enums import OUTBOUND_DOCUMENTS, DocumentType


class OutboundDocument(DomainModel):
    type: DocumentType
    number: str

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


class OutboundRequest(DomainModel):
    id_card_number: IdCardNumber
    name: str
    document: OutboundDocument

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        """The name as on the ID card: Chinese characters (or Latin for some minority names)."""
        try:
            return validators.chinese_name(value)
        except PydanticCustomError:
            return validators.latin_name(value)
