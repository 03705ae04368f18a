"""Two ``itdeclare serve`` processes, each with a data directory of its own, on one PostgreSQL
database: what one host does, the other sees, because they share the database and nothing else
(uploaded files, sign-in codes, rate limits, tokens, the queue) but their configuration (the
key directory, as every host of a deployment is given)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from itdeclare.config import BackendSettings
from itdeclare.server.db import Database
from itdeclare.server.runtime import bind
from itdeclare.server.services import accounts
from itdeclare.server.tables import utcnow
from tests.server import documents, uploads
from tests.server.conftest import new_phone, postgres_base_url
from tests.server.databases import scratch_postgres

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
CODES_PER_PHONE = 3
START_TIMEOUT_S = 90.0


@contextmanager
def serve(database_url: str, data_dir: Path, keys_dir: Path) -> Iterator[httpx.Client]:
    """``itdeclare serve --dev`` in a process of its own, on a free loopback port, with the
    deployment's key directory and passphrase (its configuration: the signing keys, the sign-in
    code secret)."""
    with bind() as sock:
        port = sock.getsockname()[1]
    env = {
        **os.environ,
        "ITDECLARE_DATA_DIR": str(data_dir),
        "ITDECLARE_BACKEND__CODES_PER_PHONE_PER_HOUR": str(CODES_PER_PHONE),
        "ITDECLARE_KEY_PASSPHRASE": "the deployment's passphrase",
    }
    command = [sys.executable, "-m", "itdeclare", "serve", "--dev",
               "--database-url", database_url, "--port", str(port),
               "--keys-dir", str(keys_dir)]  # fmt: skip
    child = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as http:
            _wait_until_up(http, child)
            yield http
    finally:
        child.send_signal(signal.SIGTERM)
        try:
            child.wait(timeout=30)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait(timeout=30)


def _wait_until_up(http: httpx.Client, child: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if child.poll() is not None:
            assert child.stderr is not None
            pytest.fail(f"serve exited: {child.stderr.read().decode(errors='replace')}")
        try:
            if http.get("/healthz").status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    pytest.fail("serve did not start")


@dataclass
class Hosts:
    first: httpx.Client
    second: httpx.Client
    database_url: str
    data_dirs: tuple[Path, Path]


@pytest.fixture(scope="module")
def hosts(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hosts]:
    with ExitStack() as stack:
        url = stack.enter_context(scratch_postgres(postgres_base_url(), "server_hosts"))
        dirs = (tmp_path_factory.mktemp("host-a"), tmp_path_factory.mktemp("host-b"))
        keys = tmp_path_factory.mktemp("deployment") / "keys"
        first = stack.enter_context(serve(url, dirs[0], keys))  # makes the keys (dev mode)
        second = stack.enter_context(serve(url, dirs[1], keys))
        yield Hosts(first, second, url, dirs)


def _signed_in(asked: httpx.Client, redeemed: httpx.Client) -> dict[str, str]:
    phone = new_phone()
    code = asked.post("/api/v1/auth/code", json={"phone": phone})
    assert code.status_code == 202, code.text
    token = redeemed.post(
        "/api/v1/auth/token", json={"phone": phone, "code": code.json()["dev_code"]}
    )
    assert token.status_code == 200, token.text
    return {"Authorization": f"Bearer {token.json()['token']}"}


def test_a_code_from_one_host_signs_in_on_the_other_and_the_token_works_on_both(
    hosts: Hosts,
) -> None:
    first, second = hosts.first, hosts.second
    auth = _signed_in(first, second)
    person = first.post(
        "/api/v1/persons", json={"relationship": "self", "subject": documents.subject()},
        headers=auth,
    )  # fmt: skip
    assert person.status_code == 201, person.text
    listed = second.get("/api/v1/persons", headers=auth)
    assert [p["id"] for p in listed.json()["items"]] == [person.json()["id"]]


def test_the_rate_limit_on_codes_counts_both_hosts(hosts: Hosts) -> None:
    first, second = hosts.first, hosts.second
    phone = new_phone()
    answers = [
        host.post("/api/v1/auth/code", json={"phone": phone}).status_code
        for host in (first, second, first, second)
    ]
    assert answers == [202] * CODES_PER_PHONE + [429]


def test_a_file_uploaded_through_one_host_is_downloaded_and_reviewed_through_the_other(
    hosts: Hosts,
) -> None:
    first, second = hosts.first, hosts.second
    auth = _signed_in(first, first)
    person = first.post(
        "/api/v1/persons", json={"relationship": "self", "subject": documents.subject()},
        headers=auth,
    ).json()["id"]  # fmt: skip
    declaration = first.post(
        "/api/v1/declarations",
        json={"person_id": person, "declaration": documents.declaration(residence="NZL")},
        headers={**auth, "Idempotency-Key": "two-hosts"},
    ).json()["id"]
    content = uploads.pdf()
    uploaded = first.post(
        f"/api/v1/declarations/{declaration}/attachments",
        files={"file": ("test.pdf", content, "application/pdf")},
        headers=auth,
    )
    assert uploaded.status_code == 201, uploaded.text
    attachment = uploaded.json()["id"]

    downloaded = second.get(f"/api/v1/declarations/{declaration}/attachments/{attachment}",
                            headers=auth)  # fmt: skip
    assert downloaded.status_code == 200
    assert downloaded.content == content
    assert downloaded.headers["content-type"] == "application/pdf"

    for data_dir in hosts.data_dirs:  # kept in the database, not on either host
        assert not list(data_dir.glob("attachments/**/*"))

    reviewer = {"Authorization": f"Bearer {_reviewer_token(hosts.database_url, 'NZL')}"}
    shown = second.get(f"/api/v1/review/{declaration}", headers=reviewer)
    assert [a["id"] for a in shown.json()["attachments"]] == [attachment]
    reviewed = second.get(f"/api/v1/review/{declaration}/attachments/{attachment}",
                          headers=reviewer)  # fmt: skip
    assert reviewed.content == content
    decided = second.post(
        f"/api/v1/review/{declaration}/decision",
        json={"decision": "approve", "note": None},
        headers=reviewer,
    )
    assert decided.status_code == 200, decided.text
    assert first.get(f"/api/v1/declarations/{declaration}", headers=auth).json()["status"] == (
        "approved"
    )


def _reviewer_token(database_url: str, consulate: str) -> str:
    """What ``itdeclare admin add-reviewer`` does, on the shared database."""
    database = Database(database_url)
    try:
        issued = database.write(
            lambda session: accounts.add_reviewer(session, consulate, BackendSettings(), utcnow())
        )
    finally:
        database.dispose()
    return issued.token
