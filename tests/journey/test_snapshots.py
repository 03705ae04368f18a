"""The journey's screens in Chinese and English: status, the green code (wide, too small,
revoked), the supplement screen and the re-declaration dialog, from recorded backend answers.

The answers were recorded from the real backend along one journey (``tests/journey/record.py``)
and are served back with the clock set to the moment they were recorded, so every run shows
the same screens. Update with ``uv run pytest tests/journey/test_snapshots.py
--snapshot-update`` only after reading ``snapshot_report.html``; CJK text looks squeezed in
some SVG viewers (rich#2742), the cells are right.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from textual.pilot import Pilot

from tests.journey.conftest import settle, until
from tests.journey.recorded_app import recorded_app

#: Screen → (stage of the journey, keys pressed from home, what to wait for).
SCREENS: dict[str, tuple[str, tuple[str, ...], str]] = {
    "home": ("pending", (), "home"),
    "status-pending": ("pending", ("enter",), "status"),
    "status-supplement": ("supplement", ("enter",), "status"),
    "status-redeclared": ("revoked", ("enter",), "status"),
    "supplement": ("supplement", ("enter", "s"), "supplement"),
    "redeclare": ("approved", ("enter", "r"), "redeclare"),
    "code": ("approved", ("g",), "certificate"),
    "code-revoked": ("revoked", ("g",), "certificate"),
}
SIZES = {"80x24": (80, 24), "120x60": (120, 60)}


def _before(keys: tuple[str, ...], shown: str) -> Callable[[Pilot[Any]], Awaitable[None]]:
    async def run_before(pilot: Pilot[Any]) -> None:
        app = pilot.app
        await until(pilot, lambda: getattr(app.screen, "data", None) is not None)
        connection = app.context.connection
        await until(pilot, lambda: bool(connection.snapshot.summaries))
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        await until(pilot, lambda: app.screen.id == shown)
        if shown == "status":
            await until(pilot, lambda: app.screen.detail is not None)
        if shown == "certificate":
            await until(pilot, lambda: app.screen.lines is not None)
        await settle(pilot)

    return run_before


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize("screen", SCREENS)
def test_screen(snap_compare: Callable[..., bool], screen: str, language: str, size: str) -> None:
    stage, keys, shown = SCREENS[screen]
    app = recorded_app(stage, language)
    assert snap_compare(app, terminal_size=SIZES[size], run_before=_before(keys, shown))


@pytest.mark.parametrize("language", ["en", "zh"])
def test_code_in_a_120_by_40_window(snap_compare: Callable[..., bool], language: str) -> None:
    """The green code takes the whole window: a version-14 code with its lines beside it."""
    app = recorded_app("approved", language)
    assert snap_compare(app, terminal_size=(120, 40), run_before=_before(("g",), "certificate"))
