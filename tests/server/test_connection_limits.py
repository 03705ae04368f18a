"""Connection limits, driven over real sockets against a real uvicorn: a request head past its
size, count or line limit is cut off; a slow or silent client is dropped on time; connections
past the limit are refused; and a header flood leaves the server's memory where it was."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from itdeclare.config import BackendSettings
from tests.server.conftest import LiveServer, running_server

LIMITS = BackendSettings(
    codes_per_address_per_hour=1000,
    max_header_bytes=4096,
    max_headers=20,
    max_request_line_bytes=1024,
    header_timeout_seconds=1.0,
    request_timeout_seconds=2.0,
    keep_alive_seconds=1,
    max_connections=4,
)


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with running_server("sqlite", tmp_path_factory.mktemp("limits"), LIMITS) as server:
        yield server


def _connect(url: str) -> socket.socket:
    host, port = url.removeprefix("http://").split(":")
    return socket.create_connection((host, int(port)), timeout=10)


def _answer(sock: socket.socket) -> tuple[int, dict[str, object]]:
    """The status and JSON body of the response, read until the server closes."""
    data = b""
    while chunk := sock.recv(65536):
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    status = int(head.split(b" ")[1])
    return status, json.loads(body) if body else {}


def _one_response(sock: socket.socket) -> bytes:
    """One whole response on a kept-alive connection: the head, then the body its
    ``Content-Length`` announces (they may come in separate segments)."""
    data = b""
    while b"\r\n\r\n" not in data:
        data += _more(sock)
    head, _, body = data.partition(b"\r\n\r\n")
    length = next(
        int(line.split(b":", 1)[1])
        for line in head.split(b"\r\n")
        if line.lower().startswith(b"content-length:")
    )
    while len(body) < length:
        body += _more(sock)
    return head + b"\r\n\r\n" + body


def _more(sock: socket.socket) -> bytes:
    chunk = sock.recv(65536)
    assert chunk, "the server closed before a whole response"
    return chunk


def _send_until_closed(sock: socket.socket, prefix: bytes, filler: bytes, total: int) -> int:
    """Send ``prefix`` then ``filler`` until ``total`` bytes or the server stops reading;
    how many bytes went out."""
    sent = 0
    try:
        sock.sendall(prefix)
        sent = len(prefix)
        while sent < total:
            sock.sendall(filler)
            sent += len(filler)
    except (BrokenPipeError, ConnectionResetError):
        pass
    return sent


def test_an_oversized_header_is_cut_off(live: LiveServer) -> None:
    with _connect(live.url) as sock:
        prefix = b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: "
        sent = _send_until_closed(sock, prefix, b"a" * 65536, 50 * 1024 * 1024)
        status, body = _answer(sock)
    assert status == 431
    assert body["error"]["code"] == "headers_too_large"  # type: ignore[index]
    assert sent < 50 * 1024 * 1024  # the server stopped reading long before


def test_too_many_headers_are_refused(live: LiveServer) -> None:
    headers = b"".join(b"X-H%d: v\r\n" % n for n in range(21))
    with _connect(live.url) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n" + headers + b"\r\n")
        status, body = _answer(sock)
    assert status == 431
    assert body["error"]["code"] == "too_many_headers"  # type: ignore[index]


def test_an_overlong_request_line_is_refused(live: LiveServer) -> None:
    with _connect(live.url) as sock:
        sock.sendall(b"GET /" + b"a" * 2000 + b" HTTP/1.1\r\nHost: x\r\n\r\n")
        status, body = _answer(sock)
    assert status == 414
    assert body["error"]["code"] == "url_too_long"  # type: ignore[index]


def test_requests_within_the_limits_pass(live: LiveServer) -> None:
    """Headers up to the limit, and a body far larger than the head limit in the same packets."""
    with live.client() as http:
        assert http.get("/healthz", headers={"X-Pad": "p" * 3000}).status_code == 200
        big = http.post("/api/v1/auth/code", json={"phone": "1" * 100_000})
        assert big.status_code == 422  # the application's answer: the limits let it through
        assert big.json()["error"]["fields"][0]["loc"] == "phone"


def _seconds_until_closed(sock: socket.socket, trickle: bytes) -> tuple[float, bytes]:
    """Send ``trickle`` a byte every 0.1 s; the time until the server closes, and its answer."""
    started = time.monotonic()
    sock.settimeout(0.1)
    received = b""
    for byte in trickle:
        try:
            sock.send(bytes([byte]))
        except (BrokenPipeError, ConnectionResetError):
            break
        try:
            chunk = sock.recv(65536)
        except TimeoutError:
            continue
        except ConnectionResetError:
            break  # closed with bytes of ours unread: the kernel resets rather than closes
        if not chunk:
            break
        received += chunk
    else:
        raise AssertionError("the server kept a slow client")
    sock.settimeout(5)
    try:
        while chunk := sock.recv(65536):
            received += chunk
    except (ConnectionResetError, TimeoutError):
        pass
    return time.monotonic() - started, received


def test_a_slow_head_is_dropped_after_the_header_timeout(live: LiveServer) -> None:
    with _connect(live.url) as sock:
        elapsed, answer = _seconds_until_closed(sock, b"GET /healthz HTTP/1.1\r\n" + b"X" * 200)
    # The server's clock started at the connection, a moment before ours.
    assert 0.9 <= elapsed < 2.5, elapsed
    # The 408 is written before the close, but a reset (we were still sending) may discard it
    # on our side; the silent connection below reads it whole.
    assert answer == b"" or answer.startswith(b"HTTP/1.1 408 ")


def test_a_slow_body_is_dropped_after_the_request_timeout(live: LiveServer) -> None:
    with _connect(live.url) as sock:
        sock.sendall(
            b"POST /api/v1/auth/code HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Content-Length: 500\r\n\r\n"
        )
        elapsed, _ = _seconds_until_closed(sock, b"{" + b" " * 400)
    # The server's clock started when the head arrived, a moment before ours.
    assert 1.9 <= elapsed < 3.5, elapsed


def test_a_silent_connection_is_dropped(live: LiveServer) -> None:
    with _connect(live.url) as sock:
        started = time.monotonic()
        sock.settimeout(5)
        answer = sock.recv(65536)
        # The server's clock started when it accepted, a moment before ours (0.996 s was seen).
        assert 0.9 <= time.monotonic() - started < 2.5
    assert answer.startswith(b"HTTP/1.1 408 ")
    assert b'"request_timeout"' in answer


def test_an_idle_keep_alive_connection_is_closed(live: LiveServer) -> None:
    with _connect(live.url) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        sock.settimeout(5)
        assert _one_response(sock).startswith(b"HTTP/1.1 200 ")
        started = time.monotonic()
        assert sock.recv(65536) == b""  # closed by the server, with nothing more said
        assert 0.9 <= time.monotonic() - started < 3.0


def test_connections_past_the_limit_are_refused(live: LiveServer) -> None:
    held = [_connect(live.url) for _ in range(LIMITS.max_connections)]
    try:
        time.sleep(0.2)
        with _connect(live.url) as extra:
            status, body = _answer(extra)
        assert status == 503
        assert body["error"]["code"] == "too_many_connections"  # type: ignore[index]
    finally:
        for sock in held:
            sock.close()
    time.sleep(0.2)
    with live.client() as http:
        assert http.get("/healthz").status_code == 200  # room again once they are gone


# --- the header flood against `itdeclare serve`, in a process of its own ---------------------


def _rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads RSS from /proc (Linux)")
def test_a_header_flood_leaves_memory_where_it_was(tmp_path: Path) -> None:
    """Four connections each try to send a 200 MB header to ``itdeclare serve`` (default
    limits); each is cut off at the limit and the server's memory stays put."""
    port = _free_port()
    env = {**os.environ, "ITDECLARE_DATA_DIR": str(tmp_path), "LANG": "C.UTF-8"}
    command = [sys.executable, "-m", "itdeclare", "serve", "--dev", "--port", str(port)]
    server = subprocess.Popen(command, env=env, stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{url}/healthz").status_code == 200:
                    break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        before = _rss_kib(server.pid)
        peak = before
        sent: list[int] = []

        def flood() -> None:
            with _connect(url) as sock:
                prefix = b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Flood: "
                sent.append(_send_until_closed(sock, prefix, b"a" * 65536, 200 * 1024 * 1024))
                assert _answer(sock)[0] == 431

        threads = [threading.Thread(target=flood) for _ in range(4)]
        for thread in threads:
            thread.start()
        while any(t.is_alive() for t in threads):
            peak = max(peak, _rss_kib(server.pid))
            time.sleep(0.01)
        after = _rss_kib(server.pid)
        print(f"RSS before {before} KiB, peak {peak} KiB, after {after} KiB; sent {sent} bytes")
        assert len(sent) == 4
        assert max(sent) < 8 * 1024 * 1024
        assert peak - before < 20 * 1024  # KiB
        assert httpx.get(f"{url}/healthz").status_code == 200
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_connections_to_a_bound_socket_are_served_without_nagles_delay() -> None:
    """The embedded backend's socket (``runtime.bind``): asyncio turns Nagle's algorithm off on
    each connection only for a socket made as TCP by name. With it on, every answer (a head,
    then a body) waited 40 ms for the client's delayed acknowledgement."""
    import asyncio

    from itdeclare.server.runtime import bind

    async def accepted_without_delay() -> int:
        options: list[int] = []

        def on_connection(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            sock = writer.get_extra_info("socket")
            options.append(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
            writer.close()

        listening = bind()
        server = await asyncio.start_server(on_connection, sock=listening)
        async with server:
            _, writer = await asyncio.open_connection(*listening.getsockname())
            while not options:
                await asyncio.sleep(0.01)
            writer.close()
        return options[0]

    assert asyncio.run(asyncio.wait_for(accepted_without_delay(), 10)) != 0
