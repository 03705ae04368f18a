"""The one place a background task's unexpected failure is told to the user.

Workers catch and explain the failures they expect (a disk that refuses a write). Anything else
ends the worker in the ERROR state; the screen that started it hands the event here, and the
user reads what happened in their language instead of the app dying with a traceback.
"""

from __future__ import annotations

from textual.dom import DOMNode
from textual.worker import Worker, WorkerState

from itdeclare.wording import tr


def tell_failure(node: DOMNode, event: Worker.StateChanged) -> None:
    if event.state is WorkerState.ERROR:
        tell_error(node, event.worker.error, event.worker.name)


def tell_error(node: DOMNode, error: BaseException | None, what: str = "") -> None:
    """An unexpected failure (a worker's, or of work done in the interface's thread): its type
    and message, or ``what`` failed when there is no error to name."""
    reason = f"{type(error).__name__}: {error}" if error else what
    node.app.notify(tr("app.failed", reason=reason), severity="error", timeout=15)
