"""Text packed into fewer bits than UTF-8 spends, when it keeps to a small alphabet.

A name in Latin capitals needs 5 bits a letter, a document number 6, a Chinese name 18 (the
code point itself); UTF-8 spends 8, 8 and 24 to 32. A packed text travels as a CBOR byte
string, any other as a CBOR text string, so a reader tells the two apart by type and a text
outside the alphabet (an outbound holder's name in Latin letters) still travels as it is.

Symbols are numbered from 1 and packed little-end first; 0 marks the end, so the length needs
no field of its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache


@dataclass(frozen=True, slots=True, eq=False)  # one object each: hashed by identity, fast
class Alphabet:
    name: str
    bits: int
    letters: str | None
    """The characters, in symbol order; ``None`` for code points as symbols (Chinese names)."""

    def symbol(self, char: str) -> int:
        """The symbol of ``char`` (0 when it is not in the alphabet)."""
        if self.letters is None:
            code = ord(char)
            return code if code < 1 << self.bits else 0
        return self.letters.find(char) + 1

    def char(self, symbol: int) -> str:
        if self.letters is None:
            if 0xD800 <= symbol < 0xE000:  # a surrogate is no character
                raise ValueError(f"{self.name}: symbol {symbol}")
            return chr(symbol)
        if symbol > len(self.letters):
            raise ValueError(f"{self.name}: symbol {symbol}")
        return self.letters[symbol - 1]


#: Names as the document's machine-readable zone spells them, airport and country codes.
LATIN = Alphabet("latin", 5, "ABCDEFGHIJKLMNOPQRSTUVWXYZ '-")
#: Document and flight numbers (some older passports print a dot after the type letter).
CODE = Alphabet("code", 6, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-.")
#: Chinese names: every Han character (extensions B to F included) is below 2**18.
HAN = Alphabet("han", 18, None)


def pack(text: str, alphabet: Alphabet | None) -> str | bytes:
    """``text`` packed when that is shorter than its UTF-8, else (or with no alphabet) ``text``
    itself."""
    if alphabet is None:
        return text
    symbols = [alphabet.symbol(char) for char in text]
    if not symbols or 0 in symbols:
        return text
    value = 0
    for symbol in reversed(symbols):
        value = value << alphabet.bits | symbol
    packed = value.to_bytes(-(-len(symbols) * alphabet.bits // 8), "little")
    return packed if len(packed) < len(text.encode("utf-8")) else text


def unpack(value: str | bytes, alphabet: Alphabet) -> str:
    """The text of a packed byte string (a text string is returned as it is)."""
    if isinstance(value, str):
        return value
    if len(value) <= 2:  # airport and country codes: few of them, in every record
        return _unpack_short(value, alphabet)
    if alphabet.letters is None:
        return _unpack(value, alphabet)
    return _unpack_by_pairs(value, alphabet)


def _unpack(value: bytes, alphabet: Alphabet) -> str:
    number, mask, chars = int.from_bytes(value, "little"), (1 << alphabet.bits) - 1, []
    while number:
        chars.append(alphabet.char(number & mask))
        number >>= alphabet.bits
    if not chars:
        raise ValueError(f"{alphabet.name}: empty")
    return "".join(chars)


#: At most 65,536 values for each alphabet.
_unpack_short = cache(_unpack)


def _unpack_by_pairs(value: bytes, alphabet: Alphabet) -> str:
    """:func:`_unpack`, two symbols a step through a table (the verifier unpacks every name,
    flight and document number of every code). Anything unusual (a symbol 0 before the end,
    one past the alphabet) goes to :func:`_unpack`, which decides it."""
    pairs, singles = _tables(alphabet)
    bits = alphabet.bits
    number, pair_mask, last = int.from_bytes(value, "little"), (1 << 2 * bits) - 1, 1 << bits
    parts = []
    while number >= last:  # two symbols or more left
        part = pairs[number & pair_mask]
        if part is None:
            return _unpack(value, alphabet)
        parts.append(part)
        number >>= 2 * bits
    if number:
        part = singles[number]
        if part is None:
            return _unpack(value, alphabet)
        parts.append(part)
    if not parts:
        return _unpack(value, alphabet)
    return "".join(parts)


@cache
def _tables(alphabet: Alphabet) -> tuple[tuple[str | None, ...], tuple[str | None, ...]]:
    """The text of every two symbols (the first in the low bits) and of every one; None where
    a symbol is 0 or past the alphabet."""
    letters = alphabet.letters
    assert letters is not None
    singles = (None, *letters, *[None] * ((1 << alphabet.bits) - 1 - len(letters)))
    pairs = tuple(
        None if low is None or high is None else low + high for high in singles for low in singles
    )
    return pairs, singles
