"""A kept health code, read for display: whose it is, and whether it may be shown as green.

Pure functions, no Textual. Reading the payload needs the certificate codec (and so
``cryptography``): import this module when a code is shown, not at start-up.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from itdeclare.certificate import claim, cose, cwt, hc1
from itdeclare.certificate.errors import CertificateError
from itdeclare.certificate.record import CertifiedRecord
from itdeclare.i18n import Language
from itdeclare.models import DeclarationStatus
from itdeclare.storage.records import Certificate


class CodeState(StrEnum):
    VALID = "valid"
    REVOKED = "revoked"
    EXPIRED = "expired"
    NOT_YET = "not_yet"
    UNREADABLE = "unreadable"


def state_of(certificate: Certificate, now: datetime, *, readable: bool = True) -> CodeState:
    """Green only when nothing speaks against it: revoked or replaced, past its expiry (or
    marked expired by the backend), not yet valid, or a payload that cannot be read."""
    if not readable:
        return CodeState.UNREADABLE
    if certificate.status in (DeclarationStatus.REVOKED, DeclarationStatus.CANCELLED):
        return CodeState.REVOKED
    if certificate.status is DeclarationStatus.EXPIRED or now >= certificate.expires_at:
        return CodeState.EXPIRED
    if now < certificate.issued_at:
        return CodeState.NOT_YET
    if certificate.status is not DeclarationStatus.APPROVED:
        return CodeState.REVOKED
    return CodeState.VALID


def read_record(payload: str) -> CertifiedRecord | None:
    """What the code says of its holder, read without checking the signature (the app shows
    its own code; verifiers check it with ``itdeclare verify``). ``None`` if unreadable."""
    try:
        message = cose.parse(hc1.decode(payload))
        claims = cwt.parse(message.payload)
        if claims.record is None:
            return None
        return claim.decode(claims.record, claims.issued_at or 0)
    except CertificateError:
        return None


@dataclass(frozen=True, slots=True)
class Holder:
    """The lines beside the code: enough to match it to the person and document shown."""

    latin_name: str
    chinese_name: str | None
    document_type: str
    document_number: str
    date_of_birth: str

    def title_name(self, language: Language) -> str:
        """Whose code it is, as the title says it: in Chinese the Chinese name the record
        holds (张三的健康码), the document's Latin one otherwise; the lines below give both."""
        if language == "zh" and self.chinese_name:
            return self.chinese_name
        return self.latin_name


def holder_of(record: CertifiedRecord) -> Holder:
    holder = record.holder
    return Holder(
        latin_name=f"{holder.family_name} {holder.given_name}",
        chinese_name=holder.chinese_name,
        document_type=record.document.type.value,
        document_number=record.document.number,
        date_of_birth=holder.date_of_birth.isoformat(),
    )


def file_stem(certificate: Certificate, holder: Holder | None) -> str:
    """A file name (without suffix) that says whose code it is and when it was issued."""
    name = holder.latin_name.replace(" ", "-") if holder else "code"
    safe = "".join(c for c in name if c.isascii() and (c.isalnum() or c == "-")) or "code"
    return f"health-code-{safe}-{certificate.issued_at:%Y%m%d-%H%M}"
