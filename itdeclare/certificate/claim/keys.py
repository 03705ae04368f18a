"""The keys of the record claim: the position of each field in its array, and the tables that
turn enumerations into small integers (new values are only ever appended).

``docs/certificate.md`` lists them all with their types; keep the two in step. The positions
are plain integers in a namespace class, not an ``IntEnum``: the reader looks up dozens per
record, and an enumeration member costs several times a class attribute to reach.
"""

from __future__ import annotations

from datetime import date

from itdeclare.certificate.record import RecordKind
from itdeclare.models import DocumentType, HistoryKind, LabResult, LabTestKind, Sex

VERSION = 1


class Record:
    VERSION = 0
    KIND = 1
    REFERENCE = 2
    HOLDER = 3
    DOCUMENT = 4
    PORT = 5
    LEGS = 6
    TESTS = 7
    VACCINATIONS = 8
    HISTORY = 9
    PLACES = 10


#: The record's fields by position, as ``docs/certificate.md`` and the verifier's reasons name them.
RECORD_FIELDS = (
    "version",
    "kind",
    "reference",
    "holder",
    "document",
    "port",
    "legs",
    "tests",
    "vaccinations",
    "history",
    "places",
)
assert len(RECORD_FIELDS) == Record.PLACES + 1


class Holder:
    FAMILY_NAME = 0
    GIVEN_NAME = 1
    SEX = 2
    BIRTH = 3
    CHINESE_NAME = 4
    NATIONALITY = 5


class Document:
    TYPE = 0
    NUMBER = 1
    EXPIRES = 2


class Leg:
    FLIGHT = 0
    FROM = 1
    TO = 2
    DEPARTS = 3
    ARRIVES = 4
    DEPARTS_OFFSET = 5
    ARRIVES_OFFSET = 6


class Test:
    KIND_RESULT = 0
    SAMPLED = 1
    PLACE = 2
    OFFSET = 3
    COUNTRY = 4


class Dose:
    PRODUCT = 0
    DOSE = 1
    OF = 2
    DAYS = 3
    COUNTRY = 4


class Episode:
    KIND = 0
    DATE = 1
    RECOVERED = 2


KINDS = (RecordKind.DECLARATION, RecordKind.OUTBOUND)
SEXES = (Sex.MALE, Sex.FEMALE, Sex.OTHER)
DOCUMENTS = (
    DocumentType.PASSPORT,
    DocumentType.DIPLOMATIC_PASSPORT,
    DocumentType.SERVICE_PASSPORT,
    DocumentType.PUBLIC_AFFAIRS_PASSPORT,
    DocumentType.TRAVEL_DOCUMENT,
    DocumentType.HK_MACAO_PERMIT,
    DocumentType.TAIWAN_PERMIT,
    DocumentType.FOREIGN_PASSPORT,
    DocumentType.OTHER,
)
TEST_KINDS = (LabTestKind.NUCLEIC_ACID, LabTestKind.IGM, LabTestKind.IGG)
RESULTS = (LabResult.NEGATIVE, LabResult.POSITIVE)
HISTORY_KINDS = (HistoryKind.POSITIVE_TEST, HistoryKind.DIAGNOSIS)
#: Vaccine products by index (EU DCC medicinal-product codes); others travel as text.
PRODUCTS = (
    "BBIBP-CorV",
    "WIBP-CorV",
    "CoronaVac",
    "Convidecia",
    "EU/1/20/1528",
    "EU/1/20/1507",
    "EU/1/21/1529",
    "EU/1/20/1525",
    "EU/1/21/1618",
    "Covishield",
    "Covaxin",
    "Sputnik-V",
    "NVSI-06-08",
    "SCTV01C",
)
HOME_NATIONALITY = "CHN"
EPOCH = date(1970, 1, 1)
