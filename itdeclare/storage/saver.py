"""Autosave of drafts, debounced, safe to drive from any thread and free of Textual.

``schedule(draft)`` only copies the draft and returns, so an ``Input.Changed`` handler can
call it on every keystroke. Call it from the thread that edits the draft (in Textual, the UI
thread): the copy is taken there, so the writing thread never sees a draft half-changed.

The saver's own thread writes the latest copy of each draft once the user pauses for
``delay`` seconds, and never later than ``max_wait`` after the first unsaved change, so steady
typing is saved too: a crash loses at most ``max_wait``. The quit path calls ``flush()`` (or
``close()``) to write what is still pending.

``on_saved`` and ``on_error`` run in the saver's thread (in Textual, forward them with
``App.call_from_thread``); ``flush()`` reports to its caller instead, by return and raise.
"""

from __future__ import annotations

import copy
import threading
import time
from collections.abc import Callable
from types import TracebackType

from itdeclare.storage.errors import StorageError
from itdeclare.storage.records import Draft
from itdeclare.storage.stores import DraftStore

OnSaved = Callable[[Draft], None]
OnError = Callable[[Draft, Exception], None]


class DraftSaver:
    def __init__(
        self,
        store: DraftStore,
        *,
        delay: float = 0.5,
        max_wait: float = 1.0,
        retry_after: float = 5.0,
        on_saved: OnSaved | None = None,
        on_error: OnError | None = None,
    ) -> None:
        if delay <= 0 or max_wait <= 0:
            raise ValueError("delay and max_wait must be positive")
        self._store = store
        self._delay = delay
        self._max_wait = max_wait
        self._retry_after = retry_after
        self._on_saved = on_saved
        self._on_error = on_error
        self._cond = threading.Condition()
        self._write_lock = threading.Lock()  # one write batch at a time: flush waits for it
        self._pending: dict[str, Draft] = {}
        self._first_change: float | None = None
        self._due: float | None = None
        self._thread: threading.Thread | None = None
        self._closed = False

    @property
    def pending(self) -> bool:
        with self._cond:
            return bool(self._pending)

    def schedule(self, draft: Draft) -> None:
        """Save a copy of ``draft`` as it is now, soon (replacing any older pending copy)."""
        snapshot = copy.deepcopy(draft)
        now = time.monotonic()
        with self._cond:
            if self._closed:
                raise RuntimeError("the draft saver is closed")
            self._pending[draft.id] = snapshot
            if self._first_change is None:
                self._first_change = now
            self._due = min(now + self._delay, self._first_change + self._max_wait)
            self._start_thread()
            self._cond.notify()

    def flush(self) -> list[Draft]:
        """Write every pending draft now, in this thread; return the copies written.

        Raises the first error (a :class:`StorageError` when the disk refuses); the drafts
        that failed stay pending.
        """
        saved, failures = self._write_pending()
        if failures:
            raise failures[0][1]
        return saved

    def close(self) -> list[Draft]:
        """Stop the saver's thread, then flush."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()
            thread = self._thread
        if thread is not None:
            thread.join()
        return self.flush()

    def __enter__(self) -> DraftSaver:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    # --- the saver's thread ---

    def _start_thread(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="draft-saver", daemon=True)
            self._thread.start()

    def _wait_until_due(self) -> bool:
        """Block until pending drafts are due for writing; ``False`` once the saver closes."""
        with self._cond:
            while not self._closed:
                remaining = None if self._due is None else self._due - time.monotonic()
                if remaining is not None and remaining <= 0:
                    return True
                self._cond.wait(remaining)
            return False

    def _run(self) -> None:
        while self._wait_until_due():
            saved, failures = self._write_pending()
            for draft in saved:
                if self._on_saved is not None:
                    self._on_saved(draft)
            for draft, exc in failures:
                if self._on_error is not None:
                    self._on_error(draft, exc)

    def _take(self) -> list[Draft]:
        with self._cond:
            batch = list(self._pending.values())
            self._pending.clear()
            self._first_change = self._due = None
            return batch

    def _retry_later(self, draft: Draft) -> None:
        with self._cond:
            if draft.id in self._pending:
                return  # a newer copy is already waiting
            self._pending[draft.id] = draft
            now = time.monotonic()
            if self._first_change is None:
                self._first_change = now
            if self._due is None:
                self._due = now + self._retry_after
            self._cond.notify()

    def _write_pending(self) -> tuple[list[Draft], list[tuple[Draft, Exception]]]:
        saved: list[Draft] = []
        failures: list[tuple[Draft, Exception]] = []
        with self._write_lock:
            for draft in self._take():
                try:
                    saved.append(self._store.save(draft))
                except StorageError as exc:  # the disk may recover: keep it and try again
                    self._retry_later(draft)
                    failures.append((draft, exc))
                except Exception as exc:  # e.g. a value that is not JSON: retrying cannot help
                    failures.append((draft, exc))
        return saved, failures
