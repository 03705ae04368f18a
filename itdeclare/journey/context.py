"""What the traveller's screens share: settings, the clock, the local state and the draft saver.

The app builds one context from the settings and passes it to its screens. The local state's
key is read when a store is first used; that may wait on the OS keyring, so screens use the
stores from a thread worker unless ``state().opens_at_once`` says the key is in a file.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from itdeclare.config import Settings
    from itdeclare.journey.connection import Connection
    from itdeclare.storage.records import Draft
    from itdeclare.storage.saver import DraftSaver
    from itdeclare.storage.state import LocalState

Clock = Callable[[], datetime]
SaveFailed = Callable[["Draft", Exception], None]


def utc_now() -> datetime:
    return datetime.now(UTC)


def _open_local_state() -> LocalState:
    from itdeclare.storage.state import LocalState

    return LocalState()


class TravellerContext:
    def __init__(
        self,
        settings: Settings,
        *,
        clock: Clock = utc_now,
        open_state: Callable[[], LocalState] = _open_local_state,
    ) -> None:
        self.settings = settings
        self.clock = clock
        self._open_state = open_state
        self._lock = threading.Lock()
        self._state: LocalState | None = None
        self._saver: DraftSaver | None = None
        self.on_save_failed: SaveFailed | None = None
        #: The backend, when the app has one (``run_traveller`` gives it); without, the app
        #: keeps drafts only.
        self.connection: Connection | None = None

    def state(self) -> LocalState:
        """The local state (cheap to make: its key is read when a store is first used)."""
        with self._lock:
            if self._state is None:
                self._state = self._open_state()
            return self._state

    def saver(self) -> DraftSaver:
        """The debounced draft saver (after ``state()`` has opened the drafts)."""
        from itdeclare.storage.saver import DraftSaver

        with self._lock:
            if self._saver is None:
                assert self._state is not None, "open the local state first"
                drafts = self.settings.drafts
                self._saver = DraftSaver(
                    self._state.drafts,
                    delay=drafts.autosave_delay,
                    max_wait=max(drafts.autosave_max_wait, drafts.autosave_delay),
                    on_error=self._save_failed,
                )
            return self._saver

    def _save_failed(self, draft: Draft, error: Exception) -> None:
        if self.on_save_failed is not None:
            self.on_save_failed(draft, error)

    def close(self) -> None:
        """Write whatever drafts are pending and stop the saver (the quit path)."""
        with self._lock:
            saver = self._saver
        if saver is not None:
            saver.close()
