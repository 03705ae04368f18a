"""Health-code benchmark: verification speed, issuing speed and the QR size of a maximal record.

Figures, each measured in this run:

- full verifications per second from the ``HC1:`` text of the maximal returnee record (every
  layer, signature, expiry and content checks), against raw ``cryptography`` ECDSA P-256
  verifications of a message of the same size: the ratio shows what the codec costs on top of
  the signature check it cannot avoid (goal ≥ 0.7);
- the same for an outbound certificate that carries the EU DCC (one vaccination: the DCC
  payload and its schema check on top of our own claim), against the same baseline (goal ≥ 0.7);
- ``itdeclare verify --jsonl`` end to end (a fresh process: start-up, trust list, reading,
  verifying, writing a JSON object per line) on 5,000 lines, against the library's own rate on
  the same lines in this process (goal ≥ 0.5): once for the worst case (half maximal returnee
  codes, whose whole record is written out, half outbound codes with the DCC) and once for
  typical codes (half ``examples/self.json``: one flight, two tests, one dose; half outbound);
- the QR version that record needs at error-correction level Q (goal ≤ 17);
- issues (sign + encode) per second.

Rates are per second of CPU time (this process's, or the ``--jsonl`` child's including its
start-up), so other work on a shared machine does not skew a ratio; both sides of every ratio
are measured alike, interleaved. Bounded: a few rounds of a fixed number of operations. The
last line is one JSON object.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from itdeclare.certificate import cose, hc1, qr  # noqa: E402
from itdeclare.certificate.issue import issue_declaration, issue_outbound  # noqa: E402
from itdeclare.certificate.keys import KeyStore, Signer  # noqa: E402
from itdeclare.certificate.trust import TrustList  # noqa: E402
from itdeclare.certificate.verify import verify  # noqa: E402
from itdeclare.models import Declaration, HealthRecord, validate_declaration  # noqa: E402

RECORD = ROOT / "tests" / "certificate" / "maximal_returnee.json"
TYPICAL = ROOT / "examples" / "self.json"
DECLARATION_ID = "019ad3f2c4e19a7d4e2b8c1a12345678"
ROUNDS, VERIFY_OPS, ISSUE_OPS = 7, 3000, 600
JSONL_LINES, JSONL_ROUNDS = 5000, 3
OUTBOUND = {
    "id_card_number": "11010519560301001X",
    "name": "张三",
    "family_name": "ZHANG",
    "given_name": "SAN",
    "sex": "male",
    "documents": [{"type": "passport", "number": "E12345678"}],
    "vaccinations": [
        {"product": "BBIBP-CorV", "dose": 2, "of": 2, "date": "2021-06-01", "country": "CHN"}
    ],
}


def per_second(operation: Callable[[], object], count: int) -> float:
    start = time.process_time()
    for _ in range(count):
        operation()
    return count / (time.process_time() - start)


def child_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def jsonl_rates(
    lines: list[str], trust: TrustList, at: datetime, home: Path
) -> tuple[float, float]:
    """(end-to-end lines/s of ``itdeclare verify --jsonl``, the library's verify() rate on the
    same lines), best of a few rounds each."""
    source, trust_file = home / "codes.txt", home / "trust.json"
    source.write_text("\n".join(lines) + "\n", "utf-8")
    trust_file.write_text(json.dumps(trust.to_json()), "utf-8")
    command = [sys.executable, "-m", "itdeclare", "verify", "--jsonl", str(source),
               "--trust-list", str(trust_file), "--at", at.isoformat()]  # fmt: skip
    # bytecode cached, as after an ordinary install (a first run writes it: not measured)
    environment = {**os.environ, "ITDECLARE_DATA_DIR": str(home / "data")}
    environment.pop("PYTHONDONTWRITEBYTECODE", None)
    subprocess.run(command, capture_output=True, check=False, timeout=300, env=environment)
    end_to_end, library = [], []
    for _ in range(JSONL_ROUNDS):
        start = child_cpu_seconds()
        done = subprocess.run(
            command, capture_output=True, check=False, timeout=300, env=environment, cwd=ROOT
        )
        end_to_end.append(len(lines) / (child_cpu_seconds() - start))
        assert done.returncode == 0, done.stderr.decode()
        assert done.stdout.count(b"\n") == len(lines)
        start = time.process_time()
        for line in lines:
            verify(line, trust_list=trust, at=at)
        library.append(len(lines) / (time.process_time() - start))
    return max(end_to_end), max(library)


def code_lines(
    declaration: Declaration, health: HealthRecord, signer: Signer, issued: datetime
) -> list[str]:
    """Distinct codes, half returnee (``declaration``) and half outbound, as a list of
    travellers would be."""
    expires = issued + timedelta(days=7)
    return [
        issue_declaration(
            declaration,
            declaration_id=f"{n:032x}",
            signer=signer,
            issued_at=issued,
            expires_at=expires,
        )
        if n % 2
        else issue_outbound(
            health,
            health.documents[0],
            signer=signer,
            issued_at=issued + timedelta(seconds=n // 2),  # before `at`, each distinct
            expires_at=expires,
        )
        for n in range(JSONL_LINES)
    ]


def validated(path: Path) -> Declaration:
    declaration = validate_declaration(json.loads(path.read_text("utf-8"))).declaration
    assert declaration is not None, f"{path.name} must validate"
    return declaration


def main() -> None:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec

    declaration = validated(RECORD)
    issued = datetime(2026, 11, 30, 12, tzinfo=UTC)
    expires, at = issued + timedelta(days=7), issued + timedelta(hours=1)
    with tempfile.TemporaryDirectory() as home:
        # the signer's certificate must be valid when the codes below are signed
        store = KeyStore.init(Path(home) / "keys", b"bench passphrase", now=issued)
        signer = store.signer()
        trust = TrustList.from_json(store.trust_list())

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
    health = HealthRecord.model_validate(OUTBOUND)
    outbound = issue_outbound(
        health, health.documents[0], signer=signer, issued_at=issued, expires_at=expires
    )
    checked = verify(outbound, trust_list=trust, at=at)
    assert checked.valid and checked.dcc is not None, "the outbound code must carry the DCC"

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

    outbound_message = os.urandom(len(cose.parse(hc1.decode(outbound)).to_be_signed()))
    outbound_signature = key.sign(outbound_message, algorithm)

    def full_outbound() -> object:
        return verify(outbound, trust_list=trust, at=at)

    def raw_outbound() -> None:
        public.verify(outbound_signature, outbound_message, algorithm)

    cases = (full, raw, full_outbound, raw_outbound)
    for warm in (*cases, issue):
        per_second(warm, 200)
    rates: dict[object, list[float]] = {case: [] for case in cases}
    issue_rates = []
    for _ in range(ROUNDS):  # interleaved, so a noisy moment hits both sides alike
        for case in cases:
            rates[case].append(per_second(case, VERIFY_OPS))
        issue_rates.append(per_second(issue, ISSUE_OPS))
    verify_per_s, baseline_per_s = max(rates[full]), max(rates[raw])
    outbound_per_s, outbound_baseline_per_s = max(rates[full_outbound]), max(rates[raw_outbound])
    issue_per_s = max(issue_rates)
    with tempfile.TemporaryDirectory() as home:
        lines = code_lines(declaration, health, signer, issued)
        jsonl_per_s, library_per_s = jsonl_rates(lines, trust, at, Path(home))
        lines = code_lines(validated(TYPICAL), health, signer, issued)
        typical_per_s, typical_library_per_s = jsonl_rates(lines, trust, at, Path(home))
    version = qr.version(payload)
    columns, rows = qr.qr_size(payload)

    print(f"maximal returnee record: {len(payload)} characters, QR version {version} at ECC Q")
    print(f"terminal rendering: {columns} columns x {rows} rows (quiet zone included)")
    print(f"full verification from HC1 text: {verify_per_s:,.0f}/s")
    print(f"raw ECDSA P-256 verification ({len(message)}-byte message): {baseline_per_s:,.0f}/s")
    print(f"ratio: {verify_per_s / baseline_per_s:.2f} (goal >= 0.7)")
    outbound_ratio = outbound_per_s / outbound_baseline_per_s
    print(f"outbound code with the EU DCC ({len(outbound)} characters): {outbound_per_s:,.0f}/s")
    print(f"raw ECDSA P-256 verification ({len(outbound_message)}-byte message): "
          f"{outbound_baseline_per_s:,.0f}/s")  # fmt: skip
    print(f"ratio: {outbound_ratio:.2f} (goal >= 0.7)")
    jsonl_ratio = jsonl_per_s / library_per_s
    print(f"verify --jsonl end to end, {JSONL_LINES:,} distinct codes: {jsonl_per_s:,.0f} lines/s")
    print(f"library verify() on the same lines: {library_per_s:,.0f}/s")
    print(f"ratio: {jsonl_ratio:.2f} (goal >= 0.5)")
    typical_ratio = typical_per_s / typical_library_per_s
    print(f"verify --jsonl, typical codes: {typical_per_s:,.0f} lines/s")
    print(f"library verify() on the same lines: {typical_library_per_s:,.0f}/s")
    print(f"ratio: {typical_ratio:.2f} (goal >= 0.5)")
    print(f"issue (sign + encode): {issue_per_s:,.0f}/s")
    print(
        json.dumps(
            {
                "verify_per_s": round(verify_per_s),
                "baseline_per_s": round(baseline_per_s),
                "ratio": round(verify_per_s / baseline_per_s, 3),
                "outbound_dcc_verify_per_s": round(outbound_per_s),
                "outbound_dcc_baseline_per_s": round(outbound_baseline_per_s),
                "outbound_dcc_ratio": round(outbound_ratio, 3),
                "jsonl_lines_per_s": round(jsonl_per_s),
                "jsonl_library_per_s": round(library_per_s),
                "jsonl_ratio": round(jsonl_ratio, 3),
                "jsonl_typical_lines_per_s": round(typical_per_s),
                "jsonl_typical_library_per_s": round(typical_library_per_s),
                "jsonl_typical_ratio": round(typical_ratio, 3),
                "qr_version_q": version,
                "payload_chars": len(payload),
                "issue_per_s": round(issue_per_s),
            }
        )
    )


if __name__ == "__main__":
    main()
