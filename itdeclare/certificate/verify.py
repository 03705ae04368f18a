"""Offline verification of a health code: every step, each with its own verdict and reason.

``verify(payload, trust_list=…)`` unwraps the code layer by layer (prefix, Base45, zlib,
COSE/CWT); a broken layer stops there and later steps stay ``None`` ("not reached"). Once the
claims are read, the remaining checks run independently, so an officer learns every reason a
code fails (a bad signature *and* an expired date), not just the first.

This is the hot path of the verifier (``bench/certificate.py``): the record claim is only
shape-checked here (every top-level field of its type) and read in full when someone asks for
it or for the verdict; a record that does not read then fails the schema check, so a VALID
code always has a record to show.
"""

from __future__ import annotations

import base64
import math
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cache, lru_cache
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from itdeclare import i18n
from itdeclare.certificate import claim, cose, cwt, dcc, errors, hc1
from itdeclare.certificate.errors import CHECKS, CertificateError, CertificateWarning

if TYPE_CHECKING:
    from itdeclare.certificate.record import CertifiedRecord
    from itdeclare.certificate.revocation import RevocationList
    from itdeclare.certificate.trust import TrustedKey, TrustList

#: Checks that must pass; the others (key usage, revocation) may also be "not checked".
REQUIRED = ("prefix", "base45", "zlib", "cose", "signature", "issuer", "expiry", "schema")
#: The longest a code may be valid. EU DCCs reach two years (the test vectors do); a code
#: valid for longer than this is a mistake or a forgery, not a health certificate.
MAX_LIFETIME_S = 3 * 366 * 86400
#: The country whose keys alone may sign the record claim (-65537): only China's backend
#: issues it.
RECORD_ISSUER = "CN"


#: The required checks' verdicts, read in one step.
_REQUIRED_VERDICTS = itemgetter(*REQUIRED)
#: Every check, not reached yet: each verification starts from a copy.
_NOT_REACHED: dict[str, bool | None] = dict.fromkeys(CHECKS)


@dataclass(slots=True)
class Verification:
    at: datetime
    checks: dict[str, bool | None] = field(default_factory=_NOT_REACHED.copy)
    errors: list[CertificateError] = field(default_factory=list)
    warnings: list[CertificateWarning] = field(default_factory=list)
    kid: bytes | None = None
    claims: cwt.Claims | None = None
    signer: TrustedKey | None = None
    revocations: RevocationList | None = None
    _record: CertifiedRecord | None = field(default=None, repr=False)
    _record_as_json: dict[str, Any] | None = field(default=None, repr=False)

    def fail(self, error: CertificateError) -> None:
        if error.check is not None:
            self.checks[error.check] = False
        self.errors.append(error)

    @property
    def valid(self) -> bool:
        checks = self.checks
        # no required check left unreached (None) and none failed (False): a check is one
        # of True, False and None
        if None in _REQUIRED_VERDICTS(checks) or False in checks.values():
            return False
        # The schema check looked at the record's outline only; a VALID code must also show
        # its holder, so the record is read in full before the verdict (once: it is kept for
        # --json). A record that does not read fails the schema check here.
        claims = self.claims
        return claims is None or claims.record is None or self._record_json() is not None

    @property
    def issued_at(self) -> datetime | None:
        return _moment(self.claims.issued_at if self.claims else None)

    @property
    def expires_at(self) -> datetime | None:
        return _moment(self.claims.expires_at if self.claims else None)

    @property
    def issuer(self) -> str | None:
        """The issuer the code claims (``iss``); see :attr:`signer_country` for the one vouched."""
        return self.claims.issuer if self.claims else None

    @property
    def signer_country(self) -> str | None:
        """The country the trust list gives the key that signed the code."""
        return None if self.signer is None else self.signer.country

    @property
    def dcc(self) -> dict[str, Any] | None:
        payload = self.claims.dcc if self.claims else None
        return payload if isinstance(payload, dict) else None

    @property
    def record(self) -> CertifiedRecord | None:
        """Our record claim, decoded (None when the code carries none or it is malformed:
        then the schema check has failed, see :meth:`_unreadable`)."""
        claims = self.claims
        if self._record is None and claims is not None and claims.record is not None:
            try:
                self._record = claim.decode(claims.record, claims.issued_at or 0)
            except errors.SchemaInvalid as error:
                self._unreadable(error)
        return self._record

    def _unreadable(self, error: CertificateError) -> None:
        """The record passed the shape check but does not read in full: the schema check
        fails after all, so no code is VALID without a record to show. Said once, however
        often the record is asked for (when the shape check failed, it has said so)."""
        if self.checks["schema"] is True:
            self.fail(error)

    @property
    def revocation_age(self) -> timedelta | None:
        """How old the revocation list was at the validation time; negative when it was issued
        after that time (``--at`` in the past)."""
        return None if self.revocations is None else self.at - self.revocations.issued_at

    def payload_json(self) -> dict[str, Any] | None:
        if self.claims is None:
            return None
        return {
            "iss": self.issuer,
            "dcc": json_safe(self.claims.dcc),
            "record": self._record_json(),
        }

    def _record_json(self) -> dict[str, Any] | None:
        """The record claim as ``CertifiedRecord.to_json`` writes it, read straight into JSON
        (``verify --jsonl`` writes thousands of them a second), or None when there is none or
        it does not read (:meth:`_unreadable`)."""
        claims = self.claims
        if self._record_as_json is None and claims is not None and claims.record is not None:
            shape_checked = self.checks["schema"] is True
            try:
                self._record_as_json = claim.decode_json(
                    claims.record, claims.issued_at or 0, shape_checked=shape_checked
                )
            except errors.SchemaInvalid as error:
                self._unreadable(error)
        return self._record_as_json

    def to_json(self) -> dict[str, Any]:
        """The ``itdeclare verify --json`` object (DESIGN.md §4.1)."""
        payload = self.payload_json()  # first: a record that does not read fails the schema
        result: dict[str, Any] = {
            "valid": self.valid,
            "checks": dict(self.checks),
            "kid": None if self.kid is None else _kid_text(self.kid),
            "issued_at": _epoch_text(self.claims.issued_at if self.claims else None),
            "expires_at": _epoch_text(self.claims.expires_at if self.claims else None),
            "payload": payload,
            "errors": [error.message() for error in self.errors],
            "warnings": [_warning_json(warning) for warning in self.warnings],
        }
        if self.revocations is not None:
            age = self.at.timestamp() - self.revocations.issued_at.timestamp()
            result["revocations"] = {
                "sequence": self.revocations.sequence,
                "issued_at": _iso(self.revocations.issued_at),
                # a list issued after the validation time is not old at all (and a code it
                # names carries the revoked_perhaps_later warning)
                "age_seconds": max(int(age), 0),
            }
        return result


def _warning_json(warning: CertificateWarning) -> dict[str, str]:
    """A warning's JSON. The one every code checked without a revocation list carries is
    worded once for each language, not once a code."""
    if warning is _NO_REVOCATION_LIST:
        return dict(_no_revocation_list_json(i18n.get_language()))
    return warning.to_json()


@cache
def _no_revocation_list_json(language: i18n.Language) -> dict[str, str]:
    return {"code": _NO_REVOCATION_LIST.code, "message": _NO_REVOCATION_LIST.message(language)}


@lru_cache(maxsize=256)
def _kid_text(kid: bytes) -> str:
    """A key id in base64; the same few signers sign a whole batch of codes."""
    return base64.b64encode(kid).decode("ascii")


def _moment(epoch: float | None) -> datetime | None:
    if epoch is None:
        return None
    try:
        return datetime.fromtimestamp(epoch, UTC)
    except (OverflowError, OSError, ValueError):
        return None


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


#: The first second of the year 10000, from 1970.
_END_OF_CALENDAR = 253402300800


def _epoch_text(epoch: float | None) -> str | None:
    """``_iso(_moment(epoch))``. A whole second from 1970 on, as a code's ``iat`` and ``exp``
    are, is written without making a datetime (every line of ``--jsonl`` writes two)."""
    if type(epoch) is int and 0 <= epoch < _END_OF_CALENDAR:
        return claim.wall_clock_text(epoch) + "+00:00"
    return _iso(_moment(epoch))


#: The types :func:`json_safe` returns as they are: most of a DCC, answered without a call.
_AS_THEY_ARE = frozenset({str, int, bool, type(None)})


def json_safe(value: Any) -> Any:
    """CBOR data as strict JSON: byte strings in base64, dates as ISO text, keys as text, and
    the floats JSON has no number for as text (:func:`_json_float`)."""
    if type(value) in _AS_THEY_ARE:
        return value
    if isinstance(value, dict):
        return {
            key if type(key) is str else str(key): (
                item if type(item) in _AS_THEY_ARE else json_safe(item)
            )
            for key, item in value.items()
        }
    if isinstance(value, (list, tuple)):
        return [item if type(item) in _AS_THEY_ARE else json_safe(item) for item in value]
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, float):
        return _json_float(value)
    if isinstance(value, (str, int, bool)):
        return value
    return str(value)


def _json_float(value: float) -> float | str:
    """A float as strict JSON holds it. JSON has no NaN or infinity (``json.dumps`` would write
    the bare words ``NaN`` and ``Infinity``, which JSON readers refuse, and orjson ``null``,
    which hides that the code holds something odd): those are the text ``"NaN"``,
    ``"Infinity"`` or ``"-Infinity"``, as JavaScript spells them."""
    if math.isfinite(value):
        return value
    if math.isnan(value):
        return "NaN"
    return "Infinity" if value > 0 else "-Infinity"


def parse_time(text: str) -> datetime:
    """An ISO 8601 instant; without a zone it is UTC. Raises ValueError when it is not one."""
    value = text.strip()
    if value.endswith(("Z", "z")):
        value = value[:-1] + "+00:00"
    moment = datetime.fromisoformat(value)
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


# --- the pipeline -----------------------------------------------------------------------------


def verify(
    payload: str,
    *,
    trust_list: TrustList,
    revocations: RevocationList | None = None,
    at: datetime | None = None,
) -> Verification:
    """Verify one ``HC1:`` text at ``at`` (default: now) against ``trust_list``."""
    result = Verification(at or datetime.now(UTC))  # positional: keywords cost on every scan
    result.revocations = revocations
    checks = result.checks
    try:
        body = hc1.unprefix(payload)
        checks["prefix"] = True
        compressed = hc1.b45decode(body)
        checks["base45"] = True
        raw = hc1.inflate(compressed)
        checks["zlib"] = True
    except CertificateError as error:
        result.fail(error)
        return result
    return _verify_cose(result, raw, trust_list)


def verify_cose(
    data: bytes,
    *,
    trust_list: TrustList,
    revocations: RevocationList | None = None,
    at: datetime | None = None,
) -> Verification:
    """Verify COSE bytes already taken out of their ``HC1:`` wrapping."""
    result = Verification(at=at or datetime.now(UTC), revocations=revocations)
    return _verify_cose(result, data, trust_list)


def _verify_cose(result: Verification, data: bytes, trust_list: TrustList) -> Verification:
    try:
        message = cose.parse(data)
        result.claims = cwt.parse(message.payload)
    except CertificateError as error:
        result.fail(error)
        return result
    result.checks["cose"] = True
    result.kid = message.kid
    _signature(result, message, trust_list)
    _issuer(result)
    _key_usage(result)
    _expiry(result)
    _revocation(result)
    _schema(result)
    return result


def _signature(result: Verification, message: cose.CoseSign1, trust_list: TrustList) -> None:
    kid = result.kid  # the message's, read once
    if kid is None:
        result.fail(errors.NoKeyId())
        return
    candidates = trust_list.candidates(kid)
    if not candidates:
        result.fail(errors.UnknownKey(kid=base64.b64encode(kid).decode("ascii")))
        return
    failure: CertificateError | None = None
    for candidate in candidates:
        try:
            cose.verify(message, candidate.public_key)
        except CertificateError as error:
            failure = error
            continue
        result.signer = candidate
        result.checks["signature"] = True
        return
    assert failure is not None
    result.fail(failure)


def _issuer(result: Verification) -> None:
    """The code's ``iss`` is the signing key's country, and its certificate was valid at
    ``iat``: a key trusted for one country cannot issue codes in another's name, and a
    signer certificate past its end cannot issue new codes, nor codes that outlast it. The
    record claim is China's alone: any other country's key (trusted for its own EU DCCs)
    cannot sign one."""
    signer, claims = result.signer, result.claims
    if signer is None or claims is None:
        return
    if signer.country is None:
        result.fail(errors.IssuerUnknown())
        return
    if claims.issuer != signer.country:
        result.fail(errors.IssuerMismatch(claimed=claims.issuer or "-", country=signer.country))
        return
    if claims.record is not None and signer.country != RECORD_ISSUER:
        result.fail(errors.RecordIssuerOtherCountry(country=signer.country))
        return
    issued, expires = claims.issued_at, claims.expires_at
    # the signer's validity (TrustedKey.valid_at), compared here: one call less per scan
    if issued is not None and not signer.starts <= issued <= signer.ends:
        result.fail(
            errors.SignerNotValidThen(
                at=result.issued_at,
                not_before=signer.not_before,
                not_after=signer.not_after,
            )
        )
        return
    # A certificate vouches for nothing after its end: without this, a signer past its end
    # could date a code back into its validity and let it run for years.
    if expires is not None and expires > signer.ends:
        result.fail(errors.SignerEndsFirst(expires=result.expires_at, not_after=signer.not_after))
        return
    result.checks["issuer"] = True


_ENTRY_NAMES = {"t": "test", "v": "vaccination", "r": "recovery"}


def _key_usage(result: Verification) -> None:
    """The signer may sign what the code holds: its EU DCC entry's type, and the full record
    (which needs a signer for every type: ``trust.RECORD_TYPES``). Not reached for a code that
    holds neither, or whose signer is unknown."""
    signer, claims = result.signer, result.claims
    if signer is None or claims is None:
        return
    payload, record = claims.dcc, claims.record
    if record is not None and signer.signs_record:
        # a signer that may sign the record may sign every entry type: nothing more to ask
        # (the usual code, so its DCC entry is not looked for)
        result.checks["key_usage"] = True
        return
    kind = dcc.entry_type(payload) if isinstance(payload, dict) else None
    if kind is None and record is None:
        return
    allowed = True
    if kind is not None and not signer.allows(kind):
        result.fail(errors.KeyUsageDenied(type=_ENTRY_NAMES[kind]))
        allowed = False
    if record is not None and not signer.signs_record:
        kinds = sorted(signer.allowed_types or (), key="tvr".index)
        result.fail(errors.KeyUsageRecordDenied(allowed=[_ENTRY_NAMES[k] for k in kinds]))
        allowed = False
    if allowed:
        result.checks["key_usage"] = True


def _expiry(result: Verification) -> None:
    """``iat`` and ``exp`` present, ``exp`` after ``iat`` and not absurdly far, now between."""
    claims = result.claims
    assert claims is not None
    now, issued, expires = result.at.timestamp(), claims.issued_at, claims.expires_at
    if issued is None:
        result.fail(errors.NoIssueTime())
    elif expires is None:
        result.fail(errors.NoExpiry())
    elif not 0 < expires - issued <= MAX_LIFETIME_S:
        result.fail(
            errors.ExpiryImplausible(
                issued=result.issued_at or issued, expires=result.expires_at or expires
            )
        )
    elif now < issued:
        result.fail(errors.NotYetValid(at=result.issued_at))
    elif now > expires:
        result.fail(errors.Expired(at=result.expires_at))
    else:
        result.checks["expiry"] = True


def _certificate_id(result: Verification) -> str | None:
    claims = result.claims
    assert claims is not None
    if claims.record is not None:
        return claim.certificate_id_of(claims.record)
    entry_kind = dcc.entry_type(result.dcc or {})
    if entry_kind is None:
        return None
    entries = (result.dcc or {}).get(entry_kind)
    if isinstance(entries, list) and entries and isinstance(entries[0], dict):
        ci = entries[0].get("ci")
        return ci if isinstance(ci, str) else None
    return None


#: The warning of a code checked without a revocation list: it has no parameters and is only
#: listed, never raised, so one serves every verification.
_NO_REVOCATION_LIST = errors.NoRevocationList()


def _revocation(result: Verification) -> None:
    """Only a list of the signing key's own country says whether a code is revoked; without
    one the check stays ``None`` and a warning says so."""
    revocations = result.revocations
    if revocations is None:
        result.warnings.append(_NO_REVOCATION_LIST)
        return
    country = result.signer_country
    if country != revocations.issuer:
        if country is not None:  # an untrusted signer fails anyway; nothing to warn about
            result.warnings.append(
                errors.RevocationListOfOtherCountry(
                    list_country=revocations.issuer, country=country
                )
            )
        return
    certificate_id = _certificate_id(result)
    if certificate_id is not None and revocations.contains(certificate_id):
        result.fail(errors.Revoked(certificate_id=certificate_id))
        if revocations.issued_at > result.at:  # the list does not say when it was revoked
            result.warnings.append(
                errors.RevokedPerhapsLater(issued=revocations.issued_at, at=result.at)
            )
    else:
        result.checks["revocation"] = True


def _schema(result: Verification) -> None:
    claims = result.claims
    assert claims is not None
    if claims.dcc is None and claims.record is None:
        result.fail(errors.NoHealthCertificate())
        return
    try:
        if claims.dcc is not None:
            dcc.check(claims.dcc)
        if claims.record is not None:
            claim.check_shape(claims.record)
    except errors.SchemaInvalid as error:
        result.fail(error)
        return
    result.checks["schema"] = True
