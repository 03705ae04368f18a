"""The traveller app's link to the backend: which backend, who is signed in, and what it says.

No Textual here: screens call these coroutines from their async workers and show what comes
back. Every call that fails raises an ``ApiError`` (``itdeclare.client``), whose ``message`` is
worded for the user. Whatever touches the local state (the session, people, drafts,
certificates) runs in a thread: reading the key may wait on the OS keyring, and writes sync.

With no server configured the backend is the embedded one (:mod:`itdeclare.local_backend`),
started by :meth:`Connection.start` on first need, in a thread: the app's first screen never
waits for it. Its sessions are kept under :data:`LOCAL_SLOT`, since its port changes with
every start while its database (under the user data dir) stays.
"""

from __future__ import annotations

import asyncio
import dataclasses
import importlib
import logging
import sys
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from itdeclare.journey import reports
from itdeclare.journey.documents import document_of
from itdeclare.journey.failures import BackendFailed, NotSignedIn
from itdeclare.journey.filing import Filing
from itdeclare.journey.snapshot import Change, Snapshot

if TYPE_CHECKING:
    import httpx

    from itdeclare.client import (
        ApiClient,
        Attachment,
        CodeSent,
        DeclarationDetail,
        DeclarationSummary,
        Progress,
        RetryPolicy,
    )
    from itdeclare.config import Settings
    from itdeclare.local_backend import LocalBackend
    from itdeclare.models import DeclarationStatus, OutboundRequest
    from itdeclare.storage.records import Certificate, Draft, Person
    from itdeclare.storage.state import LocalState

log = logging.getLogger(__name__)

#: The session slot of the embedded backend (its URL changes with every start).
LOCAL_SLOT = "local"
#: Seconds between two looks at the backend while a screen follows a declaration.
POLL_INTERVAL = 5.0
#: How often a code's confirmed status is written back while it is shown: each look would be a
#: disk write; this keeps the time shown offline later at most this much older than the truth.
CHECK_KEPT_EVERY = timedelta(minutes=5)
#: The longest wait between two looks after failures (the wait doubles after each).
POLL_MAX_INTERVAL = 60.0


CLIENT_MODULE = "itdeclare.client"


async def client_loaded() -> None:
    """Import ``itdeclare.client`` in a thread, once: it brings httpx and the domain models, and
    importing them on the event loop would freeze the interface for a few hundred milliseconds.
    Await it before the first ``from itdeclare.client import …`` of a screen's worker."""
    if CLIENT_MODULE not in sys.modules:
        await asyncio.to_thread(importlib.import_module, CLIENT_MODULE)


class Surroundings(Protocol):
    """What the connection takes from the app's context (``journey.context.TravellerContext``,
    which holds the connection in turn)."""

    settings: Settings
    clock: Callable[[], datetime]

    def state(self) -> LocalState: ...


class Connection:
    """One backend for the traveller app, shared by its screens."""

    def __init__(
        self,
        context: Surroundings,
        *,
        local: LocalBackend | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        retry: RetryPolicy | None = None,
        poll_interval: float = POLL_INTERVAL,
    ) -> None:
        """``local``: the embedded backend to use when no server is configured (made from
        the settings when not given); ``transport`` and ``retry`` go to the HTTP client."""
        self.settings = context.settings
        self._state = context.state
        self._clock = context.clock
        self.server: str | None = context.settings.server
        self.local = local
        if self.server is None and local is None:
            from itdeclare.local_backend import LocalBackend

            self.local = LocalBackend(context.settings)
        self._transport = transport
        self._retry = retry
        self.poll_interval = poll_interval
        self._start_lock = asyncio.Lock()
        self._url: str | None = None
        self._api: ApiClient | None = None
        self._session_read = False
        self.phone: str | None = None
        self.snapshot = Snapshot()
        self._known: dict[str, DeclarationStatus] = {}

    # --- which backend ------------------------------------------------------------------------

    @property
    def is_local(self) -> bool:
        return self.server is None

    @property
    def slot(self) -> str:
        return LOCAL_SLOT if self.server is None else self.server

    @property
    def started(self) -> bool:
        return self._url is not None

    @property
    def signed_in(self) -> bool:
        return self._api is not None and self._api.token is not None

    async def start(self) -> None:
        """Reach the backend (starting the embedded one if need be) and resume the session kept
        from last time. Safe to call again: it does the work once."""
        from itdeclare.local_backend import LocalBackendError

        await client_loaded()
        from itdeclare.client import ApiClient

        async with self._start_lock:
            if self._url is None:
                if self.local is not None:
                    try:
                        self._url = await asyncio.to_thread(self.local.start)
                    except LocalBackendError as error:
                        raise BackendFailed(error.reason) from error
                else:
                    assert self.server is not None
                    self._url = self.server
            if self._api is None:
                self._api = ApiClient(self._url, transport=self._transport, retry=self._retry)
            if not self._session_read:
                session = await asyncio.to_thread(self._load_session)
                self._session_read = True
                if session is not None:
                    self._api.token, self.phone = session.token, session.phone

    async def api(self) -> ApiClient:
        """The client, signed in (raises ``NotSignedIn`` otherwise)."""
        await self.start()
        assert self._api is not None
        if self._api.token is None:
            raise NotSignedIn
        return self._api

    # --- signing in ---------------------------------------------------------------------------

    async def request_code(self, phone: str) -> CodeSent:
        """Have a code sent to ``phone``; the embedded backend hands it back (``dev_code``)."""
        await self.start()
        assert self._api is not None
        return await self._api.request_code(phone)

    async def sign_in(self, phone: str, code: str) -> None:
        """Exchange the code for a token, and keep the token (encrypted, private to the user)."""
        await self.start()
        assert self._api is not None
        session = await self._api.sign_in(phone, code)
        self.phone = phone
        await asyncio.to_thread(self._save_session, session.token, phone)
        self.snapshot = Snapshot()
        self._known.clear()

    async def sign_out(self) -> None:
        """Forget the token here and on the backend (as far as it can be told)."""
        from itdeclare.client import ApiError

        api = self._api
        try:
            if api is not None:
                await api.sign_out()
        except ApiError:
            log.info("the backend could not be told of the sign-out", exc_info=True)
        finally:
            await asyncio.to_thread(self._forget_session)
            self.phone = None
            self.snapshot = Snapshot()
            self._known.clear()

    async def forget_token(self) -> None:
        """The backend refused the token (expired, revoked): sign in again next time."""
        if self._api is not None:
            self._api.token = None
        await asyncio.to_thread(self._forget_session)

    def _load_session(self) -> Any:
        return self._state().session.load(self.slot)

    def _save_session(self, token: str, phone: str) -> None:
        from itdeclare.storage.records import Session

        self._state().session.save(Session(server=self.slot, token=token, phone=phone))

    def _forget_session(self) -> None:
        self._state().session.clear(self.slot)

    # --- following the declarations -----------------------------------------------------------

    async def refresh(self) -> list[Change]:
        """Look at every declaration of the account; keep a green code of each approval (to
        show offline) and mark kept codes revoked or expired. The changes of status since the
        last look (none on the first)."""
        api = await self.api()
        summaries = await api.list_declarations()
        people = await asyncio.to_thread(self._people)
        snapshot = Snapshot(
            summaries, {p.id: p.remote_id for p in people if p.remote_id is not None}
        )
        first_look = not self._known
        changes = []
        for summary in summaries:
            before = self._known.get(summary.id)
            person_id = snapshot.person_of(summary)
            if person_id is not None and before is not summary.status and not first_look:
                changes.append(Change(person_id, summary.id, before, summary.status))
            self._known[summary.id] = summary.status
        self.snapshot = snapshot
        await self._keep_certificates(api, snapshot)
        await reports.send_left_over(api, self._state(), {s.id for s in summaries})
        return changes

    async def _keep_certificates(self, api: ApiClient, snapshot: Snapshot) -> None:
        from itdeclare.client import Conflict
        from itdeclare.models import DeclarationStatus as S

        kept = {c.declaration_id: c for c in await self.certificates()}
        for summary in snapshot.summaries:
            person_id = snapshot.person_of(summary)
            stored = kept.get(summary.id)
            if summary.status is S.APPROVED and stored is None:
                try:
                    issued = await api.get_certificate(summary.id)
                except Conflict:  # approved without signing keys: no code to keep
                    continue
                await asyncio.to_thread(
                    self._store_certificate, issued, summary.id, person_id, summary.status
                )
            elif stored is not None and stored.status is not summary.status:
                updated = dataclasses.replace(stored, status=summary.status)
                await asyncio.to_thread(self._state().certificates.save, updated)

    async def detail(self, declaration_id: str) -> DeclarationDetail:
        api = await self.api()
        return await api.get_declaration(declaration_id)

    # --- filing -------------------------------------------------------------------------------

    async def submit(self, draft: Draft, person: Person) -> DeclarationSummary:
        """Send the draft: a new declaration, or a re-declaration when ``draft.replaces``.

        The submission's ``Idempotency-Key`` is written into the draft before it is sent and
        reused until an answer arrives, so however often the answer is lost (and the user tries
        again, even after changing the draft), the backend files it once. The draft is kept
        whatever happens; on success it is marked with the declaration's id (``journey.filing``).
        """
        declaration = document_of(draft.declaration, self._clock())
        api = await self.api()
        summary = await Filing(api, self._state, self._clock).file(draft, person, declaration)
        self._known.setdefault(summary.id, summary.status)
        return summary

    def _people(self) -> list[Person]:
        return self._state().people.list()

    # --- supplements --------------------------------------------------------------------------

    async def upload(
        self, declaration_id: str, path: Path, progress: Progress | None = None
    ) -> Attachment:
        api = await self.api()
        return await api.upload_attachment(declaration_id, path, progress=progress)

    async def supplement(
        self, declaration_id: str, message: str, attachment_ids: Iterable[str]
    ) -> DeclarationSummary:
        api = await self.api()
        return await api.send_supplement(declaration_id, message, attachment_ids)

    # --- green codes --------------------------------------------------------------------------

    async def certificates(self, person_id: str | None = None) -> list[Certificate]:
        """The codes kept on this machine, newest first (read offline)."""
        return await asyncio.to_thread(self._list_certificates, person_id)

    def _list_certificates(self, person_id: str | None) -> list[Certificate]:
        return self._state().certificates.list(person_id)

    async def status_of(self, certificate: Certificate) -> Certificate:
        """The kept code with its declaration's status as the backend says it now (revoked or
        expired once replaced or run out), kept so the next offline look shows it too."""
        if certificate.declaration_id is None:
            return certificate
        detail = await self.detail(certificate.declaration_id)
        now = self._clock()
        updated = dataclasses.replace(certificate, status=detail.status, checked_at=now)
        last = certificate.checked_at
        if (
            detail.status is not certificate.status
            or last is None
            or now - last >= CHECK_KEPT_EVERY
        ):
            await asyncio.to_thread(self._state().certificates.save, updated)
        return updated

    async def outbound(self, request: OutboundRequest) -> Certificate:
        """An outbound certificate from the health authority's records, kept to show offline."""
        from itdeclare.models import DeclarationStatus

        api = await self.api()
        issued = await api.outbound_certificate(request)
        return await asyncio.to_thread(
            self._store_certificate, issued, None, None, DeclarationStatus.APPROVED
        )

    def _store_certificate(
        self,
        issued: Any,
        declaration_id: str | None,
        person_id: str | None,
        status: DeclarationStatus,
    ) -> Certificate:
        from itdeclare.storage.records import Certificate

        return self._state().certificates.save(
            Certificate(
                payload=issued.payload,
                declaration_id=declaration_id,
                person_id=person_id,
                issued_at=issued.issued_at,
                expires_at=issued.expires_at,
                status=status,
                missing=list(getattr(issued, "missing", [])),
            )
        )

    async def trust_list(self) -> dict[str, Any]:
        """The backend's trust list (DESIGN.md §4.2), as published."""
        await self.start()
        assert self._api is not None
        return (await self._api.trust_list()).model_dump(mode="json", exclude_none=True)

    # --- the end --------------------------------------------------------------------------------

    async def close(self) -> None:
        api, self._api = self._api, None
        if api is not None:
            await api.aclose()

    def stop(self) -> None:
        """Stop the embedded backend, if this app started it (the quit path)."""
        if self.local is not None:
            self.local.stop()
