"""The certified record: what a health code says about its holder, readable again.

A :class:`CertifiedRecord` is what the TUI's QR screen and the verifier show: holder, identity
document, itinerary and port of entry, every test (nucleic acid and antibody), vaccination and
earlier diagnosis. It carries no phone number, address, employer or ID-card number: the code is
shown to strangers, and those are not needed to decide whether its holder may travel.

It travels in the CWT claim :data:`RECORD_CLAIM`; the ``claim`` package holds its compact
encoding.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the verifier reads records without loading the models (pydantic)
    from itdeclare.models import (
        FlightLeg,
        HistoryEntry,
        IdentityDocument,
        LabTest,
        Sex,
        Vaccination,
    )

#: Private-use CWT claim (RFC 8392 §9.1: below -65536) holding the full record.
RECORD_CLAIM = -65537
#: Prefix of this project's certificate identifiers (the UVCI form of the EU DCC).
UVCI_PREFIX = "URN:UVCI:01:CN:"


class RecordKind(StrEnum):
    DECLARATION = "declaration"
    """A returnee declaration approved by a consulate; ``reference`` is the declaration id."""
    OUTBOUND = "outbound"
    """An outbound certificate from the health authority's records; ``reference`` is its serial."""


@dataclass(frozen=True, slots=True)
class Holder:
    family_name: str
    given_name: str
    sex: Sex
    date_of_birth: date
    nationality: str
    chinese_name: str | None = None


@dataclass(frozen=True, slots=True)
class CertifiedRecord:
    kind: RecordKind
    reference: str
    holder: Holder
    document: IdentityDocument
    port_of_entry: str | None = None
    itinerary: tuple[FlightLeg, ...] = ()
    tests: tuple[LabTest, ...] = ()
    vaccinations: tuple[Vaccination, ...] = ()
    history: tuple[HistoryEntry, ...] = ()

    @property
    def certificate_id(self) -> str:
        return certificate_id(self.reference, self.kind)

    def to_json(self) -> dict[str, Any]:
        """The record in the spellings of the declaration file (DESIGN.md §4.5)."""
        holder = self.holder
        return {
            "kind": self.kind.value,
            "reference": self.reference,
            "certificate_id": self.certificate_id,
            "holder": {
                "family_name": holder.family_name,
                "given_name": holder.given_name,
                "chinese_name": holder.chinese_name,
                "sex": holder.sex.value,
                "date_of_birth": holder.date_of_birth.isoformat(),
                "nationality": holder.nationality,
            },
            "document": self.document.model_dump(mode="json"),
            "port_of_entry": self.port_of_entry,
            "itinerary": [leg.model_dump(mode="json", by_alias=True) for leg in self.itinerary],
            "tests": [test.model_dump(mode="json") for test in self.tests],
            "vaccinations": [v.model_dump(mode="json") for v in self.vaccinations],
            "history": [entry.model_dump(mode="json") for entry in self.history],
        }


_UVCI_SAFE = re.compile(r"[A-Z0-9]{1,60}")


def certificate_id(reference: str, kind: RecordKind = RecordKind.DECLARATION) -> str:
    """The identifier revocation lists name: ``URN:UVCI:01:CN:D/<declaration id>``.

    A UVCI allows only upper-case letters, digits and ``/#:``; an id with other characters
    (hyphens of a UUID aside) is replaced by a digest of it, which is just as unique.
    """
    text = reference.replace("-", "").upper()
    if not _UVCI_SAFE.fullmatch(text):
        import base64
        import hashlib

        digest = hashlib.sha256(reference.encode("utf-8")).digest()[:15]
        text = base64.b32encode(digest).decode("ascii")
    letter = "D" if kind is RecordKind.DECLARATION else "O"
    return f"{UVCI_PREFIX}{letter}/{text}"
