"""Where the data key lives, and that it is never replaced while data needs it."""

from __future__ import annotations

import json
import os
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail, null
from keyring.errors import KeyringLocked

from itdeclare.storage.data_key import (
    KEY_FILE_NAME,
    KEY_STORE_ENV,
    KEYRING_SERVICE,
    MARKER_NAME,
    KeySource,
    key_kept_in_file,
    open_data_key,
)
from itdeclare.storage.errors import KeyUnavailable, StorageError
from tests.storage.conftest import MemoryKeyring, assert_explained

posix_only = pytest.mark.skipif(os.name == "nt", reason="POSIX file modes")


def test_file_key_is_made_once_and_read_back(tmp_path: Path) -> None:
    key = open_data_key(tmp_path, data_exists=False)
    assert key.source is KeySource.FILE
    assert len(key.secret) == 32
    assert Path(key.location) == tmp_path / KEY_FILE_NAME
    again = open_data_key(tmp_path, data_exists=True)
    assert again.secret == key.secret
    marker = json.loads((tmp_path / MARKER_NAME).read_text())
    assert marker == {"format": 1, "source": "file", "key_id": key.key_id.hex()}
    assert key.secret.hex() not in repr(key)


@posix_only
def test_key_file_and_marker_are_private(tmp_path: Path) -> None:
    open_data_key(tmp_path, data_exists=False)
    for name in (KEY_FILE_NAME, MARKER_NAME):
        assert (tmp_path / name).stat().st_mode & 0o777 == 0o600


@posix_only
def test_a_widened_key_file_is_made_private_again(tmp_path: Path) -> None:
    open_data_key(tmp_path, data_exists=False)
    (tmp_path / KEY_FILE_NAME).chmod(0o644)
    open_data_key(tmp_path, data_exists=True)
    assert (tmp_path / KEY_FILE_NAME).stat().st_mode & 0o777 == 0o600


def test_keyring_is_used_when_a_secure_backend_exists(
    tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    key = open_data_key(tmp_path, data_exists=False)
    assert key.source is KeySource.KEYRING
    assert not (tmp_path / KEY_FILE_NAME).exists()
    [(service, account)] = memory_keyring.secrets
    assert service == KEYRING_SERVICE
    assert key.location == f"{service}/{account}"
    marker = json.loads((tmp_path / MARKER_NAME).read_text())
    assert marker["source"] == "keyring"
    assert marker["account"] == account
    assert open_data_key(tmp_path, data_exists=True).secret == key.secret


def test_environment_forces_the_file_despite_a_keyring(
    tmp_path: Path, memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(KEY_STORE_ENV, "file")
    assert open_data_key(tmp_path, data_exists=False).source is KeySource.FILE
    assert memory_keyring.secrets == {}


@pytest.mark.parametrize("backend", [fail.Keyring, null.Keyring])
def test_no_secure_keyring_means_a_key_file(
    tmp_path: Path, use_keyring: None, backend: type[keyring.backend.KeyringBackend]
) -> None:
    keyring.set_keyring(backend())
    assert open_data_key(tmp_path, data_exists=False).source is KeySource.FILE


def test_keyring_refusing_the_key_means_a_key_file(
    tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    memory_keyring.failure = KeyringLocked("user cancelled the unlock prompt")
    assert open_data_key(tmp_path, data_exists=False).source is KeySource.FILE


def test_locked_keyring_with_data_is_reported_and_nothing_is_replaced(
    tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    open_data_key(tmp_path, data_exists=False)
    marker = (tmp_path / MARKER_NAME).read_bytes()
    memory_keyring.failure = KeyringLocked("locked")
    with pytest.raises(KeyUnavailable) as caught:
        open_data_key(tmp_path, data_exists=True)
    assert caught.value.code == "keyring_failed"
    assert "locked" in caught.value.message("en")
    assert_explained(caught.value)
    assert (tmp_path / MARKER_NAME).read_bytes() == marker
    assert not (tmp_path / KEY_FILE_NAME).exists()
    memory_keyring.failure = None  # unlocked: the same key comes back
    assert open_data_key(tmp_path, data_exists=True).source is KeySource.KEYRING


def test_keyring_entry_gone_with_data_is_reported(
    tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    open_data_key(tmp_path, data_exists=False)
    memory_keyring.secrets.clear()
    with pytest.raises(KeyUnavailable) as caught:
        open_data_key(tmp_path, data_exists=True)
    assert caught.value.code == "keyring_entry_missing"
    assert_explained(caught.value)


def test_key_file_gone_with_data_is_reported(tmp_path: Path) -> None:
    open_data_key(tmp_path, data_exists=False)
    (tmp_path / KEY_FILE_NAME).unlink()
    with pytest.raises(KeyUnavailable) as caught:
        open_data_key(tmp_path, data_exists=True)
    assert caught.value.code == "key_file_missing"
    assert_explained(caught.value)
    assert not (tmp_path / KEY_FILE_NAME).exists()


def test_marker_gone_with_data_is_reported(tmp_path: Path) -> None:
    open_data_key(tmp_path, data_exists=False)
    (tmp_path / MARKER_NAME).unlink()
    with pytest.raises(KeyUnavailable) as caught:
        open_data_key(tmp_path, data_exists=True)
    assert caught.value.code == "key_missing"
    assert_explained(caught.value)


@pytest.mark.parametrize(
    ("content", "code"),
    [(b"{not json", "marker_unreadable"), (b'{"source": "cloud"}', "marker_unreadable")],
)
def test_damaged_marker_with_data_is_reported(tmp_path: Path, content: bytes, code: str) -> None:
    open_data_key(tmp_path, data_exists=False)
    (tmp_path / MARKER_NAME).write_bytes(content)
    with pytest.raises(KeyUnavailable) as caught:
        open_data_key(tmp_path, data_exists=True)
    assert caught.value.code == code
    assert_explained(caught.value)


@pytest.mark.parametrize(
    ("content", "code"), [("not base64!", "key_malformed"), ("c2hvcnQ=", "key_malformed")]
)
def test_damaged_key_file_is_reported(tmp_path: Path, content: str, code: str) -> None:
    open_data_key(tmp_path, data_exists=False)
    (tmp_path / KEY_FILE_NAME).write_text(content)
    with pytest.raises(KeyUnavailable) as caught:
        open_data_key(tmp_path, data_exists=True)
    assert caught.value.code == code
    assert_explained(caught.value)


def test_another_key_put_in_place_is_refused(tmp_path: Path) -> None:
    open_data_key(tmp_path, data_exists=False)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    open_data_key(elsewhere, data_exists=False)
    (tmp_path / KEY_FILE_NAME).write_bytes((elsewhere / KEY_FILE_NAME).read_bytes())
    with pytest.raises(KeyUnavailable) as caught:
        open_data_key(tmp_path, data_exists=True)
    assert caught.value.code == "key_mismatch"


def test_lost_key_without_data_starts_afresh(tmp_path: Path) -> None:
    first = open_data_key(tmp_path, data_exists=False)
    (tmp_path / KEY_FILE_NAME).unlink()
    second = open_data_key(tmp_path, data_exists=False)
    assert second.secret != first.secret
    assert open_data_key(tmp_path, data_exists=True).secret == second.secret


def test_misspelt_setting_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(KEY_STORE_ENV, "keychain")
    with pytest.raises(StorageError) as caught:
        open_data_key(tmp_path, data_exists=False)
    assert caught.value.code == "key_store_setting"
    assert "keychain" in caught.value.message("zh")
    assert_explained(caught.value)


def test_key_source_is_described_in_both_languages() -> None:
    for source in KeySource:
        english, chinese = source.describe("en"), source.describe("zh")
        assert english != chinese
        assert chinese.endswith("。")
    assert KeySource.KEYRING.describe("en") != KeySource.FILE.describe("en")


@pytest.mark.parametrize(
    ("chained", "expected"), [(True, KeySource.KEYRING), (False, KeySource.FILE)]
)
def test_chained_keyrings_count_by_their_first_backend(
    tmp_path: Path,
    memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
    chained: bool,
    expected: KeySource,
) -> None:
    from keyring.backends.chainer import ChainerBackend

    monkeypatch.setattr(ChainerBackend, "backends", [memory_keyring] if chained else [])
    keyring.set_keyring(ChainerBackend())
    assert open_data_key(tmp_path, data_exists=False).source is expected


def test_a_key_in_a_file_is_known_to_open_at_once(tmp_path: Path) -> None:
    assert key_kept_in_file(tmp_path)  # no key yet, and the tests force the file
    open_data_key(tmp_path, data_exists=False)
    assert key_kept_in_file(tmp_path)


def test_a_key_in_the_keyring_may_wait(tmp_path: Path, memory_keyring: MemoryKeyring) -> None:
    assert not key_kept_in_file(tmp_path)  # no key yet: making one asks the keyring
    open_data_key(tmp_path, data_exists=False)
    assert not key_kept_in_file(tmp_path)


def test_a_damaged_marker_is_left_to_opening_to_explain(tmp_path: Path) -> None:
    (tmp_path / MARKER_NAME).write_bytes(b"{not json")
    assert not key_kept_in_file(tmp_path)
