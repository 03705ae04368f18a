"""The one place a background task's unexpected failure is told to the user.

Workers catch and explain the failures they expect (a disk that refuses a write). Anything else
ends the worker in the ERROR state; the screen that started it hands the event here, and the
user reads what happened in their language instead of the app dying with a traceback.
"""

from __future__ import annotations

from textual.dom import DOMNode
from textual.worker import Worker, WorkerState

from itdeclare.widgets.text import tr


def tell_failure(node: DOMNode, event: Worker.StateChanged) -> None:
    if event.state is not WorkerState.ERROR:
        return
    error = event.worker.error
    tell_unexpected(node, f"{type(error).__name__}: {error}" if error else event.worker.name)


def tell_error(node: DOMNode, error: Exception) -> None:
    """An unexpected failure of work done in the interface's thread, told as a worker's is."""
    tell_unexpected(node, f"{type(error).__name__}: {error}")


def tell_unexpected(node: DOMNode, reason: str) -> None:
    node.app.notify(tr("app.failed", reason=reason), severity="error", timeout=15)
