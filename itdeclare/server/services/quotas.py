"""What one account may use: people kept, declarations filed per hour.

Both are counted from the rows themselves (people, declarations), so every worker and host of a
deployment sees the same counts, and nothing extra is written per request. The people are
counted under a lock of the account's row (``lock_account``, which the outbound failures use
too), so the limit holds exactly; the rate is counted before filing, so requests of one account
in flight at the same instant can each pass it (the excess is bounded by how many one account
sends at once).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Connection, bindparam, func, select
from sqlalchemy.orm import Session

from itdeclare.config import BackendSettings
from itdeclare.server.errors import ApiError
from itdeclare.server.tables import Account, DeclarationRow, Person

RATE_WINDOW = timedelta(hours=1)

#: What the account filed within the window that began at ``since``: compiled once.
_FILED_SINCE = select(func.count(), func.min(DeclarationRow.created_at)).where(
    DeclarationRow.account_id == bindparam("account_id"),
    DeclarationRow.created_at > bindparam("since"),
)


def lock_account(session: Session, account: Account) -> None:
    """Hold the account's row until the transaction ends, so that what the account may use is
    counted and written by one of its requests at a time: on PostgreSQL two transactions
    would otherwise each count before either writes, and each pass. ``FOR NO KEY UPDATE``
    waits only for another such lock, not for rows being added that refer to the account (a
    declaration filed meanwhile). SQLite's transactions hold its one writer lock already."""
    session.execute(
        select(Account.id).where(Account.id == account.id).with_for_update(key_share=True)
    )


def check_room_for_person(session: Session, account: Account, settings: BackendSettings) -> None:
    """Raise 409 ``too_many_persons`` when the account keeps its full number of people."""
    lock_account(session, account)
    kept = session.execute(
        select(func.count()).select_from(Person).where(Person.account_id == account.id)
    ).scalar_one()
    if kept >= settings.persons_per_account:
        raise ApiError(409, "too_many_persons", {"max": settings.persons_per_account})


def check_submission_rate(
    connection: Connection,
    account: Account,
    key: str | None,
    settings: BackendSettings,
    now: datetime,
) -> None:
    """Raise 429 when the account has filed its hour's worth of declarations (submissions and
    re-declarations alike), with ``Retry-After`` until the oldest of them leaves the window.
    A retry of a request already filed (its ``Idempotency-Key`` names a declaration) passes:
    it files nothing, it is answered with what it made."""
    parameters = {"account_id": account.id, "since": now - RATE_WINDOW}
    count, oldest = connection.execute(_FILED_SINCE, parameters).one()
    if count < settings.submissions_per_account_per_hour:
        return
    if key is not None and _key_used(connection, account, key):
        return
    wait = max(1, int((oldest + RATE_WINDOW - now).total_seconds()) + 1)
    raise ApiError(
        429,
        "too_many_submissions",
        {"max": settings.submissions_per_account_per_hour},
        headers={"Retry-After": str(wait)},
    )


def under_rate(account_id: ColumnElement[str]) -> ColumnElement[bool]:
    """Whether the account is below its hour's worth of filings, as a condition inside a
    statement that files (bound by ``rate_parameters``). Where it is false, that statement files
    nothing and ``check_submission_rate`` gives the answer (a 429, or a retry let through)."""
    filed = (
        select(func.count())
        .where(
            DeclarationRow.account_id == account_id,
            DeclarationRow.created_at > bindparam("rate_since"),
        )
        .scalar_subquery()
    )
    return filed < bindparam("rate_max")


def rate_parameters(settings: BackendSettings, now: datetime) -> dict[str, Any]:
    return {"rate_since": now - RATE_WINDOW, "rate_max": settings.submissions_per_account_per_hour}


def _key_used(connection: Connection, account: Account, key: str) -> bool:
    found = connection.execute(
        select(DeclarationRow.id).where(
            DeclarationRow.account_id == account.id, DeclarationRow.idempotency_key == key
        )
    ).first()
    return found is not None
