"""The rules the backend serves carry the warnings beside them, versioned with them."""

from __future__ import annotations

import httpx

from itdeclare.models import RuleSet, default_rules
from itdeclare.models.cautions import KNOWN_CODES


def test_the_rules_serve_the_warnings_with_their_texts(http: httpx.Client) -> None:
    served = http.get("/api/v1/rules").json()
    rules = RuleSet.model_validate(served)
    assert rules.version == default_rules().version
    assert {spec.code for spec in rules.warnings} == KNOWN_CODES
    expiry = next(w for w in served["warnings"] if w["code"] == "passport_expires_soon")
    assert expiry["params"] == {"months": 6}
    assert "{months}" in expiry["message"]["en"] and "{months}" in expiry["message"]["zh"]
