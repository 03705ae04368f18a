"""Every way a call to the backend can fail, one exception type per kind.

Screens catch :class:`ApiError` in one place and show ``.message``: it is worded for the user
and rendered in the current language when it is read, so a language switch after the failure
still shows the right words. ``code`` and ``status`` are for logic and logs, never for display.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from itdeclare.i18n import has_text, t


@dataclass(frozen=True, slots=True)
class FieldError:
    """One field the server refused. ``loc`` is the dotted path of DESIGN.md §4.5
    (``tests.0.sampled_at``), the same one the wizard and ``validate`` use."""

    loc: str
    code: str
    message: str


#: Server error codes that only restate the HTTP status: they add nothing to the kind, so the
#: kind's own words (written for the person at the screen) are shown instead of the server's.
GENERIC_CODES = frozenset(
    {
        "bad_request",
        "forbidden",
        "internal",
        "invalid",
        "method_not_allowed",
        "not_found",
        "rate_limited",
        "unauthorized",
    }
)


class ApiError(Exception):
    """Base of every client failure.

    The message is, in order: the catalogue's words for ``code`` under this kind, if any; the
    server's own (localised, per ``Accept-Language``) words for a specific code; the kind's
    words. So a bare status, a proxy's page or a crash never reaches the screen as such.
    """

    text_key: ClassVar[str] = "client.server_error"

    def __init__(
        self,
        *,
        status: int | None = None,
        code: str | None = None,
        server_message: str | None = None,
        detail: str | None = None,
    ) -> None:
        super().__init__(detail or code or self.text_key)
        self.status = status
        self.code = code
        self.server_message = server_message or None
        self.detail = detail

    @property
    def message(self) -> str:
        if self.code:
            own = f"{self.text_key}.{self.code}"
            if has_text(own):
                return t(own)
            if self.server_message and self.code not in GENERIC_CODES:
                return self.server_message
        return t(self.text_key)

    def __str__(self) -> str:
        return self.message


class Unreachable(ApiError):
    """No connection: refused, unknown host, network down, or a TLS handshake that failed."""

    text_key = "client.unreachable"

    def __init__(self, *, tls: bool = False, detail: str | None = None) -> None:
        super().__init__(detail=detail)
        self.tls = tls

    @property
    def message(self) -> str:
        return t("client.unreachable_tls") if self.tls else t(self.text_key)


class TimedOut(ApiError):
    """Connected, but no answer in time. For a request that is not idempotent the server may
    have acted on it: look before doing it again."""

    text_key = "client.timed_out"

    @property
    def message(self) -> str:
        return t(self.text_key)


class Unauthorized(ApiError):
    """401: no token, or one the server no longer accepts; the user signs in again."""

    text_key = "client.unauthorized"


class Forbidden(ApiError):
    """403: signed in, but this account may not do this (a traveller on a reviewer route)."""

    text_key = "client.forbidden"


class NotFound(ApiError):
    """404: absent, or another account's (the server does not tell the two apart)."""

    text_key = "client.not_found"


class Conflict(ApiError):
    """409: the declaration's state forbids it; ``code`` says why (``redeclaration_limit``,
    ``changed_meanwhile``, ``no_certificate``, …)."""

    text_key = "client.conflict"


class InvalidInput(ApiError):
    """400/413/415/422: the request was refused as it stands. ``fields`` holds one entry per
    field the server named, with ``loc`` a §4.5 path the wizard can put the message beside."""

    text_key = "client.invalid_input"

    def __init__(
        self,
        *,
        status: int | None = None,
        code: str | None = None,
        server_message: str | None = None,
        fields: Sequence[FieldError] = (),
        detail: str | None = None,
    ) -> None:
        super().__init__(status=status, code=code, server_message=server_message, detail=detail)
        self.fields: list[FieldError] = list(fields)

    @property
    def message(self) -> str:
        if len(self.fields) == 1:
            return t("client.invalid_input_one", message=self.fields[0].message)
        if self.fields:
            return t(self.text_key)
        return super().message


class RateLimited(ApiError):
    """429: too many requests; ``retry_after`` is the server's wait in seconds, when it said."""

    text_key = "client.rate_limited"

    def __init__(
        self,
        *,
        retry_after: float | None = None,
        code: str | None = None,
        server_message: str | None = None,
    ) -> None:
        super().__init__(status=429, code=code, server_message=server_message)
        self.retry_after = retry_after

    @property
    def message(self) -> str:
        if self.retry_after is None or self.retry_after < 1:
            return t(self.text_key)
        if self.retry_after < 120:
            return t("client.rate_limited_seconds", seconds=round(self.retry_after))
        return t("client.rate_limited_minutes", minutes=math.ceil(self.retry_after / 60))


class ServerError(ApiError):
    """5xx: the server (or a proxy before it) failed; nothing the user typed is at fault."""

    text_key = "client.server_error"


class ProtocolError(ApiError):
    """An answer this client cannot read: not JSON, or not the shape of DESIGN.md §4.4."""

    text_key = "client.protocol_error"

    @property
    def message(self) -> str:
        return t(self.text_key)


class FileUnreadable(ApiError):
    """A file chosen for upload that cannot be read, or that changed while it was sent."""

    text_key = "client.file_unreadable"

    def __init__(self, name: str, *, changed: bool = False, detail: str | None = None) -> None:
        super().__init__(detail=detail)
        self.name = name
        self.changed = changed

    @property
    def message(self) -> str:
        return t("client.file_changed" if self.changed else self.text_key, name=self.name)
