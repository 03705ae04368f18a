"""What no deployment can live without: headers that keep browsers and caches out of private
data, no reflected Host, no page that loads scripts from elsewhere (the development page's
come from this server), no invisible text, revocable
reviewers, and files only their owner can read."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from itdeclare.config import BackendSettings
from itdeclare.server import embedded
from itdeclare.server.config import ServerConfig, sqlite_url
from itdeclare.server.runtime import prepare
from tests.server import documents, uploads
from tests.server.conftest import (
    DATABASES,
    Reviewer,
    Traveller,
    running_server,
    sign_in,
)
from tests.server.test_cli import itdeclare

# --- headers -------------------------------------------------------------------------------


def test_private_answers_are_never_sniffed_or_stored(traveller: Traveller) -> None:
    for answer in (
        traveller.get("/api/v1/persons"),
        traveller.get("/api/v1/declarations/nope"),  # errors too
        traveller.http.post("/api/v1/auth/code", json={"phone": "+14155550199"}),
    ):
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert answer.headers["cache-control"] == "no-store"
        assert answer.headers["content-security-policy"].startswith("default-src 'none'")


def test_public_documents_may_be_cached(http: httpx.Client) -> None:
    answer = http.get("/api/v1/trust-list")
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert "cache-control" not in answer.headers


def test_the_host_header_is_never_reflected(traveller: Traveller) -> None:
    for path in ("/api/v1/persons/", "/api/v1/declarations/", "/healthz/"):
        headers = {**traveller.auth, "Host": "attacker.example"}
        answer = traveller.http.get(path, headers=headers)
        assert not answer.is_redirect
        assert answer.status_code == 404
        assert "attacker" not in str(answer.headers) + answer.text


def test_the_docs_page_loads_everything_from_this_server(http: httpx.Client) -> None:
    """With --dev (as this server runs): /docs is Swagger UI, every script and style it names
    comes from this server (no CDN, no inline script), and its policy allows no other origin."""
    page = http.get("/docs")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    policy = page.headers["content-security-policy"]
    assert "script-src 'self';" in policy and "connect-src 'self';" in policy
    assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    assert "http://" not in page.text and "https://" not in page.text
    scripts = re.findall(r"<script([^>]*)>", page.text)
    assert scripts and all('src="/docs/' in attributes for attributes in scripts)
    named = re.findall(r'(?:src|href)="(/docs/[^"]+)"', page.text)
    kinds = {".js": "text/javascript", ".css": "text/css", ".png": "image/png"}
    for path in named:
        asset = http.get(path)
        assert asset.status_code == 200, path
        assert asset.headers["content-type"].startswith(kinds[Path(path).suffix]), path
        assert asset.headers["x-content-type-options"] == "nosniff"
    start = http.get("/docs/start.js").text
    assert '"/openapi.json"' in start and "validatorUrl: null" in start
    bundle = http.get("/docs/assets/swagger-ui-bundle.js").text
    assert "SwaggerUIBundle" in bundle
    assert http.get("/redoc").status_code == 404
    schema = http.get("/openapi.json").json()
    assert schema["info"]["title"] == "itdeclare backend"
    assert not [path for path in schema["paths"] if path.startswith("/docs")]


def test_without_dev_there_is_no_docs_page(tmp_path: Path) -> None:
    with running_server("sqlite", tmp_path, dev=False) as live, live.client() as http:
        for path in ("/docs", "/docs/start.js", "/docs/assets/swagger-ui-bundle.js", "/redoc"):
            assert http.get(path).status_code == 404, path
        assert http.get("/openapi.json").status_code == 200


# --- invisible characters --------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "zh"])
def test_declarations_refuse_invisible_characters(traveller: Traveller, language: str) -> None:
    spoofed = documents.declaration(employer="Example \u202egpj.exe Co.")
    answer = traveller.post(
        "/api/v1/declarations",
        json={"person_id": traveller.add_person(), "declaration": spoofed},
        headers={"Idempotency-Key": f"bidi-{language}", "Accept-Language": language},
    )
    assert answer.status_code == 422, answer.text
    (field,) = answer.json()["error"]["fields"]
    assert (field["loc"], field["code"]) == ("employer", "text_invisible")
    assert "U+202E" in field["message"]
    assert ("不可见" in field["message"]) is (language == "zh")


def test_notes_refuse_zero_width_characters(
    traveller: Traveller, make_reviewer: Callable[[str], Reviewer]
) -> None:
    declaration = traveller.submitted()
    answer = make_reviewer("USA").decide(declaration["id"], "reject", "Photo\u200bunreadable")
    assert answer.status_code == 422
    assert answer.json()["error"]["fields"][0]["code"] == "text_invisible"


def test_validate_refuses_invisible_characters(tmp_path: Path) -> None:
    document = {"schema_version": 1, **documents.declaration()}
    document["residence"]["city"] = "San\ufeffFrancisco"
    path = tmp_path / "declaration.json"
    path.write_text(json.dumps(document), "utf-8")
    done = itdeclare("validate", "--json", str(path))
    assert done.returncode == 1, done.stdout + done.stderr
    errors = {(e["loc"], e["code"]) for e in json.loads(done.stdout)["errors"]}
    assert ("residence.city", "text_invisible") in errors


# --- reviewers -----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", DATABASES)
def test_a_revoked_reviewer_is_refused_from_then_on(kind: str, tmp_path: Path) -> None:
    with running_server(kind, tmp_path) as live:
        url = live.config.database_url
        tokens = [live.reviewer_token("DEU"), live.reviewer_token("FRA")]
        listed = itdeclare("admin", "list-reviewers", "--json", "--database-url", url)
        assert listed.returncode == 0, listed.stderr
        items = json.loads(listed.stdout)["items"]
        assert [(i["consulate"], i["revoked"]) for i in items] == [("DEU", False), ("FRA", False)]
        assert set(items[0]) == {"id", "consulate", "created_at", "revoked"}
        queue = f"{live.url}/api/v1/review/queue"

        def status(token: str) -> int:
            return httpx.get(queue, headers={"Authorization": f"Bearer {token}"}).status_code

        assert [status(t) for t in tokens] == [200, 200]
        done = itdeclare("admin", "revoke-reviewer", items[0]["id"], "--database-url", url)
        assert done.returncode == 0, done.stderr
        assert [status(t) for t in tokens] == [401, 200]
        again = json.loads(
            itdeclare("admin", "list-reviewers", "--json", "--database-url", url).stdout
        )
        assert [i["revoked"] for i in again["items"]] == [True, False]
        unknown = itdeclare("admin", "revoke-reviewer", "f" * 32, "--database-url", url)
        assert unknown.returncode == 1
        assert "no reviewer" in unknown.stderr and "Traceback" not in unknown.stderr


# --- private files -------------------------------------------------------------------------


def _loose(root: Path) -> list[str]:
    """Whatever under ``root`` (and ``root`` itself) anyone but the owner could use."""
    found = []
    for path in [root, *root.rglob("*")]:
        mode = stat.S_IMODE(path.lstat().st_mode)
        if mode & 0o077:
            found.append(f"{path.relative_to(root)} {oct(mode)}")
    return found


@pytest.fixture
def open_umask() -> Iterator[None]:
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


def test_the_embedded_backend_makes_everything_private(tmp_path: Path, open_umask: None) -> None:
    data = tmp_path / "fresh" / "data"
    url, stop = embedded.start(data_dir=data)
    try:
        with httpx.Client(base_url=url) as http:
            traveller = sign_in(http)
            declaration = traveller.submitted()["id"]
            posted = traveller.post(
                f"/api/v1/declarations/{declaration}/attachments",
                files={"file": ("a.png", uploads.image(), "image/png")},
            )
            assert posted.status_code == 201
        names = {p.name for p in data.rglob("*")}
        assert {"server.sqlite3-wal", "server.sqlite3-shm", "sign-in-code.secret"} <= names
        assert _loose(tmp_path / "fresh") == []
    finally:
        stop()


def test_admin_and_serve_make_their_files_private(tmp_path: Path, open_umask: None) -> None:
    data = tmp_path / "operator"
    env = {**os.environ, "ITDECLARE_DATA_DIR": str(data), "LANG": "C.UTF-8"}
    env["ITDECLARE_KEY_PASSPHRASE"] = "a long operator passphrase"
    for command in (["keys", "init"], ["admin", "add-reviewer", "--consulate", "DEU"]):
        done = subprocess.run(
            [sys.executable, "-m", "itdeclare", *command],
            env=env, capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
    assert _loose(data) == []


def test_files_left_readable_are_tightened_at_start(tmp_path: Path) -> None:
    data = tmp_path / "old"
    (data / "attachments" / "ab").mkdir(parents=True)
    (data / "keys").mkdir()
    database = data / "server.sqlite3"
    sqlite3.connect(database).close()
    loose = [
        database,
        data / "server.sqlite3-wal",
        data / "server.sqlite3-shm",
        data / "attachments" / "ab" / ("ab" * 32),
        data / "keys" / "sign-in-code.secret",
        data / "dev-key-passphrase",
    ]
    for path in loose[1:]:
        path.write_bytes(os.urandom(32))
    for path in [data, *data.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    config = ServerConfig.build(
        database_url=sqlite_url(database), data_dir=data, backend=BackendSettings()
    )
    prepare(config).dispose()
    assert _loose(data) == []


@pytest.mark.parametrize("kind", DATABASES)
def test_attachments_stay_private_on_either_database(kind: str, tmp_path: Path) -> None:
    with running_server(kind, tmp_path) as live, live.client() as http:
        traveller = sign_in(http)
        declaration = traveller.submitted()["id"]
        traveller.post(
            f"/api/v1/declarations/{declaration}/attachments",
            files={"file": ("a.pdf", uploads.pdf(), "application/pdf")},
        )
        if live.db.sqlite:
            assert _loose(live.config.attachments_dir) == []
        else:  # kept in the database: no file at all
            assert not live.config.attachments_dir.exists()
        assert _loose(live.config.keys_dir) == []


def test_serve_warns_of_keys_in_the_older_form(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from itdeclare.server.cli import _keys_ready
    from tests.certificate.test_cli import _legacy_store

    passphrase = b"an operator passphrase"
    _legacy_store(tmp_path / "keys", passphrase)
    monkeypatch.setenv("ITDECLARE_KEY_PASSPHRASE", passphrase.decode())
    config = ServerConfig.build(data_dir=tmp_path, backend=BackendSettings())
    assert _keys_ready(config)
    warning = capsys.readouterr().err
    assert "2 private keys" in warning and "itdeclare keys rekey" in warning
