"""Why a trust list or a revocation list cannot be used, in the user's words, in both languages:
no exception class names (``KeyError``, ``DerError``) and no English inside the Chinese (a QA
pass found "信任列表无法使用（entry 0: KeyError）" and "…（signature）")."""

from __future__ import annotations

import base64
import dataclasses
import json
import re
from pathlib import Path
from typing import Any

import pytest

from itdeclare import i18n
from itdeclare.certificate import errors, revocation
from itdeclare.certificate.keys import KeyStore
from itdeclare.certificate.trust import TrustList

from .conftest import ISSUED

#: Latin words in a Chinese message: allowed are the field names and codes a message quotes.
_LATIN_WORD = re.compile(r"[A-Za-z]{3,}")
_QUOTED = {"kid", "base", "DER", "JSON", "UTF", "issued_at", "sequence", "version"}

TRUST_LISTS: dict[str, tuple[Any, str, str]] = {
    "no keys": ({"nokeys": 1}, "no list of keys", "没有密钥列表"),
    "not an object": ([1], "entry 0 is not an object", "第 0 项不是对象"),
    "a field missing": (
        {"keys": [{"kid": "AAAA"}]},
        "entry 0: a field is missing, or not a base64 DER certificate or key",
        "第 0 项：缺少字段，或不是 base64 编码的 DER 证书或公钥",
    ),
    "not a certificate": (
        {"keys": [{"kid": "AAAA", "country": "CN", "certificate": "bm90IGEgY2VydA=="}]},
        "entry 0: a field is missing, or not a base64 DER certificate or key",
        "第 0 项：缺少字段，或不是 base64 编码的 DER 证书或公钥",
    ),
}


def _no_english_in(message: str) -> None:
    assert set(_LATIN_WORD.findall(message)) <= _QUOTED, message


@pytest.mark.parametrize("case", sorted(TRUST_LISTS))
@pytest.mark.parametrize("language", ["en", "zh"])
def test_a_trust_list_that_cannot_be_used_says_why(case: str, language: i18n.Language) -> None:
    document, english, chinese = TRUST_LISTS[case]
    i18n.set_language(language)
    try:
        with pytest.raises(errors.TrustListInvalid) as refused:
            TrustList.from_json(document)
    finally:
        i18n.set_language("en")
    message = refused.value.message(language)
    assert (english if language == "en" else chinese) in message
    if language == "zh":
        _no_english_in(message)


def _revocation_problems(keystore: KeyStore, other: KeyStore) -> dict[str, dict[str, Any]]:
    good = revocation.build(["A"], sequence=1, issued_at=ISSUED, signer=keystore.signer())
    # Signed with the German key, in the name of China.
    posing = dataclasses.replace(other.signer(), country="CN")
    foreign = revocation.build(["A"], sequence=1, issued_at=ISSUED, signer=posing)
    return {
        "version": {**good, "version": 99},
        "unknown signer": {**good, "kid": base64.b64encode(b"nobody!!").decode()},
        "bad signature": {**good, "sequence": 2},
        "other country": foreign,
    }


REVOCATION_REASONS = {
    "version": ("the field version is missing or wrong", "字段 version 缺失或有误"),
    "unknown signer": ("not signed by a key in the trust list", "签名密钥不在信任列表中"),
    "bad signature": ("the signature does not match", "签名不符"),
    "other country": ("issued for CN but signed by a key of DE", "为 CN 发布，却由 DE 的密钥签名"),
}


@pytest.mark.parametrize("case", sorted(REVOCATION_REASONS))
@pytest.mark.parametrize("language", ["en", "zh"])
def test_a_revocation_list_that_cannot_be_used_says_why(
    case: str, language: i18n.Language, keystore: KeyStore, tmp_path: Path
) -> None:
    other = KeyStore.init(tmp_path / "other", b"another good passphrase", "DE", now=ISSUED)
    trust = TrustList.from_json(
        {"keys": keystore.trust_list()["keys"] + other.trust_list()["keys"]}
    )
    document = _revocation_problems(keystore, other)[case]
    i18n.set_language(language)
    try:
        with pytest.raises(errors.RevocationListInvalid) as refused:
            revocation.load(json.loads(json.dumps(document)), trust)
    finally:
        i18n.set_language("en")
    english, chinese = REVOCATION_REASONS[case]
    message = refused.value.message(language)
    assert (english if language == "en" else chinese) in message
    if language == "zh":
        _no_english_in(message)


@pytest.mark.parametrize(
    ("content", "english", "chinese"),
    [(b"{not json", "not JSON", "不是 JSON"), (b"\xff\xfe{}", "not UTF-8 text", "不是 UTF-8 文本")],
)
def test_a_list_file_that_does_not_read_says_why(
    content: bytes, english: str, chinese: str, tmp_path: Path
) -> None:
    path = tmp_path / "list.json"
    path.write_bytes(content)
    for language, expected in (("en", english), ("zh", chinese)):
        i18n.set_language(language)
        try:
            with pytest.raises(errors.TrustListInvalid) as refused:
                TrustList.load(path)
        finally:
            i18n.set_language("en")
        assert expected in refused.value.message(language)
