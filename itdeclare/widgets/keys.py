"""Keys typed right after Esc (or Tab, Enter: any key a binding acts on) go where it went.

Textual hands each key to the widget that has the focus when the app reads it. A binding runs
later, when its key has come back up to the app, and what it does (closing a list or a
screen, moving on) moves the focus later still. Keys typed behind it had by then been handed
to the list or screen being closed, and were lost. So the app holds them back until the
binding has been acted on, and reads them again then; a screen that closes only once some
work is done (the wizard writes the draft first) holds them until it has closed.
"""

from __future__ import annotations

from textual import events
from textual.app import App
from textual.timer import Timer

#: Seconds at most that keys wait behind a bound key (if a widget stops it on its way up).
HOLD_AT_MOST = 0.3
#: Seconds at most that keys wait for a screen to close.
CLOSING_AT_MOST = 3.0


class KeysAfterEscape(App[int]):
    """An app whose keys typed behind a bound key wait for its binding to be done."""

    _held: list[events.Key] | None = None
    _holds = 0
    _awaited: events.Key | None = None
    _hold_ends: Timer | None = None

    def hold_keys(self, at_most: float = HOLD_AT_MOST) -> None:
        """Keep the keys typed from now on until :meth:`release_keys` (or ``at_most``)."""
        if self._held is None:
            self._held = []
        self._holds += 1
        if self._hold_ends is not None:
            self._hold_ends.stop()
        self._hold_ends = self.set_timer(at_most, self._let_go)

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
