"""``verify --json`` and ``--jsonl`` always write strict JSON: a DCC's NaN or infinity (JSON has
no number for them) is written as the text ``"NaN"``, ``"Infinity"`` or ``"-Infinity"``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from itdeclare import cli
from itdeclare.certificate import cwt
from itdeclare.certificate.keys import KeyStore
from itdeclare.certificate.verify import json_safe
from itdeclare.models import Declaration

from .conftest import DURING, KEYS_MADE, PASSPHRASE, claims_of, signed

NAN, INF = float("nan"), float("inf")


def strict(text: str) -> Any:
    """``text`` as JSON, refusing the ``NaN``/``Infinity`` words Python's reader would take."""

    def refuse(constant: str) -> None:
        raise ValueError(f"not JSON: {constant}")

    return json.loads(text, parse_constant=refuse)


@pytest.fixture
def odd_codes(maximal: Declaration, keystore: KeyStore, tmp_path: Path) -> list[str]:
    """Codes whose DCC carries non-finite floats (in a field, a list and a nested map; once
    beside an integer too large for the fast line writer), signed by a trusted key and by a
    key no trust list holds."""
    stranger = KeyStore.init(tmp_path / "stranger", PASSPHRASE, now=KEYS_MADE)
    dcc = {"ver": "1.3.0", "x": NAN, "list": [INF, -INF, 1.5], "nested": {"y": -INF}}
    codes = []
    for store in (keystore, stranger):
        for extra in ({}, {"big": 2**70}):
            claims = claims_of(maximal)
            claims[cwt.HCERT] = {cwt.DCC_V1: {**dcc, **extra}}
            codes.append(signed(claims, store.signer()))
    return codes


def test_non_finite_floats_are_written_as_text() -> None:
    assert json_safe({"x": NAN, "l": [INF, -INF, 0.25], 1.0: -0.0}) == {
        "x": "NaN",
        "l": ["Infinity", "-Infinity", 0.25],
        "1.0": -0.0,
    }


def test_verify_json_is_strict_json(
    odd_codes: list[str], trust_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for code in odd_codes:
        cli.main(["verify", "--json", "--trust-list", str(trust_file),
                  "--at", DURING.isoformat(), code])  # fmt: skip
        dcc = strict(capsys.readouterr().out)["payload"]["dcc"]
        assert dcc["x"] == "NaN" and dcc["nested"] == {"y": "-Infinity"}
        assert dcc["list"] == ["Infinity", "-Infinity", 1.5]


def test_verify_jsonl_is_strict_json(
    odd_codes: list[str], trust_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "codes.txt"
    source.write_text("\n".join(odd_codes) + "\n", "utf-8")
    cli.main(["verify", "--jsonl", str(source), "--trust-list", str(trust_file),
              "--at", DURING.isoformat()])  # fmt: skip
    lines = [strict(line) for line in capsys.readouterr().out.splitlines()]
    assert len(lines) == len(odd_codes)
    assert all(line["payload"]["dcc"]["x"] == "NaN" for line in lines)  # not orjson's null
