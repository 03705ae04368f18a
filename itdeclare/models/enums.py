"""The enumerations of the declaration file (DESIGN.md §4.5). Values are the file's spellings."""

from enum import StrEnum


class Relationship(StrEnum):
    """Who the subject is to the account holder who files."""

    SELF = "self"
    PARENT = "parent"
    SPOUSE = "spouse"
    CHILD = "child"
    OTHER_RELATIVE = "other_relative"
    OTHER = "other"


class Sex(StrEnum):
    MALE = "male"
    FEMALE = "female"
    OTHER = "other"


class DocumentType(StrEnum):
    PASSPORT = "passport"
    DIPLOMATIC_PASSPORT = "diplomatic_passport"
    SERVICE_PASSPORT = "service_passport"
    PUBLIC_AFFAIRS_PASSPORT = "public_affairs_passport"
    TRAVEL_DOCUMENT = "travel_document"
    HK_MACAO_PERMIT = "hk_macao_permit"
    TAIWAN_PERMIT = "taiwan_permit"
    FOREIGN_PASSPORT = "foreign_passport"
    OTHER = "other"


#: Documents issued by the People's Republic of China: a holder of one of these and of a foreign
#: document must declare the Chinese one.
CHINESE_DOCUMENTS = frozenset(DocumentType) - {DocumentType.FOREIGN_PASSPORT, DocumentType.OTHER}

#: The five documents an outbound certificate may be issued for.
OUTBOUND_DOCUMENTS = frozenset(
    {
        DocumentType.PASSPORT,
        DocumentType.DIPLOMATIC_PASSPORT,
        DocumentType.SERVICE_PASSPORT,
        DocumentType.PUBLIC_AFFAIRS_PASSPORT,
        DocumentType.TRAVEL_DOCUMENT,
    }
)


class TravellerStatus(StrEnum):
    """The traveller's identity/status abroad (身份)."""

    STUDENT = "student"
    EMPLOYEE = "employee"
    RESIDENT = "resident"
    VISITOR = "visitor"
    OTHER = "other"


class LabTestKind(StrEnum):
    NUCLEIC_ACID = "nucleic_acid"
    IGM = "igm"
    IGG = "igg"


class LabResult(StrEnum):
    NEGATIVE = "negative"
    POSITIVE = "positive"


class HistoryKind(StrEnum):
    POSITIVE_TEST = "positive_test"
    DIAGNOSIS = "diagnosis"


class DeclarationStatus(StrEnum):
    PENDING_REVIEW = "pending_review"
    SUPPLEMENT_REQUESTED = "supplement_requested"
    APPROVED = "approved"
    REJECTED = "rejected"
    CANCELLED = "cancelled"
    REVOKED = "revoked"
    EXPIRED = "expired"
