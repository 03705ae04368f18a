"""The encrypted record store: round trip, header, and every way a file can go bad."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from itdeclare.storage import vault as vault_module
from itdeclare.storage.data_key import DataKey, KeySource, key_id
from itdeclare.storage.errors import StorageError
from itdeclare.storage.vault import (
    FORMAT_VERSION,
    MAGIC,
    CorruptReason,
    CorruptRecord,
    Vault,
)
from tests.storage.conftest import assert_explained

KEY = DataKey(bytes(range(32)), KeySource.FILE, "test")
OTHER_KEY = DataKey(bytes(range(1, 33)), KeySource.FILE, "test")


def open_vault(root: Path, collection: str = "drafts", key: DataKey = KEY) -> Vault:
    return Vault(root / collection, key, collection, root / "quarantine")


@pytest.fixture
def vault(tmp_path: Path) -> Vault:
    return open_vault(tmp_path)


def quarantined(root: Path) -> list[Path]:
    return sorted((root / "quarantine").glob("*"))


def test_round_trip_names_and_delete(vault: Vault) -> None:
    assert vault.get("a") is None
    vault.put("a", b"alpha")
    vault.put("b-2_x", "béta".encode())
    vault.put("a", b"alpha again")
    assert vault.names() == ["a", "b-2_x"]
    assert vault.get("a") == b"alpha again"
    assert vault.get("b-2_x") == "béta".encode()
    assert vault.delete("a") is True
    assert vault.delete("a") is False
    assert vault.names() == ["b-2_x"]
    assert vault.problems == []


def test_file_holds_header_and_no_plaintext(vault: Vault) -> None:
    vault.put("a", b"secret phone +14155550123")
    blob = vault.path("a").read_bytes()
    assert blob.startswith(MAGIC + bytes([FORMAT_VERSION]) + key_id(KEY.secret) + b"\x01a")
    assert b"14155550123" not in blob


def test_every_write_uses_a_fresh_nonce(vault: Vault) -> None:
    vault.put("a", b"same")
    first = vault.path("a").read_bytes()
    vault.put("a", b"same")
    second = vault.path("a").read_bytes()
    nonce = slice(len(MAGIC) + 1 + 8 + 1 + 1, len(MAGIC) + 1 + 8 + 1 + 1 + 12)
    assert first[nonce] != second[nonce]
    assert first != second


@pytest.mark.skipif(os.name == "nt", reason="POSIX file modes")
def test_records_and_their_directory_are_private(vault: Vault) -> None:
    vault.put("a", b"x")
    assert vault.path("a").stat().st_mode & 0o777 == 0o600
    assert vault.directory.stat().st_mode & 0o777 == 0o700


@pytest.mark.parametrize("name", ["", "../escape", "a/b", "a.rec", "x" * 65, "-leading", "名"])
def test_unsafe_names_are_refused(vault: Vault, name: str) -> None:
    with pytest.raises(ValueError, match="invalid record name"):
        vault.put(name, b"x")


def assert_set_aside(
    root: Path, vault: Vault, name: str, original: bytes, reason: CorruptReason
) -> CorruptRecord:
    """The record reads as absent, is reported once, and its bytes wait in quarantine."""
    assert vault.get(name) is None
    assert vault.get(name) is None  # asked twice, reported once
    [problem] = vault.problems
    assert problem.reason is reason
    assert problem.quarantined
    assert problem.name == name
    assert problem.path.parent == root / "quarantine"
    assert problem.path.read_bytes() == original
    assert not vault.path(name).exists()
    for language in ("en", "zh"):
        assert str(problem.path) in problem.message(language)
    return problem


def test_edited_byte_is_detected_and_kept_aside(tmp_path: Path, vault: Vault) -> None:
    vault.put("a", b"content that matters")
    blob = bytearray(vault.path("a").read_bytes())
    blob[-20] ^= 0x01
    vault.path("a").write_bytes(bytes(blob))
    assert_set_aside(tmp_path, vault, "a", bytes(blob), CorruptReason.TAMPERED)


def test_renamed_file_is_detected(tmp_path: Path, vault: Vault) -> None:
    vault.put("a", b"record a")
    original = vault.path("a").read_bytes()
    vault.path("a").rename(vault.path("b"))
    assert_set_aside(tmp_path, vault, "b", original, CorruptReason.MISPLACED)


def test_file_copied_over_another_is_detected(tmp_path: Path, vault: Vault) -> None:
    vault.put("a", b"record a")
    vault.put("b", b"record b")
    shutil.copyfile(vault.path("a"), vault.path("b"))
    assert vault.get("a") == b"record a"
    assert_set_aside(tmp_path, vault, "b", vault.path("a").read_bytes(), CorruptReason.MISPLACED)


def test_file_moved_to_another_collection_is_detected(tmp_path: Path, vault: Vault) -> None:
    vault.put("a", b"a draft")
    people = open_vault(tmp_path, "people")
    shutil.copyfile(vault.path("a"), people.path("a"))
    assert_set_aside(tmp_path, people, "a", vault.path("a").read_bytes(), CorruptReason.TAMPERED)


def test_header_changed_to_another_name_fails_authentication(tmp_path: Path, vault: Vault) -> None:
    vault.put("a", b"record a")
    forged = vault.path("a").read_bytes().replace(b"\x01a", b"\x01b", 1)
    vault.path("b").write_bytes(forged)
    assert_set_aside(tmp_path, vault, "b", forged, CorruptReason.TAMPERED)


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", CorruptReason.TRUNCATED),
        (b"ITD", CorruptReason.TRUNCATED),
        (MAGIC + b"\x01" + b"\x00" * 10, CorruptReason.TRUNCATED),
        (b'{"id": "a draft in plain JSON"}', CorruptReason.NOT_A_RECORD),
        (MAGIC + b"\x00" + b"\x00" * 40, CorruptReason.NOT_A_RECORD),
    ],
)
def test_damaged_files_are_set_aside(
    tmp_path: Path, vault: Vault, content: bytes, reason: CorruptReason
) -> None:
    vault.path("a").write_bytes(content)
    assert_set_aside(tmp_path, vault, "a", content, reason)


def test_cut_short_record_is_set_aside(tmp_path: Path, vault: Vault) -> None:
    vault.put("a", b"x" * 100)
    half = vault.path("a").read_bytes()[:40]
    vault.path("a").write_bytes(half)
    assert_set_aside(tmp_path, vault, "a", half, CorruptReason.TRUNCATED)


def test_record_of_another_key_is_set_aside(tmp_path: Path) -> None:
    open_vault(tmp_path, key=OTHER_KEY).put("a", b"x")
    vault = open_vault(tmp_path)
    assert_set_aside(tmp_path, vault, "a", vault.path("a").read_bytes(), CorruptReason.OTHER_KEY)


def test_newer_format_is_left_in_place_for_the_newer_version(vault: Vault) -> None:
    vault.put("a", b"x")
    blob = bytearray(vault.path("a").read_bytes())
    blob[len(MAGIC)] = FORMAT_VERSION + 1
    vault.path("a").write_bytes(bytes(blob))
    assert vault.get("a") is None
    assert vault.get("a") is None
    [problem] = vault.problems
    assert problem.reason is CorruptReason.NEWER_FORMAT
    assert not problem.quarantined
    assert problem.path == vault.path("a")
    assert vault.path("a").read_bytes() == bytes(blob)
    assert "newer version" in problem.message("en")


def test_file_the_system_refuses_is_reported_and_left(vault: Vault) -> None:
    vault.path("a").mkdir()  # reading it fails as a permission error would, even for root
    assert vault.get("a") is None
    [problem] = vault.problems
    assert problem.reason is CorruptReason.UNREADABLE
    assert not problem.quarantined
    assert vault.path("a").is_dir()
    assert problem.message("zh")


def test_one_bad_file_does_not_hide_the_others(tmp_path: Path, vault: Vault) -> None:
    vault.put("a", b"fine")
    vault.put("c", b"fine too")
    vault.path("b").write_bytes(b"garbage")
    assert [vault.get(name) for name in vault.names()] == [b"fine", None, b"fine too"]
    assert [p.name for p in vault.problems] == ["b"]


def test_disk_refusing_a_write_is_a_clear_error(
    vault: Vault, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(path: Path, data: bytes, mode: int = 0o600) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(vault_module, "atomic_write", full)
    with pytest.raises(StorageError) as caught:
        vault.put("a", b"x")
    assert caught.value.code == "write_failed"
    assert "No space left on device" in caught.value.message("en")
    assert_explained(caught.value)


def test_opening_cleans_temp_files_of_killed_writers(tmp_path: Path) -> None:
    directory = tmp_path / "drafts"
    directory.mkdir()
    stale = directory / ".a.rec.999999999.0123abcd.tmp"
    stale.write_bytes(b"half a record")
    open_vault(tmp_path)
    assert not stale.exists()
