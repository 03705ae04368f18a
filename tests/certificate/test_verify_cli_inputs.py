"""What ``itdeclare verify`` takes in: ``--at``, PAYLOAD as a file or as a code's text, a
byte-order mark before a code, and text longer than any QR code holds (refused without being
read whole)."""

from __future__ import annotations

import io
import json
import tracemalloc
from pathlib import Path
from typing import Any

import pytest

from itdeclare.verify_cli import MAX_CODE_CHARS

from .conftest import DURING, run


def test_an_empty_at_is_a_usage_error(
    code: str, trust_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """As for ``validate --at ""``: not taken for "now"."""
    for source in ([code], ["--jsonl", "-"]):
        status, out, err = run(capsys, "verify", "--trust-list", str(trust_file), "--at", "",
                               *source)  # fmt: skip
        assert (status, out) == (2, "") and "--at" in err


def verify(capsys: pytest.CaptureFixture[str], trust: Path, *argv: str) -> tuple[int, str, str]:
    return run(capsys, "verify", "--trust-list", str(trust), "--at", DURING.isoformat(), *argv)


def lines_of(out: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in out.splitlines()]


# --- PAYLOAD: a file, or a code's text -----------------------------------------------------


@pytest.mark.parametrize("name", ["hc_scan.txt", "HC1-code.txt", "HC1:code.txt"])
def test_a_file_is_read_whatever_its_name_starts_with(
    name: str,
    code: str,
    trust_file: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    Path(name).write_text(f"{code}\n", "utf-8")
    status, out, _ = verify(capsys, trust_file, name)
    assert status == 0 and out.startswith("VALID")


@pytest.mark.parametrize(("language", "words"), [("en", "no such file"), ("zh", "文件不存在")])
def test_a_payload_that_is_neither_a_file_nor_a_code_is_a_usage_error(
    language: str,
    words: str,
    trust_file: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    missing = str(tmp_path / "missing_file.txt")
    status, out, err = verify(capsys, trust_file, "--lang", language, missing)
    assert (status, out) == (2, "")
    assert words in err and "missing_file.txt" in err and "HC1:" in err


def test_a_code_of_an_unknown_kind_is_verified_not_looked_for_as_a_file(
    trust_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = verify(capsys, trust_file, "HC2:6BFOXN")
    assert status == 1 and "Unknown kind of code (HC2:)" in out


# --- a byte-order mark ------------------------------------------------------------------------

BOM = b"\xef\xbb\xbf"


def test_a_byte_order_mark_before_the_code_in_a_file_is_no_part_of_it(
    code: str, trust_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes(BOM + code.encode() + b"\r\n")  # as an editor on Windows saves it
    status, out, _ = verify(capsys, trust_file, str(path))
    assert status == 0 and out.startswith("VALID")
    path.write_bytes(BOM + f"{code}\r\n{code}\r\n".encode())
    status, out, _ = verify(capsys, trust_file, "--jsonl", str(path))
    assert status == 0 and [r["valid"] for r in lines_of(out)] == [True, True]


def test_a_byte_order_mark_at_the_start_of_standard_input_is_no_part_of_the_first_line(
    code: str,
    trust_file: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    stdin = io.TextIOWrapper(io.BytesIO(BOM + f"{code}\n{code}\n".encode()), "utf-8")
    monkeypatch.setattr("sys.stdin", stdin)
    status, out, _ = verify(capsys, trust_file, "--jsonl", "-")
    assert status == 0 and [r["line"] for r in lines_of(out)] == [1, 2]


# --- text longer than any code ----------------------------------------------------------------


def _too_long(result: dict[str, Any]) -> bool:
    """Refused as too long: not valid, no layer read, the reason given."""
    reached = [verdict for verdict in result["checks"].values() if verdict is not None]
    return not result["valid"] and not reached and str(MAX_CODE_CHARS) in result["errors"][0]


def test_a_line_longer_than_any_code_fails_on_its_own(
    code: str, trust_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    longest = "HC1:" + "A" * (MAX_CODE_CHARS - 4)  # as long as a code can be: decoded
    lines = [code, "HC1:" + "A" * 1_000_000, code, longest, longest + "A", f"  {longest}  "]
    source = tmp_path / "codes.txt"
    source.write_text("\n".join(lines) + "\n", "utf-8")
    status, out, _ = verify(capsys, trust_file, "--jsonl", str(source))
    results = lines_of(out)
    assert status == 1 and [r["line"] for r in results] == [1, 2, 3, 4, 5, 6]
    assert [r["valid"] for r in results] == [True, False, True, False, False, False]
    assert [_too_long(r) for r in results] == [False, True, False, False, True, False]
    assert results[3]["checks"]["prefix"] is True  # the longest code's length is read on


def test_a_payload_longer_than_any_code_is_not_valid(
    trust_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = verify(capsys, trust_file, "--json", "HC1:" + "A" * MAX_CODE_CHARS)
    assert status == 1 and _too_long(json.loads(out))
    path = tmp_path / "code.txt"
    path.write_text("HC1:" + "A" * 100_000, "utf-8")
    status, out, _ = verify(capsys, trust_file, "--lang", "zh", str(path))
    assert status == 1 and "超出任何二维码的容量" in out


@pytest.mark.parametrize("jsonl", [True, False])
def test_a_huge_input_is_never_held_whole(
    jsonl: bool, code: str, trust_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A 20 MB line (one decoded took 455 MB): read in pieces of a few kilobytes."""
    source = tmp_path / "huge.txt"
    with source.open("w", encoding="utf-8") as file:
        file.write("HC1:")
        for _ in range(20):
            file.write("A" * 1_000_000)
        file.write(f"\n{code}\n")
    argv = ["--jsonl" if jsonl else "--json", str(source)]
    tracemalloc.start()
    try:
        status, out, _ = verify(capsys, trust_file, *argv)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    results = lines_of(out)
    assert status == 1 and _too_long(results[0])
    if jsonl:  # the line after it is read as any other
        assert (results[1]["line"], results[1]["valid"]) == (2, True)
    assert peak < 2_000_000, peak
