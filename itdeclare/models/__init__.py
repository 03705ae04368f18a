"""The declaration domain: pydantic v2 models and rules, with no I/O."""

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
