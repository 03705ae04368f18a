"""Signing in: a code sent to the phone, the code traded for a token, the token revoked."""

from __future__ import annotations

from itdeclare.server.backend import Backend
from itdeclare.server.errors import ApiError, unauthorized
from itdeclare.server.services import accounts
from itdeclare.server.tables import Account, utcnow


def send_code(backend: Backend, phone: str, address: str) -> accounts.IssuedCode:
    """Make a code for ``phone`` (unless asked too often) and send it."""
    settings = backend.config.backend
    issued = backend.db.write(
        lambda session: accounts.issue_code(
            session, phone, address, settings, backend.code_secret, utcnow()
        )
    )
    backend.sender.send(phone, issued.code, issued.expires_at)
    return issued


def trade_code(backend: Backend, phone: str, code: str) -> accounts.IssuedToken | None:
    """A token for the code (``None`` when refused; a wrong guess is counted all the same)."""
    settings = backend.config.backend
    return backend.db.write(
        lambda session: accounts.redeem_code(
            session, phone, code, settings, backend.code_secret, utcnow()
        )
    )


#: The refusal of an account of the other kind.
_ONLY = {accounts.TRAVELLER: "travellers_only", accounts.REVIEWER: "reviewers_only"}


def account(backend: Backend, token: str, kind: str | None = None) -> Account:
    """The account ``token`` signs in, of ``kind`` when given; else the 401 or 403 refusal.
    One statement: every request runs it, but a submission that files (its filing statement
    checks the token itself)."""
    found = backend.db.lookup(lambda c: accounts.account_for_token(c, token, utcnow()))
    if found is None:
        raise unauthorized()
    if kind is not None and found.kind != kind:
        raise ApiError(403, _ONLY[kind])
    return found


def sign_out(backend: Backend, token: str) -> None:
    backend.db.write(lambda session: accounts.revoke_token(session, token, utcnow()))
