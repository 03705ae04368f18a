"""What the console's screens share: the backend connection, whose token, the rules, the queue.

The app builds one context from the settings and the command line and hands it to its screens.
Signing in has two roads. Against a deployed backend (``--server``/``ITDECLARE_SERVER``) the
reviewer gives the token ``itdeclare admin add-reviewer`` printed (``--token`` or the sign-in
screen). Against the embedded local backend nothing is set up: the reviewer picks a consulate
and the console makes a reviewer account for it, or reuses the one it made before. Either way
the token is kept encrypted in the local state (:mod:`itdeclare.storage.reviewers`).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from itdeclare.reviewing.files import Downloads, Opener, system_opener
from itdeclare.reviewing.filters import ReviewQueue
from itdeclare.wording import follow_language

if TYPE_CHECKING:
    from itdeclare.client import Account, ApiClient
    from itdeclare.config import Settings
    from itdeclare.local_backend import LocalBackend
    from itdeclare.models import RuleSet
    from itdeclare.storage.reviewers import ReviewerStore

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]
ClientFactory = Callable[[str, str], "ApiClient"]
StoreOpener = Callable[[], "ReviewerStore"]


def utc_now() -> datetime:
    return datetime.now(UTC)


def _open_store() -> ReviewerStore:
    from itdeclare.storage.reviewers import open_reviewer_store
    from itdeclare.storage.state import LocalState

    return open_reviewer_store(LocalState())


def connect(url: str, token: str) -> ApiClient:
    """A client of the backend at ``url`` with a reviewer's bearer token."""
    from itdeclare.client import ApiClient

    return ApiClient(url, token=token)


class NotAReviewer(Exception):
    """The token is valid but belongs to a traveller."""


class ReviewContext:
    def __init__(
        self,
        settings: Settings,
        *,
        server: str | None = None,
        token: str | None = None,
        clock: Clock = utc_now,
        find_opener: Callable[[], Opener | None] = system_opener,
        make_client: ClientFactory = connect,
        open_store: StoreOpener = _open_store,
        local: LocalBackend | None = None,
    ) -> None:
        self.settings = settings
        self.server = server
        self.given_token = token
        self.clock = clock
        self._find_opener = find_opener
        self._opener: Opener | None = None
        self._opener_found = False
        self._make_client = make_client
        self._open_store = open_store
        self._store: ReviewerStore | None = None
        self._store_failed = False
        self.local = local
        if server is None and local is None:
            from itdeclare.local_backend import LocalBackend

            self.local = LocalBackend(settings)
        self.api: ApiClient | None = None
        self.account: Account | None = None
        self._rules: RuleSet | None = None
        self.queue = ReviewQueue()
        self.downloads = Downloads()

    @property
    def rules(self) -> RuleSet:
        """The entry rules the backend serves (the built-in ones until signed in)."""
        if self._rules is None:
            from itdeclare.models import default_rules

            return default_rules()
        return self._rules

    @property
    def is_local(self) -> bool:
        return self.server is None

    def opener(self) -> Opener | None:
        """The way to show an attachment (found on first use), or ``None``."""
        if not self._opener_found:
            self._opener, self._opener_found = self._find_opener(), True
        return self._opener

    @property
    def consulate(self) -> str:
        return self.account.consulate or "" if self.account else ""

    # --- the token store ------------------------------------------------------------------

    def store(self) -> ReviewerStore | None:
        """The tokens kept on this machine (opened on first use: call it in a thread), or
        ``None`` when the local state cannot be opened (the console then works unsaved)."""
        if self._store is None and not self._store_failed:
            from itdeclare.storage.errors import StorageError

            try:
                self._store = self._open_store()
            except StorageError:
                log.exception("the reviewer tokens cannot be kept")
                self._store_failed = True
        return self._store

    @property
    def store_failed(self) -> bool:
        return self._store_failed

    def _slot(self, consulate: str | None = None) -> str:
        from itdeclare.storage.reviewers import local_slot

        if self.server is not None:
            return self.server
        assert consulate is not None
        return local_slot(consulate)

    def _keep(self, slot: str, consulate: str, token: str) -> None:
        """Keep the token for next time; a disk that refuses only costs signing in again."""
        from itdeclare.storage.errors import StorageError
        from itdeclare.storage.reviewers import ReviewerSession

        store = self.store()
        if store is None:
            return
        try:
            store.save(ReviewerSession(slot=slot, consulate=consulate, token=token))
        except StorageError:
            log.exception("the reviewer token cannot be kept")
            self._store_failed = True

    def _saved_token(self, slot: str) -> str | None:
        store = self.store()
        saved = store.load(slot) if store is not None else None
        return saved.token if saved is not None else None

    def last_local_consulate(self) -> str | None:
        store = self.store()
        last = store.last_local() if store is not None else None
        return last.consulate if last is not None else None

    # --- signing in -----------------------------------------------------------------------

    async def _use(self, url: str, token: str) -> Account:
        """Sign in with ``token``: the account, once the server confirms it is a reviewer's."""
        follow_language()
        api = self._make_client(url, token)
        try:
            account = await api.current_account()
            if account.kind != "reviewer" or not account.consulate:
                raise NotAReviewer
            rules = await api.rules()
        except BaseException:
            await api.aclose()
            raise
        await self.close()
        self.api, self.account, self._rules = api, account, rules
        self.queue = ReviewQueue()
        return account

    async def sign_in_remote(self, token: str) -> Account:
        """Sign in to the configured server with a reviewer token, and keep it."""
        assert self.server is not None
        account = await self._use(self.server, token)
        await asyncio.to_thread(self._keep, self.server, account.consulate or "", token)
        return account

    async def resume_remote(self) -> Account | None:
        """Sign in with the token given on the command line or kept from last time; ``None``
        when there is none, or the one kept is no longer accepted (it is then forgotten)."""
        from itdeclare.client import Unauthorized

        assert self.server is not None
        if self.given_token:
            return await self.sign_in_remote(self.given_token)
        token = await asyncio.to_thread(self._saved_token, self.server)
        if token is None:
            return None
        try:
            return await self._use(self.server, token)
        except (Unauthorized, NotAReviewer):
            await asyncio.to_thread(self.forget)
            return None

    async def sign_in_local(self, consulate: str) -> Account:
        """Start the embedded backend if needed and sign in as its reviewer for ``consulate``,
        made now or reused from before."""
        from itdeclare.client import Unauthorized

        assert self.local is not None
        url = await asyncio.to_thread(self.local.start)
        slot = self._slot(consulate)
        token = await asyncio.to_thread(self._saved_token, slot)
        if token is not None:
            try:
                return await self._use(url, token)
            except Unauthorized:
                log.info("the kept local reviewer token has expired; making a new one")
        token = await asyncio.to_thread(self.local.add_reviewer, consulate)
        account = await self._use(url, token)
        await asyncio.to_thread(self._keep, slot, consulate, token)
        return account

    def forget(self) -> None:
        """Forget the kept token of this server (never revoked: the operator made it)."""
        from itdeclare.storage.errors import StorageError

        store = self.store()
        if store is None or self.server is None:
            return
        try:
            store.forget(self.server)
        except StorageError:
            log.exception("the kept reviewer token cannot be removed")

    async def close(self) -> None:
        from itdeclare.client import ApiError

        api, self.api = self.api, None
        if api is not None:
            try:
                await api.aclose()
            except ApiError:
                log.exception("closing the connection")

    def shut_down(self) -> None:
        """What the quit path leaves behind: the downloads, the local backend."""
        self.downloads.remove()
        if self.local is not None:
            self.local.stop()
