"""``itdeclare trust update`` against a running backend, then ``itdeclare verify`` with no files:
a code revoked by a re-declaration reads as revoked, and the report says how old the lists are."""

from __future__ import annotations

import http.server
import json
import subprocess
import sys
import threading
from collections.abc import Callable

import pytest

from tests.server.conftest import LiveServer, Reviewer, Traveller


def _itdeclare(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "itdeclare", *argv],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_verify_uses_the_lists_trust_update_kept(
    server: LiveServer, traveller: Traveller, make_reviewer: Callable[[str], Reviewer]
) -> None:
    declaration = traveller.submitted()
    assert make_reviewer("USA").decide(str(declaration["id"]), "approve").status_code == 200
    payload = traveller.get(f"/api/v1/declarations/{declaration['id']}/certificate").json()[
        "payload"
    ]

    assert _itdeclare("trust", "update", "--server", server.url).returncode == 0
    fresh = _itdeclare("verify", "--json", payload)
    report = json.loads(fresh.stdout)
    assert fresh.returncode == 0, fresh.stderr
    assert report["checks"]["revocation"] is True and report["warnings"] == []
    assert report["trust_data"]["server"] == server.url
    assert 0 <= report["trust_data"]["age_seconds"] < 120

    assert traveller.redeclare(str(declaration["id"])).status_code == 201
    stale = _itdeclare("verify", "--json", payload)
    assert stale.returncode == 0  # the kept list predates the revocation…
    assert _itdeclare("trust", "update", "--server", server.url).returncode == 0
    revoked = _itdeclare("verify", "--json", payload)
    assert revoked.returncode == 1  # …and the updated one knows of it
    assert json.loads(revoked.stdout)["checks"]["revocation"] is False

    words = _itdeclare("--lang", "en", "verify", payload)
    assert "revoked" in words.stdout and f"Trust data from {server.url}, updated" in words.stdout


def test_trust_update_refuses_an_unreachable_backend_and_keeps_nothing() -> None:
    done = _itdeclare("--lang", "en", "trust", "update", "--server", "http://127.0.0.1:9")
    assert done.returncode == 1
    assert "Could not fetch the trust list" in done.stderr
    assert _itdeclare("verify", "--json", "HC1:XX").returncode == 2  # no lists, no keys


class _NothingHere(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:  # quiet
        pass


@pytest.mark.parametrize(
    ("language", "says"), [("en", "itdeclare backend"), ("zh", "itdeclare 后端")]
)
def test_a_server_with_no_lists_is_told_as_such(language: str, says: str) -> None:
    """A 404 read "Not found. It may have been removed, or it belongs to another account": the
    client's words for a traveller's data, not for public lists (found by a QA pass)."""
    with http.server.HTTPServer(("127.0.0.1", 0), _NothingHere) as nothing:
        threading.Thread(target=nothing.serve_forever, daemon=True).start()
        try:
            url = f"http://127.0.0.1:{nothing.server_address[1]}"
            done = _itdeclare("--lang", language, "trust", "update", "--server", url)
        finally:
            nothing.shutdown()
    assert done.returncode == 1
    assert says in done.stderr and "account" not in done.stderr and "账户" not in done.stderr


def test_trust_without_an_action_is_a_usage_error() -> None:
    assert _itdeclare("trust").returncode == 2
