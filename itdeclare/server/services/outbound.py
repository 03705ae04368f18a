"""Outbound certificates: made from the health authority's record, never from what the user types.

The traveller proves who they are with their ID number, name and one of the five outbound
documents with its number; all must match one record. Any mismatch gets the same refusal, so
the answer says nothing about whether an ID number is on file, and failures are limited per
account to stop anyone trying numbers in bulk: counted and recorded under the account's lock
(``quotas.lock_account``), so requests sent at once get no more tries than requests in turn.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from itdeclare.models import HealthRecord, OutboundRequest
from itdeclare.models.outbound import OUTBOUND_RECORD_KINDS, missing_records
from itdeclare.server.errors import ApiError
from itdeclare.server.services import health_records, quotas
from itdeclare.server.services.issuing import Issued, Issuer
from itdeclare.server.tables import Account, RateEvent

FAILURE_SCOPE = "outbound_failure"
FAILURE_WINDOW = timedelta(hours=1)


def matching_record(session: Session, request: OutboundRequest) -> HealthRecord | None:
    record = health_records.find(session, request.id_card_number)
    if record is None or record.name != request.name:
        return None
    wanted = (request.document.type, request.document.number)
    if wanted not in {(d.type, d.number) for d in record.documents}:
        return None
    return record


def _recent_failures(session: Session, account: Account, now: datetime) -> int:
    return int(
        session.execute(
            select(func.count())
            .select_from(RateEvent)
            .where(
                RateEvent.scope == FAILURE_SCOPE,
                RateEvent.key == account.id,
                RateEvent.at > now - FAILURE_WINDOW,
            )
        ).scalar_one()
    )


@dataclass(frozen=True, slots=True)
class Outbound:
    issued: Issued
    missing: list[str]
    """The kinds of record the health authority holds none of (``OUTBOUND_RECORD_KINDS``)."""


def certificate(
    session: Session,
    account: Account,
    request: OutboundRequest,
    issuer: Issuer,
    max_failures: int,
    now: datetime,
) -> Outbound | None:
    """The certificate and what it lacks, or ``None`` when nothing matches (the failure is
    counted here, so the caller commits before refusing); 409 ``no_health_records`` when the
    record holds no test and no vaccination."""
    quotas.lock_account(session, account)
    if _recent_failures(session, account, now) >= max_failures:
        raise ApiError(
            429, "rate_limited", headers={"Retry-After": str(int(FAILURE_WINDOW.total_seconds()))}
        )
    record = matching_record(session, request)
    if record is None:
        session.add(RateEvent(scope=FAILURE_SCOPE, key=account.id, at=now))
        return None
    missing = missing_records(record)
    if len(missing) == len(OUTBOUND_RECORD_KINDS):
        # The traveller proved who they are; there is just nothing to certify.
        raise ApiError(409, "no_health_records")
    issued = issuer.outbound_certificate(record, request.document, now)
    session.add(issued.as_row(account.id))
    return Outbound(issued, missing)
