"""``itdeclare verify --jsonl`` and ``verify`` with the lists ``itdeclare trust update`` kept."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from itdeclare import cli
from itdeclare.certificate import revocation
from itdeclare.certificate.issue import declaration_certificate_id
from itdeclare.certificate.keys import KeyStore
from itdeclare.storage import trust as kept

from .conftest import DECLARATION_ID, DURING, EXPIRES, ISSUED, run


def lines_of(out: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in out.splitlines()]


#: How ``--jsonl`` writes a line: no spaces, names as they are.
COMPACT: dict[str, Any] = {"ensure_ascii": False, "separators": (",", ":")}


def test_a_dcc_integer_beyond_64_bits_is_written_as_any_other_line(
    keystore: KeyStore, trust_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A DCC may hold any CBOR; an integer too large for the fast writer is still written, in
    the same compact form, between the lines around it."""
    import cbor2

    from itdeclare.certificate import cose, cwt, hc1

    signer = keystore.signer()
    huge = 2**70 + 1
    claims = {cwt.ISS: "CN", cwt.IAT: int(ISSUED.timestamp()), cwt.EXP: int(EXPIRES.timestamp()),
              cwt.HCERT: {cwt.DCC_V1: {"ver": "1.3.0", "big": huge}}}  # fmt: skip
    code = hc1.encode(cose.sign_es256(cbor2.dumps(claims), signer.private_key, signer.kid))
    source = tmp_path / "codes.txt"
    source.write_text(f"HC1:NOT-A-CODE\n{code}\nHC1:NOT-A-CODE\n", "utf-8")
    status, out, _ = run(capsys, "verify", "--jsonl", str(source), "--trust-list",
                         str(trust_file), "--at", DURING.isoformat())  # fmt: skip
    texts = out.splitlines()
    assert status == 1 and [r["line"] for r in lines_of(out)] == [1, 2, 3]
    assert json.loads(texts[1])["payload"]["dcc"]["big"] == huge
    assert all(text == json.dumps(json.loads(text), **COMPACT) for text in texts)


def test_jsonl_answers_each_line_with_its_number(
    code: str, trust_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "codes.txt"
    source.write_text(f"{code}\nHC1:NOT-A-CODE\n\n  {code}  \n", "utf-8")
    status, out, _ = run(capsys, "verify", "--jsonl", str(source), "--trust-list",
                         str(trust_file), "--at", DURING.isoformat())  # fmt: skip
    results = lines_of(out)
    assert status == 1  # one line is not valid
    assert [r["line"] for r in results] == [1, 2, 4]  # the blank line is skipped, not renumbered
    assert [r["valid"] for r in results] == [True, False, True]
    assert set(results[0]) >= {"checks", "errors", "warnings", "payload", "trust_data"}


def test_jsonl_exits_0_when_every_line_is_valid_and_reads_standard_input(
    code: str, trust_file: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    stdin = io.TextIOWrapper(io.BytesIO(f"{code}\n{code}\n".encode()), "utf-8")
    monkeypatch.setattr("sys.stdin", stdin)
    status, out, _ = run(capsys, "verify", "--jsonl", "--trust-list", str(trust_file),
                         "--at", DURING.isoformat())  # fmt: skip
    assert status == 0 and [r["line"] for r in lines_of(out)] == [1, 2]


def test_jsonl_survives_a_damaged_byte(
    code: str, trust_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "codes.txt"
    source.write_bytes(code.encode() + b"\n\xff\xfeHC1:\n")
    status, out, _ = run(capsys, "verify", "--jsonl", str(source), "--trust-list",
                         str(trust_file), "--at", DURING.isoformat())  # fmt: skip
    assert status == 1 and [r["valid"] for r in lines_of(out)] == [True, False]


def test_jsonl_usage_errors(
    code: str, trust_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = str(tmp_path / "missing.txt")
    status, out, err = run(capsys, "verify", "--jsonl", missing, "--trust-list", str(trust_file))
    assert status == 2 and out == "" and "missing.txt" in err
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["verify", "--jsonl", missing, code])  # one source at a time
    assert exit_info.value.code == 2


def _keep(keystore: KeyStore, revoked: list[str], age: timedelta) -> None:
    document = revocation.build(revoked, sequence=7, issued_at=ISSUED, signer=keystore.signer())
    kept.save(
        json.dumps(keystore.trust_list()).encode(),
        json.dumps(document).encode(),
        server="https://backend.example",
        fetched_at=datetime.now(UTC) - age,
    )


def test_verify_uses_the_kept_lists_and_reports_their_age(
    code: str, keystore: KeyStore, capsys: pytest.CaptureFixture[str]
) -> None:
    _keep(keystore, [declaration_certificate_id(DECLARATION_ID)], timedelta(hours=5))
    status, out, _ = run(capsys, "verify", "--json", "--at", DURING.isoformat(), code)
    result = json.loads(out)
    assert status == 1 and result["checks"]["revocation"] is False
    assert result["trust_data"]["server"] == "https://backend.example"
    assert 5 * 3600 <= result["trust_data"]["age_seconds"] < 5 * 3600 + 60
    status, out, _ = run(capsys, "verify", "--at", DURING.isoformat(), code)
    assert "Trust data from https://backend.example, updated 5 h ago" in out


def test_a_given_trust_list_with_the_kept_revocations(
    code: str, keystore: KeyStore, trust_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _keep(keystore, [], timedelta(minutes=3))
    status, out, _ = run(capsys, "verify", "--json", "--trust-list", str(trust_file),
                         "--at", DURING.isoformat(), code)  # fmt: skip
    result = json.loads(out)
    assert status == 0 and result["checks"]["revocation"] is True
    assert result["trust_data"]["age_seconds"] >= 180


def test_a_kept_revocation_list_that_no_longer_verifies_is_told_not_used(
    code: str,
    keystore: KeyStore,
    trust_file: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _keep(keystore, [], timedelta(minutes=3))
    other = KeyStore.init(tmp_path / "other", b"another long passphrase", country="CN")
    elsewhere = tmp_path / "other-trust.json"
    elsewhere.write_text(json.dumps(other.trust_list()))
    status, out, err = run(capsys, "verify", "--json", "--trust-list", str(elsewhere),
                           "--at", DURING.isoformat(), code)  # fmt: skip
    assert status == 1  # the code's key is not in that list either
    assert "kept revocation list cannot be used" in err
    assert json.loads(out)["checks"]["revocation"] is None


def test_jsonl_from_a_file_answers_every_line_of_a_long_batch_in_compact_json(
    code: str, trust_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from itdeclare.verify_cli import _BATCH

    count = _BATCH + 5  # written in batches: one full, one partial
    source = tmp_path / "codes.txt"
    source.write_text("\n".join([code] * (count - 1) + ["HC1:NOT-A-CODE"]) + "\n", "utf-8")
    status, out, _ = run(capsys, "verify", "--jsonl", str(source), "--trust-list",
                         str(trust_file), "--at", DURING.isoformat())  # fmt: skip
    texts = out.splitlines()
    assert status == 1 and [r["line"] for r in lines_of(out)] == list(range(1, count + 1))
    assert all(text == json.dumps(json.loads(text), **COMPACT) for text in texts)
    assert out.endswith("\n") and "欧阳晓明" in texts[0]  # names as they are, not \u-escaped


class _OneLineAtATime(io.RawIOBase):
    """Standard input that hands over a line per read, noting how many answers were written
    out before each one (a scanner sends the next code after seeing the last answer)."""

    def __init__(self, lines: list[str], out: io.StringIO) -> None:
        self.lines, self.out, self.answers_before = [line.encode() for line in lines], out, []

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        self.answers_before.append(self.out.getvalue().count("\n"))
        if not self.lines:
            return 0
        line = self.lines.pop(0)
        buffer[: len(line)] = line
        return len(line)


def test_jsonl_from_standard_input_answers_each_line_before_reading_the_next(
    code: str, trust_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = io.StringIO()
    raw = _OneLineAtATime([f"{code}\n", f"{code}\n", "HC1:NOT-A-CODE\n"], out)
    stdin = io.TextIOWrapper(io.BufferedReader(raw), "utf-8")
    monkeypatch.setattr("sys.stdin", stdin)
    monkeypatch.setattr("sys.stdout", out)
    status = cli.main(["verify", "--jsonl", "-", "--trust-list", str(trust_file),
                       "--at", DURING.isoformat()])  # fmt: skip
    assert status == 1 and [r["line"] for r in lines_of(out.getvalue())] == [1, 2, 3]
    assert raw.answers_before == [0, 1, 2, 3]


def test_verifying_lines_with_a_dcc_loads_neither_pydantic_nor_pycountry(
    code: str, keystore: KeyStore, trust_file: Path, tmp_path: Path
) -> None:
    """A batch pays its start-up every time: the DCC's countries and the flights' airports
    are read from the tables pycountry and airportsdata ship, not through the libraries'
    own loading (pycountry's looks its version up among every installed package)."""
    from itdeclare.certificate.issue import issue_outbound
    from itdeclare.models import HealthRecord

    health = HealthRecord.model_validate(
        {"id_card_number": "11010519560301001X", "name": "张三", "family_name": "ZHANG",
         "given_name": "SAN", "sex": "male",
         "documents": [{"type": "passport", "number": "E12345678"}],
         "vaccinations": [{"product": "BBIBP-CorV", "dose": 2, "of": 2, "date": "2021-06-01",
                           "country": "CHN"}]}
    )  # fmt: skip
    outbound = issue_outbound(
        health, health.documents[0], signer=keystore.signer(), issued_at=ISSUED, expires_at=EXPIRES
    )
    source = tmp_path / "codes.txt"
    source.write_text(f"{outbound}\n{code}\n", "utf-8")
    argv = ["verify", "--jsonl", str(source), "--trust-list", str(trust_file),
            "--at", DURING.isoformat()]  # fmt: skip
    script = (
        "import sys; from itdeclare import cli; status = cli.main(sys.argv[1:]);"
        "loaded = [m for m in sys.modules if m.startswith(('pydantic', 'pycountry'))];"
        "print(status, loaded, file=sys.stderr)"
    )
    environment = {**os.environ, "ITDECLARE_DATA_DIR": str(tmp_path / "data")}
    done = subprocess.run([sys.executable, "-c", script, *argv], capture_output=True, text=True,
                          check=True, env=environment)  # fmt: skip
    assert done.stderr.strip() == "0 []"
    answers = lines_of(done.stdout)
    assert [answer["valid"] for answer in answers] == [True, True]
    assert answers[0]["checks"]["key_usage"] is True  # the DCC was read and checked
    assert answers[1]["payload"]["record"]["itinerary"]  # the flights' airports were read


def test_a_reader_that_stops_reading_ends_the_run_quietly(
    code: str, trust_file: Path, tmp_path: Path
) -> None:
    """``itdeclare verify --jsonl codes.txt | head -1``: the lines after are not wanted. The run
    ends as a command ended by SIGPIPE does (141), without a traceback."""
    source = tmp_path / "codes.txt"
    source.write_text(f"{code}\n" * 2000, "utf-8")
    command = [sys.executable, "-m", "itdeclare", "verify", "--jsonl", str(source),
               "--trust-list", str(trust_file), "--at", DURING.isoformat()]  # fmt: skip
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as run:
        assert run.stdout is not None and run.stderr is not None
        first = json.loads(run.stdout.readline())
        run.stdout.close()  # as head does once it has its line
        errors = run.stderr.read()
        status = run.wait(timeout=60)
    assert first["line"] == 1
    assert (status, errors) == (cli.EXIT_READER_GONE, b"")


def test_ctrl_c_ends_a_run_from_standard_input_quietly(code: str, trust_file: Path) -> None:
    """A scanner feeding standard input, stopped with Ctrl-C between two codes: 130, as SIGINT
    ends a command, and no traceback."""
    command = [sys.executable, "-m", "itdeclare", "verify", "--jsonl", "-",
               "--trust-list", str(trust_file), "--at", DURING.isoformat()]  # fmt: skip
    # standard output to a pipe is block-buffered unless PYTHONUNBUFFERED says otherwise: the
    # answer must reach the scanner all the same
    environment = {name: value for name, value in os.environ.items() if name != "PYTHONUNBUFFERED"}
    with subprocess.Popen(
        command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        env=environment,
    ) as run:  # fmt: skip
        assert run.stdin is not None and run.stdout is not None and run.stderr is not None
        run.stdin.write(f"{code}\n".encode())
        run.stdin.flush()
        assert json.loads(run.stdout.readline())["line"] == 1  # waiting for the next line now
        run.send_signal(signal.SIGINT)
        status = run.wait(timeout=60)
        errors = run.stderr.read()
    assert (status, errors) == (cli.EXIT_INTERRUPTED, b"\n")
