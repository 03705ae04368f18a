"""The one table from EU DCC value sets onto the declaration's enumerations.

The DCC names a test's type and result by codes of its value sets (``test-type.json``,
``test-result.json``; LOINC and SNOMED CT). Reading a lab's certificate maps them here; writing
one (``dcc.build``) maps back through the same table, so the two can never disagree.
A type that no declaration test kind matches (a rapid antigen test) maps to ``None``: it is
not one of the tests the rules ask for.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final

from itdeclare.models.enums import LabResult, LabTestKind

#: value set (by the DCC test entry's field) → code → the declaration's value.
DCC_TO_DECLARATION: Final[dict[str, dict[str, StrEnum | None]]] = {
    "tt": {
        "LP6464-4": LabTestKind.NUCLEIC_ACID,  # nucleic acid amplification with probe detection
        "LP217198-3": None,  # rapid immunoassay (antigen): no kind of the declaration
    },
    "tr": {
        "260415000": LabResult.NEGATIVE,  # not detected
        "260373001": LabResult.POSITIVE,  # detected
    },
}


def dcc_code(field: str, value: StrEnum) -> str:
    """The DCC code for a declaration value (the table read backwards)."""
    for code, mapped in DCC_TO_DECLARATION[field].items():
        if mapped is value:
            return code
    raise KeyError(f"{field}: {value} has no DCC code")
