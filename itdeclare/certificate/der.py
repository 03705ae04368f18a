"""Just enough DER to read an X.509 certificate that ``cryptography`` refuses to parse whole.

Some document signer certificates in circulation carry extensions that break strict parsers (an
empty extended key usage, for one). The verifier still needs their public key and key-usage
OIDs, so this reads the TLV structure directly, for those two things only.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

SEQUENCE, OID, OCTET_STRING, BOOLEAN = 0x30, 0x06, 0x04, 0x01
UTC_TIME, GENERALIZED_TIME = 0x17, 0x18
EXTENSIONS = 0xA3  # [3] EXPLICIT in TBSCertificate
EXTENDED_KEY_USAGE = "2.5.29.37"


class DerError(ValueError):
    pass


def _header(data: bytes, pos: int) -> tuple[int, int, int]:
    """(tag, start of content, end of content) of the element at ``pos``."""
    if pos + 2 > len(data):
        raise DerError("truncated")
    tag, first = data[pos], data[pos + 1]
    pos += 2
    if first < 0x80:
        length = first
    else:
        count = first & 0x7F
        if count == 0 or count > 4 or pos + count > len(data):
            raise DerError("bad length")
        length = int.from_bytes(data[pos : pos + count], "big")
        pos += count
    if pos + length > len(data):
        raise DerError("truncated")
    return tag, pos, pos + length


def children(data: bytes, start: int = 0, end: int | None = None) -> Iterator[tuple[int, bytes]]:
    """(tag, whole encoded element) for each element between ``start`` and ``end``."""
    pos, end = start, len(data) if end is None else end
    while pos < end:
        tag, _, stop = _header(data, pos)
        yield tag, data[pos:stop]
        pos = stop


def content(element: bytes) -> bytes:
    _, start, end = _header(element, 0)
    return element[start:end]


def oid(encoded: bytes) -> str:
    body = content(encoded)
    if not body:
        raise DerError("empty OID")
    first = body[0]
    parts = [min(first // 40, 2), first - 40 * min(first // 40, 2)]
    value = 0
    for byte in body[1:]:
        value = (value << 7) | (byte & 0x7F)
        if not byte & 0x80:
            parts.append(value)
            value = 0
    return ".".join(map(str, parts))


def _tbs_fields(certificate: bytes) -> list[tuple[int, bytes]]:
    (_, cert), *_ = children(certificate)
    (_, tbs), *_ = children(content(cert))
    return list(children(content(tbs)))


def public_key_info(certificate: bytes) -> bytes:
    """The DER SubjectPublicKeyInfo of a certificate."""
    fields = [element for tag, element in _tbs_fields(certificate) if tag == SEQUENCE]
    # serial is an INTEGER; SEQUENCEs in order: signature alg, issuer, validity, subject, SPKI
    if len(fields) < 5:
        raise DerError("no subject public key")
    return fields[4]


def _time(tag: int, element: bytes) -> datetime:
    text = content(element).decode("ascii", "replace")
    try:
        if tag == UTC_TIME:  # YYMMDDHHMMSSZ; years 50-99 are 19xx (RFC 5280)
            moment = datetime.strptime(text, "%y%m%d%H%M%SZ")
            if moment.year >= 2050:
                moment = moment.replace(year=moment.year - 100)
        elif tag == GENERALIZED_TIME:
            moment = datetime.strptime(text, "%Y%m%d%H%M%SZ")
        else:
            raise DerError("not a time")
    except ValueError:
        raise DerError("bad time") from None
    return moment.replace(tzinfo=UTC)


def validity(certificate: bytes) -> tuple[datetime, datetime]:
    """(notBefore, notAfter) of a certificate."""
    fields = [element for tag, element in _tbs_fields(certificate) if tag == SEQUENCE]
    if len(fields) < 3:
        raise DerError("no validity")
    times = list(children(content(fields[2])))
    if len(times) != 2:
        raise DerError("no validity")
    (first_tag, first), (last_tag, last) = times
    return _time(first_tag, first), _time(last_tag, last)


def extended_key_usage(certificate: bytes) -> list[str] | None:
    """The extended key usage OIDs, ``[]`` for an empty extension, None when there is none."""
    for tag, element in _tbs_fields(certificate):
        if tag != EXTENSIONS:
            continue
        (_, extensions), *_ = children(content(element))
        for _, extension in children(content(extensions)):
            parts = list(children(content(extension)))
            if not parts or oid(parts[0][1]) != EXTENDED_KEY_USAGE:
                continue
            value = content(parts[-1][1])  # OCTET STRING holding SEQUENCE OF OID
            if not value:
                return []
            return [oid(element) for _, element in children(content(value))]
    return None
