"""``itdeclare validate`` (DESIGN.md §4.1): exit codes, the JSON contract, languages, bad files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from itdeclare.cli import MAX_DECLARATION_BYTES, main

ROOT = Path(__file__).parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*.json"))
SELF = ROOT / "examples" / "self.json"
#: The moment each example is meant to be checked at: after its tests were sampled, before its
#: flight into China leaves (without ``--at``, ``validate`` checks against the clock).
WHEN = {
    "self.json": "2026-11-30T12:00:00-08:00",
    "parent.json": "2026-12-07T12:00:00+01:00",
    "warnings.json": "2026-12-01T08:00:00+09:00",
}
SELF_AT = WHEN["self.json"]


@pytest.fixture(autouse=True)
def neutral_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    """The language comes from --lang in these tests, never from the machine's locale."""
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.setenv(name, "C.UTF-8")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """``itdeclare validate`` as of the moment ``self.json`` is meant for, unless told."""
    at = [] if any(arg.startswith("--at") for arg in argv) else ["--at", SELF_AT]
    code = main(["validate", *at, *argv])
    out, err = capsys.readouterr()
    return code, out, err


def four_mistakes(tmp_path: Path) -> Path:
    data = json.loads(SELF.read_text("utf-8"))
    data["subject"]["id_card_number"] = "110105195603010013"
    data["contact"]["phone"] = "+1 415 555 CALL"
    data["tests"][0]["sampled_at"] = "2026-11-28T09:00:00-08:00"  # three days before 1 Dec
    data["itinerary"][0]["from"] = "XQX"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    return path


def test_one_valid_file_prints_exactly_the_contract(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--json", str(SELF))
    assert (code, err) == (0, "")
    assert json.loads(out) == {"valid": True, "errors": [], "warnings": []}
    assert out.count("\n") == 1


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: path.name)
def test_every_example_is_valid_when_it_is_meant_for(
    capsys: pytest.CaptureFixture[str], path: Path
) -> None:
    code, out, _ = run(capsys, "--json", "--at", WHEN[path.name], str(path))
    report = json.loads(out)
    assert (code, report["valid"], report["errors"]) == (0, True, [])


def test_several_files_print_one_line_each(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--json", str(SELF), str(SELF))
    assert code == 0
    results = [json.loads(line) for line in out.splitlines()]
    assert [r["file"] for r in results] == [str(SELF)] * 2
    assert all(r["valid"] and r["errors"] == [] for r in results)


def test_by_default_the_clock_decides_like_the_backend(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Without ``--at`` the file is checked against now: a trip that has left is refused."""
    data = json.loads(SELF.read_text("utf-8"))
    data["itinerary"][0]["departs_at"] = "2022-01-01T11:00:00-08:00"
    data["itinerary"][0]["arrives_at"] = "2022-01-02T17:00:00+08:00"
    for test in data["tests"]:
        test["sampled_at"] = "2021-12-31T09:00:00-08:00"
    path = write(tmp_path, "gone.json", json.dumps(data).encode())
    code, out, err = main(["validate", "--json", "--lang", "en", str(path)]), *capsys.readouterr()
    assert (code, err) == (1, "")
    [error] = json.loads(out)["errors"]
    assert (error["loc"], error["code"]) == ("itinerary.0.departs_at", "flight_departed")
    assert error["message"].startswith("Flight UA857 left for China at 1 Jan 2022")


def test_at_checks_as_of_another_moment(capsys: pytest.CaptureFixture[str]) -> None:
    """A minute after the flight left, the same file is refused; a test in the future too."""
    code, out, _ = run(capsys, "--json", "--at", "2026-12-01T11:01:00-08:00", str(SELF))
    assert code == 1
    assert [(e["loc"], e["code"]) for e in json.loads(out)["errors"]] == [
        ("itinerary.0.departs_at", "flight_departed")
    ]
    code, out, _ = run(capsys, "--json", "--at", "2026-11-30T08:00:00Z", str(SELF))
    assert code == 1
    assert {e["code"] for e in json.loads(out)["errors"]} == {"test_in_future"}


@pytest.mark.parametrize(("lang", "message"), [("en", "--at: not an ISO 8601 time"),
                                               ("zh", "--at：不是 ISO 8601 时间")])  # fmt: skip
def test_a_bad_moment_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], lang: str, message: str
) -> None:
    code, out, err = run(capsys, "--lang", lang, "--at", "next tuesday", str(SELF))
    assert (code, out) == (2, "")
    assert err.startswith(message) and err.endswith("next tuesday\n")


def test_text_output_for_a_valid_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "--lang", "en", str(SELF)) == (0, f"{SELF}: valid\n", "")


def test_four_mistakes_name_four_fields(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, err = run(capsys, "--json", "--lang", "en", str(four_mistakes(tmp_path)))
    assert (code, err) == (1, "")
    result = json.loads(out)
    assert set(result) == {"valid", "errors", "warnings"}
    assert result["valid"] is False
    assert all(set(error) == {"loc", "code", "message"} for error in result["errors"])
    assert {(e["loc"], e["code"]) for e in result["errors"]} == {
        ("subject.id_card_number", "id_card_checksum"),
        ("contact.phone", "phone_letters"),
        ("tests.0.sampled_at", "test_too_early"),
        ("itinerary.0.from", "airport_unknown"),
    }
    messages = {e["code"]: e["message"] for e in result["errors"]}
    assert messages["id_card_checksum"] == "The last character should be X: check the number"
    assert "sample on or after 29 Nov 2026" in messages["test_too_early"]


def test_messages_in_chinese(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run(capsys, "--json", "--lang", "zh", str(four_mistakes(tmp_path)))
    assert code == 1
    assert "\\u" not in out  # Chinese is written as such, not escaped
    messages = {e["code"]: e["message"] for e in json.loads(out)["errors"]}
    assert messages["id_card_checksum"] == "校验位应为 X，请核对号码"
    assert messages["phone_letters"] == "手机号码只能包含数字（可带 +）"
    assert messages["airport_unknown"] == "未知机场 XQX"
    assert "2026年11月29日或之后采样" in messages["test_too_early"]


def test_text_output_lists_each_problem(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = four_mistakes(tmp_path)
    code, out, _ = run(capsys, "--lang", "en", str(path))
    lines = out.splitlines()
    assert code == 1
    assert lines[0] == f"{path}: 4 problem(s)"
    assert lines[1] == (
        "  subject.id_card_number: The last character should be X: check the number"
        "  [id_card_checksum]"
    )
    assert len(lines) == 5


def write(tmp_path: Path, name: str, content: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("notes.txt", b"not json at all\n", "notes.txt: not a JSON file (line 1, column 1)"),
        ("cut.json", b'{"schema_version": 1,', "cut.json: not a JSON file (line 1, column 22)"),
        ("latin1.json", '{"x": "é"}'.encode("latin-1"), "latin1.json: cannot read the file"),
        ("nan.json", b'{"schema_version": NaN}', "nan.json: not a JSON file"),
        ("deep.json", b"[" * 100_000, "deep.json: not a JSON file"),
        ("digits.json", b"1" * 5000, "digits.json: not a JSON file"),
        ("huge.json", b" " * (MAX_DECLARATION_BYTES + 1), "huge.json: cannot read the file"),
    ],
)
def test_unreadable_files_exit_2_with_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = write(tmp_path, name, content)
    code, out, err = run(capsys, "--json", "--lang", "en", str(path))
    assert (code, out) == (2, "")
    assert err.count("\n") == 1
    assert err.startswith(f"{tmp_path}/{message}")


def test_missing_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "nowhere.json"
    code, out, err = run(capsys, "--lang", "en", str(path))
    assert (code, out, err) == (2, "", f"{path}: cannot read the file (no such file)\n")


def test_directory(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "--lang", "en", str(tmp_path))
    assert (code, err) == (2, f"{tmp_path}: cannot read the file (it is a directory)\n")


def test_missing_file_in_chinese(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "nowhere.json"
    code, _, err = run(capsys, "--lang", "zh", str(path))
    assert (code, err) == (2, f"{path}：无法读取文件（文件不存在）\n")


def test_byte_order_mark_is_tolerated(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = write(tmp_path, "bom.json", b"\xef\xbb\xbf" + SELF.read_bytes())
    assert run(capsys, "--json", str(path))[0] == 0


@pytest.mark.parametrize("content", [b"[]", b"null", b'"declaration"', b"42"])
def test_json_that_is_not_an_object(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, content: bytes
) -> None:
    code, out, _ = run(capsys, "--json", "--lang", "en", str(write(tmp_path, "x.json", content)))
    assert code == 1
    error = {"loc": "", "code": "not_an_object", "message": "A declaration is a JSON object"}
    assert json.loads(out) == {"valid": False, "errors": [error], "warnings": []}


def test_worst_status_wins(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    bad = four_mistakes(tmp_path)
    assert run(capsys, str(SELF), str(bad))[0] == 1
    assert run(capsys, str(SELF), str(bad), str(tmp_path / "nowhere.json"))[0] == 2


def test_no_file_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as raised:
        main(["validate"])
    assert raised.value.code == 2
    assert "FILE" in capsys.readouterr().err


def module(*argv: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}  # with the isolated dirs and locale
    return subprocess.run(
        [sys.executable, "-m", "itdeclare", "validate", *argv],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: path.name)
def test_as_a_command_examples_exit_0(path: Path) -> None:
    done = module("--json", "--at", WHEN[path.name], str(path.relative_to(ROOT)))
    assert (done.returncode, done.stderr) == (0, "")
    assert json.loads(done.stdout)["valid"] is True


def test_as_a_command_a_non_json_file_exits_2_without_traceback(tmp_path: Path) -> None:
    path = write(tmp_path, "photo.json", b"\x89PNG\r\n\x1a\n")
    done = module("--json", str(path))
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1
    assert "Traceback" not in done.stderr


def test_as_a_command_the_bad_file_exits_1(tmp_path: Path) -> None:
    done = module("--json", "--lang", "zh", "--at", SELF_AT, str(four_mistakes(tmp_path)))
    assert done.returncode == 1
    result: dict[str, Any] = json.loads(done.stdout)
    assert len(result["errors"]) == 4


def test_warnings_are_listed_and_never_change_the_exit_code(
    capsys: pytest.CaptureFixture[str],
) -> None:
    warnings_example = ROOT / "examples" / "warnings.json"
    code, out, _ = run(capsys, "--json", "--lang", "zh", str(warnings_example))
    result = json.loads(out)
    assert (code, result["valid"], result["errors"]) == (0, True, [])
    assert len(result["warnings"]) == 7
    assert all(set(w) == {"loc", "code", "message"} for w in result["warnings"])
    by_code = {w["code"]: w for w in result["warnings"]}
    assert by_code["passport_expires_soon"]["loc"] == "subject.document.expires_on"
    assert "2027年3月1日" in by_code["passport_expires_soon"]["message"]
    code, out, _ = run(capsys, "--lang", "en", str(warnings_example))
    lines = out.splitlines()
    assert code == 0
    assert lines[0] == f"{warnings_example}: valid"
    assert lines[1].startswith("  7 warning(s)")
    assert any(line.startswith("  history.0.recovered_on: History 1:") for line in lines)
