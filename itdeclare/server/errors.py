"""Every error the API answers, as ``{"error": {"code", "message", "fields"}}`` (DESIGN.md §4.4).

Services raise ``ApiError`` with a stable code and the facts of the message; the handlers here
render the message in the request's language (``Accept-Language``: zh or en) from the
``server`` area of the catalogue. Field problems carry dotted locations into the request body
(into the §4.5 document for a declaration) and are rendered by ``i18n.problem_message``, so the
API words them exactly as the TUI and ``itdeclare validate`` do.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from itdeclare import i18n
from itdeclare.models.problems import Problem, dotted

log = logging.getLogger(__name__)


class ApiError(Exception):
    """A refusal the client can act on: HTTP status, stable code, message parameters."""

    def __init__(
        self,
        status: int,
        code: str,
        params: Mapping[str, Any] | None = None,
        *,
        problems: Sequence[Problem] = (),
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(code)
        self.status = status
        self.code = code
        self.params = dict(params or {})
        self.problems = list(problems)
        self.headers = dict(headers or {})


def not_found() -> ApiError:
    return ApiError(404, "not_found")


def unauthorized() -> ApiError:
    """No token, or one that is not live: 401 with the scheme to use (RFC 6750)."""
    return ApiError(401, "unauthorized", headers={"WWW-Authenticate": "Bearer"})


def invalid(problems: Sequence[Problem]) -> ApiError:
    return ApiError(422, "invalid", problems=problems)


def request_language(request: Request) -> i18n.Language:
    """Chinese when the client's most preferred language is Chinese, English otherwise."""
    best, best_q = "en", -1.0
    for part in request.headers.get("accept-language", "").split(","):
        tag, _, q = part.strip().partition(";q=")
        try:
            weight = float(q) if q else 1.0
        except ValueError:
            continue
        if tag and weight > best_q:
            best, best_q = tag.lower(), weight
    return "zh" if best.startswith("zh") else "en"


@dataclass(frozen=True, slots=True)
class Phrase:
    """A message parameter that is itself a catalogue text, rendered in the reply's language."""

    key: str


def _message(code: str, language: i18n.Language, params: Mapping[str, Any]) -> str:
    key = f"server.{code}"
    if not i18n.has_text(key):
        key = "server.invalid"
    rendered = {
        name: i18n.t(value.key, language) if isinstance(value, Phrase) else value
        for name, value in params.items()
    }
    return i18n.t(key, language, **rendered)


def field_message(problem: Problem, language: i18n.Language) -> str:
    """The API's own field problems first, then the declaration's (``errors`` area)."""
    key = f"server.field.{problem.code}"
    if i18n.has_text(key):
        try:
            return i18n.t(key, language, **problem.params)
        except (KeyError, IndexError, ValueError):
            pass  # a parameter the template wants is missing: the generic text below will do
    return i18n.problem_message(problem, language)


def error_body(
    code: str,
    language: i18n.Language,
    params: Mapping[str, Any] | None = None,
    problems: Iterable[Problem] = (),
) -> dict[str, Any]:
    fields = [
        {"loc": p.loc, "code": p.code, "message": field_message(p, language)} for p in problems
    ]
    message = _message(code, language, params or {})
    return {"error": {"code": code, "message": message, "fields": fields}}


def error_response(
    request: Request,
    status: int,
    code: str,
    params: Mapping[str, Any] | None = None,
    problems: Iterable[Problem] = (),
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    body = error_body(code, request_language(request), params, problems)
    return JSONResponse(body, status_code=status, headers=dict(headers or {}))


#: Where FastAPI says a bad value came from; stripped so ``loc`` names the field itself.
_SOURCES = frozenset({"body", "query", "path", "header", "cookie"})
#: The request fields that carry a §4.5 document: its problems are located inside it.
DOCUMENT_FIELDS = frozenset({"declaration"})


def _request_problem(error: Mapping[str, Any]) -> Problem:
    loc = list(error.get("loc", ()))
    if loc and loc[0] in _SOURCES:
        loc = loc[1:]
    if len(loc) > 1 and loc[0] in DOCUMENT_FIELDS:
        loc = loc[1:]
    params = {k: v for k, v in (error.get("ctx") or {}).items() if k != "error"}
    return Problem(dotted(loc), str(error.get("type", "invalid")), params, str(error.get("msg")))


def request_problems(errors: Iterable[Mapping[str, Any]]) -> list[Problem]:
    return [_request_problem(error) for error in errors]


async def answer_refusal(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    return error_response(request, exc.status, exc.code, exc.params, exc.problems, exc.headers)


async def answer_invalid_request(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    problems = request_problems(exc.errors())
    if any(p.code == "json_invalid" for p in problems):
        return error_response(request, 400, "invalid_json")
    return error_response(request, 422, "invalid", problems=problems)


_HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    413: "request_too_large",
    415: "unsupported_media_type",
}


_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code = _HTTP_CODES.get(exc.status_code, "bad_request" if exc.status_code < 500 else "internal")
    headers = dict(exc.headers or {})
    if exc.status_code == 405:
        headers["Allow"] = allowed_methods(request)
    return error_response(request, exc.status_code, code, headers=headers)


def allowed_methods(request: Request) -> str:
    """Every method of the path, for ``Allow``. Starlette names only those of the first route
    that matches the path, and a path served by two routes (``GET`` and ``POST`` of
    ``/api/v1/persons``) has more. Each method is asked of the routes as a request would be."""
    routes = request.app.router.routes
    return ", ".join(
        method
        for method in _METHODS
        if any(
            route.matches({**request.scope, "method": method})[0] is Match.FULL for route in routes
        )
    )


async def _unstorable(request: Request, exc: Exception) -> JSONResponse:
    """A value the database refuses (NUL, a lone surrogate) that validation let through: still
    bad input, so a 422, but logged, because validation should have caught it."""
    log.warning("unstorable input on %s %s: %s", request.method, request.url.path, exc)
    return error_response(request, 422, "unstorable_text")


async def _database_unavailable(request: Request, exc: Exception) -> JSONResponse:
    """The database refused or dropped us even after retries (down, overloaded, out of
    connections): the client may try again, so a 503 with Retry-After, not a 500."""
    log.error("database unavailable on %s %s: %s", request.method, request.url.path, exc)
    return error_response(request, 503, "unavailable", headers={"Retry-After": "5"})


class UnexpectedErrors:
    """An error no handler took (a bug) answered as a 500 in the API's shape, and logged.

    Starlette runs a handler of ``Exception`` in its outermost middleware, outside the
    application's own: its 500 went out without the security headers (``headers``), and the
    error, raised on from there, made uvicorn drop the kept-alive connection unannounced, so the
    client's next request on it failed. Installed inside ``SecurityHeaders``, this one answers
    and is done: the connection stays usable. An error once the answer has begun is raised on
    (nothing can be said any more; the server hangs up)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watched(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, watched)
        except Exception as exc:
            if started:
                raise
            request = Request(scope)
            log.exception("unexpected error on %s %s", request.method, scope["path"], exc_info=exc)
            await error_response(request, 500, "internal")(scope, receive, send)


def install(app: FastAPI) -> None:
    """The handlers of the errors the services and FastAPI raise. ``UnexpectedErrors``, for
    the rest, is a middleware: ``app`` adds it inside ``SecurityHeaders``."""
    app.add_exception_handler(ApiError, answer_refusal)
    app.add_exception_handler(RequestValidationError, answer_invalid_request)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(DataError, _unstorable)
    app.add_exception_handler(OperationalError, _database_unavailable)
    app.add_exception_handler(UnicodeEncodeError, _unstorable)
