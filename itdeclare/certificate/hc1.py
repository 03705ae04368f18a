"""The outer layers of a health code: ``HC1:`` + Base45(zlib(COSE bytes)).

Each step is its own function raising its own error, so a verifier can say exactly which layer
of a damaged code is broken. Base45 decoding is written here rather than taken from the
``base45`` package (used for encoding): the verifier spent most of its own time in that
package's per-character loop (see ``bench/certificate.py``); this one works on whole byte
strings.
"""

from __future__ import annotations

import zlib
from functools import lru_cache

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


def _digit_table() -> bytes:
    table = bytearray(b"\xff" * 256)
    for value, letter in enumerate(ALPHABET.encode("ascii")):
        table[letter] = value
    return bytes(table)


_DIGITS = _digit_table()


@lru_cache(maxsize=64)
def _last_digits(groups: int) -> tuple[int, int]:
    """For ``groups`` groups of three 1-byte digits read as one big-endian integer: the mask of
    every group's last byte, and of every group's first byte."""
    lasts = int.from_bytes(b"\0\0\xff" * groups, "big")
    return lasts, lasts << 16


def b45decode(text: str) -> bytes:
    """Base45 (RFC 9285) decoding, with the group arithmetic done on one big integer.

    The digits, one byte each, read as a big-endian integer P hold each group c d e in its own
    3-byte slot. (P >> 16) & M + 45 ((P >> 8) & M) + 2025 (P & M), M masking each slot's last
    byte, puts c + 45 d + 2025 e in each slot (at most 91124: no slot spills into the next).
    A group is two bytes, so a slot whose first byte is not zero is not Base45; the other two
    bytes of every slot are the decoded bytes.
    """
    try:
        digits = text.encode("ascii").translate(_DIGITS)
    except UnicodeEncodeError:
        raise errors.Base45Invalid() from None
    groups, tail = divmod(len(digits), 3)
    if tail == 1 or b"\xff" in digits:
        raise errors.Base45Invalid()
    body = 3 * groups
    packed = int.from_bytes(digits[:body], "big")
    lasts, firsts = _last_digits(groups)
    value = ((packed >> 16) & lasts) + 45 * ((packed >> 8) & lasts) + 2025 * (packed & lasts)
    if value & firsts:  # a group above 65535
        raise errors.Base45Invalid()
    out = bytearray(value.to_bytes(body, "big"))
    del out[::3]
    if tail:
        last = digits[-2] + 45 * digits[-1]
        if last > 255:
            raise errors.Base45Invalid()
        out.append(last)
    return bytes(out)


def b45encode(data: bytes) -> str:
    import base45

    return base45.b45encode(data).decode("ascii")


#: The most a code may inflate to. The largest QR code (version 40, level L) carries 4,296
#: alphanumeric characters, 2,864 bytes once Base45 is undone; signed certificate data (CBOR
#: with names, dates and a signature) compresses less than 3:1, so no real code inflates past
#: ~9 KB. Past this, the text is a zlib bomb (zlib reaches ~1000:1), and is stopped before it
#: can allocate more than this.
MAX_INFLATED = 16 * 1024


def inflate(data: bytes) -> bytes:
    """The COSE bytes inside the zlib stream (the DCC requires compression), at most
    :data:`MAX_INFLATED` of them; nothing may follow the stream."""
    inflater = zlib.decompressobj()
    try:
        out = inflater.decompress(data, MAX_INFLATED + 1)
    except zlib.error:
        raise errors.ZlibInvalid() from None
    if len(out) > MAX_INFLATED or inflater.unconsumed_tail:
        raise errors.ZlibTooLarge(limit=MAX_INFLATED)
    if not inflater.eof:  # a truncated stream
        raise errors.ZlibInvalid()
    if inflater.unused_data:
        raise errors.ZlibTrailingBytes()
    return out


def deflate(data: bytes) -> bytes:
    return zlib.compress(data, 9)


def encode(cose: bytes) -> str:
    """The QR text for signed COSE bytes."""
    return PREFIX + b45encode(deflate(cose))


def decode(text: str) -> bytes:
    """The COSE bytes of a QR text, through every outer layer."""
    return inflate(b45decode(unprefix(text)))
