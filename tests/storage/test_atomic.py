"""Crash-safe replacement of a file, and cleaning up after writers that died mid-write."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from itdeclare.storage import atomic
from itdeclare.storage.atomic import STALE_AFTER_SECONDS, atomic_write, clean_stale_temps

posix_only = pytest.mark.skipif(os.name == "nt", reason="POSIX file modes")


def temp_files(directory: Path) -> list[Path]:
    return sorted(directory.glob(".*.tmp"))


def test_writes_and_replaces_whole_content(tmp_path: Path) -> None:
    target = tmp_path / "record"
    atomic_write(target, b"first version, rather long" * 100)
    atomic_write(target, b"second")
    assert target.read_bytes() == b"second"
    assert temp_files(tmp_path) == []


@posix_only
@pytest.mark.parametrize("mode", [0o600, 0o640])
def test_file_gets_exactly_the_mode_asked(tmp_path: Path, mode: int) -> None:
    previous = os.umask(0o077 if mode == 0o640 else 0o000)
    try:
        atomic_write(tmp_path / "record", b"x", mode=mode)
    finally:
        os.umask(previous)
    assert (tmp_path / "record").stat().st_mode & 0o777 == mode


@pytest.mark.parametrize("failure", [OSError(28, "No space left on device"), KeyboardInterrupt()])
def test_failure_mid_write_keeps_old_content_and_no_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failure: BaseException
) -> None:
    target = tmp_path / "record"
    atomic_write(target, b"old")

    def fail(fd: int) -> None:
        raise failure

    monkeypatch.setattr(atomic.os, "fsync", fail)
    with pytest.raises(type(failure)):
        atomic_write(target, b"new")
    assert target.read_bytes() == b"old"
    assert temp_files(tmp_path) == []


def dead_pid() -> int:
    child = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    return int(child.stdout)


@pytest.mark.skipif(os.name == "nt", reason="Windows relies on the age of the file alone")
def test_cleans_temp_files_of_dead_writers_only(tmp_path: Path) -> None:
    dead = tmp_path / f".a.rec.{dead_pid()}.0123abcd.tmp"
    mine = tmp_path / f".b.rec.{os.getpid()}.0123abcd.tmp"
    other = tmp_path / ".notes.tmp"  # not ours: a name we never write
    for path in (dead, mine, other):
        path.write_bytes(b"partial")
    assert clean_stale_temps(tmp_path) == [dead]
    assert not dead.exists()
    assert mine.exists()
    assert other.exists()


def test_cleans_temp_files_too_old_to_be_in_flight(tmp_path: Path) -> None:
    old = tmp_path / f".a.rec.{os.getpid()}.0123abcd.tmp"
    old.write_bytes(b"partial")
    long_ago = old.stat().st_mtime - STALE_AFTER_SECONDS - 60
    os.utime(old, (long_ago, long_ago))
    assert clean_stale_temps(tmp_path) == [old]
