"""The outer layers of a health code: ``HC1:`` + Base45(zlib(COSE bytes)).

Each step is its own function raising its own error, so a verifier can say exactly which layer
of a damaged code is broken. Decoding Base45 goes through a table of every valid three-character
group: the verifier spends most of its time here otherwise (see ``bench/certificate.py``), and
the table turns the work into one C-level lookup per two bytes.
"""

from __future__ import annotations

import struct
import zlib
from functools import cache

from itdeclare.certificate import errors

PREFIX = "HC1:"

#: Base45 (RFC 9285) alphabet: exactly the QR code's alphanumeric character set.
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"


def unprefix(text: str) -> str:
    """The Base45 text after the ``HC1:`` context identifier."""
    text = text.strip()
    if text.startswith(PREFIX):
        return text[len(PREFIX) :]
    head, colon, _ = text.partition(":")
    if colon and 0 < len(head) <= 4 and head.isalnum():
        raise errors.PrefixUnknown(prefix=f"{head}:")
    raise errors.PrefixMissing()


@cache
def _triples() -> dict[bytes, bytes]:
    """Every valid three-character Base45 group and the two bytes it stands for."""
    table = {}
    letters = [c.encode() for c in ALPHABET]
    for value in range(65536):
        low, rest = value % 45, value // 45
        table[letters[low] + letters[rest % 45] + letters[rest // 45]] = value.to_bytes(2, "big")
    return table


@cache
def _pairs() -> dict[bytes, bytes]:
    """Every valid trailing two-character group and its byte."""
    letters = [c.encode() for c in ALPHABET]
    return {letters[v % 45] + letters[v // 45]: bytes([v]) for v in range(256)}


@cache
def _splitter(groups: int) -> struct.Struct:
    return struct.Struct("3s" * groups)


def b45decode(text: str) -> bytes:
    try:
        raw = text.encode("ascii")
    except UnicodeEncodeError:
        raise errors.Base45Invalid() from None
    groups, tail = divmod(len(raw), 3)
    if tail == 1:
        raise errors.Base45Invalid()
    table = _triples()
    try:
        body = b"".join(map(table.__getitem__, _splitter(groups).unpack_from(raw)))
        return body + (_pairs()[raw[-2:]] if tail else b"")
    except KeyError:
        raise errors.Base45Invalid() from None


def b45encode(data: bytes) -> str:
    import base45

    return base45.b45encode(data).decode("ascii")


def inflate(data: bytes) -> bytes:
    """The COSE bytes inside the zlib stream (the DCC requires compression)."""
    try:
        inflater = zlib.decompressobj()
        result = inflater.decompress(data)
    except zlib.error:
        raise errors.ZlibInvalid() from None
    if not inflater.eof:
        raise errors.ZlibInvalid()
    return result


def deflate(data: bytes) -> bytes:
    return zlib.compress(data, 9)


def encode(cose: bytes) -> str:
    """The QR text for signed COSE bytes."""
    return PREFIX + b45encode(deflate(cose))


def decode(text: str) -> bytes:
    """The COSE bytes of a QR text, through every outer layer."""
    return inflate(b45decode(unprefix(text)))
