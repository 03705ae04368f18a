"""Why ``itdeclare verify`` and ``import-test`` cannot use a file, told in the user's language:
no exception class names (``JSONDecodeError``), no English system text (``Is a directory``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from itdeclare import cli
from itdeclare.certificate.keys import KeyStore

REASONS = {
    "missing": {"en": "no such file", "zh": "文件不存在"},
    "directory": {"en": "it is a directory", "zh": "这是一个目录"},
    "not_json": {"en": "not JSON: line 1, column 1", "zh": "不是 JSON：第 1 行第 1 列"},
}


@pytest.fixture
def files(keystore: KeyStore, tmp_path: Path) -> dict[str, str]:
    trust = tmp_path / "trust.json"
    trust.write_text(json.dumps(keystore.trust_list()))
    not_json = tmp_path / "not-json.txt"
    not_json.write_text("HC1:NOT-A-LIST")
    return {
        "trust": str(trust),
        "missing": str(tmp_path / "missing.json"),
        "directory": str(tmp_path),
        "not_json": str(not_json),
    }


#: (arguments, with {file} the file that cannot be used; what the message is about, by language)
CASES = [
    (["verify", "--trust-list", "{file}", "HC1:X"], {"en": "trust list", "zh": "信任列表"}),
    (["import-test", "--trust-list", "{file}", "HC1:X"], {"en": "trust list", "zh": "信任列表"}),
    (
        ["verify", "--trust-list", "{trust}", "--revocations", "{file}", "HC1:X"],
        {"en": "revocation list", "zh": "已取消健康码列表"},
    ),
]


@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize("problem", ["missing", "directory", "not_json"])
@pytest.mark.parametrize(("argv", "about"), CASES)
def test_a_list_that_cannot_be_used_is_told_why_in_the_users_words(
    argv: list[str],
    about: dict[str, str],
    problem: str,
    language: str,
    files: dict[str, str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    given = [part.format(file=files[problem], trust=files["trust"]) for part in argv]
    status = cli.main([given[0], "--lang", language, *given[1:]])
    err = capsys.readouterr().err
    assert status == 2
    assert about[language] in err and REASONS[problem][language] in err
    assert "Error" not in err and "Is a directory" not in err


@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize("problem", ["missing", "directory"])
@pytest.mark.parametrize(
    "argv",
    [
        ["verify", "--trust-list", "{trust}", "--jsonl", "{file}"],
        ["verify", "--trust-list", "{trust}", "--image", "{file}"],
        ["import-test", "--trust-list", "{trust}", "--image", "{file}"],
        ["verify", "--trust-list", "{trust}", "{file}"],
    ],
)
def test_an_input_that_cannot_be_read_is_told_why_in_the_users_words(
    argv: list[str],
    problem: str,
    language: str,
    files: dict[str, str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A picture that does not exist is not "no QR code could be read" from it."""
    given = [part.format(file=files[problem], trust=files["trust"]) for part in argv]
    status = cli.main([given[0], "--lang", language, *given[1:]])
    out, err = capsys.readouterr()
    assert (status, out) == (2, "")
    assert files[problem] in err and REASONS[problem][language] in err
    assert "QR" not in err and "二维码" not in err and "Is a directory" not in err
