"""Helper process of ``test_sigkill.py``: autosaves drafts until it is killed.

It starts once, imports everything, then waits for commands on stdin so that each run is a
cheap ``fork`` of a warm process (a fork server) rather than a new interpreter:

- ``run SEED``: fork a writer that resumes the drafts under ``ROOT`` and keeps typing into
  them through a real ``DraftSaver`` (for a bounded number of edits, far more than it gets
  to make). The writer prints ``saved ID REVISION EDITS`` once each save has returned (so it
  is on disk), and ``error TEXT`` if it finds something wrong. This process prints
  ``started PID`` and, once the writer has died, ``ended PID STATUS``.
- ``quit``: exit.

Lines are written with one ``os.write`` each, so lines of the two processes never interleave.
Usage: ``python autosave_child.py ROOT`` (POSIX only).
"""

from __future__ import annotations

import os
import random
import sys
import time
from pathlib import Path

from cryptography.hazmat.primitives.ciphers.aead import AESGCM  # noqa: F401  (warm the import)

from itdeclare.storage.records import Draft
from itdeclare.storage.saver import DraftSaver
from itdeclare.storage.state import LocalState

DRAFTS = 2
#: A writer that is never killed stops on its own after this many edits (loops are bounded).
MAX_EDITS = 200_000


def say(line: str) -> None:
    os.write(1, (line + "\n").encode())


def resume(root: Path) -> tuple[LocalState, list[Draft]]:
    state = LocalState(root)
    drafts = state.drafts.list()
    if state.problems:
        say("error " + "; ".join(f"{p.name}: {p.reason} {p.detail}" for p in state.problems))
        os._exit(3)
    drafts += [Draft(step="identity") for _ in range(DRAFTS - len(drafts))]
    return state, drafts


def type_until_killed(root: Path, seed: int) -> None:
    rng = random.Random(seed)
    server = os.getppid()
    state, drafts = resume(root)

    def report(saved: Draft) -> None:
        say(f"saved {saved.id} {saved.revision} {saved.declaration['edits']}")

    saver = DraftSaver(state.drafts, delay=0.001, max_wait=0.003, on_saved=report)
    for _ in range(MAX_EDITS):
        if os.getppid() != server:
            return  # the fork server is gone (the test was interrupted): stop typing
        draft = rng.choice(drafts)
        draft.declaration["edits"] = draft.declaration.get("edits", 0) + 1
        # Records of varied length, so kills land in writes of every size.
        draft.declaration["address"] = "路" * rng.randrange(0, 4000)
        draft.focus = f"field-{draft.declaration['edits'] % 7}"
        saver.schedule(draft)
        time.sleep(rng.random() * 0.001)
    say("error the writer was never killed")


def serve(root: Path) -> None:
    for command in sys.stdin:
        verb, _, argument = command.strip().partition(" ")
        if verb != "run":
            return
        pid = os.fork()
        if pid == 0:
            try:
                type_until_killed(root, int(argument))
            finally:
                os._exit(4)  # reached only if the writer was not killed: the test reports it
        say(f"started {pid}")
        _, status = os.waitpid(pid, 0)
        say(f"ended {pid} {status}")


if __name__ == "__main__":
    serve(Path(sys.argv[1]))
