"""An unexpected error (a bug) is a 500 like every other answer: the API's error shape, the
security headers, and a connection the client may go on using."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any, NoReturn

import httpx
import pytest

from itdeclare.server.headers import API_POLICY
from itdeclare.server.services.operations import auth
from tests.server.conftest import LiveServer, new_phone, running_server


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with running_server("sqlite", tmp_path_factory.mktemp("unexpected")) as server:
        yield server


def _broken(*_: Any) -> NoReturn:
    raise RuntimeError("a bug")


def _local_address(response: httpx.Response) -> Any:
    """The client's end of the connection the response came on."""
    return response.extensions["network_stream"].get_extra_info("client_addr")


def test_a_500_carries_the_security_headers_and_keeps_the_connection(
    live: LiveServer, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(auth, "send_code", _broken)
    with live.client() as http, caplog.at_level(logging.ERROR):
        failed = http.post(
            "/api/v1/auth/code", json={"phone": new_phone()}, headers={"Accept-Language": "zh"}
        )
        after = http.get("/api/v1/auth/me")
        connections = {_local_address(failed), _local_address(after)}
    assert failed.status_code == 500
    error = failed.json()["error"]
    assert error["code"] == "internal"
    assert (error["message"], error["fields"]) == ("服务器出错，请稍后再试。", [])
    assert failed.headers["content-type"] == "application/json"
    assert failed.headers["x-content-type-options"] == "nosniff"
    assert failed.headers["content-security-policy"] == API_POLICY
    assert failed.headers["cache-control"] == "no-store"
    assert failed.headers["referrer-policy"] == "no-referrer"
    assert failed.headers["x-frame-options"] == "DENY"
    assert "connection" not in failed.headers
    # The next request goes on the same connection, and is answered.
    assert after.status_code == 401
    assert len(connections) == 1
    # Logged once, with its traceback.
    logged = [r for r in caplog.records if r.exc_info and r.exc_info[0] is RuntimeError]
    assert len(logged) == 1
    assert "POST /api/v1/auth/code" in logged[0].getMessage()
