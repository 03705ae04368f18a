"""Every command that prints a result says so in one sentence when standard output cannot be
written (a full disk, output closed) and ends with 2: not a traceback, and not a status that
means something else. Real processes, with /dev/full or a closed descriptor as their output."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from itdeclare.server.config import sqlite_url

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "self.json"
FULL = Path("/dev/full")
pytestmark = pytest.mark.skipif(not FULL.exists(), reason="needs /dev/full (Linux)")

COMMANDS = [
    "validate",
    "plan",
    "keys init",
    "keys export-trust-list",
    "admin add-reviewer",
    "admin list-reviewers",
    "admin revoke-reviewer",
]


def _itdeclare(
    argv: list[str], home: Path, *, stdout: object, closed: bool = False
) -> subprocess.CompletedProcess[bytes]:
    """``itdeclare ARGV`` in its own process, its output ``stdout`` (or closed: ``>&-``)."""
    environment = {
        **os.environ,
        "ITDECLARE_DATA_DIR": str(home / "data"),
        "ITDECLARE_CONFIG_DIR": str(home / "config"),
    }
    command = [sys.executable, "-m", "itdeclare", *argv]
    if closed:
        command = ["sh", "-c", 'exec "$@" >&-', "sh", *command]
    return subprocess.run(
        command,
        stdout=stdout,  # type: ignore[arg-type]
        stderr=subprocess.PIPE,
        env=environment,
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("home")


@pytest.fixture(scope="module")
def prepared(home: Path) -> dict[str, list[str]]:
    """Each command, ready to print: a key store and reviewers in place for those that need
    them (``keys init`` makes a store of its own, in a folder each test names)."""
    tmp_path = home
    passphrase = tmp_path / "passphrase"
    passphrase.write_text("a passphrase long enough\n")

    def keys(directory: str) -> list[str]:
        return [
            "keys",
            "--keys-dir",
            str(tmp_path / directory),
            "--passphrase-file",
            str(passphrase),
        ]

    database = ["--database-url", sqlite_url(tmp_path / "db.sqlite3")]
    ready = [[*keys("keys"), "init"], ["admin", "add-reviewer", "--consulate", "DEU", *database]]
    for argv in ready:
        done = _itdeclare(argv, tmp_path, stdout=subprocess.DEVNULL)
        assert done.returncode == 0, done.stderr
    listed = _itdeclare(["admin", "list-reviewers", "--json", *database], tmp_path,
                        stdout=subprocess.PIPE)  # fmt: skip
    reviewer = json.loads(listed.stdout)["items"][0]["id"]
    return {
        "validate": ["validate", str(EXAMPLE)],
        "plan": ["plan", str(EXAMPLE)],
        "keys init": [*keys("{fresh}"), "init"],
        "keys export-trust-list": [*keys("keys"), "export-trust-list"],
        "admin add-reviewer": ["admin", "add-reviewer", "--consulate", "FRA", *database],
        "admin list-reviewers": ["admin", "list-reviewers", *database],
        "admin revoke-reviewer": ["admin", "revoke-reviewer", reviewer, *database],
    }


@pytest.fixture
def commands(prepared: dict[str, list[str]], tmp_path: Path) -> dict[str, list[str]]:
    fresh = str(tmp_path / "keys")
    return {
        name: [part.replace("{fresh}", fresh) for part in argv] for name, argv in prepared.items()
    }


@pytest.mark.parametrize("name", COMMANDS)
def test_a_full_disk_is_told_in_one_sentence(
    name: str, commands: dict[str, list[str]], tmp_path: Path
) -> None:
    with FULL.open("wb") as full:
        done = _itdeclare(commands[name], tmp_path, stdout=full)
    errors = done.stderr.decode("utf-8")
    assert done.returncode == 2, errors
    assert "Cannot write the output (no space left on the device)." in errors
    assert "Traceback" not in errors


@pytest.mark.parametrize("name", ["validate", "keys export-trust-list", "admin list-reviewers"])
def test_standard_output_closed_is_told_in_one_sentence(
    name: str, commands: dict[str, list[str]], tmp_path: Path
) -> None:
    done = _itdeclare(commands[name], tmp_path, stdout=None, closed=True)
    errors = done.stderr.decode("utf-8")
    assert done.returncode == 2, errors
    assert "standard output is closed" in errors and "Traceback" not in errors


def test_in_chinese_too(commands: dict[str, list[str]], tmp_path: Path) -> None:
    with FULL.open("wb") as full:
        done = _itdeclare([*commands["validate"], "--lang", "zh"], tmp_path, stdout=full)
    assert done.returncode == 2 and "设备空间已满" in done.stderr.decode("utf-8")
