"""``itdeclare trust update`` never takes the kept revocation list back in time: a genuinely
signed list with a lower sequence (a stale mirror, a replay) would un-revoke codes, so it is
refused and the kept lists stay; so is a list with the kept sequence but other entries."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from itdeclare import cli, trust_update
from itdeclare.certificate import revocation
from itdeclare.certificate.issue import declaration_certificate_id, issue_declaration
from itdeclare.certificate.keys import KeyStore
from itdeclare.models import Declaration
from itdeclare.storage import trust as kept

from .conftest import DECLARATION_ID, DURING, EXPIRES, ISSUED, KEYS_MADE, PASSPHRASE

SERVER = "https://backend.example"
REVOKED = [declaration_certificate_id(DECLARATION_ID)]


class Backend:
    """What the backend answers ``trust update`` with: its trust list and a revocation list."""

    def __init__(self, store: KeyStore) -> None:
        self.store = store
        self.revocations: dict[str, Any] = {}

    def publish(self, revoked: list[str], sequence: int, *, hours: int = 0) -> None:
        self.revocations = revocation.build(
            revoked,
            sequence=sequence,
            issued_at=ISSUED + timedelta(hours=hours),
            signer=self.store.signer(),
        )

    def answer(self, _settings: object) -> tuple[str, dict[str, Any], bytes]:
        return SERVER, self.store.trust_list(), json.dumps(self.revocations).encode()


@pytest.fixture
def backend(keystore: KeyStore, monkeypatch: pytest.MonkeyPatch) -> Backend:
    serving = Backend(keystore)
    monkeypatch.setattr(trust_update, "_fetch_from_backend", serving.answer)
    return serving


def update(capsys: pytest.CaptureFixture[str], language: str = "en") -> tuple[int, str]:
    status = cli.main(["--lang", language, "trust", "update"])
    return status, capsys.readouterr().err


def kept_sequence() -> int:
    lists = kept.load()
    assert lists is not None and lists.revocations is not None
    return int(json.loads(lists.revocations.read_text("utf-8"))["sequence"])


def verify_kept(code: str, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    cli.main(["verify", "--json", "--at", DURING.isoformat(), code])
    result: dict[str, Any] = json.loads(capsys.readouterr().out)
    return result


def test_an_older_list_is_refused_and_the_revoked_code_stays_revoked(
    backend: Backend, keystore: KeyStore, maximal: Declaration, capsys: pytest.CaptureFixture[str]
) -> None:
    code = issue_declaration(maximal, declaration_id=DECLARATION_ID, signer=keystore.signer(),
                             issued_at=ISSUED, expires_at=EXPIRES)  # fmt: skip
    backend.publish([], sequence=0)
    assert update(capsys)[0] == 0
    backend.publish(REVOKED, sequence=1, hours=1)
    assert update(capsys)[0] == 0
    assert verify_kept(code, capsys)["checks"]["revocation"] is False

    backend.publish([], sequence=0, hours=2)  # genuinely signed, but older
    status, message = update(capsys)
    assert status == 1
    assert "no. 0, older than no. 1 kept here" in message and "unchanged" in message
    assert kept_sequence() == 1
    assert verify_kept(code, capsys)["checks"]["revocation"] is False  # still revoked

    assert update(capsys, "zh")[1].startswith(
        "后端提供的 CN 已取消健康码列表为第 0 号，比本机保存的第 1 号更旧"
    )


def test_the_same_number_with_other_entries_is_refused(
    backend: Backend, capsys: pytest.CaptureFixture[str]
) -> None:
    backend.publish(REVOKED, sequence=1)
    assert update(capsys)[0] == 0
    backend.publish(["URN:UVCI:01:CN:D/SOMEONEELSE"], sequence=1, hours=1)
    status, message = update(capsys)
    assert status == 1 and "names other codes than the list with the same number" in message
    assert "所列健康码不同" in update(capsys, "zh")[1]
    lists = kept.load()
    assert lists is not None and lists.revocations is not None
    assert json.loads(lists.revocations.read_text("utf-8")) != backend.revocations


def test_the_same_list_signed_again_and_a_newer_one_are_kept(
    backend: Backend, capsys: pytest.CaptureFixture[str]
) -> None:
    backend.publish(REVOKED, sequence=1)
    assert update(capsys)[0] == 0
    backend.publish(REVOKED, sequence=1, hours=1)  # the backend signs it on every request
    assert update(capsys)[0] == 0
    backend.publish([*REVOKED, "URN:UVCI:01:CN:D/SOMEONEELSE"], sequence=2, hours=2)
    assert update(capsys)[0] == 0 and kept_sequence() == 2


def test_another_countrys_list_is_no_history_of_the_kept_one(
    backend: Backend, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    backend.publish(REVOKED, sequence=5)
    assert update(capsys)[0] == 0
    backend.store = KeyStore.init(tmp_path / "pl", PASSPHRASE, country="PL", now=KEYS_MADE)
    backend.publish([], sequence=0)
    assert update(capsys)[0] == 0 and kept_sequence() == 0


def test_a_kept_list_that_no_longer_verifies_does_not_block_the_update(
    backend: Backend, capsys: pytest.CaptureFixture[str]
) -> None:
    backend.publish(REVOKED, sequence=5)
    assert update(capsys)[0] == 0
    lists = kept.load()
    assert lists is not None and lists.revocations is not None
    lists.revocations.write_text("damaged", "utf-8")
    backend.publish([], sequence=0)
    assert update(capsys)[0] == 0 and kept_sequence() == 0
