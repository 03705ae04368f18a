"""Killed at any moment while autosaving, a draft is never corrupt and never goes back.

A helper process (``autosave_child.py``) forks writers that autosave drafts continuously; the
test kills each writer with SIGKILL at a random moment, then opens the store afresh and checks
that every draft is readable and at least as new as the last save the writer reported.
"""

from __future__ import annotations

import contextlib
import os
import random
import selectors
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from itdeclare.storage.state import LocalState

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork and SIGKILL (POSIX)")

KILLS = 80
#: Longest wait for one line from the helper before the test gives up (a hang, not a timing).
PATIENCE = 30.0
CHILD = Path(__file__).with_name("autosave_child.py")


@dataclass
class Child:
    process: subprocess.Popen[bytes]
    selector: selectors.BaseSelector = field(default_factory=selectors.DefaultSelector)
    buffer: bytes = b""
    writer: int = 0

    def send(self, line: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(line.encode() + b"\n")
        self.process.stdin.flush()

    def lines(self) -> Iterator[list[str]]:
        """Each line the helper prints, split in words; fails if it falls silent."""
        assert self.process.stdout is not None
        fd = self.process.stdout.fileno()
        while True:
            while b"\n" in self.buffer:
                line, self.buffer = self.buffer.split(b"\n", 1)
                yield line.decode().split()
            if not self.selector.select(PATIENCE):
                pytest.fail(f"the autosave helper printed nothing for {PATIENCE} s")
            chunk = os.read(fd, 65536)
            if not chunk:
                pytest.fail(f"the autosave helper exited: {self.process.wait()}")
            self.buffer += chunk


@pytest.fixture
def child(data_dir: Path) -> Iterator[Child]:
    env = dict(os.environ, ITDECLARE_KEY_STORE="file")
    process = subprocess.Popen(
        [sys.executable, str(CHILD), str(data_dir)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env=env,
    )
    helper = Child(process)
    assert process.stdout is not None
    helper.selector.register(process.stdout, selectors.EVENT_READ)
    yield helper
    if helper.writer:  # a failed test may leave its writer running: end it first
        with contextlib.suppress(ProcessLookupError):
            os.kill(helper.writer, signal.SIGKILL)
    helper.send("quit")
    process.stdin.close()  # type: ignore[union-attr]
    process.wait(PATIENCE)


def run_and_kill(child: Child, rng: random.Random, reported: dict[str, tuple[int, int]]) -> None:
    """Start a writer, kill it after a random number of saves and a random delay."""
    child.send(f"run {rng.randrange(2**32)}")
    saves_before_kill = rng.randint(1, 6)
    saves = 0
    child.writer = 0
    lines = child.lines()
    for words in lines:
        if words[0] == "error":
            pytest.fail("the writer found the store damaged: " + " ".join(words[1:]))
        if words[0] == "started":
            child.writer = int(words[1])
        elif words[0] == "saved":
            reported[words[1]] = (int(words[2]), int(words[3]))
            saves += 1
        if child.writer and saves >= saves_before_kill:
            break
    time.sleep(rng.random() * 0.004)  # land anywhere: mid-write, mid-rename, between saves
    os.kill(child.writer, signal.SIGKILL)
    for words in lines:  # saves reported up to the moment of death count too
        if words[0] == "saved":
            reported[words[1]] = (int(words[2]), int(words[3]))
        elif words[0] == "ended":
            status = int(words[2])
            assert os.WIFSIGNALED(status), f"the writer ended on its own: status {status}"
            assert os.WTERMSIG(status) == signal.SIGKILL
            child.writer = 0
            return


def test_sigkill_while_autosaving_never_corrupts_or_loses_a_save(
    child: Child, data_dir: Path
) -> None:
    rng = random.Random(20261201)
    reported: dict[str, tuple[int, int]] = {}
    for kill in range(KILLS):
        run_and_kill(child, rng, reported)

        state = LocalState(data_dir)  # as the next start of the app would
        drafts = {draft.id: draft for draft in state.drafts.list()}
        assert state.problems == [], f"after kill {kill}"
        assert state.quarantined() == []
        assert list((data_dir / "drafts").glob(".*.tmp")) == [], "temp files of the dead writer"
        # A save may land just before the kill and its report not: more is fine, less is not.
        assert reported.keys() <= drafts.keys()
        assert len(drafts) <= 2
        for draft_id, (revision, edits) in reported.items():
            assert drafts[draft_id].revision >= revision, f"draft went back after kill {kill}"
            assert drafts[draft_id].declaration["edits"] >= edits
