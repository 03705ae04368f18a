"""A revocation list is held to its date. Its signer's certificate must have been valid when the
list was issued, and a list dated ahead of the clock (beyond five minutes of skew) is refused.
Since a kept list bars every list with a lower number (``storage.trust.rollback``), a list from
the future with a huge number would otherwise freeze the kept list for good: ``trust update``
refuses it before keeping anything, ``verify --revocations`` refuses it (exit 2), and one that
found its way into the kept files binds nothing and blocks no genuine list."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from itdeclare import cli, i18n, trust_update
from itdeclare.certificate import errors, revocation
from itdeclare.certificate.issue import declaration_certificate_id
from itdeclare.certificate.keys import KeyStore, Signer
from itdeclare.certificate.trust import TrustList
from itdeclare.storage import trust as kept

from .conftest import DECLARATION_ID, DURING, ISSUED, KEYS_MADE
from .signers import limited_signer

SERVER = "https://backend.example"
REVOKED = [declaration_certificate_id(DECLARATION_ID)]
HUGE = 2**62


def listed(signer: Signer, issued_at: datetime, sequence: int = 1) -> dict[str, Any]:
    return revocation.build(REVOKED, sequence=sequence, issued_at=issued_at, signer=signer)


def reason(document: dict[str, Any], trust: TrustList, language: i18n.Language) -> str:
    """Why the list is refused, in ``language`` (the reason is worded when it is found)."""
    i18n.set_language(language)
    try:
        with pytest.raises(errors.RevocationListInvalid) as refused:
            revocation.load(document, trust)
        return refused.value.message()
    finally:
        i18n.set_language("en")


# --- the list's date ------------------------------------------------------------------------


def test_a_list_dated_in_the_future_is_refused(keystore: KeyStore, trust: TrustList) -> None:
    future = listed(keystore.signer(), datetime.now(UTC) + timedelta(hours=1), HUGE)
    assert "later than now" in reason(future, trust, "en")
    assert "晚于当前时间" in reason(future, trust, "zh")


def test_a_list_a_few_minutes_ahead_is_within_the_clocks_skew(
    keystore: KeyStore, trust: TrustList
) -> None:
    now = datetime.now(UTC)
    ahead = listed(keystore.signer(), now + timedelta(minutes=4))
    assert revocation.load(ahead, trust, now=now).sequence == 1
    too_far = listed(keystore.signer(), now + timedelta(minutes=6))
    with pytest.raises(errors.RevocationListInvalid):
        revocation.load(too_far, trust, now=now)


def test_a_list_issued_after_its_signers_certificate_ended_is_refused() -> None:
    ends = ISSUED + timedelta(days=1)
    signer, trust = limited_signer(None, ends=ends)
    late = listed(signer, ends + timedelta(days=1), HUGE)
    assert "not valid when it was issued" in reason(late, trust, "en")
    assert "签名证书不在有效期内" in reason(late, trust, "zh")
    assert revocation.load(listed(signer, ends), trust).sequence == 1  # on its last moment


def test_a_list_issued_before_its_signers_certificate_began_is_refused() -> None:
    signer, trust = limited_signer(None)
    early = listed(signer, KEYS_MADE - timedelta(days=1))
    assert "not valid when it was issued" in reason(early, trust, "en")


# --- nothing freezes the kept list: trust update ----------------------------------------------


class Backend:
    """What the backend answers ``trust update`` with."""

    def __init__(self, store: KeyStore) -> None:
        self.store = store
        self.revocations: dict[str, Any] = {}

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


def kept_sequence() -> int | None:
    lists = kept.load()
    if lists is None or lists.revocations is None:
        return None
    return int(json.loads(lists.revocations.read_text("utf-8"))["sequence"])


def test_trust_update_refuses_a_future_list_and_keeps_nothing(
    backend: Backend, keystore: KeyStore, capsys: pytest.CaptureFixture[str]
) -> None:
    backend.revocations = listed(keystore.signer(), datetime.now(UTC) + timedelta(days=365), HUGE)
    status, message = update(capsys)
    assert status == 1 and "later than now" in message
    assert kept.load() is None
    assert "晚于当前时间" in update(capsys, "zh")[1]
    backend.revocations = listed(keystore.signer(), ISSUED, 1)  # the genuine list is kept
    assert update(capsys)[0] == 0 and kept_sequence() == 1


def test_trust_update_refuses_a_future_list_after_a_genuine_one(
    backend: Backend, keystore: KeyStore, capsys: pytest.CaptureFixture[str]
) -> None:
    backend.revocations = listed(keystore.signer(), ISSUED, 1)
    assert update(capsys)[0] == 0
    backend.revocations = listed(keystore.signer(), datetime.now(UTC) + timedelta(days=365), HUGE)
    assert update(capsys)[0] == 1 and kept_sequence() == 1
    backend.revocations = listed(keystore.signer(), ISSUED + timedelta(hours=1), 2)
    assert update(capsys)[0] == 0 and kept_sequence() == 2  # not frozen


def test_a_future_list_among_the_kept_files_blocks_no_genuine_list(
    backend: Backend, keystore: KeyStore, capsys: pytest.CaptureFixture[str]
) -> None:
    """Written there by other means than ``trust update``: it no longer verifies, so it binds
    nothing, and the update keeps the genuine list over it."""
    future = listed(keystore.signer(), datetime.now(UTC) + timedelta(days=365), HUGE)
    kept.save(
        json.dumps(keystore.trust_list()).encode(),
        json.dumps(future).encode(),
        server=SERVER,
        fetched_at=datetime.now(UTC),
    )
    assert kept.kept_revocations() is None
    backend.revocations = listed(keystore.signer(), ISSUED, 1)
    assert update(capsys)[0] == 0 and kept_sequence() == 1


# --- nothing freezes the kept list: verify --revocations --------------------------------------


@pytest.mark.parametrize(("language", "words"), [("en", "later than now"), ("zh", "晚于当前时间")])
def test_verify_refuses_a_future_list_given_as_a_file(
    code: str,
    keystore: KeyStore,
    trust_file: Path,
    tmp_path: Path,
    language: str,
    words: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    future = listed(keystore.signer(), datetime.now(UTC) + timedelta(days=365), HUGE)
    path = tmp_path / "revocations.json"
    path.write_text(json.dumps(future), "utf-8")
    argv = ["verify", "--lang", language, "--trust-list", str(trust_file)]
    status = cli.main([*argv, "--revocations", str(path), "--at", DURING.isoformat(), code])
    out, err = capsys.readouterr()
    assert status == 2 and out == "" and words in err
    assert kept.load() is None  # nothing was kept from it


def test_verify_refuses_a_list_its_signer_could_not_issue_then(
    code: str, trust_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ends = ISSUED + timedelta(days=1)
    signer, trust = limited_signer(None, ends=ends)
    both = tmp_path / "both.json"
    own = json.loads(trust_file.read_text("utf-8"))
    both.write_text(json.dumps({"keys": own["keys"] + trust.to_json()["keys"]}), "utf-8")
    path = tmp_path / "revocations.json"
    path.write_text(json.dumps(listed(signer, ends + timedelta(days=2), HUGE)), "utf-8")
    status = cli.main(["verify", "--trust-list", str(both), "--revocations", str(path), code])
    assert status == 2 and "not valid when it was issued" in capsys.readouterr().err
