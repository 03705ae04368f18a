"""The key-usage check, taken by itself over every combination of what a signer's certificate
allows (nothing said, or any set of the three DCC types) and what a code holds (an EU DCC entry
of each type, none, two, and the record or not): it passes, fails or is not reached as the rule
says. The check skips looking for the DCC entry when the signer may sign the record (so every
type); this shows that gives the rule's verdict."""

from __future__ import annotations

from itertools import combinations
from typing import Any

import pytest

from itdeclare.certificate import errors
from itdeclare.certificate.cwt import Claims
from itdeclare.certificate.trust import TrustedKey
from itdeclare.certificate.verify import Verification, _key_usage

from .conftest import DURING

TYPES = ("t", "v", "r")
ALLOWED: list[frozenset[str] | None] = [
    None,
    *(frozenset(chosen) for size in range(4) for chosen in combinations(TYPES, size)),
]
PAYLOADS: list[Any] = [None, {"nam": {}}, {"v": [{}]}, {"t": [{}]}, {"r": [{}]}, {"v": [], "t": []}]
RECORDS: list[Any] = [None, [1, 1, "7A5XZCY3BII4UMDO"]]


def _expected(
    allowed: frozenset[str] | None, payload: Any, record: Any
) -> tuple[bool | None, bool, bool]:
    """(the check's verdict, whether the entry is refused, whether the record is refused)."""
    kinds = [kind for kind in TYPES if isinstance(payload, dict) and kind in payload]
    kind = kinds[0] if len(kinds) == 1 else None
    if kind is None and record is None:
        return None, False, False  # nothing a certificate's key usage speaks of
    entry_refused = kind is not None and allowed is not None and kind not in allowed
    record_refused = record is not None and allowed is not None and not allowed >= set(TYPES)
    return not (entry_refused or record_refused), entry_refused, record_refused


@pytest.mark.parametrize("allowed", ALLOWED)
@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize("record", RECORDS)
def test_the_key_usage_verdict_is_the_rule_for_every_signer_and_content(
    allowed: frozenset[str] | None, payload: Any, record: Any
) -> None:
    signer = TrustedKey(b"kid", public_key=None, country="CN", allowed_types=allowed)  # type: ignore[arg-type]
    result = Verification(DURING)
    result.signer = signer
    result.claims = Claims("CN", 0, 1, None, record, payload)
    _key_usage(result)
    verdict, entry_refused, record_refused = _expected(allowed, payload, record)
    assert result.checks["key_usage"] is verdict
    assert any(isinstance(e, errors.KeyUsageDenied) for e in result.errors) == entry_refused
    refused_record = any(isinstance(e, errors.KeyUsageRecordDenied) for e in result.errors)
    assert refused_record == record_refused
