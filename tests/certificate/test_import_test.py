"""``itdeclare import-test``: a lab's EU DCC test certificate, verified, read as a §4.5 test.

Certificates are made here, signed by a key store under tmp_path, and checked against a trust
list in the EU gateway's format (``kid`` + ``rawData``) that the fixture writes; the EU test
vectors' test certificates are the reference where they are beside the clone.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import cbor2
import pytest
from cryptography.hazmat.primitives.serialization import Encoding

from itdeclare.certificate import cose, cwt, hc1
from itdeclare.certificate.imported import ImportRefused, import_test, shortened
from itdeclare.certificate.keys import KeyStore
from itdeclare.certificate.trust import TrustList
from itdeclare.cli import main
from itdeclare.models import LabResult, LabTestKind, validate_declaration
from tests.certificate.conftest import PASSPHRASE
from tests.conftest import SHARED_DIR
from tests.models.helpers import example

NOW = datetime.now(UTC).replace(microsecond=0)
SAMPLED = "2026-11-30T09:00:00-08:00"
VECTOR_DIR = SHARED_DIR / "testdata" / "dcc"


def lab_entry(**changes: Any) -> dict[str, Any]:
    entry = {
        "tg": "840539006",
        "tt": "LP6464-4",
        "sc": SAMPLED,
        "tr": "260415000",
        "tc": "Example Lab",
        "co": "US",
        "is": "Example Lab Inc.",
        "ci": "URN:UVCI:01:US:EXAMPLE0001",
    }
    return {**entry, **changes}


def dcc_payload(kind: str = "t", entry: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "ver": "1.3.0",
        "nam": {"fn": "Zhang", "fnt": "ZHANG", "gn": "San", "gnt": "SAN"},
        "dob": "1956-03-01",
        kind: [entry or lab_entry()],
    }


Sign = Callable[..., str]


@pytest.fixture
def keystore(tmp_path: Path) -> KeyStore:
    # A lab in the United States, its signer made before the certificates it signs.
    return KeyStore.init(
        tmp_path / "lab-keys", PASSPHRASE, country="US", now=NOW - timedelta(days=30)
    )


@pytest.fixture
def sign(keystore: KeyStore) -> Sign:
    """An ``HC1:`` code as a lab issues one: the DCC claim only, valid for three days."""

    def signed(payload: dict[str, Any] | None = None, *, expires: timedelta = timedelta(days=3)):
        signer = keystore.signer()
        claims = {
            cwt.ISS: "US",
            cwt.IAT: int(NOW.timestamp()),
            cwt.EXP: int((NOW + expires).timestamp()),
            cwt.HCERT: {cwt.DCC_V1: payload or dcc_payload()},
        }
        return hc1.encode(cose.sign_es256(cbor2.dumps(claims), signer.private_key, signer.kid))

    return signed


def gateway_trust_list(path: Path, certificates: list[tuple[bytes, str]]) -> Path:
    """A trust list in the EU gateway's format, from DER certificates and their countries."""
    from itdeclare.certificate.trust import kid_of

    entries = [
        {
            "kid": base64.b64encode(kid_of(der)).decode(),
            "country": country,
            "certificateType": "DSC",
            "rawData": base64.b64encode(der).decode(),
        }
        for der, country in certificates
    ]
    path.write_text(json.dumps(entries), "utf-8")
    return path


@pytest.fixture
def trust_file(keystore: KeyStore, tmp_path: Path) -> Path:
    der = keystore.signer().certificate.public_bytes(Encoding.DER)
    return gateway_trust_list(tmp_path / "trust-list.json", [(der, keystore.signer().country)])


def trust(path: Path) -> TrustList:
    return TrustList.load(path)


def test_a_lab_certificate_gives_its_test_and_holder(sign: Sign, trust_file: Path) -> None:
    imported = import_test(sign(), trust(trust_file))
    test = imported.test
    assert (test.kind, test.result) == (LabTestKind.NUCLEIC_ACID, LabResult.NEGATIVE)
    assert test.sampled_at == datetime.fromisoformat(SAMPLED)
    assert (test.institution, test.country) == ("Example Lab", "USA")
    assert (imported.holder.name, imported.holder.date_of_birth) == ("Zhang San", "1956-03-01")
    assert imported.warnings == ["Revocation was not checked (no revocation list)."]


def test_a_positive_result_maps_too(sign: Sign, trust_file: Path) -> None:
    code = sign(dcc_payload(entry=lab_entry(tr="260373001")))
    assert import_test(code, trust(trust_file)).test.result is LabResult.POSITIVE


def test_the_command_prints_the_test_object(
    sign: Sign, trust_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["import-test", "--json", "--trust-list", str(trust_file), sign()]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["verified"] is True
    assert out["test"] == {
        "kind": "nucleic_acid",
        "sampled_at": SAMPLED,
        "result": "negative",
        "institution": "Example Lab",
        "country": "USA",
    }
    assert out["holder"]["name"] == "Zhang San"
    assert main(["import-test", "--lang", "zh", "--trust-list", str(trust_file), sign()]) == 0
    text = capsys.readouterr().out
    assert "持有人：Zhang San，出生日期 1956-03-01" in text
    assert "检测：核酸检测，阴性" in text


def test_a_vaccination_certificate_is_not_a_test(
    sign: Sign, trust_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vaccination = {
        "tg": "840539006",
        "vp": "1119349007",
        "mp": "EU/1/20/1528",
        "ma": "ORG-100030215",
        "dn": 2,
        "sd": 2,
        "dt": "2021-06-01",
        "co": "US",
        "is": "Example Health",
        "ci": "URN:UVCI:01:US:EXAMPLE0002",
    }
    code = sign(dcc_payload("v", vaccination))
    with pytest.raises(ImportRefused) as refused:
        import_test(code, trust(trust_file))
    assert refused.value.code == "not_a_test"
    assert main(["import-test", "--json", "--trust-list", str(trust_file), code]) == 1
    out = json.loads(capsys.readouterr().out)
    assert (out["verified"], out["test"], out["code"]) == (False, None, "not_a_test")
    assert "not a test certificate: it holds a vaccination" in out["errors"][0]


def test_a_tampered_certificate_is_refused(sign: Sign, trust_file: Path) -> None:
    tag = cbor2.loads(hc1.decode(sign()))
    protected, unprotected, payload, signature = tag.value
    claims = cbor2.loads(payload)
    claims[cwt.HCERT][cwt.DCC_V1]["t"][0]["tr"] = "260373001"  # the result, changed
    altered = cbor2.CBORTag(tag.tag, [protected, unprotected, cbor2.dumps(claims), signature])
    with pytest.raises(ImportRefused) as refused:
        import_test(hc1.encode(cbor2.dumps(altered)), trust(trust_file))
    assert refused.value.code == "not_verified"
    assert "signature does not match" in refused.value.messages[0]


def test_a_certificate_of_a_signer_not_in_the_trust_list_is_refused(
    sign: Sign, tmp_path: Path
) -> None:
    other = KeyStore.init(tmp_path / "other-keys", PASSPHRASE).signer()
    path = gateway_trust_list(
        tmp_path / "other.json", [(other.certificate.public_bytes(Encoding.DER), "US")]
    )
    with pytest.raises(ImportRefused) as refused:
        import_test(sign(), trust(path))
    assert "not in the trust list" in refused.value.messages[0]


def test_an_expired_certificate_still_gives_its_test_with_a_note(
    sign: Sign, trust_file: Path
) -> None:
    code = sign(expires=timedelta(seconds=1))
    imported = import_test(code, trust(trust_file), at=NOW + timedelta(days=5))
    assert imported.test.kind is LabTestKind.NUCLEIC_ACID
    assert imported.warnings[0].startswith("The code expired on")


def test_a_rapid_antigen_test_has_no_kind_in_the_declaration(sign: Sign, trust_file: Path) -> None:
    with pytest.raises(ImportRefused) as refused:
        import_test(sign(dcc_payload(entry=lab_entry(tt="LP217198-3"))), trust(trust_file))
    assert refused.value.code == "test_type"


def test_the_holder_is_compared_with_the_subject(sign: Sign, trust_file: Path) -> None:
    holder = import_test(sign(), trust(trust_file)).holder.for_comparison()
    assert validate_declaration(example("self"), holders={0: holder}).warnings == []
    someone_else = dcc_payload()
    someone_else["nam"] = {"fn": "Li", "fnt": "LI", "gn": "Si", "gnt": "SI"}
    other = import_test(sign(someone_else), trust(trust_file)).holder.for_comparison()
    warnings = validate_declaration(example("self"), holders={1: other}).warnings
    assert [(w.loc, w.code) for w in warnings] == [("tests.1", "test_holder_differs")]


def test_usage_errors_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "missing.json"
    assert main(["import-test", "--trust-list", str(missing), "HC1:XYZ"]) == 2
    assert "trust list cannot be used" in capsys.readouterr().err
    with pytest.raises(SystemExit) as usage:
        main(["import-test"])
    assert usage.value.code == 2
    assert "one of the arguments payload --image is required" in capsys.readouterr().err


# --- the EU test vectors -----------------------------------------------------------------------


def vector_files() -> list[Path]:
    return sorted(VECTOR_DIR.rglob("*.json")) if VECTOR_DIR.is_dir() else []


def certificate_vectors(kind: str) -> list[Path]:
    """The vectors whose certificate holds a ``kind`` entry and verifies (signature and all)."""
    found = []
    for path in vector_files():
        data = json.loads(path.read_text("utf-8"))
        flags = data.get("EXPECTEDRESULTS", {})
        if kind in (data.get("JSON") or {}) and flags.get("EXPECTEDVERIFY") and "PREFIX" in data:
            found.append(path)
    return found


@pytest.fixture
def vectors(shared_dir: Path) -> Path:
    if not VECTOR_DIR.is_dir():
        pytest.skip(f"the EU DCC test vectors are not beside this clone ({VECTOR_DIR})")
    return VECTOR_DIR


def vector_trust(data: dict[str, Any], tmp_path: Path) -> TrustList:
    der = base64.b64decode(data["TESTCTX"]["CERTIFICATE"])
    country = (data.get("JSON") or {}).get("t", [{}])[0].get("co", "XX")
    return trust(gateway_trust_list(tmp_path / "vector-trust.json", [(der, country)]))


def test_every_verifiable_vector_test_certificate(vectors: Path, tmp_path: Path) -> None:
    paths = certificate_vectors("t")
    assert len(paths) >= 10
    imported = refused = 0
    for path in paths:
        data = json.loads(path.read_text("utf-8"))
        expected = data["JSON"]["t"][0]
        at = datetime.fromisoformat(data["TESTCTX"]["VALIDATIONCLOCK"].replace("Z", "+00:00"))
        at = at if at.tzinfo else at.replace(tzinfo=UTC)
        name = path.relative_to(vectors).as_posix()
        try:
            got = import_test(data["PREFIX"], vector_trust(data, tmp_path), at=at)
        except ImportRefused as error:
            refused += 1
            usage_denied = data["EXPECTEDRESULTS"].get("EXPECTEDKEYUSAGE") is False
            assert (error.code == "not_verified" and usage_denied) or (
                error.code == "test_type" and expected["tt"] == "LP217198-3"
            ), (name, error.messages)
            continue
        imported += 1
        signed = json.loads(path.read_text("utf-8"))["JSON"]
        assert got.test.kind is LabTestKind.NUCLEIC_ACID, name
        assert got.test.result is LabResult.NEGATIVE, name
        sampled = datetime.fromisoformat(expected["sc"].replace("Z", "+00:00"))
        # A declaration keeps times to the minute, and names as long as the code holds.
        assert got.test.sampled_at == sampled.replace(second=0, microsecond=0), name
        assert got.test.institution == shortened(expected["tc"]), name
        assert got.holder.family_name_standardised == signed["nam"]["fnt"], name
        assert got.holder.date_of_birth == signed["dob"], name
    assert imported >= 3 and refused >= 1


@pytest.mark.parametrize("kind", ["v", "r"])
def test_vector_vaccination_and_recovery_certificates_are_not_tests(
    vectors: Path, tmp_path: Path, kind: str
) -> None:
    paths = certificate_vectors(kind)
    assert paths
    for path in paths:
        data = json.loads(path.read_text("utf-8"))
        at = datetime.fromisoformat(data["TESTCTX"]["VALIDATIONCLOCK"].replace("Z", "+00:00"))
        with pytest.raises(ImportRefused) as refused:
            import_test(data["PREFIX"], vector_trust(data, tmp_path), at=at)
        assert refused.value.code in ("not_a_test", "not_verified"), path


@pytest.mark.parametrize(
    ("name", "kept"),
    [
        ("Example Lab", "Example Lab"),
        ("Department of ClinicalMicrobiology,Landspitali", "Department of ClinicalMicrobiology"),
        ("Testzentrum Frankfurt Flughafen Terminal 1", "Testzentrum Frankfurt Flughafen"),
        ("北京协和医院检验科临床微生物实验室分子诊断中心", "北京协和医院检验科临床微生物实验室分"),
    ],
)
def test_a_long_testing_centre_is_shortened_to_what_a_declaration_holds(
    name: str, kept: str
) -> None:
    from itdeclare.models.limits import INSTITUTION, width

    assert shortened(name) == kept
    assert width(shortened(name)) <= INSTITUTION


# --- a verified code that is no test certificate; the key it names --------------------------


@pytest.fixture
def china(tmp_path: Path) -> KeyStore:
    """China's signing keys: only China signs a returnee's health code (our record)."""
    return KeyStore.init(tmp_path / "cn-keys", PASSPHRASE, now=NOW - timedelta(days=30))


@pytest.fixture
def returnee_code(china: KeyStore) -> str:
    """A returnee's health code, signed by China's key: our record, no EU DCC."""
    from itdeclare.certificate.issue import issue_declaration
    from tests.certificate.conftest import DECLARATION_ID, load_declaration

    return issue_declaration(
        load_declaration("maximal_returnee.json"),
        declaration_id=DECLARATION_ID,
        signer=china.signer(),
        issued_at=NOW - timedelta(hours=1),
        expires_at=NOW + timedelta(days=3),
    )


@pytest.fixture
def both_file(keystore: KeyStore, china: KeyStore, tmp_path: Path) -> Path:
    """The lab's key and China's, in one trust list."""
    signers = [(store.signer().certificate.public_bytes(Encoding.DER), store.country)
               for store in (keystore, china)]  # fmt: skip
    return gateway_trust_list(tmp_path / "both.json", signers)


@pytest.mark.parametrize(
    ("language", "words"), [("en", "not a test certificate: it holds a health code"),
                            ("zh", "这不是检测证书：其中是不含欧盟数字新冠证书条目的健康码")]
)  # fmt: skip
def test_a_health_code_without_a_dcc_is_verified_and_not_a_test(
    returnee_code: str,
    both_file: Path,
    language: str,
    words: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """It has no DCC entry for a test: verified, but no test to import."""
    argv = ["import-test", "--lang", language, "--json", "--trust-list", str(both_file)]
    assert main([*argv, returnee_code]) == 1
    out = json.loads(capsys.readouterr().out)
    assert (out["verified"], out["code"]) == (False, "not_a_test")
    assert words in out["errors"][0]


def test_the_key_is_printed_in_base64_as_verify_and_the_trust_list_write_it(
    sign: Sign, keystore: KeyStore, trust_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    kid = base64.b64encode(keystore.signer().kid).decode("ascii")
    assert main(["import-test", "--trust-list", str(trust_file), sign()]) == 0
    assert f"key {kid})" in capsys.readouterr().out


def test_text_longer_than_any_code_is_not_verified(
    trust_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    too_long = "HC1:" + "A" * 5000
    assert main(["import-test", "--json", "--trust-list", str(trust_file), too_long]) == 1
    out = json.loads(capsys.readouterr().out)
    assert (out["verified"], out["code"]) == (False, "not_verified")
    assert "Longer than any QR code" in out["errors"][0]
