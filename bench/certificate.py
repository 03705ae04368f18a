"""Health-code benchmark: verification speed, issuing speed and the QR size of a maximal record.

Figures, each measured in this run:

- full verifications per second from the ``HC1:`` text of the maximal returnee record (every
  layer, signature, expiry and content checks), against raw ``cryptography`` ECDSA P-256
  verifications of a message of the same size: the ratio shows what the codec costs on top of
  the signature check it cannot avoid (goal ≥ 0.7);
- the QR version that record needs at error-correction level Q (goal ≤ 17);
- issues (sign + encode) per second.

Bounded: a few rounds of a fixed number of operations. The last line is one JSON object.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from itdeclare.certificate import cose, hc1, qr  # noqa: E402
from itdeclare.certificate.issue import issue_declaration  # noqa: E402
from itdeclare.certificate.keys import KeyStore  # noqa: E402
from itdeclare.certificate.trust import TrustList  # noqa: E402
from itdeclare.certificate.verify import verify  # noqa: E402
from itdeclare.models import validate_declaration  # noqa: E402

RECORD = ROOT / "tests" / "certificate" / "maximal_returnee.json"
DECLARATION_ID = "019ad3f2c4e19a7d4e2b8c1a12345678"
ROUNDS, VERIFY_OPS, ISSUE_OPS = 7, 3000, 600


def per_second(operation: Callable[[], object], count: int) -> float:
    start = time.perf_counter()
    for _ in range(count):
        operation()
    return count / (time.perf_counter() - start)


def main() -> None:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec

    declaration = validate_declaration(json.loads(RECORD.read_text("utf-8"))).declaration
    assert declaration is not None, "the maximal record must validate"
    with tempfile.TemporaryDirectory() as home:
        store = KeyStore.init(Path(home) / "keys", b"bench passphrase")
        signer = store.signer()
        trust = TrustList.from_json(store.trust_list())
    issued = datetime(2026, 11, 30, 12, tzinfo=UTC)
    expires, at = issued + timedelta(days=7), issued + timedelta(hours=1)

    def issue() -> str:
        return issue_declaration(
            declaration,
            declaration_id=DECLARATION_ID,
            signer=signer,
            issued_at=issued,
            expires_at=expires,
        )

    payload = issue()
    assert verify(payload, trust_list=trust, at=at).valid

    # the baseline: the same signature check on a message as long as the one the code signs
    message = os.urandom(len(cose.parse(hc1.decode(payload)).to_be_signed()))
    key = ec.generate_private_key(ec.SECP256R1())
    algorithm = ec.ECDSA(hashes.SHA256())
    signature = key.sign(message, algorithm)
    public = key.public_key()

    def full() -> object:
        return verify(payload, trust_list=trust, at=at)

    def raw() -> None:
        public.verify(signature, message, algorithm)

    for warm in (full, raw, issue):
        per_second(warm, 200)
    verify_rates, baseline_rates, issue_rates = [], [], []
    for _ in range(ROUNDS):  # interleaved, so a noisy moment hits both sides alike
        verify_rates.append(per_second(full, VERIFY_OPS))
        baseline_rates.append(per_second(raw, VERIFY_OPS))
        issue_rates.append(per_second(issue, ISSUE_OPS))
    verify_per_s, baseline_per_s = max(verify_rates), max(baseline_rates)
    issue_per_s = max(issue_rates)
    version = qr.version(payload)
    columns, rows = qr.qr_size(payload)

    print(f"maximal returnee record: {len(payload)} characters, QR version {version} at ECC Q")
    print(f"terminal rendering: {columns} columns x {rows} rows (quiet zone included)")
    print(f"full verification from HC1 text: {verify_per_s:,.0f}/s")
    print(f"raw ECDSA P-256 verification ({len(message)}-byte message): {baseline_per_s:,.0f}/s")
    print(f"ratio: {verify_per_s / baseline_per_s:.2f} (goal >= 0.7)")
    print(f"issue (sign + encode): {issue_per_s:,.0f}/s")
    print(
        json.dumps(
            {
                "verify_per_s": round(verify_per_s),
                "baseline_per_s": round(baseline_per_s),
                "ratio": round(verify_per_s / baseline_per_s, 3),
                "qr_version_q": version,
                "payload_chars": len(payload),
                "issue_per_s": round(issue_per_s),
            }
        )
    )


if __name__ == "__main__":
    main()
