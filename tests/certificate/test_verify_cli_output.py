"""When standard output cannot be written (a full disk, output closed), ``itdeclare verify``
and ``import-test`` say so in one line and end with 2: not a traceback, and not 1, which says
the code is not valid. Real processes, with /dev/full as their output."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from itdeclare.certificate.issue import issue_declaration
from itdeclare.certificate.keys import KeyStore
from itdeclare.models import Declaration

from .conftest import DECLARATION_ID, DURING, EXPIRES, ISSUED

FULL = Path("/dev/full")
pytestmark = pytest.mark.skipif(not FULL.exists(), reason="needs /dev/full (Linux)")


@pytest.fixture
def code_file(keystore: KeyStore, maximal: Declaration, tmp_path: Path) -> Path:
    code = issue_declaration(
        maximal,
        declaration_id=DECLARATION_ID,
        signer=keystore.signer(),
        issued_at=ISSUED,
        expires_at=EXPIRES,
    )
    path = tmp_path / "code.txt"
    path.write_text(f"{code}\n", "utf-8")
    return path


def itdeclare(argv: list[str], tmp_path: Path, **streams: object) -> tuple[int, str]:
    """Exit status and standard error of ``itdeclare ARGV`` in its own process."""
    environment = {**os.environ, "ITDECLARE_DATA_DIR": str(tmp_path / "data")}
    done = subprocess.run(
        [sys.executable, "-m", "itdeclare", *argv],
        stderr=subprocess.PIPE,
        env=environment,
        timeout=120,
        check=False,
        **streams,  # type: ignore[call-overload]
    )
    return done.returncode, done.stderr.decode("utf-8")


@pytest.mark.parametrize(
    "options",
    [[], ["--json"], ["--jsonl"], ["--lang", "zh"]],
    ids=["report", "json", "jsonl", "report-zh"],
)
def test_a_full_disk_is_told_as_such(
    options: list[str], code_file: Path, trust_file: Path, tmp_path: Path
) -> None:
    argv = ["verify", "--trust-list", str(trust_file), "--at", DURING.isoformat(), *options]
    with FULL.open("wb") as full:
        status, errors = itdeclare([*argv, str(code_file)], tmp_path, stdout=full)
    words = "设备空间已满" if "zh" in options else "Cannot write the output (no space left"
    assert status == 2 and words in errors and "Traceback" not in errors
    assert len(errors.splitlines()) == 1


def test_jsonl_from_standard_input_to_a_full_disk(
    code_file: Path, trust_file: Path, tmp_path: Path
) -> None:
    argv = ["verify", "--jsonl", "-", "--trust-list", str(trust_file), "--at", DURING.isoformat()]
    with FULL.open("wb") as full, code_file.open("rb") as codes:
        status, errors = itdeclare(argv, tmp_path, stdout=full, stdin=codes)
    assert status == 2 and errors.startswith("Cannot write the output")
    assert "Traceback" not in errors


def test_import_test_to_a_full_disk(code_file: Path, trust_file: Path, tmp_path: Path) -> None:
    argv = ["import-test", "--trust-list", str(trust_file), str(code_file)]
    with FULL.open("wb") as full:
        status, errors = itdeclare(argv, tmp_path, stdout=full)
    assert status == 2 and errors.startswith("Cannot write the output")
    assert "Traceback" not in errors


@pytest.mark.parametrize("options", [[], ["--jsonl"]], ids=["report", "jsonl"])
def test_standard_output_closed_is_told_as_such(
    options: list[str], code_file: Path, trust_file: Path, tmp_path: Path
) -> None:
    """Started with its output closed (``>&-``): Python has no standard output at all, and
    the report would go nowhere without a word."""
    argv = ["verify", "--trust-list", str(trust_file), *options, str(code_file)]
    command = 'exec "$@" >&-'
    environment = {**os.environ, "ITDECLARE_DATA_DIR": str(tmp_path / "data")}
    done = subprocess.run(
        ["sh", "-c", command, "sh", sys.executable, "-m", "itdeclare", *argv],
        stderr=subprocess.PIPE,
        env=environment,
        timeout=120,
        check=False,
    )
    errors = done.stderr.decode("utf-8")
    assert done.returncode == 2 and "standard output is closed" in errors
    assert "Traceback" not in errors
