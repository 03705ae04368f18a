"""One person, one trip, one live declaration (DESIGN.md §2), settled by the database.

A travel document is live while a declaration chain holds its row in ``live_documents``; the
row's primary key is the document, so of any number of requests racing to file for one document,
one takes the row and the others find it taken. The chain keeps the row, whatever the status of
its declarations, until its trip is over (``live_until``); then the first new chain to come takes
it over, in the same statement (an upsert whose update applies only to a row whose time is up).
Nothing has to run at the moment a trip ends.

A re-declaration files for the chain that holds the row: it takes it again (the document may
have been corrected, the trip changed) and lets go of any other document the chain held.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import cast

from sqlalchemy import Connection, Insert, Table, bindparam, delete, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from itdeclare.models import Declaration, Subject
from itdeclare.server.db import dialect_insert
from itdeclare.server.errors import ApiError
from itdeclare.server.services.issuing import AFTER_ARRIVAL
from itdeclare.server.tables import LiveDocument

_LIVE = cast(Table, LiveDocument.__table__)
_SEPARATORS = re.compile(r"[^0-9A-Z]")
#: How often a claim is tried again when the chain that held the document let go of it between
#: the attempt and the look at who holds it.
_ATTEMPTS = 3


def document_key(subject: Subject) -> str:
    """The travel document as one string: the holder's nationality (the issuing country of a
    passport), its type and its number without the separators some are written with (D.1234567,
    AB-123456)."""
    number = _SEPARATORS.sub("", subject.document.number.upper())
    return f"{subject.nationality}:{subject.document.type.value}:{number}"


def live_until(declaration: Declaration) -> datetime:
    """Until when a chain filed with ``declaration`` is live, before any code is issued: a day
    after its flight into China lands, when a code issued before then would expire."""
    return declaration.entry_leg.arrives_at + AFTER_ARRIVAL


def upsert(statement: postgresql.Insert | sqlite.Insert) -> Insert:
    """``statement`` (an INSERT into ``live_documents``) made a claim: when the document is held,
    it takes the row over only from the same chain or once the trip of the chain holding it is
    over (``claim_now``), and answers a row only when it did."""
    taken = statement.excluded
    return statement.on_conflict_do_update(
        index_elements=[_LIVE.c.document_key],
        set_={
            "chain_id": taken.chain_id,
            "account_id": taken.account_id,
            "live_until": taken.live_until,
        },
        where=or_(
            _LIVE.c.live_until <= bindparam("claim_now", type_=_LIVE.c.live_until.type),
            _LIVE.c.chain_id == taken.chain_id,
        ),
    ).returning(_LIVE.c.chain_id)


def claim(
    session: Session, account_id: str, key: str, chain_id: str, until: datetime, now: datetime
) -> bool:
    """Whether the chain now holds the document (until ``until``)."""
    parameters = {
        "document_key": key,
        "chain_id": chain_id,
        "account_id": account_id,
        "live_until": until,
        "claim_now": now,
    }
    statement = upsert(dialect_insert(session)(_LIVE))
    return session.execute(statement, parameters).first() is not None


def holder(session: Session | Connection, key: str, now: datetime) -> str | None:
    """The account whose chain holds the document live, if any."""
    return session.execute(
        select(LiveDocument.account_id).where(
            LiveDocument.document_key == key, LiveDocument.live_until > now
        )
    ).scalar_one_or_none()


def refusal(account_id: str, holding: str) -> ApiError:
    """409: the account's own chain holds it (re-declare that one), or another account's does
    (the answer names nothing of that account)."""
    if holding == account_id:
        return ApiError(409, "already_declared")
    return ApiError(409, "document_declared_elsewhere")


def take(
    session: Session,
    account_id: str,
    declaration: Declaration,
    chain_id: str,
    now: datetime,
    *,
    until: datetime | None = None,
) -> None:
    """Make ``chain_id`` the chain of the declaration's document, or raise the 409 that says who
    holds it."""
    key = document_key(declaration.subject)
    for _attempt in range(_ATTEMPTS):
        if claim(session, account_id, key, chain_id, until or live_until(declaration), now):
            return
        holding = holder(session, key, now)
        if holding is not None:
            raise refusal(account_id, holding)
    raise ApiError(503, "unavailable")


def keep_only(session: Session, chain_id: str, key: str) -> None:
    """The chain lets go of any other document it held (a re-declaration corrected it)."""
    session.execute(
        delete(LiveDocument).where(
            LiveDocument.chain_id == chain_id, LiveDocument.document_key != key
        )
    )
