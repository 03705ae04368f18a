"""Private keys sealed with a passphrase: scrypt to derive a key, AES-256-GCM to encrypt.

PKCS#8 as the cryptography library writes it derives its key with PBKDF2 at 2,048 iterations,
which a stolen disk's owner tries thousands of times a second. A sealed key is a small JSON
document instead::

    {"format": "itdeclare-sealed-key/1", "kdf": "scrypt", "n": 131072, "r": 8, "p": 1,
     "salt": base64, "nonce": base64, "ciphertext": base64 (the key as PKCS#8 DER, encrypted)}

scrypt at N=2^17, r=8 (128 MiB, about a second) is the OWASP recommendation; the parameters
travel with each file, so stronger ones can be chosen later without breaking old files. The
header is authenticated with the ciphertext, so the parameters cannot be lowered unnoticed.
Files in the older PKCS#8 PEM form still open (``itdeclare keys rekey`` rewrites them sealed).
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import os
from typing import TYPE_CHECKING, Any

from itdeclare.certificate import errors

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ec import EllipticCurvePrivateKey

FORMAT = "itdeclare-sealed-key/1"
DEFAULT_SCRYPT_N = 2**17
SCRYPT_N, SCRYPT_R, SCRYPT_P = DEFAULT_SCRYPT_N, 8, 1
#: A passphrase shorter than this is refused when keys are written (a rule, not a guarantee:
#: a long passphrase can still be a guessable one).
MIN_PASSPHRASE_CHARS = 12
_SALT_BYTES, _NONCE_BYTES, _KEY_BYTES = 16, 12, 32
_LEGACY_PREFIX = b"-----BEGIN"
#: scrypt's memory is 128 * N * r bytes; a little headroom above the largest N accepted.
_MAX_N = 2**20


def check_passphrase(passphrase: bytes) -> None:
    """Raise ``PassphraseTooShort`` for a passphrase too short to write keys with."""
    if len(passphrase.decode("utf-8", "replace")) < MIN_PASSPHRASE_CHARS:
        raise errors.PassphraseTooShort(minimum=MIN_PASSPHRASE_CHARS)


@functools.lru_cache(maxsize=16)
def _derive(passphrase: bytes, salt: bytes, n: int, r: int, p: int) -> bytes:
    """Derived once per passphrase and salt in a process: one key store's files share a salt,
    so opening a store costs one derivation, not one per key."""
    memory = 128 * n * r * p + 32 * 1024 * 1024
    return hashlib.scrypt(passphrase, salt=salt, n=n, r=r, p=p, maxmem=memory, dklen=_KEY_BYTES)


def new_salt() -> bytes:
    return os.urandom(_SALT_BYTES)


def seal(key: EllipticCurvePrivateKey, passphrase: bytes, salt: bytes) -> bytes:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    header: dict[str, Any] = {
        "format": FORMAT,
        "kdf": "scrypt",
        "n": SCRYPT_N,
        "r": SCRYPT_R,
        "p": SCRYPT_P,
        "salt": base64.b64encode(salt).decode(),
    }
    plain = key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    nonce = os.urandom(_NONCE_BYTES)
    secret = _derive(passphrase, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    ciphertext = AESGCM(secret).encrypt(nonce, plain, _associated(header))
    document = {
        **header,
        "nonce": base64.b64encode(nonce).decode(),
        "ciphertext": base64.b64encode(ciphertext).decode(),
    }
    return (json.dumps(document, indent=2) + "\n").encode()


def is_legacy(data: bytes) -> bool:
    """Whether ``data`` is a key in the older form (PKCS#8 PEM, PBKDF2 at 2,048 rounds)."""
    return data.lstrip().startswith(_LEGACY_PREFIX)


def salt_of(data: bytes) -> bytes | None:
    """The salt a sealed key was written with (``None`` for the older form or a damaged file)."""
    try:
        return base64.b64decode(json.loads(data)["salt"], validate=True)
    except (ValueError, KeyError, TypeError):
        return None


def unseal(data: bytes, passphrase: bytes, name: str) -> EllipticCurvePrivateKey:
    """The key in ``data`` (sealed, or the older PEM form); ``name`` is for error messages."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    if is_legacy(data):
        try:
            key = serialization.load_pem_private_key(data, passphrase)
        except (ValueError, TypeError):
            raise errors.WrongPassphrase() from None
    else:
        header, nonce, ciphertext = _parse(data, name)
        secret = _derive(
            passphrase, base64.b64decode(header["salt"]), header["n"], header["r"], header["p"]
        )
        try:
            plain = AESGCM(secret).decrypt(nonce, ciphertext, _associated(header))
        except InvalidTag:
            raise errors.WrongPassphrase() from None
        key = serialization.load_der_private_key(plain, None)
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise errors.KeyStoreDamaged(path=name)
    return key


def _parse(data: bytes, name: str) -> tuple[dict[str, Any], bytes, bytes]:
    try:
        document = json.loads(data)
        header = {k: document[k] for k in ("format", "kdf", "n", "r", "p", "salt")}
        nonce = base64.b64decode(document["nonce"], validate=True)
        ciphertext = base64.b64decode(document["ciphertext"], validate=True)
        valid = (
            header["format"] == FORMAT
            and header["kdf"] == "scrypt"
            and all(isinstance(header[k], int) for k in ("n", "r", "p"))
            and 2 <= header["n"] <= _MAX_N
            and 1 <= header["r"] <= 32
            and 1 <= header["p"] <= 16
        )
    except (ValueError, KeyError, TypeError):
        valid = False
    if not valid:
        raise errors.KeyStoreDamaged(path=name)
    return header, nonce, ciphertext


def _associated(header: dict[str, Any]) -> bytes:
    return json.dumps(header, sort_keys=True, separators=(",", ":")).encode()
