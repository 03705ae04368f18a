"""The app killed (SIGKILL) at any moment while it autosaves: the draft is never corrupt and
never older than the last save the app completed, and the next run resumes it.

Each round starts the real app headless (``autosave_app_child.py``), lets it type into the
draft for a random while, kills it, then opens the store afresh and checks the draft.
"""

from __future__ import annotations

import os
import random
import selectors
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from itdeclare.storage.state import LocalState
from tests.tui.seeds import seed

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL (POSIX)"),
]

ROUNDS = 12
#: Longest wait for a line from the helper before the test gives up (a hang, not a timing).
PATIENCE = 60.0
CHILD = Path(__file__).with_name("autosave_app_child.py")


def run_and_kill(env: dict[str, str], typing_for: float) -> tuple[int, str]:
    """Start the app, let it type for ``typing_for`` seconds, SIGKILL it; the last save it
    reported (revision, text), or (0, "") if it reported none."""
    process = subprocess.Popen(
        [sys.executable, str(CHILD)], stdout=subprocess.PIPE, env=env, cwd=Path.cwd()
    )
    assert process.stdout is not None
    selector = selectors.DefaultSelector()
    selector.register(process.stdout, selectors.EVENT_READ)
    last: tuple[int, str] = (0, "")
    buffer, deadline = b"", None
    try:
        while True:
            timeout = PATIENCE if deadline is None else max(0.0, deadline - time.monotonic())
            if not selector.select(timeout):
                if deadline is None:
                    pytest.fail(f"the app printed nothing for {PATIENCE} s")
                break
            chunk = os.read(process.stdout.fileno(), 65536)
            if not chunk:
                pytest.fail(f"the app exited on its own: {process.wait()}")
            buffer += chunk
            while b"\n" in buffer:
                line, buffer = buffer.split(b"\n", 1)
                words = line.decode().split(" ", 2)
                if words[0] == "typing":
                    deadline = time.monotonic() + typing_for
                elif words[0] == "saved":
                    last = (int(words[1]), words[2] if len(words) > 2 else "")
            if deadline is not None and time.monotonic() >= deadline:
                break
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(PATIENCE)
        process.stdout.close()
    return last


def test_killed_while_autosaving_the_draft_survives() -> None:
    seed(step="contact", focus="f-residence--address")
    env = dict(
        os.environ,
        ITDECLARE_KEY_STORE="file",
        ITDECLARE_DRAFTS__AUTOSAVE_DELAY="0.05",
        ITDECLARE_DRAFTS__AUTOSAVE_MAX_WAIT="0.2",
        PYTHONPATH=str(Path(__file__).parents[2]),
    )
    randomness = random.Random(20261130)
    previous_text = "1 Market St"
    saves = 0
    for _ in range(ROUNDS):
        revision, text = run_and_kill(env, typing_for=randomness.uniform(0.3, 1.5))
        state = LocalState()
        [draft] = state.drafts.list()
        assert state.problems == [], "a draft could not be read after the kill"
        assert state.quarantined() == []
        on_disk = draft.declaration["residence"]["address"]
        assert draft.revision >= revision
        assert on_disk.startswith(previous_text)  # nothing typed earlier was lost
        assert on_disk.startswith(text) and len(on_disk) >= len(text)  # never older
        assert draft.step == "contact" and draft.focus == "f-residence--address"
        saves += revision > 0
        previous_text = on_disk
    assert saves >= ROUNDS // 2, "the app was killed before saving in most rounds"
    assert len(previous_text) > len("1 Market St")
