"""The typed async client of the backend's HTTP API; the TUI talks to the backend only here.

    async with ApiClient(url) as api:
        code = await api.request_code(phone)
        await api.sign_in(phone, code.dev_code or typed_code)  # keeps the token
        filed = await api.submit_declaration(person.id, draft, idempotency_key=key)

Every failure is an :class:`ApiError`; show its ``.message``.
"""

from itdeclare.client import _no_httpx_cli  # noqa: F401 - first: before httpx loads
from itdeclare.client.api import DEFAULT_TIMEOUT, ApiClient, new_idempotency_key
from itdeclare.client.errors import (
    ApiError,
    Conflict,
    FieldError,
    FileUnreadable,
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
from itdeclare.client.models import (
    Account,
    Attachment,
    Certificate,
    CodeSent,
    Decision,
    DeclarationDetail,
    DeclarationSummary,
    Health,
    Person,
    ReviewDetail,
    ReviewItem,
    Session,
    StatusChange,
    TrustedKey,
    TrustList,
)
from itdeclare.client.retry import RetryPolicy
from itdeclare.client.upload import Progress

__all__ = [
    "DEFAULT_TIMEOUT",
    "Account",
    "ApiClient",
    "ApiError",
    "Attachment",
    "Certificate",
    "CodeSent",
    "Conflict",
    "Decision",
    "DeclarationDetail",
    "DeclarationSummary",
    "FieldError",
    "FileUnreadable",
    "Forbidden",
    "Health",
    "InvalidInput",
    "NotFound",
    "Person",
    "Progress",
    "ProtocolError",
    "RateLimited",
    "RetryPolicy",
    "ReviewDetail",
    "ReviewItem",
    "ServerError",
    "Session",
    "StatusChange",
    "TimedOut",
    "TrustList",
    "TrustedKey",
    "Unauthorized",
    "Unreachable",
    "new_idempotency_key",
]
