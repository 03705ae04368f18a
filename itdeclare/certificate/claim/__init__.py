"""The record claim (CWT claim -65537): the whole certified record, compact enough for a QR.

The QR code must scan from a phone screen and a printed page, and DESIGN.md §4.3 promises that
every declaration that validates fits version 25 at error correction Q. So the record is a
positional CBOR array, not a map of names; a field's position is its integer key
(``keys.py``, listed with types in ``docs/certificate.md``). Nothing in it is stored twice, or
stored at all when it follows from what is already there:

- ``[1, kind, reference, holder, document, port, legs, tests, vaccinations, history, places]``;
  ``kind`` 0 declaration, 1 outbound; ``reference`` the declaration id or outbound serial
  (lower-case hex, like the backend's ids, travels as its bytes).
- the holder's nationality is left out when it is CHN and the document Chinese; the port of
  entry when it is where the last leg lands; a leg's origin when it is where the previous one
  landed; a leg's UTC offsets when they are its airports' own at that instant.
- times count whole minutes from the time before them (a leg's departure from the previous
  arrival, the first from iat; an arrival from its departure; a test's sampling from the
  previous test's, the first from iat); dates count days from 1970-01-01 or from the date
  before them.
- a test's institution is an index into ``places``, the distinct institutions; its offset and
  country are left out when the same as the previous test's (for the first: those of the
  departure of the flight into China, where the rules say tests are taken). A dose's country
  is left out when the same as the previous dose's (for the first: the holder's nationality).
- names and codes in small alphabets are packed into byte strings (``packing.py``).
- enumerations are small integers (``keys.py``; new values are only ever appended). Trailing
  empty or absent fields are left off.
"""

from __future__ import annotations

from itdeclare.certificate.claim.decode import (
    certificate_id_of,
    check_shape,
    decode,
    decode_json,
    wall_clock_text,
)
from itdeclare.certificate.claim.encode import encode
from itdeclare.certificate.claim.keys import PRODUCTS, VERSION

__all__ = [
    "PRODUCTS",
    "VERSION",
    "certificate_id_of",
    "check_shape",
    "decode",
    "decode_json",
    "encode",
    "wall_clock_text",
]
