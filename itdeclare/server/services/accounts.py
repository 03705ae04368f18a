"""Accounts: sign-in by phone and one-time code, bearer tokens, reviewer accounts.

Codes are rate-limited per phone and per client address (counted in the database, so every
worker and host sees the same counts, and under a lock of each, so requests sent at once get no
more codes than requests in turn), expire, are single use, allow a few wrong guesses, and are
stored as a salted HMAC keyed with the server's code secret (``credentials``). Tokens are
random, stored as hashes, expire and can be revoked.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, Connection, and_, bindparam, func, select, text, update
from sqlalchemy.orm import InstrumentedAttribute, Session

from itdeclare.config import BackendSettings
from itdeclare.server import credentials
from itdeclare.server.db import dialect_insert
from itdeclare.server.errors import ApiError
from itdeclare.server.tables import Account, LoginCode, Token, new_id

TRAVELLER = "traveller"
REVIEWER = "reviewer"
MAX_CODE_ATTEMPTS = 5
RATE_WINDOW = timedelta(hours=1)


@dataclass(frozen=True, slots=True)
class IssuedCode:
    code: str
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class IssuedToken:
    token: str
    expires_at: datetime
    account: Account


def _codes_since(
    session: Session, column: InstrumentedAttribute[str], value: str, since: datetime
) -> int:
    query = select(func.count()).select_from(LoginCode).where(column == value)
    return int(session.execute(query.where(LoginCode.created_at > since)).scalar_one())


_ADVISORY_LOCK = text("SELECT pg_advisory_xact_lock(:key)")


def _lock(session: Session, scope: str, value: str) -> None:
    """Hold, until the transaction ends, the lock of ``value`` in ``scope`` (a phone, an
    address), so that the codes of each are counted and added by one request at a time.
    Neither has a row to lock before its first code, so on PostgreSQL this is an advisory lock
    named by a hash of the two (a collision only makes two keys wait for each other). SQLite's
    transactions hold its one writer lock already."""
    if session.get_bind().dialect.name != "postgresql":
        return
    digest = hashlib.sha256(f"itdeclare {scope}\0{value}".encode()).digest()
    session.execute(_ADVISORY_LOCK, {"key": int.from_bytes(digest[:8], "big", signed=True)})


def _retry_after(limit_seconds: int) -> ApiError:
    return ApiError(429, "rate_limited", headers={"Retry-After": str(limit_seconds)})


def issue_code(
    session: Session,
    phone: str,
    address: str,
    settings: BackendSettings,
    secret: bytes,
    now: datetime,
) -> IssuedCode:
    """Make a code for ``phone``, unless the phone or the address has asked too often. The
    locks are taken phone first, then address, by every request, so none waits in a circle."""
    since = now - RATE_WINDOW
    _lock(session, "code phone", phone)
    _lock(session, "code address", address)
    if _codes_since(session, LoginCode.phone, phone, since) >= settings.codes_per_phone_per_hour:
        raise _retry_after(int(RATE_WINDOW.total_seconds()))
    per_address = _codes_since(session, LoginCode.address, address, since)
    if per_address >= settings.codes_per_address_per_hour:
        raise _retry_after(int(RATE_WINDOW.total_seconds()))
    code, salt = credentials.new_code(), credentials.new_salt()
    expires_at = now + timedelta(seconds=settings.code_ttl_seconds)
    session.add(
        LoginCode(
            phone=phone,
            address=address,
            salt=salt,
            code_hash=credentials.code_hash(secret, phone, code, salt),
            created_at=now,
            expires_at=expires_at,
            failed_attempts=0,
        )
    )
    return IssuedCode(code, expires_at)


def redeem_code(
    session: Session,
    phone: str,
    code: str,
    settings: BackendSettings,
    secret: bytes,
    now: datetime,
) -> IssuedToken | None:
    """Trade the newest live code of ``phone`` for a token (making the account on first use).

    ``None`` means refused: no live code, or a wrong one. A wrong guess is counted in this
    transaction, so the caller commits it and then answers the refusal.
    """
    login = session.execute(
        select(LoginCode)
        .where(
            LoginCode.phone == phone,
            LoginCode.used_at.is_(None),
            LoginCode.expires_at > now,
            LoginCode.failed_attempts < MAX_CODE_ATTEMPTS,
        )
        .order_by(LoginCode.created_at.desc())
        .limit(1)
        .with_for_update()
    ).scalar_one_or_none()
    if login is None:
        return None
    if not credentials.code_matches(secret, phone, code, login.salt, login.code_hash):
        login.failed_attempts += 1
        return None
    login.used_at = now
    return issue_token(
        session, _traveller(session, phone, now), timedelta(days=settings.token_ttl_days), now
    )


def _traveller(session: Session, phone: str, now: datetime) -> Account:
    """The account of ``phone``, made on first sign-in (two first sign-ins at once make one)."""
    insert = dialect_insert(session)
    session.execute(
        insert(Account)
        .values(id=new_id(), kind=TRAVELLER, phone=phone, created_at=now)
        .on_conflict_do_nothing(index_elements=[Account.phone])
    )
    return session.execute(select(Account).where(Account.phone == phone)).scalar_one()


def issue_token(
    session: Session, account: Account, lifetime: timedelta, now: datetime
) -> IssuedToken:
    token = credentials.new_token()
    expires_at = now + lifetime
    session.add(
        Token(
            token_hash=credentials.token_hash(token),
            account_id=account.id,
            created_at=now,
            expires_at=expires_at,
        )
    )
    return IssuedToken(token, expires_at, account)


def live_token(token_hash: ColumnElement[str], now: ColumnElement[datetime]) -> ColumnElement[bool]:
    """The token whose hash is ``token_hash`` is neither revoked nor expired at ``now``: what
    signs a request in, here and inside the statement that files a submission
    (``filing_at_once``)."""
    return and_(Token.token_hash == token_hash, Token.revoked_at.is_(None), Token.expires_at > now)


_ACCOUNT_FOR_TOKEN = (
    select(Account.id, Account.kind, Account.phone, Account.consulate)
    .join(Token, Token.account_id == Account.id)
    .where(live_token(bindparam("token_hash"), bindparam("now")))
)


def account_for_token(session: Session | Connection, token: str, now: datetime) -> Account | None:
    """The account a live token belongs to, as a plain (detached) ``Account``: it runs on every
    request, so it reads four columns rather than loading an entity."""
    found = session.execute(
        _ACCOUNT_FOR_TOKEN, {"token_hash": credentials.token_hash(token), "now": now}
    ).one_or_none()
    if found is None:
        return None
    return Account(id=found.id, kind=found.kind, phone=found.phone, consulate=found.consulate)


def revoke_token(session: Session, token: str, now: datetime) -> None:
    session.execute(
        update(Token)
        .where(Token.token_hash == credentials.token_hash(token), Token.revoked_at.is_(None))
        .values(revoked_at=now)
    )


def add_reviewer(
    session: Session, consulate: str, settings: BackendSettings, now: datetime
) -> IssuedToken:
    account = Account(kind=REVIEWER, consulate=consulate, created_at=now)
    session.add(account)
    session.flush()
    return issue_token(session, account, timedelta(days=settings.reviewer_token_ttl_days), now)


@dataclass(frozen=True, slots=True)
class ReviewerEntry:
    id: str
    consulate: str
    created_at: datetime
    revoked: bool
    """Every token of the account is revoked (``revoke_reviewer``); merely expired is not."""


def reviewers(session: Session) -> list[ReviewerEntry]:
    """Every reviewer account, oldest first; revoked ones included, marked."""
    live = (
        select(func.count())
        .select_from(Token)
        .where(Token.account_id == Account.id, Token.revoked_at.is_(None))
        .scalar_subquery()
    )
    rows = session.execute(
        select(Account.id, Account.consulate, Account.created_at, live.label("live"))
        .where(Account.kind == REVIEWER)
        .order_by(Account.created_at, Account.id)
    )
    return [ReviewerEntry(r.id, r.consulate or "", r.created_at, r.live == 0) for r in rows]


def revoke_reviewer(session: Session, account_id: str, now: datetime) -> bool:
    """Revoke every token of the reviewer ``account_id``: from now on they answer 401. Whether
    there is such a reviewer (revoking one already revoked changes nothing and is no error)."""
    found = session.execute(
        select(Account.id).where(Account.id == account_id, Account.kind == REVIEWER)
    ).scalar_one_or_none()
    if found is None:
        return False
    session.execute(
        update(Token)
        .where(Token.account_id == account_id, Token.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    return True
