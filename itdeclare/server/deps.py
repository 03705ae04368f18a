"""What routes receive through ``Depends``: the backend's state (``backend.Backend``) and the
signed-in account."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from itdeclare.server import threads
from itdeclare.server.backend import Backend
from itdeclare.server.errors import unauthorized
from itdeclare.server.services import accounts
from itdeclare.server.services.operations import auth
from itdeclare.server.tables import Account

# Every dependency is a coroutine: FastAPI runs a plain function through anyio's thread pool,
# whose bookkeeping every request would pay. The account is read through ``threads.run``.


async def backend(request: Request) -> Backend:
    state: Backend = request.app.state.backend
    return state


_bearer = HTTPBearer(auto_error=False, description="A token from POST /api/v1/auth/token")

BackendDep = Annotated[Backend, Depends(backend)]
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


async def bearer_token(credentials: Credentials) -> str:
    if credentials is None or not credentials.credentials:
        raise unauthorized()
    return credentials.credentials


TokenDep = Annotated[str, Depends(bearer_token)]


async def current_account(state: BackendDep, token: TokenDep) -> Account:
    return await threads.run(auth.account, state, token)


AccountDep = Annotated[Account, Depends(current_account)]


async def traveller(state: BackendDep, token: TokenDep) -> Account:
    return await threads.run(auth.account, state, token, accounts.TRAVELLER)


async def reviewer(state: BackendDep, token: TokenDep) -> Account:
    return await threads.run(auth.account, state, token, accounts.REVIEWER)


Traveller = Annotated[Account, Depends(traveller)]
Reviewer = Annotated[Account, Depends(reviewer)]
