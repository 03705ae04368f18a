"""What routes receive through ``Depends``: the backend's state (``backend.Backend``) and the
signed-in account."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from fastapi.security.utils import get_authorization_scheme_param

from itdeclare.server import errors, threads
from itdeclare.server.backend import Backend
from itdeclare.server.errors import ApiError, unauthorized
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


async def traveller_token(credentials: Credentials) -> str:
    """A traveller's token, checked by the route itself: by the statement that files a
    submission, the busiest route (``operations.declarations.submit``). When the request is
    refused before it gets there, for its body or its headers, ``install``'s handler checks
    the token first: as with ``Traveller``, a request not signed in learns nothing else.
    (``bearer_token`` is called, not depended on: one dependency fewer to solve.)"""
    return await bearer_token(credentials)


TravellerToken = Annotated[str, Depends(traveller_token)]


def install(app: FastAPI) -> None:
    """Answer 401 or 403 rather than 422 to a request whose token its route checks itself
    (``TravellerToken``) when its body or headers are refused and its token is not a
    traveller's: FastAPI validates them before the route runs."""

    async def signed_in_first(request: Request, exc: Exception) -> Response:
        if _checks_its_token(request.scope.get("route")):
            try:
                await traveller(request.app.state.backend, _bearer_of(request))
            except ApiError as refusal:
                return await errors.answer_refusal(request, refusal)
        return await errors.answer_invalid_request(request, exc)

    app.add_exception_handler(RequestValidationError, signed_in_first)


def _checks_its_token(route: object) -> bool:
    dependant = getattr(route, "dependant", None)
    return dependant is not None and any(d.call is traveller_token for d in dependant.dependencies)


def _bearer_of(request: Request) -> str:
    """The token ``traveller_token`` was given, read as ``HTTPBearer`` read it (without one,
    it answered 401 before the body was looked at)."""
    _, token = get_authorization_scheme_param(request.headers.get("authorization"))
    return token
