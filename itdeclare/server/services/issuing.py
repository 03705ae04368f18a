"""The one boundary between the backend and the certificate module: issuing signed certificates.

The review and outbound services ask an ``Issuer`` for payloads; the application holds one when
signing keys are available, and none otherwise, in which case approval records the decision and
the certificate endpoints answer 409 "not issued yet".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from itdeclare.models import Declaration, HealthRecord, OutboundDocument


@dataclass(frozen=True, slots=True)
class Issued:
    payload: str
    issued_at: datetime
    expires_at: datetime


class Issuer(Protocol):
    def declaration_certificate(
        self, declaration: Declaration, declaration_id: str, now: datetime
    ) -> Issued: ...

    def outbound_certificate(
        self, record: HealthRecord, document: OutboundDocument, now: datetime
    ) -> Issued: ...

    def trust_list(self) -> dict[str, Any]: ...
