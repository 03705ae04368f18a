"""The traveller app as a person meets it: the installed command in a real terminal (tmux, 120×40).

Figures, each measured in this run:

- seconds from launching the command until its first screen is on the terminal (the home screen
  listing four people with drafts; tmux's own copy of the screen is read every few
  milliseconds), against a trivial Textual app (header, label, footer) run the same way, with
  the bytecode of everything cached; the ratio is the goal (≤ 1.2);
- the same for a first start: right after ``uv sync`` installed the package afresh (its
  bytecode deleted first; the install writes it, see ``hatch_build.py``, as it writes the
  dependencies', see ``compile-bytecode`` in pyproject.toml), and with no bytecode at all (as
  when it is not written on install), the trivial app likewise;
- memory 3 s after the first screen (and again 5 s later) of every process the command runs,
  PSS and RSS: local mode (the embedded backend included), with ``--server`` (the app alone),
  the trivial app, and ``itdeclare serve --dev`` on its own for comparison.

Every child runs under a tmux server of its own, with its data in a temporary directory.
Bounded: a fixed number of starts, each given at most START_TIMEOUT_S. The last line is one
JSON object. Usage: ``uv run python bench/terminal.py`` (needs tmux).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
sys.path.insert(0, str(ROOT))
sys.path.insert(1, str(BENCH))

#: Rounds of starts: on a shared machine a start's time varies by a third from one to the next,
#: and seven rounds left the median ratio a tenth apart from one run to the next.
STARTS = 15
START_TIMEOUT_S = 60.0
POLL_S = 0.005
MEMORY_AFTER_S = 3.0
SETTLED_AFTER_S = 5.0
HOME_MARKER = "ZHANG SAN"
PACKAGE = ROOT / "itdeclare"

from trivial_app import MARKER as TRIVIAL_MARKER  # noqa: E402

# --- tmux ------------------------------------------------------------------------------------


class Terminal:
    """A tmux server of our own; each command runs in a 120×40 session of it."""

    def __init__(self, env: dict[str, str], home: Path) -> None:
        self.socket = f"itdeclare-bench-{os.getpid()}"
        self.env = env
        self.sessions = 0
        # A command that fails leaves its last screen (its error) to be shown.
        self.config = home / "tmux.conf"
        self.config.write_text("set -g remain-on-exit on\n")
        # A session that lasts: the server would exit with its last session, and a command sent
        # while it exits is lost.
        self.tmux("new-session", "-d", "-s", "keep", "sleep 3600")

    def tmux(self, *args: str) -> str:
        command = ["tmux", "-L", self.socket, "-f", str(self.config), *args]
        done = subprocess.run(command, env=self.env, capture_output=True, text=True, timeout=30)
        return done.stdout

    @contextmanager
    def run(self, command: list[str], env: dict[str, str]) -> Iterator[tuple[str, float]]:
        """Start ``command``; yields the session's name and the moment it was launched."""
        self.sessions += 1
        name = f"s{self.sessions}"
        settings = [arg for key, value in env.items() for arg in ("-e", f"{key}={value}")]
        line = "exec " + " ".join(_quoted(part) for part in command)
        started = time.perf_counter()
        self.tmux("new-session", "-d", "-x", "120", "-y", "40", "-s", name, *settings, line)
        try:
            yield name, started
        finally:
            pid = self.pane_pid(name)
            self.tmux("kill-session", "-t", name)
            _wait_gone(pid)

    def screen(self, session: str) -> str:
        return self.tmux("capture-pane", "-p", "-t", session)

    def pane_pid(self, session: str) -> int:
        return int(self.tmux("display-message", "-p", "-t", session, "#{pane_pid}").strip())

    def wait_for(self, session: str, marker: str, started: float) -> float:
        """Seconds from ``started`` until ``marker`` is on the screen."""
        while marker not in self.screen(session):
            if time.perf_counter() - started > START_TIMEOUT_S:
                shown = "#{pane_dead} #{pane_dead_status} #{pane_start_command}"
                status = self.tmux("display-message", "-p", "-t", session, shown)
                raise SystemExit(
                    f"{marker!r} did not show within {START_TIMEOUT_S:.0f} s ({status.strip()}): "
                    f"{self.screen(session)!r}"
                )
            time.sleep(POLL_S)
        return time.perf_counter() - started

    def close(self) -> None:
        self.tmux("kill-server")


def _wait_gone(pid: int) -> None:
    """Until a stopped command's process has ended: one that is still saving, or finishing the
    import of its backend, would take the processor from the next start measured."""
    deadline = time.monotonic() + START_TIMEOUT_S
    while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
        time.sleep(POLL_S)


def _quoted(part: str) -> str:
    return "'" + part.replace("'", "'\\''") + "'"


# --- memory ----------------------------------------------------------------------------------


def _tree(pid: int) -> list[int]:
    """``pid`` and every process descended from it."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parent = int(stat[stat.rindex(")") + 2 :].split()[1])
            children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children.get(current, []))
    return found


def memory_mib(pid: int) -> dict[str, float]:
    """PSS and RSS of ``pid`` and its descendants, in MiB, and how many processes that is."""
    pss = rss = 0
    processes = 0
    for member in _tree(pid):
        try:
            rollup = Path(f"/proc/{member}/smaps_rollup").read_text()
        except OSError:
            continue
        fields = {line.split(":")[0]: int(line.split()[1]) for line in rollup.splitlines()[1:]}
        pss += fields.get("Pss", 0)
        rss += fields.get("Rss", 0)
        processes += 1
    return {"pss_mib": round(pss / 1024, 1), "rss_mib": round(rss / 1024, 1),
            "processes": processes}  # fmt: skip


# --- the runs --------------------------------------------------------------------------------


def _commands(
    server_url: str, compare: Path | None
) -> dict[str, tuple[list[str], str, dict[str, str]]]:
    """Each kind of start: the command, what shows its first screen, its own environment."""
    itdeclare = str(Path(sys.executable).with_name("itdeclare"))
    commands = {
        "trivial": ([sys.executable, str(BENCH / "trivial_app.py")], TRIVIAL_MARKER, {}),
        "local": ([itdeclare, "--lang", "en"], HOME_MARKER, {}),
        "server": ([itdeclare, "--lang", "en", "--server", server_url], HOME_MARKER, {}),
    }
    if compare is not None:  # the same command, the package taken from the other checkout
        other = {"PYTHONPATH": str(compare)}
        commands["local_before"] = (commands["local"][0], HOME_MARKER, other)
        commands["server_before"] = (commands["server"][0], HOME_MARKER, other)
    return commands


def _no_bytecode(home: Path) -> dict[str, str]:
    """Nothing compiled anywhere: an empty bytecode cache that is not written to."""
    prefix = home / "no-bytecode"
    shutil.rmtree(prefix, ignore_errors=True)
    prefix.mkdir()
    return {"PYTHONPYCACHEPREFIX": str(prefix), "PYTHONDONTWRITEBYTECODE": "1"}


def _install_afresh() -> None:
    """What a clone's first ``uv run itdeclare`` does before starting: the package installed
    (editable) by ``uv sync``, from a tree without its bytecode."""
    for cache in PACKAGE.rglob("__pycache__"):
        shutil.rmtree(cache, ignore_errors=True)
    uv = os.environ.get("UV") or shutil.which("uv")  # uv run names itself in UV
    if uv is None:
        raise SystemExit("uv is needed: run this as `uv run python bench/terminal.py`")
    subprocess.run([uv, "sync", "--frozen", "--inexact", "--quiet", "--reinstall-package",
                    "itdeclare"], cwd=ROOT, check=True, timeout=START_TIMEOUT_S)  # fmt: skip


def start_up(term: Terminal, kind: str, commands: dict[str, Any], env: dict[str, str]) -> float:
    command, marker, own = commands[kind]
    with term.run(command, {**own, **env}) as (session, started):
        elapsed = term.wait_for(session, marker, started)
    print(f"  {kind}{' (no bytecode)' if env else ''}: {elapsed:.3f} s", flush=True)
    return elapsed


def memory(term: Terminal, kind: str, commands: dict[str, Any]) -> dict[str, Any]:
    command, marker, own = commands[kind]
    with term.run(command, own) as (session, started):
        term.wait_for(session, marker, started)
        time.sleep(MEMORY_AFTER_S)
        first = memory_mib(term.pane_pid(session))
        time.sleep(SETTLED_AFTER_S)
        settled = memory_mib(term.pane_pid(session))
    return {**first, "settled_pss_mib": settled["pss_mib"], "settled_rss_mib": settled["rss_mib"]}


@contextmanager
def backend_process(env: dict[str, str], home: Path) -> Iterator[tuple[str, int]]:
    """``itdeclare serve --dev`` on SQLite in ``home``: its URL and process id."""
    from itdeclare.server.runtime import bind

    with bind() as sock:
        port = sock.getsockname()[1]
    itdeclare = str(Path(sys.executable).with_name("itdeclare"))
    child = subprocess.Popen(
        [itdeclare, "serve", "--dev", "--port", str(port)],
        env={**env, "ITDECLARE_DATA_DIR": str(home / "server-data")},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    import httpx

    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            try:
                httpx.get(f"{url}/healthz", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        yield url, child.pid
    finally:
        child.terminate()
        child.wait(timeout=30)


def _seed(env: dict[str, str]) -> None:
    """Four people with drafts, stored as the app stores them, and the embedded backend's
    database as its first start leaves it (made and migrated): every start measured is a later
    one. (The first start of all also loads Alembic to make the tables; a start stopped early
    would leave that to the next one, and the figures would depend on when the bench stops.)"""
    os.environ.update(env)
    from itdeclare.models import Relationship
    from itdeclare.server.config import ServerConfig
    from itdeclare.server.runtime import prepare
    from tests.tui.seeds import seed

    for relationship in (Relationship.SELF, Relationship.PARENT, Relationship.PARENT,
                         Relationship.CHILD):  # fmt: skip
        seed(relationship=relationship)
    prepare(ServerConfig.build(dev=True)).dispose()  # as the embedded backend does


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--compare",
        type=Path,
        metavar="CHECKOUT",
        help="also start the package of another checkout (e.g. an export of the main branch) "
        "with the same Python and dependencies, in the same rounds ('local_before', "
        "'server_before')",
    )
    compare = parser.parse_args().compare
    compare = compare.resolve() if compare else None
    if shutil.which("tmux") is None:
        raise SystemExit("this benchmark needs tmux")
    with tempfile.TemporaryDirectory() as directory:
        home = Path(directory)
        env = {key: value for key, value in os.environ.items() if not key.startswith("PYTHON")}
        env |= {
            "ITDECLARE_DATA_DIR": f"{home}/data",
            "ITDECLARE_CONFIG_DIR": f"{home}/config",
            "ITDECLARE_STATE_DIR": f"{home}/state",
            "ITDECLARE_CONFIG": f"{home}/config/config.toml",
            "ITDECLARE_KEY_STORE": "file",
            "TERM": "xterm-256color",
        }
        _seed(env)
        term = Terminal(env, home)
        try:
            with backend_process(env, home) as (server_url, server_pid):
                figures = measure(term, _commands(server_url, compare), home)
                figures["serve_alone"] = memory_mib(server_pid)
        finally:
            term.close()
    report(figures)


def measure(term: Terminal, commands: dict[str, Any], home: Path) -> dict[str, Any]:
    for kind in commands:
        start_up(term, kind, commands, {})  # write the caches, warm the disk
    cached: dict[str, list[float]] = {kind: [] for kind in commands}
    first: dict[str, list[float]] = {"app_after_sync": [], "app_no_bytecode": [],
                                     "trivial_no_bytecode": []}  # fmt: skip
    for round_ in range(STARTS):
        # Every other round the other way round: no kind always follows the same one.
        kinds = list(cached) if round_ % 2 == 0 else list(reversed(cached))
        for kind in kinds:
            cached[kind].append(start_up(term, kind, commands, {}))
        _install_afresh()
        first["app_after_sync"].append(start_up(term, "local", commands, {}))
        first["app_no_bytecode"].append(start_up(term, "local", commands, _no_bytecode(home)))
        first["trivial_no_bytecode"].append(start_up(term, "trivial", commands, _no_bytecode(home)))
    starts = {**cached, **first}
    medians = {kind: statistics.median(times) for kind, times in starts.items()}
    return {
        "start_s": {kind: round(value, 3) for kind, value in medians.items()},
        "quartiles_s": {
            kind: [round(q, 3) for q in statistics.quantiles(times, n=4)[::2]]
            for kind, times in starts.items()
        },
        "memory": {kind: memory(term, kind, commands) for kind in commands},
    }


def report(figures: dict[str, Any]) -> None:
    start, mem = figures["start_s"], figures["memory"]
    trivial = start["trivial"]
    print(f"first screen, bytecode cached (median of {STARTS}):")
    print(f"  itdeclare (home with 4 people): {start['local']:.3f} s")
    print(f"  trivial Textual app:            {trivial:.3f} s")
    print(f"  ratio:                          {start['local'] / trivial:.2f} (goal <= 1.2)")
    spread = figures["quartiles_s"]
    print(f"  quartiles: itdeclare {spread['local']}, trivial {spread['trivial']}")
    print(f"  itdeclare --server URL:         {start['server']:.3f} s")
    if "local_before" in start:
        before = start["local_before"]
        print(f"  the other checkout: {before:.3f} s, ratio {before / trivial:.2f}; "
              f"--server {start['server_before']:.3f} s")  # fmt: skip
    print("first start:")
    after_sync = start["app_after_sync"]
    print(f"  after uv sync installed the package afresh: {after_sync:.3f} s, "
          f"ratio {after_sync / trivial:.2f} to the cached trivial app")  # fmt: skip
    print(f"  no bytecode at all: {start['app_no_bytecode']:.3f} s (trivial app likewise "
          f"{start['trivial_no_bytecode']:.3f} s)")  # fmt: skip
    print(f"memory {MEMORY_AFTER_S:.0f} s after the first screen (then {SETTLED_AFTER_S:.0f} s "
          "later), all processes:")  # fmt: skip
    labels = {"local": "local mode (app + backend)", "server": "--server (app)",
              "trivial": "trivial app", "local_before": "the other checkout, local mode",
              "server_before": "the other checkout, --server"}  # fmt: skip
    for kind, m in mem.items():
        label = labels[kind]
        print(f"  {label:28} PSS {m['pss_mib']:6.1f} MiB, RSS {m['rss_mib']:6.1f} MiB in "
              f"{m['processes']} process(es); then PSS {m['settled_pss_mib']:.1f} MiB")  # fmt: skip
    alone = figures["serve_alone"]
    print(f"  itdeclare serve --dev alone  PSS {alone['pss_mib']:6.1f} MiB, "
          f"RSS {alone['rss_mib']:6.1f} MiB")  # fmt: skip
    print(json.dumps({**figures, "ratio": round(start["local"] / trivial, 3)}))


if __name__ == "__main__":
    main()
