"""Import a test from a lab's EU DCC test certificate: verify it, then read it as a §4.5 test.

The certificate is verified as ``itdeclare verify`` does (the same pipeline and trust list),
with one difference: its expiry does not refuse it. A test certificate expires days after the
sample, and whether the sample is recent enough for the trip is the rules' question, asked of
``sampled_at``; an expired one is imported with a warning. Everything else must pass: a forged,
altered or unknown-signer certificate is refused, and so is any certificate that is not a test
(a vaccination or recovery) or a test of a kind the declaration has no place for.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from itdeclare import i18n
from itdeclare.certificate import dcc
from itdeclare.certificate.valuesets import DCC_TO_DECLARATION
from itdeclare.certificate.verify import Verification, parse_time, verify
from itdeclare.models.cautions import CertificateHolder
from itdeclare.models.enums import LabResult, LabTestKind
from itdeclare.models.health import LabTest

if TYPE_CHECKING:
    from itdeclare.certificate.trust import TrustList

#: Checks that must pass for an import (not expiry; revocation is not checked here). Key usage
#: is not among them: a code without an EU DCC entry has none to check (it is refused as no
#: test certificate), and a signer not allowed to sign tests fails it, which refuses the import.
_BLOCKING = ("prefix", "base45", "zlib", "cose", "signature", "schema")


class ImportRefused(Exception):
    """Why a certificate gives no test; ``messages`` in the current language, one per reason."""

    def __init__(self, code: str, messages: list[str]) -> None:
        super().__init__(code)
        self.code = code
        self.messages = messages


@dataclass(frozen=True, slots=True)
class Holder:
    """The holder as the certificate names them: as printed, and standardised (ICAO 9303)."""

    family_name: str
    given_name: str
    family_name_standardised: str
    given_name_standardised: str
    date_of_birth: str

    def for_comparison(self) -> CertificateHolder:
        """What the warnings compare with the declaration's subject."""
        return CertificateHolder(
            self.family_name_standardised.replace("<", " "),
            self.given_name_standardised.replace("<", " "),
            self.date_of_birth,
        )

    @property
    def name(self) -> str:
        return " ".join(part for part in (self.family_name, self.given_name) if part)


@dataclass(frozen=True, slots=True)
class ImportedTest:
    test: LabTest
    holder: Holder
    issuer_country: str | None
    kid: bytes | None
    warnings: list[str] = field(default_factory=list)


def import_test(payload: str, trust_list: TrustList, at: datetime | None = None) -> ImportedTest:
    """The test an ``HC1:`` certificate holds, verified against ``trust_list``; or
    ``ImportRefused`` saying why not."""
    result = verify(payload, trust_list=trust_list, at=at)
    blocking = [e for e in result.errors if e.check != "expiry"]
    if blocking or not all(result.checks[name] for name in _BLOCKING):
        messages = [error.message() for error in blocking]
        raise ImportRefused("not_verified", messages or [i18n.t("imports.not_verified")])
    payload_dcc = result.dcc or {}
    kind = dcc.entry_type(payload_dcc)
    if kind != "t":
        entry_name = i18n.t(f"imports.entry.{kind or 'none'}")
        raise ImportRefused("not_a_test", [i18n.t("imports.not_a_test", entry=entry_name)])
    entry = payload_dcc["t"][0]
    institution = str(entry.get("tc") or "")
    test = _lab_test({**entry, "tc": shortened(institution)})
    warnings = _warnings(result)
    if test.institution != institution:
        warnings.append(
            i18n.t("imports.institution_shortened", name=institution, kept=test.institution)
        )
    return ImportedTest(test, _holder(payload_dcc), result.issuer, result.kid, warnings)


def shortened(institution: str) -> str:
    """A testing centre's name cut to what a declaration holds (``limits.INSTITUTION``, in
    width): labs' certificates may name a department in full, the code has room for less. Cut
    at a word where one ends near enough, else at the limit."""
    from itdeclare.models.limits import INSTITUTION, width

    if width(institution) <= INSTITUTION:
        return institution
    kept = ""
    for char in institution:
        if width(kept + char) > INSTITUTION:
            break
        kept += char
    cut = max(kept.rfind(mark) for mark in " ,;")
    at_word = kept[:cut].rstrip(" ,;-") if cut > 0 else ""
    return at_word if width(at_word) >= INSTITUTION // 2 else kept.rstrip()


def _lab_test(entry: Mapping[str, Any]) -> LabTest:
    types, results = DCC_TO_DECLARATION["tt"], DCC_TO_DECLARATION["tr"]
    kind, outcome = types.get(entry.get("tt", "")), results.get(entry.get("tr", ""))
    if not isinstance(kind, LabTestKind):
        raise ImportRefused("test_type", [i18n.t("imports.test_type", code=entry.get("tt"))])
    if not isinstance(outcome, LabResult):
        raise ImportRefused("test_result", [i18n.t("imports.test_result", code=entry.get("tr"))])
    from itdeclare.models import reference

    country = reference.country_by_alpha2(str(entry.get("co", "")))
    institution = entry.get("tc")
    if not institution:
        raise ImportRefused("no_institution", [i18n.t("imports.no_institution")])
    try:
        return LabTest(
            kind=kind,
            sampled_at=parse_time(str(entry.get("sc", ""))),
            result=outcome,
            institution=institution,
            country=country.alpha3 if country else str(entry.get("co", "")),
        )
    except (ValidationError, ValueError):
        raise ImportRefused("unreadable", [i18n.t("imports.unreadable")]) from None


def _holder(payload: Mapping[str, Any]) -> Holder:
    names = payload.get("nam") or {}
    family_standard = str(names.get("fnt") or "")
    given_standard = str(names.get("gnt") or "")
    return Holder(
        str(names.get("fn") or family_standard.replace("<", " ")),
        str(names.get("gn") or given_standard.replace("<", " ")),
        family_standard,
        given_standard,
        str(payload.get("dob") or ""),
    )


def _warnings(result: Verification) -> list[str]:
    warnings = [error.message() for error in result.errors if error.check == "expiry"]
    warnings.append(i18n.t("imports.revocation_not_checked"))
    return warnings
