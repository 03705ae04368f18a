"""Ctrl-C ends every ``itdeclare`` command with 130 and no traceback (DESIGN.md §4.1,
docs/certificate.md), whenever it comes: while the command starts (importing its module, its
settings) as well as while it runs, and for ``serve`` after uvicorn's clean shutdown."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from itdeclare import cli

#: Runs ``itdeclare`` with ARGV, sending itself SIGINT (a real signal, as Ctrl-C sends) the
#: moment it looks for MODULE to import: a point in its start-up hit every run, not by timing.
_INTERRUPTED_AT_IMPORT = """
import os, signal, sys
from itdeclare.cli import main
module, argv = sys.argv[1], sys.argv[2:]
sent = []
class Interrupt:
    def find_spec(self, name, path, target=None):
        if name == module and not sent:
            sent.append(name)
            os.kill(os.getpid(), signal.SIGINT)
        return None  # the usual finders find it
sys.meta_path.insert(0, Interrupt())
status = main(argv)
assert sent, "the command never imported " + module
raise SystemExit(status)
"""


@pytest.mark.parametrize(
    ("module", "argv"),
    [
        ("itdeclare.config", ["verify", "--jsonl", "-"]),  # reading the settings
        ("itdeclare.verify_cli", ["verify", "--jsonl", "-"]),  # importing the command
        ("itdeclare.plan_cli", ["plan", "declaration.json"]),
    ],
)
def test_ctrl_c_while_a_command_starts_ends_it_with_130(
    module: str, argv: list[str], tmp_path: Path
) -> None:
    environment = {**os.environ, "ITDECLARE_DATA_DIR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", _INTERRUPTED_AT_IMPORT, module, *argv],
        input=b"",
        capture_output=True,
        env=environment,
        cwd=tmp_path,
        timeout=60,
        check=False,
    )
    assert (done.returncode, done.stderr) == (cli.EXIT_INTERRUPTED, b"\n")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_until_up(url: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert server.poll() is None, "the server exited"
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.1)
    raise AssertionError("the server did not come up")


@pytest.mark.parametrize(("workers", "stop", "status"), [
    (1, signal.SIGINT, cli.EXIT_INTERRUPTED),
    (2, signal.SIGINT, cli.EXIT_INTERRUPTED),
    (2, signal.SIGTERM, cli.EXIT_OK),
])  # fmt: skip
def test_ctrl_c_stops_serve_cleanly_with_130(
    tmp_path: Path, workers: int, stop: signal.Signals, status: int
) -> None:
    """uvicorn takes SIGINT itself and shuts down cleanly, one worker or several; the command
    then ends as every command does on Ctrl-C. SIGTERM is an orderly stop: 0."""
    port = _free_port()
    environment = {**os.environ, "ITDECLARE_DATA_DIR": str(tmp_path)}
    log = tmp_path / "serve.log"
    command = [sys.executable, "-m", "itdeclare", "serve", "--dev", "--port", str(port),
               "--workers", str(workers)]  # fmt: skip
    with (
        log.open("wb") as errors,
        subprocess.Popen(command, env=environment, stderr=errors) as server,
    ):
        try:
            _wait_until_up(f"http://127.0.0.1:{port}", server)
            server.send_signal(stop)
            ended = server.wait(timeout=60)
        finally:
            if server.poll() is None:
                server.kill()
    text = log.read_text("utf-8")
    assert ended == status
    assert "Application shutdown complete" in text and "Traceback" not in text
