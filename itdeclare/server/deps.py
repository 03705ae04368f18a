"""What routes receive through ``Depends``: the backend's state (``backend.Backend``) and the
signed-in account."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from itdeclare.server.backend import Backend
from itdeclare.server.errors import ApiError
from itdeclare.server.services import accounts
from itdeclare.server.services.operations import auth
from itdeclare.server.tables import Account

# Dependencies that do no I/O are coroutines: FastAPI runs a plain function in the thread pool,
# a hop each that every request would pay.


async def backend(request: Request) -> Backend:
    state: Backend = request.app.state.backend
    return state


_bearer = HTTPBearer(auto_error=False, description="A token from POST /api/v1/auth/token")

BackendDep = Annotated[Backend, Depends(backend)]
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


async def bearer_token(credentials: Credentials) -> str:
    if credentials is None or not credentials.credentials:
        raise ApiError(401, "unauthorized", headers={"WWW-Authenticate": "Bearer"})
    return credentials.credentials


TokenDep = Annotated[str, Depends(bearer_token)]


def current_account(state: BackendDep, token: TokenDep) -> Account:
    account = auth.signed_in(state, token)
    if account is None:
        raise ApiError(401, "unauthorized", headers={"WWW-Authenticate": "Bearer"})
    return account


AccountDep = Annotated[Account, Depends(current_account)]


async def traveller(account: AccountDep) -> Account:
    if account.kind != accounts.TRAVELLER:
        raise ApiError(403, "travellers_only")
    return account


async def reviewer(account: AccountDep) -> Account:
    if account.kind != accounts.REVIEWER:
        raise ApiError(403, "reviewers_only")
    return account


Traveller = Annotated[Account, Depends(traveller)]
Reviewer = Annotated[Account, Depends(reviewer)]
