"""``verify --revocations FILE`` refuses a file behind the revocation list ``trust update`` kept:
an old file would show a code revoked since as valid."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from itdeclare.certificate import revocation
from itdeclare.certificate.issue import declaration_certificate_id
from itdeclare.certificate.keys import KeyStore
from itdeclare.storage import trust as kept

from .conftest import DECLARATION_ID, DURING, ISSUED, run

REVOKED = declaration_certificate_id(DECLARATION_ID)


def _document(keystore: KeyStore, revoked: list[str], sequence: int) -> bytes:
    signer = keystore.signer()
    listed = revocation.build(revoked, sequence=sequence, issued_at=ISSUED, signer=signer)
    return json.dumps(listed).encode()


def _keep(keystore: KeyStore, revoked: list[str], sequence: int) -> None:
    kept.save(
        json.dumps(keystore.trust_list()).encode(),
        _document(keystore, revoked, sequence),
        server="https://backend.example",
        fetched_at=datetime.now(UTC),
    )


def _file(keystore: KeyStore, tmp_path: Path, revoked: list[str], sequence: int) -> Path:
    path = tmp_path / f"revocations-{sequence}.json"
    path.write_bytes(_document(keystore, revoked, sequence))
    return path


def _verify(capsys: pytest.CaptureFixture[str], code: str, *options: str) -> tuple[int, str, str]:
    return run(capsys, "verify", "--json", "--at", DURING.isoformat(), *options, code)


def test_an_older_file_than_the_kept_list_is_refused_in_both_languages(
    code: str,
    keystore: KeyStore,
    trust_file: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _keep(keystore, [REVOKED], sequence=8)
    old = _file(keystore, tmp_path, [], sequence=7)  # from before the code was revoked
    status, out, err = _verify(capsys, code, "--revocations", str(old))
    assert (status, out) == (2, "")
    assert "no. 7, older than no. 8 kept here" in err and str(old) in err
    status, out, err = _verify(capsys, code, "--trust-list", str(trust_file),
                               "--revocations", str(old))  # fmt: skip
    assert (status, out) == (2, "")
    status, _, err = run(capsys, "verify", "--lang", "zh", "--revocations", str(old), code)
    assert status == 2 and "比本机保存的第 8 号更旧" in err
    # without the file, the kept list is used and the code is revoked
    status, out, _ = _verify(capsys, code)
    assert status == 1 and json.loads(out)["checks"]["revocation"] is False


def test_the_same_number_with_other_entries_is_refused(
    code: str, keystore: KeyStore, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _keep(keystore, [REVOKED], sequence=8)
    forged = _file(keystore, tmp_path, [], sequence=8)
    status, _, err = _verify(capsys, code, "--revocations", str(forged))
    assert status == 2 and "names other codes than the list with the same number" in err


def test_the_kept_list_itself_and_a_newer_file_are_used(
    code: str, keystore: KeyStore, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _keep(keystore, [], sequence=8)
    same = _file(keystore, tmp_path, [], sequence=8)  # the same list signed again
    status, out, _ = _verify(capsys, code, "--revocations", str(same))
    assert status == 0 and json.loads(out)["checks"]["revocation"] is True
    newer = _file(keystore, tmp_path, [REVOKED], sequence=9)
    status, out, _ = _verify(capsys, code, "--revocations", str(newer))
    assert status == 1 and json.loads(out)["checks"]["revocation"] is False


def test_with_no_kept_list_a_given_file_is_used_as_it_is(
    code: str,
    keystore: KeyStore,
    trust_file: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    given = _file(keystore, tmp_path, [], sequence=1)
    status, out, err = _verify(capsys, code, "--trust-list", str(trust_file),
                               "--revocations", str(given))  # fmt: skip
    assert status == 0, err
    assert json.loads(out)["checks"]["revocation"] is True
