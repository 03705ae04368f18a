"""CWT claims (RFC 8392) of a health certificate: issuer, issued at, expires, and the content."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from itdeclare.certificate import errors
from itdeclare.certificate.cose import loads_cbor
from itdeclare.certificate.record import RECORD_CLAIM

ISS, EXP, IAT = 1, 4, 6
HCERT = -260
DCC_V1 = 1
#: The instants a ``datetime`` can hold, as epoch seconds: from the first second of year 1 up
#: to (not including) the end of year 9999. A time outside them (NaN, infinity, 1e20) is no
#: moment a code was issued or ends at, and every step after parsing turns times into dates.
#: Whole numbers (they are whole seconds), so the usual integer times compare without turning
#: into floats.
_FIRST = int(datetime(1, 1, 1, tzinfo=UTC).timestamp())
_BEYOND_LAST = int(datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC).timestamp()) + 1


@dataclass(slots=True)  # not frozen: constructing frozen dataclasses costs on every scan
class Claims:
    issuer: str | None
    issued_at: float | None
    """Epoch seconds (the vectors use integers and floats)."""
    expires_at: float | None
    hcert: Any
    record: Any
    """The raw value of our record claim (see ``claim.py``), when present."""
    dcc: Any
    """The raw EU DCC payload (claim -260 → 1), when present (read once: every check asks)."""


def _epoch(value: Any, name: str) -> float | None:
    """The claim as epoch seconds; :class:`errors.CwtTimeInvalid` when it is not a time."""
    if value is None:
        return None
    if isinstance(value, datetime):  # a CBOR tag 0 or 1 date (its zone may push it out of range)
        value = value.timestamp()
    elif not isinstance(value, (int, float)) or isinstance(value, bool):
        raise errors.CwtTimeInvalid(claim=name)
    # one chained comparison also refuses NaN (every comparison with it is false)
    if not _FIRST <= value < _BEYOND_LAST:
        raise errors.CwtTimeInvalid(claim=name)
    return value


def parse(payload: bytes) -> Claims:
    claims = loads_cbor(payload)
    if not isinstance(claims, dict):
        raise errors.NotCwt(reason="not a map")
    issuer, hcert = claims.get(ISS), claims.get(HCERT)
    issued, expires = claims.get(IAT), claims.get(EXP)
    # whole seconds in range, as nearly every code has them, are taken as they are
    if type(issued) is not int or not _FIRST <= issued < _BEYOND_LAST:
        issued = _epoch(issued, "iat")
    if type(expires) is not int or not _FIRST <= expires < _BEYOND_LAST:
        expires = _epoch(expires, "exp")
    return Claims(
        issuer if isinstance(issuer, str) else None,
        issued,
        expires,
        hcert,
        claims.get(RECORD_CLAIM),
        hcert.get(DCC_V1) if isinstance(hcert, dict) else None,
    )
