"""A request the HTTP parser cannot read is refused like every other connection refusal: 400
``bad_request`` in the API's error shape, with the security headers, then the connection
closes. Sent over raw sockets: no HTTP client sends these."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator

import pytest

from itdeclare.server.headers import API_POLICY
from tests.server.conftest import LiveServer, running_server


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with running_server("sqlite", tmp_path_factory.mktemp("malformed")) as server:
        yield server


def _exchange(url: str, request: bytes) -> bytes:
    """What the server answers ``request`` with, read until it closes the connection."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(request)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    return answer


_POST = b"POST /api/v1/auth/code HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"


@pytest.mark.parametrize(
    "request_bytes",
    [
        b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Note: a\x01b\r\n\r\n",
        _POST + b"Content-Length: -1\r\n\r\n{}",
        _POST + b"Content-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n",
        b"HELLO\r\n\r\n",
    ],
    ids=["control-character", "negative-length", "length-and-chunked", "not-http"],
)
def test_a_request_the_parser_refuses_is_a_400_in_the_apis_shape(
    live: LiveServer, request_bytes: bytes
) -> None:
    answer = _exchange(live.url, request_bytes)
    head, _, body = answer.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("ascii").split("\r\n")
    assert status_line == "HTTP/1.1 400 Bad Request"
    headers = {name.lower(): value for name, _, value in (line.partition(": ") for line in lines)}
    assert headers["content-type"] == "application/json"
    assert headers["connection"] == "close"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["content-security-policy"] == API_POLICY
    assert headers["cache-control"] == "no-store"
    assert headers["referrer-policy"] == "no-referrer"
    assert headers["x-frame-options"] == "DENY"
    assert int(headers["content-length"]) == len(body)
    assert json.loads(body) == {
        "error": {"code": "bad_request", "message": "The request is not valid.", "fields": []}
    }
