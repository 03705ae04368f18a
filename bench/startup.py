"""Traveller app benchmark: start-up time, and keystroke-to-message latency in the wizard.

Figures, each measured in this run:

- seconds from process start to the home screen ready: the first frame rendered with the
  people and drafts (four people, a family) read from the encrypted store, headless, built as
  ``itdeclare`` builds it (settings from every source, the embedded backend wired), against a
  trivial Textual app (one label) timed to its own first frame: the ratio is what the app
  costs on top of Textual itself (goal ≤ 1.5). The key is in a file here, as on machines
  without a desktop keyring; the same with the list read in a thread (as when the key is in
  the OS keyring, which may prompt) is reported beside it;
- the trivial app that also loads the settings and the domain models (pydantic, which the
  app loads only when a declaration is opened): the ratio to it shows what was kept off the
  start-up path;
- seconds until the embedded backend listens (it starts in a thread once the list is shown);
- milliseconds from a keystroke to its validation message on screen, on the largest step (the
  itinerary with four flights, a flight number checked as typed), p50 and p95 (goal p95 < 30).

Every child may cache its bytecode (``PYTHONDONTWRITEBYTECODE`` is cleared for them), as an
installed program does: the first, unmeasured start of each kind writes the caches.
Bounded: a fixed number of start-ups and keystrokes. The last line is one JSON object.
Usage: ``uv run python bench/startup.py``.
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

STARTS, KEYSTROKES, BACKEND_STARTS = 9, 120, 3
FLIGHT = "itinerary.3.flight"


# --- children: one start-up each, timed by the parent --------------------------------------


def _child_baseline() -> None:
    from textual.app import App, ComposeResult
    from textual.widgets import Label

    class Trivial(App[None]):
        def compose(self) -> ComposeResult:
            yield Label("ready")

    app = Trivial()
    app.run(headless=True, auto_pilot=_ready_on_first_frame(app, lambda: True))


def _child_floor() -> None:
    from itdeclare.config import load_settings
    from itdeclare.models import Declaration  # pydantic and the domain models

    load_settings(language="en")
    assert Declaration.model_fields
    _child_baseline()


def _traveller_app(*, keyring_path: bool = False) -> Any:
    """The app as ``itdeclare`` builds it: settings from every source, the embedded backend.
    ``keyring_path``: read the list as when the key is in the OS keyring (in a thread, so the
    first frame shows "loading" and the list comes after)."""
    import itdeclare.cli  # noqa: F401 - what the command imports before the app
    from itdeclare.app import TravellerApp
    from itdeclare.config import load_settings
    from itdeclare.journey.connection import Connection
    from itdeclare.storage.state import LocalState

    if keyring_path:
        LocalState.opens_at_once = property(lambda self: False)  # type: ignore[assignment,method-assign]
    return TravellerApp(load_settings(language="en"), connection=Connection)


def _run(app: Any, shown: Callable[[], bool]) -> None:
    try:
        app.run(headless=True, auto_pilot=_ready_on_first_frame(app, shown))
    finally:
        app.context.connection.stop()


def _people_shown(app: Any) -> Callable[[], bool]:
    from itdeclare.screens.home import HomeScreen

    return lambda: isinstance(app.screen, HomeScreen) and app.screen.data is not None


def _child_app() -> None:
    app = _traveller_app()
    _run(app, _people_shown(app))


def _child_app_keyring() -> None:
    app = _traveller_app(keyring_path=True)
    _run(app, _people_shown(app))


def _child_backend() -> None:
    """Until the embedded backend listens: the app's first second or two, after the list."""
    app = _traveller_app()

    async def until_started(pilot: Any) -> None:
        deadline = time.perf_counter() + 60
        while not app.context.connection.started and time.perf_counter() < deadline:
            await asyncio.sleep(0.005)
        print("ready" if app.context.connection.started else "not started", flush=True)
        pilot.app.exit()

    try:
        app.run(headless=True, auto_pilot=until_started)
    finally:
        app.context.connection.stop()


CHILDREN: dict[str, Callable[[], None]] = {
    "baseline": _child_baseline,
    "floor": _child_floor,
    "app": _child_app,
    "app-keyring": _child_app_keyring,
    "backend": _child_backend,
}


def _ready_on_first_frame(app: Any, shown: Callable[[], bool]) -> Any:
    """Print "ready" as the first frame is rendered in which ``shown()`` holds, then quit.

    Checked at each frame rather than by polling: the line goes out with the frame itself.
    (Not ``pilot.pause()``, which waits until the whole process is idle, while the app starts
    its embedded backend in a thread once the list is painted.)
    """
    display = app._display
    ready = asyncio.Event()

    def timed_display(screen: Any, renderable: Any) -> None:
        display(screen, renderable)
        if renderable is not None and not app._batch_count and shown() and not ready.is_set():
            print("ready", flush=True)
            ready.set()

    app._display = timed_display

    async def quit_when_ready(pilot: Any) -> None:
        await asyncio.wait_for(ready.wait(), 30)
        pilot.app.exit()

    return quit_when_ready


def start_up(kind: str, env: dict[str, str]) -> float:
    """Seconds from spawning the process to its "ready" line."""
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, __file__, "--child", kind], stdout=subprocess.PIPE, env=env, text=True
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    elapsed = time.perf_counter() - start
    process.wait(60)
    if line.strip() != "ready":
        raise SystemExit(f"the {kind} child did not start: {line!r}")
    return elapsed


# --- keystroke latency, in this process ------------------------------------------------------


def _four_flights() -> dict[str, Any]:
    from tests.tui.seeds import complete_form

    legs = [
        ("UA857", "SFO", "NRT"),
        ("NH7", "NRT", "ICN"),
        ("KE1", "ICN", "HND"),
        ("MU524", "HND", "PVG"),
    ]
    form = complete_form()
    form["itinerary"] = [
        {
            "flight": flight,
            "from": origin,
            "to": destination,
            "departs_at": f"2026-11-{27 + i} 11:00",
            "arrives_at": f"2026-11-{27 + i} 15:00",
        }
        for i, (flight, origin, destination) in enumerate(legs)
    ]
    return form


async def keystroke_latencies() -> list[float]:
    from datetime import UTC, datetime

    from textual import events

    from itdeclare.app import TravellerApp
    from itdeclare.config import Settings
    from itdeclare.journey.form import field_id
    from itdeclare.widgets.form.field import FormField
    from tests.tui.seeds import seed

    seed(_four_flights(), step="itinerary", focus=field_id(FLIGHT))
    app = TravellerApp(Settings(language="en"), clock=lambda: datetime(2026, 11, 30, tzinfo=UTC))
    painted: list[float] = []
    display = app._display

    def timed_display(*args: Any, **kwargs: Any) -> None:
        display(*args, **kwargs)
        painted.append(time.perf_counter())

    app._display = timed_display  # type: ignore[method-assign]
    latencies = []
    async with app.run_test(size=(100, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        field = next(f for f in app.screen.query(FormField) if f.loc == FLIGHT)
        await pilot.press("end")
        await pilot.pause()
        for index in range(KEYSTROKES):
            key, wrong = ("exclamation_mark", True) if index % 2 == 0 else ("backspace", False)
            start = time.perf_counter()
            app._driver.send_message(events.Key(key, "!" if wrong else None))  # type: ignore[union-attr]
            await _until(lambda wrong=wrong: field.has_problem is wrong)
            shown = time.perf_counter()
            await _until(lambda shown=shown: bool(painted) and painted[-1] >= shown)
            latencies.append((painted[-1] - start) * 1000)
            await pilot.pause()
    return latencies


async def _until(condition: Callable[[], bool], within: float = 5.0) -> None:
    """Yield to the app until ``condition`` holds (bounded: a hang fails the bench)."""
    deadline = time.perf_counter() + within
    while not condition():
        if time.perf_counter() > deadline:
            raise SystemExit("the app did not show the message within 5 s")
        await asyncio.sleep(0)


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def _more_people() -> None:
    """Three more people with drafts beside the one the keystroke run leaves: a family."""
    from itdeclare.models import Relationship
    from tests.tui.seeds import seed

    for relationship in (Relationship.PARENT, Relationship.PARENT, Relationship.CHILD):
        seed(relationship=relationship)


def main() -> None:
    with tempfile.TemporaryDirectory() as home:
        env = {
            **os.environ,
            "ITDECLARE_DATA_DIR": f"{home}/data",
            "ITDECLARE_CONFIG_DIR": f"{home}/config",
            "ITDECLARE_STATE_DIR": f"{home}/state",
            "ITDECLARE_CONFIG": f"{home}/config/config.toml",
            "ITDECLARE_KEY_STORE": "file",
        }
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        os.environ.update(env)
        latencies = asyncio.run(keystroke_latencies())  # also leaves a person and a draft
        _more_people()
        times: dict[str, list[float]] = {k: [] for k in ("baseline", "floor", "app", "app-keyring")}
        for kind in [*times, "backend"]:
            start_up(kind, env)  # warm the disk cache and the bytecode
        for _ in range(STARTS):
            for kind, measured in times.items():
                measured.append(start_up(kind, env))
        backend_s = statistics.median(start_up("backend", env) for _ in range(BACKEND_STARTS))
    medians = {kind: statistics.median(measured) for kind, measured in times.items()}
    report(medians, backend_s, latencies)


def report(medians: dict[str, float], backend_s: float, latencies: list[float]) -> None:
    app_s, baseline_s, floor_s = medians["app"], medians["baseline"], medians["floor"]
    keyring_s = medians["app-keyring"]
    ratio = app_s / baseline_s
    p50_ms, p95_ms = statistics.median(latencies), p95(latencies)
    print(f"start-up to home ready (4 people with drafts): {app_s:.3f} s (median of {STARTS})")
    print(f"trivial Textual app:    {baseline_s:.3f} s")
    print(f"ratio:                  {ratio:.2f} (goal <= 1.5)")
    print(
        f"the same, the key in the OS keyring (list read in a thread): {keyring_s:.3f} s, "
        f"ratio {keyring_s / baseline_s:.2f}"
    )
    print(f"the trivial app with itdeclare's settings and models loaded: {floor_s:.3f} s")
    print(f"ratio to that:          {app_s / floor_s:.2f}")
    print(f"until the embedded backend listens (after the list): {backend_s:.3f} s")
    print(f"keystroke to message, itinerary of 4 flights: p50 {p50_ms:.1f} ms, p95 {p95_ms:.1f} ms")
    print(f"  ({KEYSTROKES} keystrokes; goal p95 < 30 ms)")
    figures = {
        "startup_s": round(app_s, 4),
        "baseline_s": round(baseline_s, 4),
        "ratio": round(ratio, 3),
        "keyring_path_s": round(keyring_s, 4),
        "keyring_path_ratio": round(keyring_s / baseline_s, 3),
        "floor_s": round(floor_s, 4),
        "ratio_to_floor": round(app_s / floor_s, 3),
        "backend_listening_s": round(backend_s, 4),
        "keystroke_p50_ms": round(p50_ms, 2),
        "keystroke_p95_ms": round(p95_ms, 2),
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        CHILDREN[sys.argv[2]]()
    else:
        main()
