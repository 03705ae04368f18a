"""The terminal closed (SIGHUP, as ``tmux kill-session`` does) or the app asked to stop
(SIGTERM) right after typing: what was typed is on disk, as after ctrl+q, even though the
autosave had not come round yet."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from itdeclare.storage.state import LocalState
from tests.tui.seeds import seed

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="needs SIGHUP (POSIX)")

CHILD = Path(__file__).with_name("hangup_app_child.py")
PATIENCE = 60.0


@pytest.mark.parametrize("signal_number", [signal.SIGHUP, signal.SIGTERM], ids=["hup", "term"])
def test_a_signal_writes_the_draft_before_the_app_ends(signal_number: int) -> None:
    seed(step="contact", focus="f-residence--address")
    env = dict(
        os.environ,
        ITDECLARE_KEY_STORE="file",
        ITDECLARE_DRAFTS__AUTOSAVE_DELAY="10",
        ITDECLARE_DRAFTS__AUTOSAVE_MAX_WAIT="30",
        PYTHONPATH=str(Path(__file__).parents[2]),
    )
    process = subprocess.Popen(
        [sys.executable, str(CHILD)], stdout=subprocess.PIPE, env=env, cwd=Path.cwd()
    )
    assert process.stdout is not None
    try:
        line = process.stdout.readline().decode()
        assert line.startswith("typed "), f"the app said {line!r}"
        typed = line.removeprefix("typed ").rstrip("\n")
        assert typed.endswith("hup")
        process.send_signal(signal_number)
        process.wait(5)  # well before the autosave's 10 s
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(PATIENCE)
        process.stdout.close()
    [draft] = LocalState().drafts.list()
    assert draft.declaration["residence"]["address"] == typed
