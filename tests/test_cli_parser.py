"""The command line of ``itdeclare`` alone (the traveller's app) is read without argparse, and
reads exactly as the whole parser reads it; anything else goes to the whole parser, mistakes
included."""

from __future__ import annotations

import subprocess
import sys

import pytest

from itdeclare.cli import TRAVELLER_APP, parse_arguments, starts_the_app
from itdeclare.cli_parser import build_parser

APP_ALONE = [
    [],
    ["--lang", "en"],
    ["--lang=zh"],
    ["--server", "https://declare.example.org"],
    ["--server=http://127.0.0.1:8000", "--lang", "zh"],
    ["--server", "review"],  # a server named like a command is still the option's value
    ["--lang", "en", "--lang", "zh"],  # the later one wins
    ["--server="],  # an empty address: the settings refuse it, as they do the parser's
]

NOT_THE_APP_ALONE = [
    ["review"],
    ["--lang", "en", "verify", "HC1:x"],
    ["--help"],
    ["-h"],
    ["--version"],
    ["--serv", "https://declare.example.org"],  # an abbreviation: argparse's own rules
    ["--lang"],  # a value missing
    ["--server", "--lang", "en"],
    ["extra"],
    ["--lang", "en", "--serve", "x"],
]


@pytest.mark.parametrize("argv", APP_ALONE)
def test_the_app_alone_reads_as_with_the_whole_parser(argv: list[str]) -> None:
    assert starts_the_app(argv)
    assert vars(parse_arguments(argv)) == vars(build_parser(TRAVELLER_APP).parse_args(argv))


@pytest.mark.parametrize("argv", NOT_THE_APP_ALONE)
def test_anything_else_goes_to_the_whole_parser(argv: list[str]) -> None:
    assert not starts_the_app(argv)


def test_a_mistake_is_told_by_the_whole_parser(capsys: pytest.CaptureFixture[str]) -> None:
    """``--lang xx`` looks like the app alone, but its error shows the whole usage (with the
    commands) and exits with status 2, as before."""
    with pytest.raises(SystemExit) as exited:
        parse_arguments(["--lang", "xx"])
    assert exited.value.code == 2
    error = capsys.readouterr().err
    assert "COMMAND" in error
    assert "invalid choice: 'xx'" in error


def test_the_app_alone_does_not_import_argparse() -> None:
    """Its import was 3 % of the app's start (bench/instructions.py)."""
    script = (
        "import sys\n"
        "from itdeclare import cli\n"
        "cli.parse_arguments(['--lang', 'zh', '--server=http://127.0.0.1:8000'])\n"
        "print('argparse' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == "False"
