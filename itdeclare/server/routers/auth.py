"""Sign-in: a one-time code to the phone, traded for a bearer token; sign-out revokes it."""

from __future__ import annotations

from fastapi import APIRouter, Request, status
from pydantic_core import PydanticCustomError

from itdeclare.models import validators
from itdeclare.models.problems import Problem
from itdeclare.server import responses, schemas, threads, views
from itdeclare.server.bodies import JsonBodyRoute
from itdeclare.server.deps import AccountDep, BackendDep, TokenDep
from itdeclare.server.errors import ApiError, invalid
from itdeclare.server.services.operations import auth

router = APIRouter(prefix="/api/v1/auth", tags=["auth"], route_class=JsonBodyRoute)


def _phone(value: str) -> str:
    try:
        return validators.phone_number(value)
    except PydanticCustomError as error:
        raise invalid(
            [Problem("phone", error.type, error.context or {}, error.message())]
        ) from None


def _client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@router.post(
    "/code",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=schemas.CodeSent,
    responses=responses.REQUEST_CODE,
)
async def request_code(
    body: schemas.CodeRequest, request: Request, state: BackendDep
) -> schemas.CodeSent:
    """Send a one-time code to a mobile phone (rate-limited per phone and per address)."""
    phone, address = _phone(body.phone), _client_address(request)
    issued = await threads.run(auth.send_code, state, phone, address)
    return schemas.CodeSent(
        expires_at=issued.expires_at, dev_code=issued.code if state.config.dev else None
    )


@router.post("/token", response_model=schemas.TokenOut, responses=responses.TOKEN)
async def token(body: schemas.TokenRequest, state: BackendDep) -> schemas.TokenOut:
    """Trade the code for a bearer token; the account is made on first sign-in."""
    phone, code = _phone(body.phone), body.code.strip()
    issued = await threads.run(auth.trade_code, state, phone, code)
    if issued is None:
        raise ApiError(401, "code_invalid")
    return schemas.TokenOut(
        token=issued.token, expires_at=issued.expires_at, account=views.account(issued.account)
    )


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT, responses=responses.LOGOUT)
async def logout(token: TokenDep, account: AccountDep, state: BackendDep) -> None:
    """Revoke the token this request carries."""
    await threads.run(auth.sign_out, state, token)


@router.get("/me", response_model=schemas.AccountOut, responses=responses.ME)
async def me(account: AccountDep) -> schemas.AccountOut:
    return views.account(account)
