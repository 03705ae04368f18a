"""``itdeclare verify`` and ``itdeclare keys``: exit codes, JSON, human output in zh and en."""

from __future__ import annotations

import json
import stat
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from itdeclare import cli, i18n
from itdeclare.certificate import errors, revocation
from itdeclare.certificate.issue import declaration_certificate_id
from itdeclare.certificate.keys import KeyStore, public_trust_list
from itdeclare.certificate.trust import TrustList
from itdeclare.certificate.verify import verify

from .conftest import DECLARATION_ID, DURING, EXPIRES, ISSUED, PASSPHRASE, run


def test_verify_json_contract(
    code: str, trust_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = run(capsys, "verify", "--json", "--trust-list", str(trust_file),
                         "--at", "2026-11-30T14:00", code)  # fmt: skip
    result = json.loads(out)
    assert status == 0
    assert set(result) == {
        "valid",
        "checks",
        "kid",
        "issued_at",
        "expires_at",
        "payload",
        "errors",
        "warnings",
        "trust_data",
    }
    assert result["trust_data"] is None  # the lists came from files, not from trust update
    assert [warning["code"] for warning in result["warnings"]] == ["revocation_not_checked"]
    assert {
        "prefix",
        "base45",
        "zlib",
        "cose",
        "signature",
        "issuer",
        "expiry",
        "revocation",
        "schema",
    } <= set(result["checks"])
    assert result["issued_at"] == ISSUED.isoformat() and result["errors"] == []


def test_verify_reads_a_file_and_reports_expiry(
    code: str, trust_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "code.txt"
    path.write_text(code + "\n")
    late = (EXPIRES + timedelta(days=1)).isoformat()
    status, out, _ = run(capsys, "verify", "--trust-list", str(trust_file), "--at", late, str(path))
    assert status == 1
    assert "NOT VALID" in out and "expired" in out and "OUYANG XIAOMING" in out


def test_verify_in_chinese(code: str, trust_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "verify", "--lang", "zh", "--trust-list", str(trust_file),
                         "--at", DURING.isoformat(), code)  # fmt: skip
    assert status == 0
    for text in (
        "健康码有效",
        "持码人",
        "欧阳晓明",
        "核酸检测",
        "阴性",
        "疫苗接种",
        "行程",
        "入境口岸",
    ):
        assert text in out


def test_verify_usage_errors(
    code: str, trust_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "verify", "--trust-list", str(trust_file), "--at", "soon", code)[0] == 2
    status, _, err = run(capsys, "verify", "--trust-list", str(trust_file / "missing"), code)
    assert status == 2 and "trust list" in err
    status, _, err = run(
        capsys, "verify", "--image", str(trust_file), "--trust-list", str(trust_file)
    )
    assert status == 2 and "QR" in err
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["verify"])
    assert exit_info.value.code == 2


def test_verify_defaults_to_the_local_trust_list(
    code: str,
    keystore: KeyStore,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("ITDECLARE_DATA_DIR", str(keystore.directory.parent))
    assert run(capsys, "verify", "--at", DURING.isoformat(), code)[0] == 0


def test_revocation_list(
    code: str,
    keystore: KeyStore,
    trust_file: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    document = revocation.build(
        [declaration_certificate_id(DECLARATION_ID), "URN:UVCI:01:CN:D/OTHER"],
        sequence=3,
        issued_at=ISSUED,
        signer=keystore.signer(),
    )
    assert len(document["entries"]) == 2 and "OTHER" not in json.dumps(document)
    path = tmp_path / "revoked.json"
    path.write_text(json.dumps(document))
    status, out, _ = run(capsys, "verify", "--json", "--trust-list", str(trust_file),
                         "--revocations", str(path), "--at", DURING.isoformat(), code)  # fmt: skip
    result = json.loads(out)
    assert status == 1 and result["checks"]["revocation"] is False
    assert result["revocations"] == {
        "sequence": 3,
        "issued_at": ISSUED.isoformat(),
        "age_seconds": 7200,
    }

    empty = revocation.build([], sequence=4, issued_at=ISSUED, signer=keystore.signer())
    listed = revocation.load(empty, TrustList.from_json(keystore.trust_list()))
    valid = verify(
        code, trust_list=TrustList.from_json(keystore.trust_list()), revocations=listed, at=DURING
    )
    assert valid.valid and valid.checks["revocation"] is True
    assert valid.revocation_age == timedelta(hours=2)
    status, out, _ = run(capsys, "verify", "--trust-list", str(trust_file), "--revocations",
                         str(path), "--at", DURING.isoformat(), code)  # fmt: skip
    assert "Revocation list no. 3, 2 h old" in out and "revoked" in out


def test_a_tampered_revocation_list_is_refused(keystore: KeyStore) -> None:
    trust = TrustList.from_json(keystore.trust_list())
    document = revocation.build(["A"], sequence=1, issued_at=ISSUED, signer=keystore.signer())
    document["entries"] = []
    with pytest.raises(errors.RevocationListInvalid):
        revocation.load(document, trust)
    with pytest.raises(errors.RevocationListInvalid):
        revocation.load(document, TrustList())


# --- keys --------------------------------------------------------------------------------------


def test_keys_init_rotate_export(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], real_key_sealing: None
) -> None:
    directory = tmp_path / "k"
    secret = tmp_path / "passphrase"
    secret.write_text("s3cret passphrase\n")
    base = ["keys", "--keys-dir", str(directory), "--passphrase-file", str(secret)]
    assert run(capsys, *base, "init")[0] == 0
    assert run(capsys, *base, "init")[0] == 2  # exists already
    first = KeyStore.open(directory, b"s3cret passphrase").signer()
    assert run(capsys, *base, "rotate")[0] == 0
    second = KeyStore.open(directory, b"s3cret passphrase").signer()
    assert first.kid != second.kid
    status, out, _ = run(capsys, *base, "export-trust-list")
    listed = {entry["kid"] for entry in json.loads(out)["keys"]}
    assert status == 0 and len(listed) == 2  # the old signer stays until it expires
    for path in directory.rglob("*"):
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode & 0o077 == 0, (path, oct(mode))
    sealed_key = json.loads((directory / "csca.key.pem").read_bytes())
    assert (sealed_key["kdf"], sealed_key["n"], sealed_key["r"]) == ("scrypt", 2**17, 8)


def test_keys_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    directory = str(tmp_path / "k")
    monkeypatch.delenv("ITDECLARE_KEY_PASSPHRASE", raising=False)
    status, _, err = run(capsys, "keys", "--keys-dir", directory, "init")
    assert status == 2 and "ITDECLARE_KEY_PASSPHRASE" in err
    monkeypatch.setenv("ITDECLARE_KEY_PASSPHRASE", "one two three four")
    assert run(capsys, "keys", "--keys-dir", directory, "rotate")[0] == 2  # nothing to rotate
    assert run(capsys, "keys", "--keys-dir", directory, "init")[0] == 0
    monkeypatch.setenv("ITDECLARE_KEY_PASSPHRASE", "two three four five")
    status, _, err = run(capsys, "keys", "--lang", "zh", "--keys-dir", directory, "rotate")
    assert status == 2 and "口令" in err
    assert run(capsys, "keys")[0] == 2


#: What stands at the passphrase file's path: nothing, a directory, or these bytes.
_ABSENT, _DIRECTORY = "absent", "directory"


@pytest.mark.parametrize(
    ("there", "english", "chinese"),
    [
        (_ABSENT, "Cannot read the passphrase file {path}: no such file.",
         "无法读取口令文件 {path}：文件不存在。"),
        (_DIRECTORY, "Cannot read the passphrase file {path}: it is a directory.",
         "无法读取口令文件 {path}：这是一个目录。"),
        (b"", "The passphrase file {path} is empty.", "口令文件 {path} 是空的。"),
        (b"caf\xe9 caf\xe9 caf\xe9", "Cannot read the passphrase file {path}: not UTF-8 text.",
         "无法读取口令文件 {path}：不是 UTF-8 文本。"),
    ],
)  # fmt: skip
def test_a_passphrase_file_that_does_not_read_is_told_as_such(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    there: str | bytes,
    english: str,
    chinese: str,
) -> None:
    """It said "No passphrase: set ITDECLARE_KEY_PASSPHRASE or give --passphrase-file
    (FileNotFoundError)", though a file was given, with a class name for a reason."""
    secret = tmp_path / "secret"
    if there == _DIRECTORY:
        secret.mkdir()
    elif isinstance(there, bytes):
        secret.write_bytes(there)
    base = ["keys", "--keys-dir", str(tmp_path / "k"), "--passphrase-file", str(secret)]
    for language, expected in (("en", english), ("zh", chinese)):
        status, _, err = run(capsys, *base, "--lang", language, "init")
        assert (status, err.strip()) == (2, expected.format(path=secret))


@pytest.mark.parametrize("language", ["en", "zh"])
def test_keys_init_refuses_a_short_passphrase(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    language: str,
) -> None:
    monkeypatch.setenv("ITDECLARE_KEY_PASSPHRASE", "x" * 11)
    status, _, err = run(capsys, "keys", "--lang", language, "--keys-dir", str(tmp_path), "init")
    assert status == 2
    assert "12" in err and ("too short" in err if language == "en" else "口令太短" in err)
    assert not KeyStore.exists(tmp_path)


def _legacy_store(directory: Path, passphrase: bytes) -> KeyStore:
    """A store as the older version wrote it: PKCS#8 PEM, PBKDF2 at 2,048 rounds."""
    from cryptography.hazmat.primitives import serialization

    store = KeyStore.init(directory, passphrase)
    for path in store._private_key_files():
        key = KeyStore.open(directory, passphrase)._read_key(path)
        legacy = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(passphrase),
        )
        path.write_bytes(legacy)
    return KeyStore.open(directory, passphrase)


def test_keys_of_the_older_form_still_open_and_rekey_seals_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    directory = tmp_path / "k"
    store = _legacy_store(directory, PASSPHRASE)
    kid = store.signer().kid
    assert len(store.legacy_key_files()) == 2
    secret, new_secret = tmp_path / "old", tmp_path / "new"
    secret.write_bytes(PASSPHRASE)
    new_secret.write_text("a brand new passphrase")
    base = ["keys", "--keys-dir", str(directory), "--passphrase-file", str(secret)]
    status, out, _ = run(capsys, *base, "rekey", "--new-passphrase-file", str(new_secret))
    assert status == 0 and "2" in out
    reopened = KeyStore.open(directory, b"a brand new passphrase")
    assert reopened.legacy_key_files() == []
    assert reopened.signer().kid == kid
    with pytest.raises(errors.WrongPassphrase):
        KeyStore.open(directory, PASSPHRASE)


def test_a_sealed_key_refuses_a_lowered_work_factor(keystore: KeyStore) -> None:
    """The scrypt parameters are authenticated: lowering them in the file does not help."""
    path = keystore.directory / "csca.key.pem"
    document = json.loads(path.read_bytes())
    document["n"] = 2**10
    path.write_text(json.dumps(document))
    with pytest.raises(errors.WrongPassphrase):
        KeyStore.open(keystore.directory, PASSPHRASE).rotate()


def test_expired_signers_leave_the_trust_list(keystore: KeyStore) -> None:
    later = keystore.signer().certificate.not_valid_after_utc + timedelta(seconds=1)
    assert public_trust_list(keystore.directory, later).keys == ()


def test_old_codes_verify_after_rotation(keystore: KeyStore, code: str) -> None:
    reopened = KeyStore.open(keystore.directory, PASSPHRASE)
    reopened.rotate()
    trust = TrustList.from_json(reopened.trust_list())
    assert verify(code, trust_list=trust, at=DURING).valid


def test_messages_exist_in_both_languages() -> None:
    for error in (errors.Expired(at=ISSUED), errors.KeyUsageDenied(type="recovery")):
        assert error.message("en") != error.message("zh")
    assert "康复" in errors.KeyUsageDenied(type="recovery").message("zh")
    assert i18n.t("certificate.report.valid", "zh") == "健康码有效"


def test_importing_the_verifier_stays_light() -> None:
    """The TUI imports these for its QR screen; cryptography and qrcode load only when used."""
    script = (
        "import sys, itdeclare.certificate.verify, itdeclare.certificate.keys, "
        "itdeclare.certificate.issue, itdeclare.certificate.qr, itdeclare.certificate.revocation, "
        "itdeclare.certificate.report;"
        "heavy = ('cryptography.hazmat', 'qrcode', 'zxingcpp');"
        "print([m for m in sys.modules if m.startswith(heavy)])"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_verifying_lines_never_loads_the_domain_models() -> None:
    """``verify --jsonl`` pays its start-up on every batch: pydantic is not part of it."""
    script = (
        "import sys, itdeclare.cli, itdeclare.verify_cli, itdeclare.certificate.verify;"
        "print([m for m in sys.modules if m.startswith(('pydantic', 'itdeclare.models.base'))])"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
