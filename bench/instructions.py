"""Start-up in instructions: what the traveller app executes until its first screen, beside a
trivial Textual app, counted by valgrind (callgrind) rather than timed.

``bench/terminal.py`` times the start as a person sees it; on a shared machine one start
varies by a third from the next, so a change of a few milliseconds is lost in the noise. The
count of instructions the process (every thread) executes from its start until the frame
holding the home list is written to the terminal varies by less than 0.1 % from one run to
the next: it shows what a change saves, and where (``--stop`` ends a start at an earlier
step). Each child runs ``itdeclare``'s entry point (or the trivial app of
``bench/terminal.py``) in tmux at 120×40, as there, on the same seeded data; it ends itself
as soon as that frame is written. Under valgrind a start takes a minute or so.

Bounded: one start per kind (the count does not vary). The last line is one JSON object.
Usage: ``uv run python bench/instructions.py [--compare CHECKOUT]`` (needs tmux and valgrind).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent

#: The steps a start may be ended at (``--stop``): the imports done, ``App.run`` called, or
#: the first screen written.
STOPS = ("imports", "run", "frame")
#: valgrind's summary line, on the terminal the child leaves behind.
COLLECTED = r"Collected : ([\d,]+)"


def _child(kind: str, stop: str, marker: str) -> None:
    """Run ``kind`` and end the process at ``stop`` (``marker`` is on its first screen)."""
    from textual.app import App
    from textual.drivers.linux_driver import LinuxDriver

    write = LinuxDriver.write

    def write_and_stop(driver: LinuxDriver, data: str) -> None:
        write(driver, data)
        if marker in data:  # the frame that shows it
            driver.flush()
            os._exit(0)

    LinuxDriver.write = write_and_stop  # type: ignore[method-assign]
    if kind == "local":
        from itdeclare import app, cli  # noqa: F401  (what the entry point imports first)
    if stop == "imports":
        os._exit(0)
    if stop == "run":
        App.run = lambda *args, **kwargs: os._exit(0)  # type: ignore[method-assign]
    if kind == "local":
        sys.exit(cli.main(["--lang", "en"]))
    sys.path.insert(0, str(BENCH))  # only now: the package of ``--compare`` comes first
    from trivial_app import Trivial

    Trivial().run()


def instructions(term: Any, kind: str, stop: str, env: dict[str, str]) -> int:
    """Instructions ``kind`` executes until ``stop``."""
    import re

    from terminal import HOME_MARKER, TRIVIAL_MARKER

    marker = HOME_MARKER if kind == "local" else TRIVIAL_MARKER
    child = [sys.executable, __file__, "--child", kind, "frame", marker]
    # a start not counted first, as in bench/terminal.py: it writes the bytecode of whatever
    # changed, whose compiling would otherwise be counted
    with term.run(child, env) as (session, _):
        _wait_ended(term, session)
    child[4] = stop
    command = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *child]
    with term.run(command, env) as (session, started):
        term.wait_for(session, "Collected :", started)
        found = re.search(COLLECTED, term.screen(session))
    assert found is not None
    count = int(found.group(1).replace(",", ""))
    print(f"  {kind} until {stop}: {count / 1e6:,.1f} M instructions", flush=True)
    return count


def _wait_ended(term: Any, session: str) -> None:
    """Until the command of ``session`` has ended (the terminal it leaves shows no sign)."""
    import time

    deadline = time.monotonic() + 60
    while term.tmux("display-message", "-p", "-t", session, "#{pane_dead}").strip() != "1":
        if time.monotonic() > deadline:
            raise SystemExit(f"{session} did not end: {term.screen(session)!r}")
        time.sleep(0.05)


def main() -> None:
    # imported here: each child runs this file too, and must import no more than its app
    import argparse
    import json
    import shutil
    import tempfile

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--compare", type=Path, metavar="CHECKOUT",
                        help="also count another checkout's package ('local_before')")  # fmt: skip
    parser.add_argument("--stop", choices=STOPS, default="frame")
    args = parser.parse_args()
    sys.path.insert(0, str(BENCH))
    from terminal import Terminal, _seed

    for tool in ("tmux", "valgrind"):
        if shutil.which(tool) is None:
            raise SystemExit(f"this benchmark needs {tool}")
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
            counts = {
                kind: instructions(term, kind, args.stop, env) for kind in ("local", "trivial")
            }
            if args.compare is not None:
                other = {**env, "PYTHONPATH": str(args.compare.resolve())}
                counts["local_before"] = instructions(term, "local", args.stop, other)
        finally:
            term.close()
    ratio = counts["local"] / counts["trivial"]
    print(f"ratio until {args.stop}: {ratio:.3f}")
    if "local_before" in counts:
        print(f"the other checkout: {counts['local_before'] / counts['trivial']:.3f}")
    print(json.dumps({"stop": args.stop, "instructions": counts, "ratio": round(ratio, 3)}))


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        _child(*sys.argv[2:5])
    else:
        main()
