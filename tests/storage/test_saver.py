"""The debounced draft saver: latest copy wins, steady typing is saved, flush never loses."""

from __future__ import annotations

import threading

import pytest

from itdeclare.storage.errors import StorageError
from itdeclare.storage.records import Draft
from itdeclare.storage.saver import DraftSaver
from itdeclare.storage.state import LocalState
from itdeclare.storage.stores import DraftStore

#: A window so long that no write happens before the test's own flush.
NEVER = 3600.0
#: How long a test waits for the saver's thread before failing (not a timing assertion).
PATIENCE = 10.0


class FailingStore(DraftStore):
    """The real store, with a disk that can be made to refuse writes."""

    def __init__(self, store: DraftStore) -> None:
        self.__dict__.update(store.__dict__)
        self.refuse = False

    def save(self, draft: Draft) -> Draft:
        if self.refuse:
            raise StorageError("write_failed", path="drafts", reason="No space left on device")
        return super().save(draft)


def test_many_changes_within_the_window_are_one_write(state: LocalState) -> None:
    draft = Draft()
    with DraftSaver(state.drafts, delay=NEVER, max_wait=NEVER) as saver:
        for n in range(50):
            draft.declaration["employer"] = "Example Co."[: n % 11]
            draft.focus = f"field-{n}"
            saver.schedule(draft)
        assert saver.pending
        [saved] = saver.flush()
        assert not saver.pending
    assert saved.revision == 1
    assert state.drafts.load(draft.id) == saved
    assert saved.focus == "field-49"


def test_the_copy_scheduled_is_the_one_written(state: LocalState) -> None:
    draft = Draft(declaration={"employer": "typed"})
    with DraftSaver(state.drafts, delay=NEVER, max_wait=NEVER) as saver:
        saver.schedule(draft)
        draft.declaration["employer"] = "changed later, not scheduled"
        [saved] = saver.flush()
    assert saved.declaration == {"employer": "typed"}


def test_writes_on_its_own_after_a_pause(state: LocalState) -> None:
    written = threading.Event()
    seen: list[Draft] = []

    def on_saved(draft: Draft) -> None:
        seen.append(draft)
        written.set()

    draft = Draft(step="contact")
    with DraftSaver(state.drafts, delay=0.01, max_wait=0.05, on_saved=on_saved) as saver:
        saver.schedule(draft)
        assert written.wait(PATIENCE)
        assert not saver.pending
    assert state.drafts.load(draft.id) == seen[-1]


def test_steady_typing_is_saved_without_a_pause(state: LocalState) -> None:
    written = threading.Event()
    draft = Draft()
    with DraftSaver(
        state.drafts, delay=NEVER, max_wait=0.02, on_saved=lambda _: written.set()
    ) as saver:
        for n in range(100_000):  # keystrokes closer together than the quiet delay
            draft.declaration["address"] = "x" * (1 + n % 50)
            saver.schedule(draft)
            if written.wait(0.001):
                break
        assert written.is_set()
    saved = state.drafts.load(draft.id)
    assert saved is not None
    assert saved.declaration["address"].startswith("x")


def test_flush_reports_a_refused_write_and_keeps_the_draft(state: LocalState) -> None:
    store = FailingStore(state.drafts)
    draft = Draft(declaration={"employer": "kept"})
    with DraftSaver(store, delay=NEVER, max_wait=NEVER) as saver:
        saver.schedule(draft)
        store.refuse = True
        with pytest.raises(StorageError) as caught:
            saver.flush()
        assert caught.value.code == "write_failed"
        assert saver.pending
        store.refuse = False
        [saved] = saver.flush()
    assert saved.declaration == {"employer": "kept"}


def test_background_failure_is_reported_and_retried(state: LocalState) -> None:
    store = FailingStore(state.drafts)
    store.refuse = True
    failed, written = threading.Event(), threading.Event()
    errors: list[Exception] = []

    def on_error(draft: Draft, error: Exception) -> None:
        errors.append(error)
        store.refuse = False  # the disk recovers
        failed.set()

    draft = Draft()
    with DraftSaver(
        store,
        delay=0.01,
        max_wait=0.02,
        retry_after=0.01,
        on_error=on_error,
        on_saved=lambda _: written.set(),
    ) as saver:
        saver.schedule(draft)
        assert failed.wait(PATIENCE)
        assert written.wait(PATIENCE)
    assert isinstance(errors[0], StorageError)
    assert state.drafts.load(draft.id) is not None


def test_drafts_from_many_threads_all_land(state: LocalState) -> None:
    drafts = [Draft() for _ in range(8)]

    def type_into(draft: Draft) -> None:
        for n in range(200):
            draft.declaration["n"] = n
            saver.schedule(draft)

    with DraftSaver(state.drafts, delay=0.001, max_wait=0.002) as saver:
        threads = [threading.Thread(target=type_into, args=(d,)) for d in drafts]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    for draft in drafts:
        saved = state.drafts.load(draft.id)
        assert saved is not None
        assert saved.declaration == {"n": 199}
    assert state.problems == []


def test_closed_saver_refuses_new_work(state: LocalState) -> None:
    saver = DraftSaver(state.drafts, delay=0.01, max_wait=0.01)
    saver.schedule(Draft())
    assert len(saver.close()) <= 1
    with pytest.raises(RuntimeError, match="closed"):
        saver.schedule(Draft())


@pytest.mark.parametrize(("delay", "max_wait"), [(0, 1), (1, 0), (-1, 1)])
def test_window_must_make_sense(state: LocalState, delay: float, max_wait: float) -> None:
    with pytest.raises(ValueError, match="delay"):
        DraftSaver(state.drafts, delay=delay, max_wait=max_wait)


def test_thread_is_started_only_when_needed(state: LocalState) -> None:
    before = threading.active_count()
    saver = DraftSaver(state.drafts)
    assert threading.active_count() == before
    assert saver.close() == []
    assert threading.active_count() == before
