"""What ``itdeclare verify`` takes in: ``--at``, PAYLOAD as a file or as a code's text, a
byte-order mark before a code, and text longer than any QR code holds (refused without being
read whole)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from itdeclare import cli
from itdeclare.certificate.issue import issue_declaration
from itdeclare.certificate.keys import KeyStore
from itdeclare.models import Declaration

from .conftest import DECLARATION_ID, EXPIRES, ISSUED


@pytest.fixture
def code(keystore: KeyStore, maximal: Declaration) -> str:
    return issue_declaration(
        maximal,
        declaration_id=DECLARATION_ID,
        signer=keystore.signer(),
        issued_at=ISSUED,
        expires_at=EXPIRES,
    )


@pytest.fixture
def trust_file(keystore: KeyStore, tmp_path: Path) -> Path:
    path = tmp_path / "trust.json"
    path.write_text(json.dumps(keystore.trust_list()))
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = cli.main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_an_empty_at_is_a_usage_error(
    code: str, trust_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """As for ``validate --at ""``: not taken for "now"."""
    for source in ([code], ["--jsonl", "-"]):
        status, out, err = run(capsys, "verify", "--trust-list", str(trust_file), "--at", "",
                               *source)  # fmt: skip
        assert (status, out) == (2, "") and "--at" in err
