"""The verifier's report for people: verdict, holder, document, trip, health entries, validity,
and every reason the code fails, in the current language."""

from __future__ import annotations

import base64
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from itdeclare import i18n
from itdeclare.certificate.record import CertifiedRecord, RecordKind
from itdeclare.certificate.verify import Verification

if TYPE_CHECKING:
    from itdeclare.certificate.revocation import RevocationList


def _t(key: str, /, **params: Any) -> str:
    return i18n.t(f"certificate.report.{key}", **params)


def _age(age: timedelta) -> str:
    hours = int(age.total_seconds() // 3600)
    if hours < 48:
        return _t("hours", count=max(hours, 0))
    return _t("days", count=hours // 24)


def _port(code: str | None) -> str:
    from itdeclare.models import reference

    if code is None:
        return "-"
    port = reference.ports_of_entry().get(code)
    return code if port is None else f"{code} {port.name(i18n.get_language())}"


def _vaccine(code: str) -> str:
    from itdeclare.models import reference

    vaccine = reference.vaccines().get(code)
    return code if vaccine is None else vaccine.name(i18n.get_language())


def record_lines(record: CertifiedRecord) -> list[str]:
    """The record as indented lines (also what the TUI's QR screen shows beside the code)."""
    holder, document = record.holder, record.document
    chinese = f" {holder.chinese_name}" if holder.chinese_name else ""
    lines = [
        _t(
            "holder",
            name=f"{holder.family_name} {holder.given_name}{chinese}",
            sex=holder.sex,
            born=holder.date_of_birth,
            nationality=holder.nationality,
        ),
        _t("document", type=document.type, number=document.number),
    ]
    if record.itinerary:
        lines.append(_t("port", port=_port(record.port_of_entry)))
        lines.append(_t("itinerary"))
        lines += [
            "  "
            + _t(
                "leg",
                flight=leg.flight,
                origin=leg.from_,
                destination=leg.to,
                departs=leg.departs_at,
                arrives=leg.arrives_at,
            )
            for leg in record.itinerary
        ]
    if record.tests:
        lines.append(_t("tests"))
        lines += [
            "  "
            + _t(
                "test",
                kind=test.kind,
                result=test.result,
                sampled=test.sampled_at,
                institution=test.institution,
                country=test.country,
            )
            for test in record.tests
        ]
    if record.vaccinations:
        lines.append(_t("vaccinations"))
        lines += [
            "  "
            + _t(
                "vaccination",
                dose=dose.dose,
                of=dose.of,
                product=_vaccine(dose.product),
                date=dose.date,
                country=dose.country,
            )
            for dose in record.vaccinations
        ]
    for entry in record.history:
        recovered = (
            _t("recovered", date=entry.recovered_on) if entry.recovered_on else _t("not_recovered")
        )
        lines.append(_t("history", kind=entry.kind, date=entry.date, recovered=recovered))
    return lines


def _dcc_lines(payload: dict[str, Any]) -> list[str]:
    """An EU DCC's holder and entry, as the certificate states them."""
    name = payload.get("nam") if isinstance(payload.get("nam"), dict) else {}
    assert isinstance(name, dict)
    full_name = " ".join(str(name.get(part, "")) for part in ("fn", "gn")).strip()
    lines = [_t("dcc_holder", name=full_name or "-", born=payload.get("dob", "-"))]
    for kind in ("v", "t", "r"):
        entries = payload.get(kind)
        if isinstance(entries, list):
            for entry in entries:
                if isinstance(entry, dict):
                    fields = ", ".join(f"{key}={value}" for key, value in entry.items())
                    lines.append(_t(f"dcc_{kind}", fields=fields))
    return lines


def _verdict(result: Verification) -> str:
    if not result.valid:
        return _t("invalid")
    outbound = result.record is not None and result.record.kind is RecordKind.OUTBOUND
    return _t("valid_outbound") if outbound else _t("valid")


def render(result: Verification) -> str:
    lines = [_verdict(result)]
    record = result.record
    if record is not None:
        lines += record_lines(record)
    elif result.dcc is not None:
        lines += _dcc_lines(result.dcc)
    if result.issued_at is not None or result.expires_at is not None:
        lines.append(_t("validity", issued=result.issued_at, expires=result.expires_at))
    if result.kid is not None:
        # Base64, as the trust list and `verify --json` write it, so an officer can find it there.
        kid = base64.b64encode(result.kid).decode("ascii")
        lines.append(_t("signer", kid=kid, issuer=_signer_country(result)))
    if result.revocations is not None and result.revocation_age is not None:
        lines.append(_revocations(result.revocations, result.revocation_age))
    if result.errors:
        lines.append(_t("reasons"))
        lines += [f"  - {error.message()}" for error in result.errors]
    if result.warnings:
        lines.append(_t("warnings"))
        lines += [f"  - {warning.message()}" for warning in result.warnings]
    return "\n".join(lines)


def _revocations(revocations: RevocationList, age: timedelta) -> str:
    """The revocation list's number and age; one issued after the validation time (``--at``
    in the past) has no age then: the line says when it was issued instead."""
    if age < timedelta(0):
        return _t("revocations_after", sequence=revocations.sequence, issued=revocations.issued_at)
    return _t("revocations", sequence=revocations.sequence, age=_age(age))


def _signer_country(result: Verification) -> str:
    """The country the trust list gives the signing key: never the payload's own claim, which
    a forger writes."""
    if result.signer is None:
        return _t("signer_unknown")
    return result.signer.country or _t("signer_no_country")
