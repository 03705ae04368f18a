"""The outer layers of a health code: ``HC1:`` + Base45(zlib(COSE bytes)).

Each step is its own function raising its own error, so a verifier can say exactly which layer
of a damaged code is broken. Base45 decoding is written here rather than taken from the
``base45`` package (used for encoding): the verifier spent most of its own time in that
package's per-character loop (see ``bench/certificate.py``); this one works on whole byte
strings.
"""

from __future__ import annotations

import zlib

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
#: A group's last digit at or below 32: a group is at most 65535 = 15 + 45 x 16 + 2025 x 32.
_ABOVE_32 = bytes(range(33, 256))
#: The first two digits' most (c + 45 d) beside a last digit of 32: 735 = 65535 - 2025 x 32.
_MOST_BESIDE_32 = 735


def _two_byte_slots(digits: bytes) -> int:
    """The integer whose big-endian 2-byte slots hold ``digits``, one each."""
    spread = bytearray(2 * len(digits))
    spread[1::2] = digits
    return int.from_bytes(spread, "big")


def _groups_fit(firsts: bytes, seconds: bytes, lasts: bytes) -> bool:
    """Whether every group c + 45 d + 2025 e is at most 65535: its last digit below 32, or 32
    with c + 45 d at most 735 (1 group in 45 has a 32, so the loop is short)."""
    if lasts.translate(None, _ABOVE_32) != lasts:  # a last digit above 32
        return False
    at = lasts.find(32)
    while at != -1:
        if firsts[at] + 45 * seconds[at] > _MOST_BESIDE_32:
            return False
        at = lasts.find(32, at + 1)
    return True


def b45decode(text: str) -> bytes:
    """Base45 (RFC 9285) decoding, with the group arithmetic done on big integers.

    The groups' first, second and last digits each go into the 2-byte slots of an integer
    (C, D, E); C + 45 D + 2025 E then holds every group's value in its own slot, which are
    the decoded bytes, once :func:`_groups_fit` has made sure no slot exceeds two bytes.
    """
    try:
        digits = text.encode("ascii").translate(_DIGITS)
    except UnicodeEncodeError:
        raise errors.Base45Invalid() from None
    groups, tail = divmod(len(digits), 3)
    if tail == 1 or b"\xff" in digits:
        raise errors.Base45Invalid()
    body = 3 * groups
    firsts, seconds, lasts = digits[0:body:3], digits[1:body:3], digits[2:body:3]
    if not _groups_fit(firsts, seconds, lasts):
        raise errors.Base45Invalid()
    value = _two_byte_slots(firsts) + 45 * _two_byte_slots(seconds) + 2025 * _two_byte_slots(lasts)
    out = value.to_bytes(2 * groups, "big")
    if tail:
        last = digits[-2] + 45 * digits[-1]
        if last > 255:
            raise errors.Base45Invalid()
        out += bytes((last,))
    return out


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
