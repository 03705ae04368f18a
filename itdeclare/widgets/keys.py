"""Keys typed right after Esc (or Tab, Enter: any key a binding acts on) go where it went.

Textual hands each key to the widget that has the focus when the app reads it. A binding runs
later, when its key has come back up to the app, and what it does (closing a list or a
screen, moving on) moves the focus later still. Keys typed behind it had by then been handed
to the list or screen being closed, and were lost. So the app holds them back until the
binding has been acted on, and reads them again then; a screen that closes only once some
work is done (the wizard writes the draft first) holds them until it has closed.
"""

from __future__ import annotations

from time import monotonic

from textual import events
from textual.app import App
from textual.timer import Timer

#: Seconds that keys wait behind a bound key that a widget stopped on its way up (its binding
#: will not run, and nothing else would let them go).
HOLD_AT_MOST = 0.3
#: Seconds at most that keys wait for a screen to close, or for a bound key that is still on
#: its way up (a busy machine can take longer than HOLD_AT_MOST to get it there).
CLOSING_AT_MOST = 3.0


class KeysAfterEscape(App[int]):
    """An app whose keys typed behind a bound key wait for its binding to be done."""

    _held: list[events.Key] | None = None
    _holds = 0
    _awaited: events.Key | None = None
    _hold_ends: Timer | None = None
    _hold_deadline = 0.0

    def hold_keys(self, at_most: float | None = None) -> None:
        """Keep the keys typed from now on until :meth:`release_keys` (or ``at_most``
        seconds, :data:`HOLD_AT_MOST` when not given)."""
        if self._held is None:
            self._held = []
        self._holds += 1
        self._hold_deadline = monotonic() + CLOSING_AT_MOST
        self._wait_at_most(HOLD_AT_MOST if at_most is None else at_most)

    def _wait_at_most(self, seconds: float) -> None:
        if self._hold_ends is not None:
            self._hold_ends.stop()
        self._hold_ends = self.set_timer(seconds, self._hold_expired)

    def _hold_expired(self) -> None:
        """The hold's time is up. A bound key that no widget has stopped is only late (it has
        not come up to the app yet): its keys wait on for it, up to CLOSING_AT_MOST in all.
        (Textual keeps a stopped event's state in ``_stop_propagation``; were it gone, the
        keys would go now, as before.)"""
        awaited = self._awaited
        late = awaited is not None and not getattr(awaited, "_stop_propagation", True)
        if late and monotonic() < self._hold_deadline:
            self._wait_at_most(HOLD_AT_MOST)
            return
        self._let_go()

    def release_keys(self) -> None:
        """One hold is over; the keys go once all are, after what was asked for until now
        (a focus to set, a screen to show)."""
        self._holds -= 1
        if self._holds <= 0:
            self.call_later(self._let_go)

    def _let_go(self) -> None:
        if self._hold_ends is not None:
            self._hold_ends.stop()
            self._hold_ends = None
        self._holds, self._awaited = 0, None
        held, self._held = self._held, None
        for key in held or ():
            self.post_message(key)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded:
            if self._held is not None:
                self._held.append(event)
                return
            if self._takes(event.key):
                self._awaited = event
                self.hold_keys()
        await super().on_event(event)

    def _takes(self, key: str) -> bool:
        """Whether a binding will act on ``key`` once it has come back up to the app (a
        priority binding acts at once)."""
        active = self.active_bindings.get(key)
        return active is not None and not active.binding.priority

    async def _on_key(self, event: events.Key) -> None:
        # Textual calls each class's _on_key in turn: App's is called here, once, so that
        # the release comes after the key's binding has run.
        event.prevent_default()
        await super()._on_key(event)
        if event is self._awaited:
            self._awaited = None
            self.release_keys()


def hold_keys_while_closing(app: App[object]) -> None:
    """Keys typed from now on wait until :func:`closed` (a screen closing after some work)."""
    if isinstance(app, KeysAfterEscape):
        app.hold_keys(CLOSING_AT_MOST)


def closed(app: App[object]) -> None:
    if isinstance(app, KeysAfterEscape):
        app.release_keys()
