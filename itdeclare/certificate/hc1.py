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
_SLOT = 1 << 24
#: Multiplying by this adds, into each 3-byte slot, its digit + 45 x the next + 2025 x the one
#: after: for the first slot of every group, that is the group's value.
_GROUP_WEIGHTS = 1 + 45 * _SLOT + 2025 * _SLOT * _SLOT


def b45decode(text: str) -> bytes:
    """Base45 (RFC 9285) decoding, with the group arithmetic done on one big integer.

    Every character's value goes into its own 3-byte slot; one multiplication gives each slot
    (at most 91124, so no slot overflows into the next) the weighted sum c + 45 d + 2025 e of
    itself and the two after it. Every third slot is then a group's value.
    """
    try:
        digits = text.encode("ascii").translate(_DIGITS)
    except UnicodeEncodeError:
        raise errors.Base45Invalid() from None
    groups, tail = divmod(len(digits), 3)
    if tail == 1 or b"\xff" in digits:
        raise errors.Base45Invalid()
    body = 3 * groups
    spread = bytearray(3 * body)
    spread[2::3] = digits[:body]
    slots = (int.from_bytes(spread, "big") * _GROUP_WEIGHTS).to_bytes(3 * body + 6, "big")
    if slots[6::9].strip(b"\0"):  # a group above 65535
        raise errors.Base45Invalid()
    out = bytearray(2 * groups + tail // 2)
    out[0 : 2 * groups : 2] = slots[7::9]
    out[1 : 2 * groups : 2] = slots[8::9]
    if tail:
        last = digits[-2] + 45 * digits[-1]
        if last > 255:
            raise errors.Base45Invalid()
        out[-1] = last
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
