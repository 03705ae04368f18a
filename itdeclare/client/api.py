"""The backend's HTTP API v1 (DESIGN.md §4.4) as typed async methods.

One :class:`ApiClient` wraps one ``httpx.AsyncClient``, so its connections are reused; use it
as an async context manager. Every method returns a model of :mod:`itdeclare.client.models` or
raises a subclass of :class:`~itdeclare.client.errors.ApiError`; nothing else escapes except
cancellation, so a Textual worker needs a single ``except ApiError``.
"""

from __future__ import annotations

import asyncio
import logging
import random
import uuid
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Self, TypeVar
from urllib.parse import quote

import httpx
from pydantic import BaseModel, ValidationError

from itdeclare import __version__
from itdeclare.client.errors import ApiError, ProtocolError, Unauthorized, Unreachable
from itdeclare.client.failures import (
    from_request_error,
    from_response,
    is_transient,
    retry_after,
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
    Items,
    OutboundCertificate,
    Person,
    ReviewDetail,
    ReviewItem,
    Session,
    TrustList,
)
from itdeclare.client.retry import (
    IDEMPOTENCY_HEADER,
    RETRY_STATUSES,
    RetryPolicy,
    is_repeatable,
)
from itdeclare.client.tls import verification_for
from itdeclare.client.upload import MultipartFile, Progress
from itdeclare.i18n import get_language
from itdeclare.models import Declaration, OutboundRequest, Relationship, RuleSet, Subject

log = logging.getLogger(__name__)

API = "/api/v1"

#: Connecting should be quick or not at all; an answer may take a while on a loaded server,
#: and a slow uplink may stall a chunk of an upload for a while.
DEFAULT_TIMEOUT = httpx.Timeout(connect=5.0, read=20.0, write=30.0, pool=5.0)

Model = TypeVar("Model", bound=BaseModel)
Sleep = Callable[[float], Awaitable[None]]


def new_idempotency_key() -> str:
    """A fresh key for one submission. Keep it with the draft until the submission is
    answered, and make a new one if the draft changes: the server refuses a key reused
    for another body (422)."""
    return str(uuid.uuid4())


@dataclass(frozen=True, slots=True)
class _Failed:
    error: ApiError
    transient: bool
    retry_after: float | None = None


class ApiClient:
    """A session with one backend. ``base_url`` is the server's root (``https://host/``, or
    a path below which the API is mounted); ``token`` is the bearer token of a traveller or
    a reviewer. ``transport`` replaces the network: ``httpx.MockTransport`` in tests, an
    ``httpx.ASGITransport`` for a backend in the same process. ``sleep`` and ``rand`` drive
    the waits between retries, and are there for tests to make them instant and exact.
    A malformed ``base_url`` raises ``Unreachable``, whose message asks to check it."""

    def __init__(
        self,
        base_url: str,
        *,
        token: str | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
        retry: RetryPolicy | None = None,
        sleep: Sleep = asyncio.sleep,
        rand: Callable[[], float] = random.random,
    ) -> None:
        self.token = token
        self.retry = retry or RetryPolicy()
        self._sleep = sleep
        self._rand = rand
        try:
            self._http = httpx.AsyncClient(
                base_url=base_url,
                transport=transport,
                timeout=timeout,
                follow_redirects=True,  # e.g. a server that moves http:// to https://
                verify=verification_for(base_url),
                headers={"User-Agent": f"itdeclare/{__version__}", "Accept": "application/json"},
            )
        except httpx.InvalidURL as exc:  # a mistyped server address: the user can fix that
            raise Unreachable(detail=repr(exc)) from exc

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    # --- signing in -------------------------------------------------------------------------

    async def request_code(self, phone: str) -> CodeSent:
        """Have a one-time code sent to ``phone``. Not retried: each try may send a message."""
        response = await self._call("POST", f"{API}/auth/code", json={"phone": phone})
        return _parse(response, CodeSent, empty_ok=True)

    async def sign_in(self, phone: str, code: str) -> Session:
        """Exchange the code for a token; the client uses the token from now on."""
        response = await self._call(
            "POST", f"{API}/auth/token", json={"phone": phone, "code": code}
        )
        session = _parse(response, Session)
        self.token = session.token
        return session

    async def sign_out(self) -> None:
        """Revoke the token on the server and forget it here. It is forgotten even when the
        server cannot be told (the error is raised after), and a token the server no longer
        knows counts as signed out."""
        if not self.token:
            return
        try:
            await self._call("POST", f"{API}/auth/logout")
        except Unauthorized:
            pass
        finally:
            self.token = None

    async def current_account(self) -> Account:
        """Whose token this is: a traveller, or a reviewer and the consulate."""
        return _parse(await self._call("GET", f"{API}/auth/me"), Account)

    # --- people the account files for -------------------------------------------------------

    async def create_person(self, relationship: Relationship, subject: Subject) -> Person:
        body = {"relationship": relationship.value, "subject": _document(subject)}
        return _parse(await self._call("POST", f"{API}/persons", json=body), Person)

    async def list_persons(self) -> list[Person]:
        return _parse(await self._call("GET", f"{API}/persons"), Items[Person]).items

    async def get_person(self, person_id: str) -> Person:
        return _parse(await self._call("GET", f"{API}/persons/{_segment(person_id)}"), Person)

    # --- declarations -----------------------------------------------------------------------

    async def submit_declaration(
        self, person_id: str, declaration: Declaration, *, idempotency_key: str
    ) -> DeclarationSummary:
        """Submit a declaration for review. ``idempotency_key`` (see
        :func:`new_idempotency_key`) makes the call safe to repeat: it is retried on its own
        after a lost answer, and a later call with the same key and declaration answers with
        the same declaration instead of filing it twice."""
        if not idempotency_key:
            raise ValueError("a submission needs an idempotency key")
        body = {"person_id": person_id, "declaration": _document(declaration)}
        response = await self._call(
            "POST",
            f"{API}/declarations",
            json=body,
            headers={IDEMPOTENCY_HEADER: idempotency_key},
        )
        return _parse(response, DeclarationSummary)

    async def list_declarations(self, person_id: str | None = None) -> list[DeclarationSummary]:
        """The account's declarations, newest first; only one person's with ``person_id``."""
        params = {"person_id": person_id} if person_id is not None else None
        response = await self._call("GET", f"{API}/declarations", params=params)
        return _parse(response, Items[DeclarationSummary]).items

    async def get_declaration(self, declaration_id: str) -> DeclarationDetail:
        response = await self._call("GET", _declaration(declaration_id))
        return _parse(response, DeclarationDetail)

    async def upload_attachment(
        self,
        declaration_id: str,
        path: Path,
        *,
        progress: Progress | None = None,
        test_index: int | None = None,
        content: bytes | None = None,
    ) -> Attachment:
        """Upload a PDF, JPEG or PNG for the declaration; the server decides the type from the
        content. ``progress(sent, total)`` follows the file's bytes. Not retried.

        ``test_index``: the declaration's test it is the report of. ``content``: the file's
        bytes when they are kept elsewhere than at ``path`` (which then only names it)."""
        fields = {"test_index": str(test_index)} if test_index is not None else None
        upload = MultipartFile(path, fields=fields, content=content)
        response = await self._call(
            "POST",
            f"{_declaration(declaration_id)}/attachments",
            content=upload.body(progress),
            headers=upload.headers,
        )
        return _parse(response, Attachment)

    async def get_attachment(self, declaration_id: str, attachment_id: str) -> bytes:
        """The content of one of the declaration's uploaded documents."""
        path = f"{_declaration(declaration_id)}/attachments/{_segment(attachment_id)}"
        return (await self._call("GET", path)).content

    async def send_supplement(
        self, declaration_id: str, message: str, attachment_ids: Iterable[str] = ()
    ) -> DeclarationSummary:
        """Answer a reviewer's request for more: the declaration returns to review at its
        original place in the queue."""
        body = {"message": message, "attachment_ids": list(attachment_ids)}
        response = await self._call("POST", f"{_declaration(declaration_id)}/supplement", json=body)
        return _parse(response, DeclarationSummary)

    async def redeclare(
        self,
        declaration_id: str,
        declaration: Declaration,
        *,
        idempotency_key: str | None = None,
    ) -> DeclarationSummary:
        """File a corrected declaration in place of ``declaration_id``, which is cancelled (or
        its certificate revoked). Twice per chain at most; a third is a ``Conflict``. With an
        ``idempotency_key`` it is retried like a submission; without, a lost answer is the
        caller's to resolve (a repeat would meet ``Conflict("not_latest")``)."""
        body = {"declaration": _document(declaration)}
        headers = {IDEMPOTENCY_HEADER: idempotency_key} if idempotency_key else None
        response = await self._call(
            "POST", f"{_declaration(declaration_id)}/redeclare", json=body, headers=headers
        )
        return _parse(response, DeclarationSummary)

    async def get_certificate(self, declaration_id: str) -> Certificate:
        response = await self._call("GET", f"{_declaration(declaration_id)}/certificate")
        return _parse(response, Certificate)

    async def outbound_certificate(self, request: OutboundRequest) -> OutboundCertificate:
        """The certificate of an outbound traveller, made from the health authority's records
        (and what they lack)."""
        response = await self._call("POST", f"{API}/outbound/certificate", json=_document(request))
        return _parse(response, OutboundCertificate)

    # --- the consulate reviewer -------------------------------------------------------------

    async def review_queue(
        self, *, limit: int | None = None, after: str | None = None
    ) -> list[ReviewItem]:
        """The reviewer's consulate's declarations awaiting review, in review order: the first
        ``limit`` (the server's page size by default), continuing ``after`` a declaration id."""
        params = {
            name: value for name, value in (("limit", limit), ("after", after)) if value is not None
        }
        response = await self._call("GET", f"{API}/review/queue", params=params or None)
        return _parse(response, Items[ReviewItem]).items

    async def get_review(self, declaration_id: str) -> ReviewDetail:
        response = await self._call("GET", f"{API}/review/{_segment(declaration_id)}")
        return _parse(response, ReviewDetail)

    async def get_review_attachment(self, declaration_id: str, attachment_id: str) -> bytes:
        path = f"{API}/review/{_segment(declaration_id)}/attachments/{_segment(attachment_id)}"
        return (await self._call("GET", path)).content

    async def decide(
        self,
        declaration_id: str,
        decision: Decision,
        note: str | None = None,
        *,
        seen: datetime | None = None,
    ) -> DeclarationDetail:
        """Approve, reject (``note`` says why) or ask for supplementary material (``note`` says
        what). With ``seen`` (the ``updated_at`` the reviewer looked at) the backend refuses it
        with :class:`Conflict` if the declaration changed since. Not retried: a lost answer is
        resolved by reopening the declaration."""
        body: dict[str, str | None] = {"decision": decision.value, "note": note}
        if seen is not None:
            body["expected_updated_at"] = seen.isoformat()
        response = await self._call(
            "POST", f"{API}/review/{_segment(declaration_id)}/decision", json=body
        )
        return _parse(response, DeclarationDetail)

    # --- public documents -------------------------------------------------------------------

    async def trust_list(self) -> TrustList:
        return _parse(await self._call("GET", f"{API}/trust-list"), TrustList)

    async def revocations(self) -> bytes:
        """The signed revocation list, byte for byte: what ``verify --revocations`` reads."""
        return (await self._call("GET", f"{API}/revocations")).content

    async def rules(self) -> RuleSet:
        """The entry rules in force, for checking tests against the itinerary before submitting."""
        return _parse(await self._call("GET", f"{API}/rules"), RuleSet)

    async def healthz(self) -> Health:
        return _parse(await self._call("GET", "/healthz"), Health, empty_ok=True)

    # --- the one road to the server ---------------------------------------------------------

    async def _call(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        content: Any = None,
        params: Mapping[str, str | int] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        """Send, retrying what is safe to retry, and return a successful response."""
        request = self._build(
            method, path, json=json, content=content, params=params, headers=headers
        )
        repeatable = is_repeatable(request)
        retry = 0
        while True:
            outcome = await self._attempt(request)
            if isinstance(outcome, httpx.Response):
                return outcome
            retry += 1
            wait = None
            if repeatable and outcome.transient:
                wait = self.retry.wait(retry, self._rand(), outcome.retry_after)
            if wait is None:
                raise outcome.error
            log.info(
                "%s %s failed (%s); retry %d in %.2f s",
                method,
                path,
                type(outcome.error).__name__,
                retry,
                wait,
            )
            await self._sleep(wait)

    def _build(
        self,
        method: str,
        path: str,
        *,
        json: Any,
        content: Any,
        params: Mapping[str, str | int] | None,
        headers: Mapping[str, str] | None,
    ) -> httpx.Request:
        all_headers = {"Accept-Language": get_language(), **(headers or {})}
        if self.token:
            all_headers["Authorization"] = f"Bearer {self.token}"
        try:
            return self._http.build_request(
                method, path, json=json, content=content, params=params, headers=all_headers
            )
        except httpx.InvalidURL as exc:
            raise Unreachable(detail=repr(exc)) from exc

    async def _attempt(self, request: httpx.Request) -> httpx.Response | _Failed:
        try:
            response = await self._http.send(request)
        except (httpx.RequestError, httpx.StreamError) as exc:
            error = from_request_error(exc)
            error.__cause__ = exc
            return _Failed(error, is_transient(exc))
        if response.is_success:
            return response
        return _Failed(
            from_response(response),
            response.status_code in RETRY_STATUSES,
            retry_after(response),
        )


def _parse(response: httpx.Response, model: type[Model], *, empty_ok: bool = False) -> Model:
    content = response.content
    if empty_ok and not content.strip():
        content = b"{}"
    try:
        return model.model_validate_json(content)
    except ValidationError as exc:
        where = f"{response.request.method} {response.request.url.path}"
        raise ProtocolError(status=response.status_code, detail=f"{where}: {exc}") from exc


def _document(model: BaseModel) -> dict[str, Any]:
    """A domain model as the JSON of its §4.5 file (aliases such as ``from``, ISO times)."""
    return model.model_dump(mode="json", by_alias=True)


def _segment(identifier: str) -> str:
    """An id as one path segment: a slash or '..' in it cannot reach another route."""
    if not identifier:
        raise ValueError("an id cannot be empty")
    return quote(identifier, safe="").replace(".", "%2E")


def _declaration(declaration_id: str) -> str:
    return f"{API}/declarations/{_segment(declaration_id)}"
