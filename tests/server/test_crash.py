"""SIGKILL in the middle of a submission load loses no declaration that was answered 201.

The server runs as ``itdeclare serve`` in its own process group (one worker, then two), is
killed without warning while clients submit, and is started again on the same database: every
declaration it confirmed must be there, and the queue's tallies must still add up.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from itdeclare.server.db import Database
from itdeclare.server.runtime import bind
from tests.server import documents
from tests.server.conftest import (
    DATABASES,
    Traveller,
    fresh_database,
    queue_tallies_agree,
    sign_in,
)

CLIENTS = 6
MAX_PER_CLIENT = 300  # a bound; the kill comes long before


def _free_port() -> int:
    with bind() as sock:
        return int(sock.getsockname()[1])


@contextmanager
def serving(
    url: str, data_dir: Path, workers: int
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    port = _free_port()
    env = {
        **os.environ,
        "ITDECLARE_DATA_DIR": str(data_dir),
        "ITDECLARE_BACKEND__CODES_PER_ADDRESS_PER_HOUR": "100000",
        # each submission files for a new person: the usual cap of 12 would end a client first
        "ITDECLARE_BACKEND__PERSONS_PER_ACCOUNT": str(MAX_PER_CLIENT + 1),
        "ITDECLARE_BACKEND__SUBMISSIONS_PER_ACCOUNT_PER_HOUR": str(MAX_PER_CLIENT + 1),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "itdeclare", "serve", "--dev", "--database-url", url,
         "--port", str(port), "--workers", str(workers)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, process)
        yield base, process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)


def _wait_until_up(base: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, "the server exited"
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.1)
    raise AssertionError("the server did not come up")


def _submit_until_failure(traveller: Traveller, confirmed: list[str]) -> None:
    for _ in range(MAX_PER_CLIENT):
        try:
            answer = traveller.submit(declaration=documents.declaration())
        except httpx.TransportError:
            return
        if answer.status_code == 201:
            confirmed.append(answer.json()["id"])


@pytest.mark.slow
@pytest.mark.parametrize("workers", [1, 2])
@pytest.mark.parametrize("kind", DATABASES)
def test_sigkill_loses_no_confirmed_declaration(kind: str, workers: int, tmp_path: Path) -> None:
    with fresh_database(kind, tmp_path) as url:
        confirmed: list[str] = []
        with serving(url, tmp_path, workers) as (base, process):
            clients = [httpx.Client(base_url=base, timeout=10) for _ in range(CLIENTS)]
            travellers = [sign_in(client) for client in clients]
            for traveller in travellers:
                traveller.add_person()
            threads = [
                threading.Thread(target=_submit_until_failure, args=(t, confirmed))
                for t in travellers
            ]
            for thread in threads:
                thread.start()
            while len(confirmed) < 40:
                time.sleep(0.01)
            os.killpg(process.pid, signal.SIGKILL)
            for thread in threads:
                thread.join(timeout=60)
            for client in clients:
                client.close()
        assert len(confirmed) >= 40

        with serving(url, tmp_path, 1) as (base, _):
            owned = set()
            for traveller in travellers:
                with httpx.Client(base_url=base, timeout=10) as client:
                    traveller.http = client
                    owned |= {
                        d["id"] for d in traveller.get("/api/v1/declarations").json()["items"]
                    }
            assert set(confirmed) <= owned
        _tallies_add_up(url)


def _tallies_add_up(url: str) -> None:
    database = Database(url)
    try:
        queue_tallies_agree(database)
    finally:
        database.dispose()
