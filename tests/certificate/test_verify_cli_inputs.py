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

from .conftest import DECLARATION_ID, DURING, EXPIRES, ISSUED


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


def verify(capsys: pytest.CaptureFixture[str], trust: Path, *argv: str) -> tuple[int, str, str]:
    return run(capsys, "verify", "--trust-list", str(trust), "--at", DURING.isoformat(), *argv)


# --- PAYLOAD: a file, or a code's text -----------------------------------------------------


@pytest.mark.parametrize("name", ["hc_scan.txt", "HC1-code.txt", "HC1:code.txt"])
def test_a_file_is_read_whatever_its_name_starts_with(
    name: str,
    code: str,
    trust_file: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    Path(name).write_text(f"{code}\n", "utf-8")
    status, out, _ = verify(capsys, trust_file, name)
    assert status == 0 and out.startswith("VALID")


@pytest.mark.parametrize(("language", "words"), [("en", "no such file"), ("zh", "文件不存在")])
def test_a_payload_that_is_neither_a_file_nor_a_code_is_a_usage_error(
    language: str,
    words: str,
    trust_file: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    missing = str(tmp_path / "missing_file.txt")
    status, out, err = verify(capsys, trust_file, "--lang", language, missing)
    assert (status, out) == (2, "")
    assert words in err and "missing_file.txt" in err and "HC1:" in err


def test_a_code_of_an_unknown_kind_is_verified_not_looked_for_as_a_file(
    trust_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = verify(capsys, trust_file, "HC2:6BFOXN")
    assert status == 1 and "Unknown kind of code (HC2:)" in out
