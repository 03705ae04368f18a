"""What every screen of the console does alike."""

from __future__ import annotations

from textual.screen import Screen
from textual.worker import Worker, WorkerState

from itdeclare.widgets.review.messages import WorkerFailed


class ConsoleScreen(Screen[None]):
    """A screen whose workers' unforeseen failures reach the app (``Worker.StateChanged`` does
    not bubble), which tells the reviewer instead of ending with a traceback."""

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR:
            self.post_message(WorkerFailed(event.worker.name, event.worker.error))
