"""Turning what httpx reports (an exception, or a response that is not a success) into the
typed errors of :mod:`itdeclare.client.errors`."""

from __future__ import annotations

import ssl
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

from itdeclare.client.errors import (
    ApiError,
    Conflict,
    FieldError,
    Forbidden,
    InvalidInput,
    NotFound,
    ProtocolError,
    RateLimited,
    ServerError,
    TimedOut,
    Unauthorized,
    Unreachable,
)
from itdeclare.i18n import has_text, t

#: Prefixes of a field location that name the request body rather than the §4.5 document:
#: FastAPI's own ``body`` and the ``declaration`` member of a submit or re-declare request.
_ENVELOPE = ("body", "declaration")

#: Statuses whose error, without a code of the server's, is about the uploaded file.
_FILE_CODES = {413: "file_too_large", 415: "unsupported_file_type"}

_BY_STATUS: Mapping[int, type[ApiError]] = {
    401: Unauthorized,
    403: Forbidden,
    404: NotFound,
    410: NotFound,
    409: Conflict,
}


def from_request_error(exc: Exception) -> ApiError:
    """The error for a request that got no usable response: no connection or no answer in
    time, or an answer httpx could not follow (endless redirects, a body it cannot decode, an
    upload redirected after its file was sent)."""
    if isinstance(exc, httpx.TimeoutException):
        return TimedOut(detail=repr(exc))
    if isinstance(exc, httpx.TransportError):
        return Unreachable(tls=is_tls_failure(exc), detail=repr(exc))
    return ProtocolError(detail=repr(exc))


def is_transient(exc: Exception) -> bool:
    """Whether trying the same request again could succeed: a dropped or refused connection or
    a timeout can; a certificate that does not verify or a malformed URL cannot."""
    if isinstance(exc, httpx.TimeoutException):
        return True
    if isinstance(exc, (httpx.NetworkError, httpx.RemoteProtocolError)):
        return not is_tls_failure(exc)
    return False


def is_tls_failure(exc: BaseException) -> bool:
    return any(isinstance(link, ssl.SSLError) for link in _chain(exc))


def _chain(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    link: BaseException | None = exc
    while link is not None and id(link) not in seen:
        seen.add(id(link))
        yield link
        link = link.__cause__ or link.__context__


def from_response(response: httpx.Response) -> ApiError:
    """The error for a response whose status is not a success."""
    status = response.status_code
    code, server_message, fields = _error_body(response)
    if status in (400, 413, 415, 422):
        return InvalidInput(
            status=status,
            code=code or _FILE_CODES.get(status),
            server_message=server_message,
            fields=fields,
        )
    if status == 429:
        return RateLimited(
            retry_after=retry_after(response), code=code, server_message=server_message
        )
    if status == 408:
        return TimedOut(status=status)
    if status >= 500:
        return ServerError(status=status, code=code, server_message=server_message)
    kind = _BY_STATUS.get(status)
    if kind is None:
        return ProtocolError(status=status, code=code, detail=f"unexpected status {status}")
    return kind(status=status, code=code, server_message=server_message)


def retry_after(response: httpx.Response) -> float | None:
    """The ``Retry-After`` header in seconds (it may be a number or an HTTP date)."""
    value = response.headers.get("Retry-After", "").strip()
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _error_body(response: httpx.Response) -> tuple[str | None, str | None, list[FieldError]]:
    """Code, message and field errors of a §4.4 error body; FastAPI's default ``{"detail": …}``
    is read too, so a route that slipped past the server's handler still says something."""
    try:
        data = response.json()
    except ValueError:
        return None, None, []
    if not isinstance(data, dict):
        return None, None, []
    error = data.get("error")
    if isinstance(error, dict):
        return (
            _text(error.get("code")),
            _text(error.get("message")),
            _field_errors(error.get("fields")),
        )
    detail = data.get("detail")
    if isinstance(detail, str):
        return None, detail, []
    return None, None, _field_errors(detail, code_key="type", message_key="msg")


def _field_errors(
    items: Any, *, code_key: str = "code", message_key: str = "message"
) -> list[FieldError]:
    if not isinstance(items, list):
        return []
    fields = []
    for item in items:
        if not isinstance(item, dict):
            continue
        code = _text(item.get(code_key)) or "invalid"
        message = _text(item.get(message_key)) or _catalogued_message(code)
        fields.append(FieldError(wizard_loc(item.get("loc")), code, message))
    return fields


def wizard_loc(loc: Any) -> str:
    """The dotted §4.5 path of a server's field location, without the request envelope:
    ``declaration.tests.0.sampled_at`` and ``["body", "declaration", "tests", 0, "sampled_at"]``
    both give ``tests.0.sampled_at``."""
    if isinstance(loc, str):
        parts = loc.split(".") if loc else []
    elif isinstance(loc, Sequence):
        parts = [str(part) for part in loc]
    else:
        parts = []
    for prefix in _ENVELOPE:
        if parts[:1] == [prefix]:
            parts = parts[1:]
    return ".".join(parts)


def _catalogued_message(code: str) -> str:
    """The catalogue's words for a problem code the server gave without a message; a template
    that needs facts the body does not carry is no use, so the generic text stands in."""
    key = f"errors.{code}"
    if has_text(key) and "{" not in t(key):
        return t(key)
    return t("errors.invalid")


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None
