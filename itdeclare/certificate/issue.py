"""Issuing health codes: a record, signed ES256 by the current document signer, as ``HC1:…``.

CWT claims: iss (the signer's country), iat, exp (integer epoch seconds), hcert (-260) →
{1: the EU DCC payload} when the record fits one DCC entry, and :data:`RECORD_CLAIM` holding
the full record in the compact form of the ``claim`` package.
"""

from __future__ import annotations

import base64
import hashlib
from datetime import datetime
from typing import TYPE_CHECKING, Any

import cbor2

from itdeclare.certificate import claim, cose, cwt, dcc, hc1
from itdeclare.certificate.record import (
    RECORD_CLAIM,
    CertifiedRecord,
    Holder,
    RecordKind,
    certificate_id,
)
from itdeclare.models import IdentityDocument, Sex

if TYPE_CHECKING:
    from itdeclare.certificate.keys import Signer
    from itdeclare.models import Declaration, HealthRecord, OutboundDocument


def declaration_record(declaration: Declaration, declaration_id: str) -> CertifiedRecord:
    subject = declaration.subject
    return CertifiedRecord(
        kind=RecordKind.DECLARATION,
        reference=declaration_id,
        holder=Holder(
            family_name=subject.family_name,
            given_name=subject.given_name,
            sex=subject.sex,
            date_of_birth=subject.date_of_birth,
            nationality=subject.nationality,
            chinese_name=subject.chinese_name,
        ),
        document=subject.document,
        port_of_entry=declaration.port_of_entry,
        itinerary=tuple(declaration.itinerary),
        tests=tuple(declaration.tests),
        vaccinations=tuple(declaration.vaccinations),
        history=tuple(declaration.history),
    )


def outbound_serial(record: HealthRecord, document: OutboundDocument, issued_at: datetime) -> str:
    """The serial of an outbound certificate: a digest of who, which document and when."""
    parts = (
        record.id_card_number,
        document.type.value,
        document.number,
        int(issued_at.timestamp()),
    )
    text = "|".join(map(str, parts))
    digest = hashlib.sha256(text.encode("utf-8")).digest()[:10]
    return base64.b32encode(digest).decode("ascii")


def outbound_record(
    record: HealthRecord, document: OutboundDocument, issued_at: datetime
) -> CertifiedRecord:
    return CertifiedRecord(
        kind=RecordKind.OUTBOUND,
        reference=outbound_serial(record, document, issued_at),
        holder=Holder(
            family_name=record.family_name,
            given_name=record.given_name,
            sex=Sex(record.sex),
            date_of_birth=record.date_of_birth,
            nationality="CHN",
            chinese_name=record.name,
        ),
        document=IdentityDocument.model_construct(
            type=document.type, number=document.number, expires_on=None
        ),
        tests=tuple(record.tests),
        vaccinations=tuple(record.vaccinations),
    )


def declaration_certificate_id(declaration_id: str) -> str:
    """The identifier a revocation list names for the certificate of a declaration."""
    return certificate_id(declaration_id, RecordKind.DECLARATION)


def outbound_certificate_id(
    record: HealthRecord, document: OutboundDocument, issued_at: datetime
) -> str:
    """The identifier a revocation list names for an outbound certificate."""
    return certificate_id(outbound_serial(record, document, issued_at), RecordKind.OUTBOUND)


def sign_record(
    record: CertifiedRecord, *, signer: Signer, issued_at: datetime, expires_at: datetime
) -> str:
    """The ``HC1:`` text of ``record``, signed now by ``signer``."""
    iat, exp = int(issued_at.timestamp()), int(expires_at.timestamp())
    claims: dict[int, Any] = {cwt.ISS: signer.country, cwt.IAT: iat, cwt.EXP: exp}
    payload = dcc.build(record, signer.issuer)
    if payload is not None:
        claims[cwt.HCERT] = {cwt.DCC_V1: payload}
    claims[RECORD_CLAIM] = claim.encode(record, iat)
    signed = cose.sign_es256(cbor2.dumps(claims), signer.private_key, signer.kid)
    return hc1.encode(signed)


def issue_declaration(
    declaration: Declaration,
    *,
    declaration_id: str,
    signer: Signer,
    issued_at: datetime,
    expires_at: datetime,
) -> str:
    """The health code of an approved returnee declaration."""
    record = declaration_record(declaration, declaration_id)
    return sign_record(record, signer=signer, issued_at=issued_at, expires_at=expires_at)


def issue_outbound(
    record: HealthRecord,
    document: OutboundDocument,
    *,
    signer: Signer,
    issued_at: datetime,
    expires_at: datetime,
) -> str:
    """The outbound certificate generated from the health authority's record."""
    certified = outbound_record(record, document, issued_at)
    return sign_record(certified, signer=signer, issued_at=issued_at, expires_at=expires_at)
