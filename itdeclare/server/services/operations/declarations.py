"""The traveller's declarations: submit, re-declare, list, read, supplement, the certificate.

A submission or re-declaration is filed once per ``Idempotency-Key``: when the key was used
before, the answer is what that earlier request made (``Made.replayed``). On PostgreSQL a new
submission is one statement without a transaction, the checks of its token, the rate and the
person included (``services.filing_at_once.submit_at_once``), awaited on the event loop (the
other operations run in the backend's threads, ``threads.run``); on SQLite, or when that statement
cannot do it alone, the token and the rate are checked, then a write transaction files.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from itdeclare.models import Declaration
from itdeclare.server import schemas, threads, views
from itdeclare.server.backend import Backend
from itdeclare.server.errors import ApiError
from itdeclare.server.services import accounts, declarations, filing_at_once, quotas
from itdeclare.server.services.operations import auth
from itdeclare.server.tables import Account, DeclarationRow, is_id, utcnow

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Made:
    """What a filing answers: the declaration, and whether an earlier request made it."""

    declaration: schemas.DeclarationOut
    replayed: bool = False


async def submit(
    backend: Backend, token: str, person_id: str, declaration: Declaration, key: str
) -> Made:
    """A new declaration for one of the people of the account ``token`` signs in (a
    traveller's); it joins its consulate's queue. On PostgreSQL the token is checked by the
    statement that files (``submit_at_once``), awaited on the event loop, and on its own only
    when something is to be refused: a token that is not a traveller's is told so before
    anything else. What else reads or writes the database runs in the backend's threads."""
    if backend.db.sqlite:
        return await threads.run(_submit, backend, token, person_id, declaration, key)
    now = utcnow()
    try:
        declarations.check(declaration, now)
    except ApiError:
        await threads.run(_traveller, backend, token)
        raise
    filing = declarations.filing("submit", person_id, declaration, key)
    settings = backend.config.backend
    row = filing_at_once.new_row(person_id, filing, now)  # once: the same if run again
    at_once = filing_at_once.submit_at_once(backend.db, token, row, filing, settings, now)
    try:
        filed = await _to_its_end(at_once)
    except declarations.KeyTaken:
        return await threads.run(_replay_to, backend, token, filing)
    if filed is not None:
        return Made(_view(filed))
    return await threads.run(_file_signed_in, backend, token, person_id, filing, key)


#: Filings under way (``_to_its_end``): the event loop keeps only weak references to tasks.
_UNDER_WAY: set[asyncio.Task[Any]] = set()


async def _to_its_end(filing: Coroutine[Any, Any, T]) -> T:
    """``filing``'s result, the filing run to its end even if the request is cancelled, so
    that it lets go of what it claimed and did not use, as one in a thread always did. (uvicorn
    cancels no request whose client went away; code that cancels one would.)"""
    task = asyncio.ensure_future(filing)
    _UNDER_WAY.add(task)
    task.add_done_callback(_ended)
    return await asyncio.shield(task)


def _ended(task: asyncio.Task[Any]) -> None:
    _UNDER_WAY.discard(task)
    if not task.cancelled():
        # retrieved, so that asyncio does not report it: the request that awaits the filing
        # answers for its error, and one cancelled meanwhile has no one to answer to
        task.exception()


def _traveller(backend: Backend, token: str) -> Account:
    return auth.account(backend, token, accounts.TRAVELLER)


def _submit(
    backend: Backend, token: str, person_id: str, declaration: Declaration, key: str
) -> Made:
    """``submit`` in a transaction (SQLite)."""
    account = _traveller(backend, token)
    declarations.check(declaration, utcnow())
    filing = declarations.filing("submit", person_id, declaration, key)
    return _file_checked(backend, account, person_id, filing, key)


def _replay_to(backend: Backend, token: str, filing: declarations.Filing) -> Made:
    return _replay(backend, _traveller(backend, token), filing)


def _file_signed_in(
    backend: Backend, token: str, person_id: str, filing: declarations.Filing, key: str
) -> Made:
    return _file_checked(backend, _traveller(backend, token), person_id, filing, key)


def _file_checked(
    backend: Backend, account: Account, person_id: str, filing: declarations.Filing, key: str
) -> Made:
    """Check the rate, then file in a transaction, which makes the queue or says what is
    wrong."""
    _check_rate(backend, account, key)
    return _file(
        backend,
        account,
        filing,
        lambda session: declarations.submit(session, account, person_id, filing, utcnow()),
    )


def redeclare(
    backend: Backend,
    account: Account,
    declaration_id: str,
    declaration: Declaration,
    key: str | None,
) -> Made:
    """Replace the newest declaration of a chain (at most twice per chain)."""
    declarations.check(declaration, utcnow())
    _check_rate(backend, account, key)
    filing = declarations.filing("redeclare", declaration_id, declaration, key)
    return _file(
        backend,
        account,
        filing,
        lambda session: declarations.redeclare(session, account, declaration_id, filing, utcnow()),
    )


def _check_rate(backend: Backend, account: Account, key: str | None) -> None:
    settings = backend.config.backend
    backend.db.lookup(lambda c: quotas.check_submission_rate(c, account, key, settings, utcnow()))


def _file(
    backend: Backend,
    account: Account,
    filing: declarations.Filing,
    file: Callable[[Session], declarations.Filed],
) -> Made:
    """Run ``file`` and answer with what it made (built in its transaction: no more queries);
    when the key was used before, with what that earlier request made."""
    try:
        return Made(backend.db.write(lambda session: _view(file(session))))
    except declarations.KeyTaken:
        return _replay(backend, account, filing)


def _replay(backend: Backend, account: Account, filing: declarations.Filing) -> Made:
    with backend.db.read() as session:
        made = views.declaration(session, declarations.replay(session, account, filing))
    return Made(made, replayed=True)


def _view(filed: declarations.Filed) -> schemas.DeclarationOut:
    return views.queued(filed.row, filed.position)


def list_declarations(
    backend: Backend, account: Account, person_id: str | None
) -> schemas.Items[schemas.DeclarationOut]:
    """The account's declarations, newest first (optionally of one person)."""
    if person_id is not None and not is_id(person_id):
        return schemas.Items(items=[])
    with backend.db.read() as session:
        query = select(DeclarationRow).where(DeclarationRow.account_id == account.id)
        if person_id is not None:
            query = query.where(DeclarationRow.person_id == person_id)
        rows = session.execute(query.order_by(DeclarationRow.created_at.desc())).scalars()
        return schemas.Items(items=[views.declaration(session, row) for row in rows])


def get_declaration(
    backend: Backend, account: Account, declaration_id: str
) -> schemas.DeclarationDetail:
    with backend.db.read() as session:
        return views.detail(session, declarations.own_declaration(session, account, declaration_id))


def supplement(
    backend: Backend,
    account: Account,
    declaration_id: str,
    message: str,
    attachment_ids: Sequence[str],
) -> schemas.DeclarationOut:
    """Answer the consulate's request for material; the declaration returns to its place."""

    def work(session: Session) -> schemas.DeclarationOut:
        row = declarations.supplement(
            session, account, declaration_id, message, attachment_ids, utcnow()
        )
        return views.declaration(session, row)

    return backend.db.write(work)


def certificate(backend: Backend, account: Account, declaration_id: str) -> schemas.CertificateOut:
    """The signed health certificate (HC1) of an approved declaration; 409 without one."""
    with backend.db.read() as session:
        row = declarations.own_declaration(session, account, declaration_id)
        issued = views.certificate_of(session, row)
    if issued is None or issued.revoked_at is not None:
        raise ApiError(409, "no_certificate", {"status": views.status(row, issued)})
    return schemas.CertificateOut(
        payload=issued.payload, issued_at=issued.issued_at, expires_at=issued.expires_at
    )
