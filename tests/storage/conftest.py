"""Fixtures of the storage tests: a local state under tmp_path and an in-memory OS keyring."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import keyring
import keyring.core
import pytest
from keyring.backend import KeyringBackend
from keyring.compat import properties
from keyring.errors import PasswordDeleteError

from itdeclare import locations
from itdeclare.i18n import LANGUAGES
from itdeclare.storage.data_key import KEY_STORE_ENV
from itdeclare.storage.errors import StorageError
from itdeclare.storage.state import LocalState


class MemoryKeyring(KeyringBackend):
    """A keyring backend holding secrets in a dict; viable only while a test installs it.

    ``failure``, when set, is raised by every call, as a locked or vanished keyring does.
    """

    installed = False

    @properties.classproperty
    def priority(cls) -> float:
        if not cls.installed:
            raise RuntimeError("MemoryKeyring is only for the tests that install it")
        return 5

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}
        self.failure: Exception | None = None

    def _check(self) -> None:
        if self.failure is not None:
            raise self.failure

    def get_password(self, service: str, username: str) -> str | None:
        self._check()
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self._check()
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self._check()
        if self.secrets.pop((service, username), None) is None:
            raise PasswordDeleteError(username)


@pytest.fixture
def use_keyring(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Let the store choose the keyring (the suite forces the key file otherwise)."""
    monkeypatch.setenv(KEY_STORE_ENV, "auto")
    monkeypatch.setattr(keyring.core, "_keyring_backend", keyring.core._keyring_backend)
    yield


@pytest.fixture
def memory_keyring(use_keyring: None, monkeypatch: pytest.MonkeyPatch) -> MemoryKeyring:
    """An in-memory backend registered with keyring's own API, undone after the test."""
    monkeypatch.setattr(MemoryKeyring, "installed", True)
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    return backend


@pytest.fixture
def data_dir() -> Path:
    """The isolated data directory (the autouse fixture points ``ITDECLARE_DATA_DIR`` here)."""
    return locations.data_dir()


@pytest.fixture
def state(data_dir: Path) -> LocalState:
    return LocalState()


def assert_explained(error: StorageError) -> None:
    """The error reads as a sentence in every language, with its parameters filled in."""
    for language in LANGUAGES:
        text = error.message(language)
        assert text and "{" not in text, (language, text)
