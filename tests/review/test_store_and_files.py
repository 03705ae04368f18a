"""The reviewer token store (encrypted, 0600) and the private downloads with the system viewer,
which is never launched for real: openers are injected, or are ``true``/``false``."""

from __future__ import annotations

import hashlib
import shutil
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from itdeclare.reviewing import files
from itdeclare.reviewing.files import ChecksumMismatch, Downloads, OpenerFailed
from itdeclare.storage.reviewers import (
    COLLECTION,
    ReviewerSession,
    local_slot,
    open_reviewer_store,
)
from itdeclare.storage.state import LocalState

TOKEN = "secret-token-that-must-not-be-on-disk"


def test_tokens_are_kept_per_slot_encrypted_and_private(tmp_path: Path) -> None:
    store = open_reviewer_store(LocalState(tmp_path))
    earlier = datetime(2026, 11, 1, tzinfo=UTC)
    store.save(
        ReviewerSession(slot=local_slot("USA"), consulate="USA", token=TOKEN, used_at=earlier)
    )
    store.save(
        ReviewerSession(
            slot=local_slot("CAN"), consulate="CAN", token="t2", used_at=earlier + timedelta(days=1)
        )
    )
    store.save(ReviewerSession(slot="https://review.example", consulate="GBR", token="t3"))
    again = open_reviewer_store(LocalState(tmp_path))
    found = again.load(local_slot("USA"))
    assert found is not None and found.token == TOKEN
    assert again.load("https://other.example") is None
    last = again.last_local()
    assert last is not None and last.consulate == "CAN"
    records = sorted((tmp_path / COLLECTION).glob("*.rec"))
    assert len(records) == 3
    for record in records:
        assert stat.S_IMODE(record.stat().st_mode) == 0o600
        assert TOKEN.encode() not in record.read_bytes()
    assert again.forget(local_slot("USA"))
    assert again.load(local_slot("USA")) is None
    assert "secret" not in repr(found)


def test_a_damaged_token_file_is_set_aside_not_fatal(tmp_path: Path) -> None:
    state = LocalState(tmp_path)
    store = open_reviewer_store(state)
    store.save(ReviewerSession(slot=local_slot("USA"), consulate="USA", token=TOKEN))
    [record] = (tmp_path / COLLECTION).glob("*.rec")
    record.write_bytes(record.read_bytes()[:-3] + b"xyz")
    fresh = open_reviewer_store(LocalState(tmp_path))
    assert fresh.load(local_slot("USA")) is None
    assert [problem.reason.value for problem in fresh.problems] == ["tampered"]


def test_a_download_is_checked_and_private(tmp_path: Path) -> None:
    downloads = Downloads(tmp_path)
    data = b"%PDF-1.4 report"
    path = downloads.save("att/1..", "application/pdf", data, hashlib.sha256(data).hexdigest())
    assert path.name == "att1.pdf"  # no way out of the private directory
    assert path.read_bytes() == data
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    with pytest.raises(ChecksumMismatch):
        downloads.save("att2", "image/png", data, "0" * 64)
    assert not (path.parent / "att2.png").exists()
    downloads.remove()
    assert not path.parent.exists()


def test_no_opener_on_a_system_without_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(files.sys, "platform", "linux")
    monkeypatch.setattr(files.shutil, "which", lambda name: None)
    assert files.system_opener() is None


@pytest.mark.skipif(shutil.which("true") is None, reason="needs POSIX true/false")
def test_an_opener_command_that_fails_is_reported(tmp_path: Path) -> None:
    target = tmp_path / "x.png"
    target.write_bytes(b"x")
    files._command_opener(str(shutil.which("true")))(target)
    with pytest.raises(OpenerFailed):
        files._command_opener(str(shutil.which("false")))(target)


def test_the_platform_opener_is_the_platforms(monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []

    def which(name: str) -> str:
        asked.append(name)
        return f"/usr/bin/{name}"

    monkeypatch.setattr(files.shutil, "which", which)
    monkeypatch.setattr(files.sys, "platform", "darwin")
    assert files.system_opener() is not None
    monkeypatch.setattr(files.sys, "platform", "linux")
    assert files.system_opener() is not None
    assert asked == ["open", "xdg-open"]
