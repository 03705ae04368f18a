"""The data key: 256 random bits that encrypt everything the client keeps on disk.

The key lives in the OS keyring (macOS Keychain, Windows Credential Locker, Secret Service or
KWallet on Linux) when a secure one is available, else in ``data.key`` beside the data,
readable only by its owner. ``ITDECLARE_KEY_STORE=file`` forces the file (tests do, and so can
machines whose keyring prompts at awkward times).

A small marker, ``key.json``, records where the key went and its id. The key is never replaced
silently: when encrypted data exists and its key cannot be read (keyring locked or gone, key
file deleted), :func:`open_data_key` raises :class:`KeyUnavailable` and changes nothing.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import secrets
import uuid
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from itdeclare import i18n
from itdeclare.storage.atomic import atomic_write
from itdeclare.storage.errors import KeyUnavailable, StorageError

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

KEY_STORE_ENV = "ITDECLARE_KEY_STORE"
KEYRING_SERVICE = "itdeclare"
MARKER_NAME = "key.json"
KEY_FILE_NAME = "data.key"
KEY_BYTES = 32
MARKER_FORMAT = 1


class KeySource(StrEnum):
    """Where the data key is kept."""

    KEYRING = "keyring"
    FILE = "file"

    def describe(self, language: i18n.Language | None = None) -> str:
        return i18n.t(f"storage.key_source.{self.value}", language)


class DataKey(NamedTuple):
    """The key, where it is kept, and where exactly (a ``NamedTuple``: it is made at every
    start, see :mod:`itdeclare.plain`)."""

    secret: bytes
    source: KeySource
    #: The key file's path, or ``service/account`` in the keyring.
    location: str

    @property
    def key_id(self) -> bytes:
        return key_id(self.secret)

    def __repr__(self) -> str:  # never the secret
        return f"DataKey(source={self.source.value!r}, location={self.location!r})"


def key_id(secret: bytes) -> bytes:
    """8 bytes naming a key without revealing it; stored in every record's header."""
    return hashlib.sha256(b"itdeclare data key\x00" + secret).digest()[:8]


def key_file_forced() -> bool:
    value = os.environ.get(KEY_STORE_ENV, "auto").strip().lower() or "auto"
    if value not in ("auto", "file"):
        raise StorageError("key_store_setting", variable=KEY_STORE_ENV, value=value)
    return value == "file"


def _is_secure(backend: KeyringBackend) -> bool:
    """A backend that keeps secrets in the OS's protected store, not a null or plaintext one."""
    from keyring.backends import chainer

    if isinstance(backend, chainer.ChainerBackend):
        chained = list(backend.backends)
        return bool(chained) and _is_secure(chained[0])
    if type(backend).__module__.startswith("keyrings.alt"):
        return False  # plaintext or password-prompting files: no better than our own key file
    try:
        return float(backend.priority) >= 1  # keyring's own "recommended" threshold
    except Exception:  # a backend that is not viable here raises from its priority check
        return False


def usable_keyring() -> KeyringBackend | None:
    """The OS keyring when a secure backend exists and the file is not forced, else ``None``."""
    if key_file_forced():
        return None
    import keyring

    backend = keyring.get_keyring()
    return backend if _is_secure(backend) else None


def _encode(secret: bytes) -> str:
    return base64.b64encode(secret).decode("ascii")


def _decode(text: str, where: str) -> bytes:
    try:
        secret = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        secret = b""
    if len(secret) != KEY_BYTES:
        raise KeyUnavailable("key_malformed", where=where)
    return secret


# --- the marker ---------------------------------------------------------------------------


def _write_marker(directory: Path, source: KeySource, secret: bytes, account: str | None) -> None:
    marker: dict[str, Any] = {
        "format": MARKER_FORMAT,
        "source": source.value,
        "key_id": key_id(secret).hex(),
    }
    if account is not None:
        marker |= {"service": KEYRING_SERVICE, "account": account}
    atomic_write(directory / MARKER_NAME, json.dumps(marker, indent=2).encode("utf-8"))


def _read_marker(directory: Path) -> dict[str, Any] | None:
    path = directory / MARKER_NAME
    try:
        marker = json.loads(path.read_bytes())
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise KeyUnavailable("marker_unreadable", path=path, reason=exc) from exc
    if not isinstance(marker, dict) or marker.get("source") not in set(KeySource):
        raise KeyUnavailable("marker_unreadable", path=path, reason="unknown content")
    return marker


# --- the two homes of the key ---------------------------------------------------------------


def _load_from_file(directory: Path) -> DataKey:
    path = directory / KEY_FILE_NAME
    try:
        text = path.read_text("ascii")
    except FileNotFoundError as exc:
        raise KeyUnavailable("key_file_missing", path=path) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise KeyUnavailable("key_file_unreadable", path=path, reason=exc) from exc
    if os.name != "nt" and path.stat().st_mode & 0o077:
        path.chmod(0o600)  # someone widened it; the key must stay private to its owner
    return DataKey(_decode(text, str(path)), KeySource.FILE, str(path))


def _load_from_keyring(marker: dict[str, Any]) -> DataKey:
    service = str(marker.get("service", KEYRING_SERVICE))
    account = str(marker.get("account", ""))
    where = f"{service}/{account}"
    import keyring

    try:
        text = keyring.get_keyring().get_password(service, account)
    except Exception as exc:  # keyring backends raise their own (D-Bus, Security framework…)
        raise KeyUnavailable("keyring_failed", where=where, reason=exc) from exc
    if text is None:
        raise KeyUnavailable("keyring_entry_missing", where=where)
    return DataKey(_decode(text, where), KeySource.KEYRING, where)


def _load(directory: Path, marker: dict[str, Any]) -> DataKey:
    if marker["source"] == KeySource.KEYRING:
        key = _load_from_keyring(marker)
    else:
        key = _load_from_file(directory)
    if key.key_id.hex() != marker.get("key_id"):
        raise KeyUnavailable("key_mismatch", where=key.location)
    return key


def _store_in_keyring(backend: KeyringBackend, secret: bytes) -> str | None:
    """Put the key in the keyring and read it back; the account name, or ``None`` on failure."""
    account = f"data-key-{uuid.uuid4().hex}"
    try:
        backend.set_password(KEYRING_SERVICE, account, _encode(secret))
        stored = backend.get_password(KEYRING_SERVICE, account)
    except Exception:  # a keyring that refuses is no place for the key: fall back to the file
        return None
    return account if stored == _encode(secret) else None


def _create(directory: Path) -> DataKey:
    secret = secrets.token_bytes(KEY_BYTES)
    backend = usable_keyring()
    account = _store_in_keyring(backend, secret) if backend is not None else None
    if account is not None:
        _write_marker(directory, KeySource.KEYRING, secret, account)
        return DataKey(secret, KeySource.KEYRING, f"{KEYRING_SERVICE}/{account}")
    path = directory / KEY_FILE_NAME
    atomic_write(path, (_encode(secret) + "\n").encode("ascii"), mode=0o600)
    _write_marker(directory, KeySource.FILE, secret, None)
    return DataKey(secret, KeySource.FILE, str(path))


def key_kept_in_file(directory: Path) -> bool:
    """Whether reading the key of ``directory`` asks no OS keyring (which may prompt or block):
    the marker says it is in the file, or there is no key yet and the file is forced."""
    try:
        marker = _read_marker(directory)
        if marker is None:
            return key_file_forced()
    except StorageError:  # a damaged marker or setting: opening will say what is wrong
        return False
    return bool(marker["source"] == KeySource.FILE)


def open_data_key(directory: Path, *, data_exists: bool) -> DataKey:
    """The data key of ``directory``, made on first use.

    ``data_exists`` says whether anything encrypted is kept there: if so, a key that cannot be
    read raises :class:`KeyUnavailable` instead of being replaced by a new one.
    """
    key_file_forced()  # a misspelt setting is reported even when a key already exists
    try:
        marker = _read_marker(directory)
        if marker is not None:
            return _load(directory, marker)
        if data_exists:
            raise KeyUnavailable("key_missing", directory=directory)
    except KeyUnavailable:
        if data_exists:
            raise
        # Nothing was encrypted with the lost key, so nothing is lost by starting afresh.
    return _create(directory)
