"""The declaration domain: pydantic v2 models and rules, with no I/O.

The names below load on first use (PEP 562), so a screen that needs only an enumeration does
not pay for building every model's validators at start-up.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from itdeclare.models.contact import Contact, Residence
    from itdeclare.models.declaration import SCHEMA_VERSION, Declaration
    from itdeclare.models.enums import (
        CHINESE_DOCUMENTS,
        OUTBOUND_DOCUMENTS,
        DeclarationStatus,
        DocumentType,
        HistoryKind,
        LabResult,
        LabTestKind,
        Relationship,
        Sex,
        TravellerStatus,
    )
    from itdeclare.models.health import HistoryEntry, LabTest, Vaccination
    from itdeclare.models.itinerary import FlightLeg
    from itdeclare.models.outbound import HealthRecord, OutboundDocument, OutboundRequest
    from itdeclare.models.person import IdentityDocument, Subject
    from itdeclare.models.problems import Problem
    from itdeclare.models.rules import RuleSet, default_rules
    from itdeclare.models.validation import Report, validate_declaration

_HOMES: dict[str, str] = {
    "Contact": "itdeclare.models.contact",
    "Residence": "itdeclare.models.contact",
    "SCHEMA_VERSION": "itdeclare.models.declaration",
    "Declaration": "itdeclare.models.declaration",
    "CHINESE_DOCUMENTS": "itdeclare.models.enums",
    "OUTBOUND_DOCUMENTS": "itdeclare.models.enums",
    "DeclarationStatus": "itdeclare.models.enums",
    "DocumentType": "itdeclare.models.enums",
    "HistoryKind": "itdeclare.models.enums",
    "LabResult": "itdeclare.models.enums",
    "LabTestKind": "itdeclare.models.enums",
    "Relationship": "itdeclare.models.enums",
    "Sex": "itdeclare.models.enums",
    "TravellerStatus": "itdeclare.models.enums",
    "HistoryEntry": "itdeclare.models.health",
    "LabTest": "itdeclare.models.health",
    "Vaccination": "itdeclare.models.health",
    "FlightLeg": "itdeclare.models.itinerary",
    "HealthRecord": "itdeclare.models.outbound",
    "OutboundDocument": "itdeclare.models.outbound",
    "OutboundRequest": "itdeclare.models.outbound",
    "IdentityDocument": "itdeclare.models.person",
    "Subject": "itdeclare.models.person",
    "Problem": "itdeclare.models.problems",
    "RuleSet": "itdeclare.models.rules",
    "default_rules": "itdeclare.models.rules",
    "Report": "itdeclare.models.validation",
    "validate_declaration": "itdeclare.models.validation",
}

__all__ = [
    "CHINESE_DOCUMENTS",
    "OUTBOUND_DOCUMENTS",
    "SCHEMA_VERSION",
    "Contact",
    "Declaration",
    "DeclarationStatus",
    "DocumentType",
    "FlightLeg",
    "HealthRecord",
    "HistoryEntry",
    "HistoryKind",
    "IdentityDocument",
    "LabResult",
    "LabTest",
    "LabTestKind",
    "OutboundDocument",
    "OutboundRequest",
    "Problem",
    "Relationship",
    "Report",
    "Residence",
    "RuleSet",
    "Sex",
    "Subject",
    "TravellerStatus",
    "Vaccination",
    "default_rules",
    "validate_declaration",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value
