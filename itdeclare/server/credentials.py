"""Random tokens and one-time codes, and the hashes they are stored as.

A token has 256 random bits: its SHA-256 is useless to whoever copies the database. A code
has six digits, which a copied SHA-256 gives away in a fraction of a second, so a code is
stored as an HMAC keyed with a secret kept beside the signing keys, in a file of its own (0600),
never in the database: without that file, a copied database gives no code.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

from itdeclare.server import files

CODE_DIGITS = 6


def new_token() -> str:
    """A bearer token: 256 random bits, URL-safe."""
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """Tokens are long and random, so a plain SHA-256 is enough to make a stolen table useless."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_code() -> str:
    return f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"


def new_salt() -> str:
    return secrets.token_hex(16)


SECRET_BYTES = 32


def code_secret(path: Path) -> bytes:
    """The HMAC key in ``path``, made (0600, atomically) on first use. Every worker and host of
    one deployment must read the same file: whichever makes it first wins, the others read it."""
    if not path.exists():
        files.private_dir(path.parent)
        temporary = path.with_name(f".{path.name}.{secrets.token_hex(8)}")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, files.PRIVATE_FILE)
        with os.fdopen(descriptor, "wb") as file:
            file.write(secrets.token_bytes(SECRET_BYTES))
            file.flush()
            os.fsync(file.fileno())
        try:
            os.link(temporary, path)  # fails if another worker got there first: its key stands
        except FileExistsError:
            pass
        finally:
            temporary.unlink()
    secret = path.read_bytes()
    if len(secret) < SECRET_BYTES:
        raise ValueError(f"{path} holds no usable secret; remove it to have a new one made")
    return secret


def code_hash(secret: bytes, phone: str, code: str, salt: str) -> str:
    """HMAC-SHA256 of the phone, the code and a per-issue salt, keyed with ``secret``."""
    message = f"{salt}:{phone}:{code}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def code_matches(secret: bytes, phone: str, code: str, salt: str, stored_hash: str) -> bool:
    return hmac.compare_digest(code_hash(secret, phone, code, salt), stored_hash)
