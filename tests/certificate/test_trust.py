"""Trust lists in our format and the EU gateway's; key usage from signer certificates."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from itdeclare.certificate import errors
from itdeclare.certificate.keys import KeyStore
from itdeclare.certificate.trust import TrustList, kid_of


def _der(keystore: KeyStore) -> bytes:
    from cryptography.hazmat.primitives import serialization

    return keystore.signer().certificate.public_bytes(serialization.Encoding.DER)


def test_our_format_round_trips(keystore: KeyStore) -> None:
    exported = keystore.trust_list()
    entry = exported["keys"][0]
    assert entry["country"] == "CN" and base64.b64decode(entry["kid"]) == keystore.signer().kid
    assert base64.b64decode(entry["kid"]) == kid_of(base64.b64decode(entry["certificate"]))
    assert TrustList.from_json(exported).to_json() == exported


def test_the_eu_gateway_format(keystore: KeyStore) -> None:
    der = _der(keystore)
    gateway = [{"kid": base64.b64encode(kid_of(der)).decode(), "country": "CN",
                "certificateType": "DSC", "rawData": base64.b64encode(der).decode()}]  # fmt: skip
    for document in (gateway, {"certificates": gateway}):
        (key,) = TrustList.from_json(document).keys
        assert key.kid == keystore.signer().kid and key.allows("t") and key.allows("v")


def test_public_key_entries(keystore: KeyStore) -> None:
    from cryptography.hazmat.primitives import serialization

    spki = (
        keystore.signer()
        .certificate.public_key()
        .public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    document = {"keys": [{"kid": "AAECAwQFBgc=", "public_key": base64.b64encode(spki).decode()}]}
    (key,) = TrustList.from_json(document).keys
    assert key.kid == bytes(range(8)) and key.allowed_types is None
    assert TrustList.from_json(document).to_json() == document


@pytest.mark.parametrize(
    "document",
    [
        {},
        {"keys": "x"},
        {"keys": [1]},
        {"keys": [{"kid": "AA==", "certificate": "not base64!"}]},
        {"keys": [{"kid": "AA==", "public_key": base64.b64encode(b"junk").decode()}]},
        {"keys": [{"kid": "AA=="}]},
    ],
)
def test_bad_trust_lists(document: object) -> None:
    with pytest.raises(errors.TrustListInvalid):
        TrustList.from_json(document)


def test_a_kid_that_does_not_match_its_certificate(keystore: KeyStore) -> None:
    document = keystore.trust_list()
    document["keys"][0]["kid"] = "AAAAAAAAAAA="
    with pytest.raises(errors.TrustListInvalid):
        TrustList.from_json(document)


def test_unreadable_files(tmp_path: Path) -> None:
    (tmp_path / "t.json").write_text("{nope")
    for path in (tmp_path / "t.json", tmp_path / "missing.json"):
        with pytest.raises(errors.TrustListInvalid) as caught:
            TrustList.load(path)
        assert "trust list" in caught.value.message("en")
    assert json.loads(json.dumps(TrustList().to_json())) == {"keys": []}
