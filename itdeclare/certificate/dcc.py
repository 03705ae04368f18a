"""The EU DCC payload (claim -260 → 1): its schema check, and building one from our record.

The check follows the DCC JSON schema 1.3 (the final release): ``ver``, ``nam`` with a
standardised surname or forename, ``dob``, and exactly one of ``v`` / ``t`` / ``r`` holding
exactly one entry with its required fields; dates must be real dates and country codes real
ISO 3166-1 alpha-2 codes (the DCC value set, which adds XK). Written out by hand rather than
through a JSON-schema engine: the verifier runs it on every scan.

A record fits the DCC when it holds exactly one health entry the DCC can express: one
nucleic-acid test, or one vaccination with a product of our vaccine list. Antibody tests,
several doses or earlier diagnoses have no DCC form; such records travel in our claim only.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date, datetime
from functools import cache
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from itdeclare.certificate import errors
from itdeclare.certificate.record import CertifiedRecord
from itdeclare.certificate.valuesets import dcc_code
from itdeclare.models import LabTestKind

if TYPE_CHECKING:
    from itdeclare.models import Vaccination

SCHEMA_VERSION = "1.3.0"
COVID_19 = "840539006"

_VERSION = re.compile(r"\d+.\d+.\d+")
_DOB = re.compile(r"((19|20)\d\d(-\d\d){0,2})?")
_STANDARD_NAME = re.compile(r"[A-Z<]*")
_COUNTRY = re.compile(r"[A-Z]{1,10}")


def _text(value: Any, limit: int = 80) -> bool:
    return isinstance(value, str) and len(value) <= limit


def _date(value: Any) -> bool:
    """A complete date; issuers also write a date-time here, which the schema's own
    validators (format checks off) accept, so the date part is what counts."""
    if not isinstance(value, str) or len(value) < 10:
        return False
    try:
        date.fromisoformat(value[:10])
    except ValueError:
        return False
    return True


def _date_time(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return False
    return moment.tzinfo is not None


def _dose(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 1


@cache
def _countries() -> frozenset[str]:
    from itdeclare.models import reference

    return reference.alpha2_codes() | {"XK"}


def _country(value: Any) -> bool:
    return isinstance(value, str) and bool(_COUNTRY.fullmatch(value)) and value in _countries()


Rule = Callable[[Any], bool]
_ENTRY_RULES: dict[str, dict[str, Rule]] = {
    "v": {
        "tg": _text,
        "vp": _text,
        "mp": _text,
        "ma": _text,
        "dn": _dose,
        "sd": _dose,
        "dt": _date,
        "co": _country,
        "is": _text,
        "ci": _text,
    },
    "t": {
        "tg": _text,
        "tt": _text,
        "sc": _date_time,
        "tr": _text,
        "co": _country,
        "is": _text,
        "ci": _text,
    },
    "r": {
        "tg": _text,
        "fr": _date,
        "co": _country,
        "is": _text,
        "df": _date,
        "du": _date,
        "ci": _text,
    },
}
_OPTIONAL_RULES: dict[str, Rule] = {"nm": _text, "ma": _text, "tc": _text}


def entry_type(payload: Mapping[str, Any]) -> str | None:
    """``v``, ``t`` or ``r``: the kind of entry a DCC holds (None when it is not exactly one)."""
    found = None
    for kind in ("v", "t", "r"):
        if kind in payload:
            if found is not None:
                return None
            found = kind
    return found


def check(payload: Any) -> None:
    """Raise :class:`errors.SchemaInvalid` naming the first part that breaks the schema."""
    if _entry_fits(payload):  # the usual case, decided in a few steps
        return
    problem = _problem(payload)
    if problem is not None:
        raise errors.SchemaInvalid(reason=problem)


def _is_map(value: Any) -> bool:
    """A mapping; a CBOR map decodes to a dict, so that is tried before the (much slower)
    abstract-class check."""
    return type(value) is dict or isinstance(value, Mapping)


def _problem(payload: Any) -> str | None:
    if not _is_map(payload):
        return "not an object"
    if not isinstance(payload.get("ver"), str) or not _VERSION.fullmatch(payload["ver"]):
        return "ver"
    name = payload.get("nam")
    if not _is_map(name) or not ({"fnt", "gnt"} & name.keys()):
        return "nam"
    for part in ("fn", "gn"):
        if part in name and not _text(name[part]):
            return f"nam.{part}"
    for part in ("fnt", "gnt"):
        if part in name and not (_text(name[part]) and _STANDARD_NAME.fullmatch(name[part])):
            return f"nam.{part}"
    if not isinstance(payload.get("dob"), str) or not _DOB.fullmatch(payload["dob"]):
        return "dob"
    kind = entry_type(payload)
    if kind is None:
        return "exactly one of v, t, r"
    entries = payload[kind]
    if not isinstance(entries, list) or len(entries) != 1 or not _is_map(entries[0]):
        return f"{kind}: exactly one entry"
    return _entry_problem(kind, entries[0])


#: The entry's fields by the kind of check they take (``_ENTRY_RULES`` grouped): texts up to 80
#: characters, doses, dates, date-times, countries.
_ENTRY_GROUPS: dict[str, tuple[tuple[str, ...], ...]] = {
    kind: tuple(
        tuple(key for key, rule in rules.items() if rule is group)
        for group in (_text, _dose, _date, _date_time, _country)
    )
    for kind, rules in _ENTRY_RULES.items()
}
#: Each kind's text fields read in one step (KeyError when one is missing).
_ENTRY_TEXTS = {kind: itemgetter(*groups[0]) for kind, groups in _ENTRY_GROUPS.items()}
#: What a standardised name is made of (``_STANDARD_NAME``).
_STANDARD_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ<"


def _entry_fits(payload: Any) -> bool:
    """Whether ``payload`` is a DCC of plain dicts, lists, texts and integers that passes
    every check of :func:`_problem`, tried field group by field group with no call per field.
    It never accepts what :func:`_problem` refuses; when it says no, :func:`_problem` decides
    and names the reason."""
    if type(payload) is not dict:
        return False
    version, name, born = payload.get("ver"), payload.get("nam"), payload.get("dob")
    if type(version) is not str or type(name) is not dict or type(born) is not str:
        return False
    # the current version, which nearly every code carries, matches the pattern: not run then
    if version != SCHEMA_VERSION and not _VERSION.fullmatch(version):
        return False
    if not _DOB.fullmatch(born):
        return False
    if "fnt" not in name and "gnt" not in name:
        return False
    # an absent part passes as empty text
    family, given = name.get("fnt", ""), name.get("gnt", "")
    for value in (name.get("fn", ""), name.get("gn", ""), family, given):
        if type(value) is not str or len(value) > 80:
            return False
    # both standardised parts keep to [A-Z<] when nothing is left of them once those letters
    # are stripped (stripping costs less than the pattern)
    if (family + given).strip(_STANDARD_LETTERS):
        return False
    kind = entry_type(payload)
    if kind is None:
        return False
    entries = payload[kind]
    if type(entries) is not list or len(entries) != 1 or type(entries[0]) is not dict:
        return False
    entry = entries[0]
    try:
        texts = _ENTRY_TEXTS[kind](entry)
    except KeyError:
        return False
    for value in texts:
        if type(value) is not str or len(value) > 80:
            return False
    _, doses, dates, date_times, countries = _ENTRY_GROUPS[kind]
    field = entry.get
    for key in doses:
        value = field(key)
        if type(value) is not int or value < 1:
            return False
    for key in dates:  # as _date, which this inlines
        value = field(key)
        if type(value) is not str or len(value) < 10:
            return False
        try:
            date.fromisoformat(value[:10])
        except ValueError:
            return False
    for key in date_times:
        if not _date_time(field(key)):
            return False
    known = _countries()
    for key in countries:
        value = field(key)
        if type(value) is not str or value not in known:
            return False
    if kind == "t":
        for key in _OPTIONAL_RULES:
            value = field(key, "")  # absent passes
            if type(value) is not str or len(value) > 80:
                return False
    return True


def _entry_problem(kind: str, entry: Mapping[str, Any]) -> str | None:
    for key, rule in _ENTRY_RULES[kind].items():
        if key not in entry or not rule(entry[key]):
            return f"{kind}.0.{key}"
    if kind == "t":
        for key, rule in _OPTIONAL_RULES.items():
            if key in entry and not rule(entry[key]):
                return f"{kind}.0.{key}"
    return None


# --- building ---------------------------------------------------------------------------------


def standardised(name: str) -> str:
    """ICAO 9303 form of a Latin name as our models keep it (upper case, space, - and ')."""
    return re.sub(r"[^A-Z<]", "", re.sub(r"[ \-]+", "<", name.upper()))[:80]


def _alpha2(alpha3: str) -> str:
    from itdeclare.models import reference

    found = reference.country(alpha3)
    if found is None:
        raise errors.RecordNotEncodable(field="country")
    return found.alpha2


def fits(record: CertifiedRecord) -> bool:
    tests, vaccinations = record.tests, record.vaccinations
    if record.history:
        return False
    single_test = len(tests) == 1 and not vaccinations and tests[0].kind is LabTestKind.NUCLEIC_ACID
    return single_test or (len(vaccinations) == 1 and not tests and _known(vaccinations[0]))


def _known(dose: Vaccination) -> bool:
    """The DCC needs the product's prophylaxis and authorisation-holder codes."""
    from itdeclare.models import reference

    return dose.product in reference.vaccines()


def build(record: CertifiedRecord, issuer: str) -> dict[str, Any] | None:
    """The DCC payload for ``record``, or None when the record does not fit one DCC entry."""
    if not fits(record):
        return None
    holder = record.holder
    common = {"tg": COVID_19}
    tail = {"is": issuer[:80], "ci": record.certificate_id}
    entry: dict[str, Any]
    if record.tests:
        test = record.tests[0]
        kind = "t"
        entry = {
            **common,
            "tt": dcc_code("tt", LabTestKind.NUCLEIC_ACID),
            "sc": test.sampled_at.isoformat(),
            "tr": dcc_code("tr", test.result),
            "tc": test.institution[:80],
            "co": _alpha2(test.country),
            **tail,
        }
    else:
        from itdeclare.models import reference

        dose = record.vaccinations[0]
        vaccine = reference.vaccines()[dose.product]
        kind = "v"
        entry = {
            **common,
            "vp": vaccine.vp,
            "mp": vaccine.code,
            "ma": vaccine.ma,
            "dn": dose.dose,
            "sd": dose.of,
            "dt": dose.date.isoformat(),
            "co": _alpha2(dose.country),
            **tail,
        }
    return {
        "ver": SCHEMA_VERSION,
        "nam": {
            "fn": holder.family_name,
            "fnt": standardised(holder.family_name),
            "gn": holder.given_name,
            "gnt": standardised(holder.given_name),
        },
        "dob": holder.date_of_birth.isoformat(),
        kind: [entry],
    }
