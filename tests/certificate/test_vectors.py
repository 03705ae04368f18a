"""Conformance with the EU DCC test vectors: every expectation flag of every vector file.

Each flag names one step; the test runs that step with this package and compares. The few
flags where the vector data contradicts itself are listed in ``DATA_ERRORS`` with the reason,
and the test checks that the package gives the *correct* answer there.
"""

from __future__ import annotations

import base64
import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from itdeclare.certificate import cose, cwt, dcc, errors, hc1, qr
from itdeclare.certificate.trust import TrustList
from itdeclare.certificate.verify import Verification, parse_time, verify, verify_cose
from tests.conftest import SHARED_DIR

VECTOR_DIR = SHARED_DIR / "testdata" / "dcc"
VECTORS = sorted(VECTOR_DIR.rglob("*.json")) if VECTOR_DIR.is_dir() else []

#: (vector, flag) → why the flag is wrong. There the test expects the opposite of the flag.
DATA_ERRORS: dict[tuple[str, str], str] = {
    **{
        (f"PL/1.3.0/2DCode/raw/{n}.json", flag): "JSON differs from the signed payload "
        "(the vector README says so too)"
        for n in (1, 5)
        for flag in ("EXPECTEDDECODE", "EXPECTEDVALIDJSON")
    },
    **{
        (f"PL/{version}/2DCode/raw/{n}.json", "EXPECTEDSCHEMAVALIDATION"): "the payload "
        "conforms to the DCC JSON schema; the upstream flag rejects a value-set code "
        f"({what}), which the schema does not constrain"
        for version in ("1.0.0", "1.2.1", "1.3.0")
        for n, what in ((7, "RAT device 9999"), (9, "manufacturer ORG-99999999"))
    },
}
#: Flags whose input the file does not carry (a picture flag with no picture).
UNTESTABLE = {("common/2DCode/raw/B1.json", "EXPECTEDPICTUREDECODE")}


def _name(path: Path) -> str:
    return path.relative_to(VECTOR_DIR).as_posix()


def _normalised(value: Any) -> Any:
    """JSON data with timestamps compared as instants, whatever their spelling."""
    if isinstance(value, dict):
        return {str(k): _normalised(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_normalised(v) for v in value]
    if isinstance(value, datetime):
        return value.timestamp()
    if isinstance(value, str) and len(value) > 10 and value[4] == "-" and value[10] == "T":
        try:
            return parse_time(value).timestamp()
        except ValueError:
            return value
    return value


class Vector:
    def __init__(self, path: Path) -> None:
        self.data = json.loads(path.read_text("utf-8"))
        context = self.data["TESTCTX"]
        self.at = parse_time(context["VALIDATIONCLOCK"])
        certificate = base64.b64decode(context["CERTIFICATE"])
        self.trust = TrustList.of_certificates([certificate])

    def hex(self, field: str) -> bytes | None:
        return bytes.fromhex(self.data[field]) if field in self.data else None

    def run(self) -> Verification:
        """The whole verification, from the COSE bytes when the file has them."""
        cose_bytes = self.hex("COSE")
        if cose_bytes is not None:
            return verify_cose(cose_bytes, trust_list=self.trust, at=self.at)
        return verify(self.data["PREFIX"], trust_list=self.trust, at=self.at)

    def dcc_from(self, source: bytes | None) -> Any:
        if source is None:
            source = hc1.decode(self.data["PREFIX"])
        payload = cwt.parse(cose.parse(source).payload).dcc
        if not isinstance(payload, dict):
            raise errors.SchemaInvalid(reason="no DCC map")
        return payload

    def matches_json(self, source: bytes | None) -> bool:
        try:
            payload = self.dcc_from(source)
        except errors.CertificateError:
            return False
        return _normalised(payload) == _normalised(self.data["JSON"])


def _step(vector: Vector, flag: str) -> bool:
    """What this package says for the step ``flag`` tests."""
    data = vector.data
    try:
        if flag == "EXPECTEDPICTUREDECODE":
            picture = data.get("2DCODE", data.get("_2DCODE"))
            return qr.read_image(base64.b64decode(picture)) == data["PREFIX"]
        if flag == "EXPECTEDUNPREFIX":
            rest = hc1.unprefix(data["PREFIX"])
            return "BASE45" not in data or rest == data["BASE45"]
        if flag == "EXPECTEDB45DECODE":
            compressed = hc1.b45decode(data["BASE45"])
            return "COMPRESSED" not in data or compressed == vector.hex("COMPRESSED")
        if flag == "EXPECTEDCOMPRESSION":
            inflated = hc1.inflate(vector.hex("COMPRESSED") or b"")
            return "COSE" not in data or inflated == vector.hex("COSE")
        if flag == "EXPECTEDVERIFY":
            return vector.run().checks["signature"] is True
        if flag == "EXPECTEDKEYUSAGE":  # of the file's DSC, even where another key signed
            kind = dcc.entry_type(vector.dcc_from(vector.hex("COSE")))
            return kind is not None and vector.trust.keys[0].allows(kind)
        if flag == "EXPECTEDEXPIRATIONCHECK":
            return vector.run().checks["expiry"] is True
        if flag == "EXPECTEDDECODE":
            return vector.matches_json(vector.hex("COSE"))
        if flag == "EXPECTEDVALIDJSON":
            return vector.matches_json(None)
        if flag == "EXPECTEDSCHEMAVALIDATION":
            dcc.check(vector.dcc_from(vector.hex("COSE")))
            return True
    except errors.CertificateError:
        return False
    raise AssertionError(f"unknown flag {flag}")


#: Generator-side flags (the vector's own JSON and CBOR); nothing for a decoder to do.
GENERATOR_FLAGS = {"EXPECTEDVALIDOBJECT", "EXPECTEDENCODE"}


@pytest.mark.shared
@pytest.mark.parametrize("path", VECTORS or [None], ids=lambda p: p and _name(p))
def test_vector(path: Path | None, shared_dir: Path) -> None:
    if path is None:
        pytest.fail(f"no test vectors under {VECTOR_DIR}")
    vector = Vector(path)
    disagreements = []
    for flag, expected in vector.data["EXPECTEDRESULTS"].items():
        key = (_name(path), flag)
        if flag in GENERATOR_FLAGS or key in UNTESTABLE:
            continue
        wanted = not expected if key in DATA_ERRORS else expected
        if _step(vector, flag) != wanted:
            disagreements.append(f"{flag}: expected {wanted}")
    assert not disagreements, disagreements


@pytest.mark.shared
def test_vector_set_is_complete(shared_dir: Path) -> None:
    """The data-error list names only files and flags that exist."""
    names = {_name(path) for path in VECTORS}
    assert {name for name, _ in DATA_ERRORS} <= names
    assert len(VECTORS) >= 88
