"""Issuing on approval, the trust list, revocation on re-declaration, expiry, and the keys rule."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import update

from itdeclare.certificate import revocation
from itdeclare.certificate.issue import declaration_certificate_id
from itdeclare.certificate.trust import TrustList
from itdeclare.certificate.verify import parse_time, verify
from itdeclare.server.config import sqlite_url
from itdeclare.server.tables import Certificate, utcnow
from tests.server import documents
from tests.server.conftest import LiveServer, Reviewer, Traveller


def _trust(traveller: Traveller) -> TrustList:
    return TrustList.from_json(traveller.get("/api/v1/trust-list").json())


def _approved(traveller: Traveller, reviewer: Reviewer) -> dict[str, object]:
    declaration = traveller.submitted()
    assert reviewer.decide(str(declaration["id"]), "approve").status_code == 200
    return declaration


def test_approval_issues_a_certificate_that_verifies(
    traveller: Traveller, make_reviewer: Callable[[str], Reviewer]
) -> None:
    body = documents.declaration(passport="E87654321")
    declaration = traveller.submitted(declaration=body)
    assert make_reviewer("USA").decide(str(declaration["id"]), "approve").status_code == 200
    answer = traveller.get(f"/api/v1/declarations/{declaration['id']}/certificate")
    assert answer.status_code == 200, answer.text
    issued = answer.json()
    assert issued["payload"].startswith("HC1:")
    verified = verify(issued["payload"], trust_list=_trust(traveller))
    assert verified.valid, [str(e) for e in verified.errors]
    assert verified.issued_at == parse_time(issued["issued_at"])
    assert verified.expires_at == parse_time(issued["expires_at"])
    record = verified.record
    assert record is not None
    assert record.reference == declaration["id"]
    assert record.document.number == "E87654321"  # the document declared
    arrival = body["itinerary"][0]["arrives_at"]
    assert verified.expires_at is not None
    assert verified.expires_at >= parse_time(arrival)


def test_redeclaring_revokes_the_certificate(
    tmp_path: Path, traveller: Traveller, make_reviewer: Callable[[str], Reviewer]
) -> None:
    declaration = _approved(traveller, make_reviewer("USA"))
    payload = traveller.get(f"/api/v1/declarations/{declaration['id']}/certificate").json()[
        "payload"
    ]
    before = traveller.get("/api/v1/revocations").json()
    assert traveller.redeclare(str(declaration["id"])).status_code == 201
    gone = traveller.get(f"/api/v1/declarations/{declaration['id']}/certificate")
    assert gone.status_code == 409
    assert gone.json()["error"]["code"] == "no_certificate"

    after = traveller.get("/api/v1/revocations").json()
    assert after["sequence"] > before["sequence"]
    listed = revocation.load(after, _trust(traveller))
    assert listed.contains(declaration_certificate_id(str(declaration["id"])))

    # What a border officer runs, offline, with the two published documents.
    trust_file, revocations_file = tmp_path / "trust.json", tmp_path / "revocations.json"
    trust_file.write_text(json.dumps(traveller.get("/api/v1/trust-list").json()), "utf-8")
    revocations_file.write_text(json.dumps(after), "utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "itdeclare", "verify", "--json", "--trust-list", str(trust_file),
         "--revocations", str(revocations_file), payload],
        capture_output=True, text=True, check=False, timeout=60,
    )  # fmt: skip
    assert done.returncode == 1, done.stderr
    report = json.loads(done.stdout)
    assert report["checks"]["signature"] is True
    assert report["checks"]["revocation"] is False


def test_an_expired_approval_reads_as_expired(
    server: LiveServer, traveller: Traveller, make_reviewer: Callable[[str], Reviewer]
) -> None:
    declaration = _approved(traveller, make_reviewer("USA"))
    server.db.write(
        lambda s: s.execute(
            update(Certificate)
            .where(Certificate.declaration_id == declaration["id"])
            .values(expires_at=utcnow() - timedelta(seconds=1))
        )
    )
    assert traveller.get(f"/api/v1/declarations/{declaration['id']}").json()["status"] == (
        "expired"
    )


def test_health_reports_signing(traveller: Traveller) -> None:
    assert traveller.get("/healthz").json()["certificates"] is True


def _serve(tmp_path: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "itdeclare", "serve", "--port", "1", "--database-url",
         sqlite_url(tmp_path / "db.sqlite3"), *args],
        capture_output=True, text=True, check=False, timeout=60,
        env={**os.environ, "ITDECLARE_DATA_DIR": str(tmp_path), **env},
    )  # fmt: skip


def test_serve_refuses_to_start_without_keys(tmp_path: Path) -> None:
    done = _serve(tmp_path, env={})
    assert done.returncode == 1
    assert "There are no signing keys" in done.stderr
    assert "itdeclare keys init" in done.stderr


def test_serve_refuses_a_wrong_passphrase(tmp_path: Path) -> None:
    made = subprocess.run(
        [sys.executable, "-m", "itdeclare", "keys", "init"],
        capture_output=True, text=True, check=False, timeout=60,
        env={**os.environ, "ITDECLARE_DATA_DIR": str(tmp_path),
             "ITDECLARE_KEY_PASSPHRASE": "the right passphrase"},
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    wrong = tmp_path / "wrong"
    wrong.write_text("the wrong passphrase", "utf-8")
    done = _serve(tmp_path, "--passphrase-file", str(wrong), env={})
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "passphrase" in done.stderr.lower()


@pytest.mark.parametrize("passphrase_from", ["env", "file"])
def test_dev_mode_makes_its_keys_once(tmp_path: Path, passphrase_from: str) -> None:
    from itdeclare.server.config import ServerConfig
    from itdeclare.server.runtime import prepare
    from itdeclare.server.services.issuing import open_issuer

    config = ServerConfig.build(data_dir=tmp_path, dev=True)
    if passphrase_from == "env":
        os.environ["ITDECLARE_KEY_PASSPHRASE"] = "from the environment"
    try:
        prepare(config).dispose()
        first = open_issuer(config).trust_list()
        prepare(config).dispose()
        assert open_issuer(config).trust_list() == first
    finally:
        os.environ.pop("ITDECLARE_KEY_PASSPHRASE", None)
    made = (tmp_path / "dev-key-passphrase").exists()
    assert made is (passphrase_from == "file")


def test_dev_mode_unseals_its_key_when_it_first_signs(tmp_path: Path) -> None:
    """Its own passphrase is not checked at start (a scrypt derivation at every start of the
    apps' local mode): a passphrase file altered since the keys were made fails at the first
    signature, and an operator's wrong passphrase still fails at once."""
    from itdeclare.certificate import errors
    from itdeclare.server.config import ServerConfig
    from itdeclare.server.runtime import prepare
    from itdeclare.server.services.issuing import DEV_PASSPHRASE_FILE, open_issuer

    config = ServerConfig.build(data_dir=tmp_path, dev=True)
    prepare(config).dispose()
    now = utcnow()
    assert open_issuer(config).revocation_list([], sequence=1, now=now)["sequence"] == 1
    (tmp_path / DEV_PASSPHRASE_FILE).write_text("altered since the keys were made", "utf-8")
    issuer = open_issuer(config)
    assert issuer.trust_list()["keys"]  # the certificates need no passphrase
    with pytest.raises(errors.WrongPassphrase):
        issuer.revocation_list([], sequence=2, now=now)
    os.environ["ITDECLARE_KEY_PASSPHRASE"] = "an operator's wrong passphrase"
    try:
        with pytest.raises(errors.WrongPassphrase):
            open_issuer(config)
    finally:
        os.environ.pop("ITDECLARE_KEY_PASSPHRASE", None)
