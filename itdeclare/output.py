"""A command's output on standard output: written whole, or told why not in one line.

Every command that prints its result does so within ``writing()``; the command line answers
``OutputFailed`` with its message and exit status 2. A full disk or a closed output is then a
sentence in the user's words, not a traceback, nor an exit status that means something else.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from itdeclare import i18n


class OutputFailed(Exception):
    """Standard output could not be written; the message says why (exit status 2)."""


@contextmanager
def writing() -> Iterator[None]:
    """Standard output written to within, and flushed at the end. A write that fails (a full
    disk, a device error, output closed) is told in one line, exit 2 (``OutputFailed``, which
    every command's run answers): not a traceback, nor an exit status that means something
    else. A reader gone (BrokenPipeError) is left to the run, which ends as SIGPIPE would."""
    if sys.stdout is None:  # started with standard output closed: print would drop it all
        raise OutputFailed(_cannot_write(i18n.t("cli.reason_closed")))
    try:
        yield
        sys.stdout.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        discard_output()
        raise OutputFailed(_cannot_write(i18n.file_reason(exc, writing=True))) from None


def _cannot_write(reason: str) -> str:
    return i18n.t("cli.cannot_write", reason=reason)


def discard_output() -> None:
    """Point standard output at the null device, once writing to it has failed (its reader is
    gone, its disk is full): what is still buffered for it is flushed at exit, and that would
    fail again, with a traceback."""
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, sys.stdout.fileno())
    os.close(null)
