"""A revocation list issued after the validation time (``verify --at`` in the past) has no age
then: ``age_seconds`` is 0, the report says when it was issued rather than "0 h old", and a code
it names is said to have perhaps been revoked only after that time."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from itdeclare import cli, i18n
from itdeclare.certificate import revocation
from itdeclare.certificate.issue import declaration_certificate_id
from itdeclare.certificate.keys import KeyStore
from itdeclare.certificate.report import render
from itdeclare.certificate.trust import TrustList
from itdeclare.certificate.verify import Verification, verify

from .conftest import DECLARATION_ID, DURING, ISSUED

LATER = DURING + timedelta(days=5, hours=4, minutes=34, seconds=43)  # -448483 s from DURING


def listed(keystore: KeyStore, issued_at: datetime, *, naming_the_code: bool) -> dict[str, object]:
    revoked = [declaration_certificate_id(DECLARATION_ID)] if naming_the_code else []
    return revocation.build(revoked, sequence=4, issued_at=issued_at, signer=keystore.signer())


def checked(code: str, trust: TrustList, document: dict[str, object]) -> Verification:
    return verify(code, trust_list=trust, revocations=revocation.load(document, trust), at=DURING)


def test_a_list_issued_after_the_validation_time_is_not_given_a_negative_age(
    code: str, keystore: KeyStore, trust: TrustList
) -> None:
    result = checked(code, trust, listed(keystore, LATER, naming_the_code=False))
    assert result.valid and result.warnings == []  # it knows the code was not revoked by then
    assert result.to_json()["revocations"] == {
        "sequence": 4,
        "issued_at": LATER.isoformat(),
        "age_seconds": 0,
    }
    report = render(result)
    assert "Revocation list no. 4, issued" in report and "after the validation time" in report
    assert " old" not in report
    i18n.set_language("zh")
    try:
        assert "晚于核验时间" in render(result)
    finally:
        i18n.set_language("en")


def test_a_code_named_by_a_later_list_may_have_been_revoked_after_the_validation_time(
    code: str, keystore: KeyStore, trust: TrustList
) -> None:
    result = checked(code, trust, listed(keystore, LATER, naming_the_code=True))
    assert result.checks["revocation"] is False and not result.valid
    [warning] = result.to_json()["warnings"]
    assert warning["code"] == "revocation_list_newer"
    assert "revoked only after that time" in warning["message"]
    assert "晚于核验时间" in result.warnings[0].message("zh")


def test_a_list_issued_before_the_validation_time_keeps_its_age(
    code: str, keystore: KeyStore, trust: TrustList
) -> None:
    result = checked(code, trust, listed(keystore, ISSUED, naming_the_code=True))
    assert result.to_json()["revocations"]["age_seconds"] == 2 * 3600
    assert [w.code for w in result.warnings] == []  # revoked before the validation time
    assert "Revocation list no. 4, 2 h old" in render(result)


def test_verify_json_at_a_moment_before_the_list(
    code: str, keystore: KeyStore, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    trust_file, revocations_file = tmp_path / "trust.json", tmp_path / "revocations.json"
    trust_file.write_text(json.dumps(keystore.trust_list()), "utf-8")
    document = listed(keystore, LATER, naming_the_code=False)
    revocations_file.write_text(json.dumps(document), "utf-8")
    status = cli.main(["verify", "--json", "--trust-list", str(trust_file), "--revocations",
                       str(revocations_file), "--at", DURING.isoformat(), code])  # fmt: skip
    assert status == 0
    assert json.loads(capsys.readouterr().out)["revocations"]["age_seconds"] == 0
