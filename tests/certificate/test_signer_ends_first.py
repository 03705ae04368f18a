"""A code may not outlast its signing certificate. A signer past its end could otherwise date
a code back into its certificate's validity (``iat`` checks out) and give it a far ``exp``: the
code would verify for years after the certificate ended. Such a code is refused, saying why in
both languages; a code ending when or before its certificate does still verifies."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from itdeclare.certificate import errors
from itdeclare.certificate.verify import verify
from itdeclare.models import Declaration

from .conftest import ISSUED, KEYS_MADE, claims_of, run, signed
from .signers import limited_signer

#: The signing certificate's end: a day after the codes below are dated.
ENDS = ISSUED + timedelta(days=1)
#: Long after that end, when the back-dated code is shown.
LATER = ENDS + timedelta(days=90)


def test_a_code_that_outlasts_its_signing_certificate_is_refused(maximal: Declaration) -> None:
    signer, trust = limited_signer(None, ends=ENDS)
    code = signed(claims_of(maximal, exp=int((ISSUED + timedelta(days=365)).timestamp())), signer)
    result = verify(code, trust_list=trust, at=LATER)
    assert result.checks["signature"] is True and result.checks["expiry"] is True
    assert result.checks["issuer"] is False and not result.valid
    [error] = result.errors
    assert isinstance(error, errors.SignerEndsFirst)
    assert "after its signing certificate ends" in error.message("en")
    assert "晚于其签名证书的到期时间" in error.message("zh")
    assert "until 30 Nov 2027" in error.message("en")
    assert "ends (1 Dec 2026 12:00" in error.message("en")  # the certificate's end


def test_even_while_the_certificate_is_valid_the_code_may_not_outlast_it(
    maximal: Declaration,
) -> None:
    signer, trust = limited_signer(None, ends=ENDS)
    code = signed(claims_of(maximal, exp=int((ENDS + timedelta(seconds=1)).timestamp())), signer)
    result = verify(code, trust_list=trust, at=ISSUED + timedelta(hours=1))
    assert result.checks["issuer"] is False and not result.valid


def test_a_code_ending_with_its_certificate_verifies(maximal: Declaration) -> None:
    signer, trust = limited_signer(None, ends=ENDS)
    code = signed(claims_of(maximal, exp=int(ENDS.timestamp())), signer)
    result = verify(code, trust_list=trust, at=ISSUED + timedelta(hours=1))
    assert result.valid, result.errors


def test_a_bare_public_key_has_no_end_to_check(maximal: Declaration) -> None:
    """A trust-list entry with a public key only says nothing of an end."""
    from itdeclare.certificate.trust import TrustedKey, TrustList

    signer, trust = limited_signer(None, ends=ENDS)
    [entry] = trust.keys
    bare = TrustList((TrustedKey(entry.kid, entry.public_key, "CN"),))
    code = signed(claims_of(maximal, exp=int((ENDS + timedelta(days=30)).timestamp())), signer)
    assert verify(code, trust_list=bare, at=ISSUED + timedelta(hours=1)).valid


@pytest.mark.parametrize(
    ("language", "words"),
    [("en", "a certificate cannot vouch for a code beyond its own end"),
     ("zh", "签名证书不能为超出其自身有效期的健康码作保")],
)  # fmt: skip
def test_verify_says_why_in_both_languages(
    maximal: Declaration,
    tmp_path: Path,
    language: str,
    words: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    signer, trust = limited_signer(None, ends=ENDS)
    trust_file = tmp_path / "trust.json"
    trust_file.write_text(json.dumps(trust.to_json()), "utf-8")
    code = signed(claims_of(maximal, exp=int((ISSUED + timedelta(days=365)).timestamp())), signer)
    argv = [
        "verify",
        "--lang",
        language,
        "--trust-list",
        str(trust_file),
        "--at",
        LATER.isoformat(),
    ]
    status, out, _ = run(capsys, *argv, code)
    assert status == 1 and words in out
    status, out, _ = run(capsys, *argv, "--json", code)
    shown = json.loads(out)
    assert status == 1 and shown["checks"]["issuer"] is False
    assert any(words in error for error in shown["errors"])
    assert KEYS_MADE < ENDS  # the certificate was valid when the code says it was signed
