"""``itdeclare serve`` keeps what it made before serving out of the garbage collector's passes:
a full pass over it held every request up for 100 ms (``itdeclare.server.app.serving``)."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI

from itdeclare import cli
from itdeclare.server import embedded
from itdeclare.server.app import CONFIG_ENV, app_from_environment
from itdeclare.server.config import ServerConfig, sqlite_url


@pytest.fixture
def thawed_after() -> Iterator[None]:
    """The test's process gets its collector back as it was."""
    yield
    gc.unfreeze()


def _frozen(thing: object) -> bool:
    """Whether the collector has ``thing`` in its permanent generation (no pass looks there;
    ``gc.get_objects`` lists the three it collects)."""
    return gc.is_tracked(thing) and all(tracked is not thing for tracked in gc.get_objects())


def _serve(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[int, list[FastAPI]]:
    """``itdeclare serve --dev`` on SQLite in ``tmp_path``, up to where uvicorn would run."""
    served: list[FastAPI] = []

    def run(app: Any, **_options: Any) -> None:
        assert _frozen(app), "the application is made before the collector is told"
        served.append(app)

    monkeypatch.setattr(uvicorn, "run", run)
    monkeypatch.setenv("ITDECLARE_DATA_DIR", str(tmp_path))
    url = sqlite_url(tmp_path / "db.sqlite3")
    status = cli.main(["serve", "--dev", "--database-url", url, "--port", "0"])
    return status, served


def test_one_worker_serves_an_app_the_collector_leaves_be(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, thawed_after: None
) -> None:
    status, served = _serve(tmp_path, monkeypatch)
    assert status == 0 and len(served) == 1
    assert "/api/v1/declarations" in served[0].openapi()["paths"]


def test_each_of_several_workers_makes_its_app_and_leaves_it_be(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, thawed_after: None
) -> None:
    # the one-worker path first, for the keys and the database as serve makes them
    status, _ = _serve(tmp_path, monkeypatch)
    assert status == 0
    gc.unfreeze()
    config = ServerConfig.build(database_url=sqlite_url(tmp_path / "db.sqlite3"), dev=True)
    monkeypatch.setenv(CONFIG_ENV, config.model_dump_json())
    app = app_from_environment()  # what uvicorn calls in each worker process
    assert _frozen(app) and _frozen(app.state.backend)


def test_the_embedded_backend_leaves_the_app_its_collector(tmp_path: Path) -> None:
    """Inside the traveller's app the process is the app's: nothing is frozen for it."""
    base_url, stop = embedded.start(data_dir=tmp_path)
    try:
        assert httpx.get(f"{base_url}/healthz").status_code == 200
        assert gc.get_freeze_count() == 0
    finally:
        stop()
