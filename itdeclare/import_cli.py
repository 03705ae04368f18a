"""``itdeclare import-test [--trust-list FILE] [--json] (PAYLOAD | --image FILE)`` (DESIGN §4.1).

Reads a lab's EU DCC test certificate as ``itdeclare verify`` reads a code (the same payload,
picture and trust-list handling), verifies it and prints the §4.5 test object it gives with the
holder's name. Exit 0 verified, 1 not verified or not a test certificate, 2 usage.
"""

from __future__ import annotations

import argparse
import base64
import json
import sys
from typing import TYPE_CHECKING, Any

from itdeclare import i18n
from itdeclare.cli import EXIT_INVALID, EXIT_OK, EXIT_USAGE
from itdeclare.output import writing

if TYPE_CHECKING:
    from itdeclare.certificate.imported import ImportedTest, ImportRefused
    from itdeclare.config import Settings


def import_test(args: argparse.Namespace, settings: Settings) -> int:
    from itdeclare.certificate import errors
    from itdeclare.certificate.imported import ImportRefused
    from itdeclare.verify_cli import Unusable

    try:
        outcome = _outcome(args)
        with writing():
            _print(outcome, as_json=args.json)
    except errors.CertificateError as error:
        print(error.message(), file=sys.stderr)
        return EXIT_USAGE
    except Unusable as error:
        print(error, file=sys.stderr)
        return EXIT_USAGE
    return EXIT_INVALID if isinstance(outcome, ImportRefused) else EXIT_OK


def _outcome(args: argparse.Namespace) -> ImportedTest | ImportRefused:
    """The test the certificate gives, or why it gives none; ``CertificateError`` or
    ``Unusable`` when the picture, the payload or the trust list cannot be used at all."""
    from itdeclare.certificate.imported import ImportRefused
    from itdeclare.certificate.imported import import_test as run
    from itdeclare.verify_cli import CodeTooLong, payload_from, trust_list_from

    try:
        payload = payload_from(args)
    except CodeTooLong as error:  # not verified, as any other text that is no code
        return ImportRefused("not_verified", [error.message()])
    trust_list = trust_list_from(args.trust_list)
    try:
        return run(payload, trust_list)
    except ImportRefused as refused:
        return refused


def _print(outcome: ImportedTest | ImportRefused, *, as_json: bool) -> None:
    from itdeclare.certificate.imported import ImportRefused

    if isinstance(outcome, ImportRefused):
        _print_refusal(outcome, as_json=as_json)
    elif as_json:
        print(json.dumps(to_json(outcome), ensure_ascii=False))
    else:
        _print_human(outcome)


def to_json(imported: ImportedTest) -> dict[str, Any]:
    holder = imported.holder
    return {
        "verified": True,
        "test": imported.test.model_dump(mode="json"),
        "holder": {
            "name": holder.name,
            "family_name": holder.family_name,
            "given_name": holder.given_name,
            "family_name_standardised": holder.family_name_standardised,
            "given_name_standardised": holder.given_name_standardised,
            "date_of_birth": holder.date_of_birth,
        },
        "issuer": imported.issuer_country,
        "errors": [],
        "warnings": imported.warnings,
    }


def _print_refusal(refused: ImportRefused, *, as_json: bool) -> None:
    if as_json:
        shown = {"verified": False, "test": None, "holder": None, "code": refused.code}
        print(json.dumps({**shown, "errors": refused.messages, "warnings": []}, ensure_ascii=False))
        return
    print(i18n.t("imports.refused"))
    for message in refused.messages:
        print(f"  {message}")


def _print_human(imported: ImportedTest) -> None:
    from itdeclare.models import reference

    test, holder = imported.test, imported.holder
    # base64, as verify, the trust list and its --json write it
    kid = base64.b64encode(imported.kid).decode("ascii") if imported.kid else "-"
    print(i18n.t("imports.verified", issuer=imported.issuer_country or "-", kid=kid))
    print(i18n.t("imports.holder", name=holder.name, birth=holder.date_of_birth or "-"))
    country = reference.country(test.country)
    print(
        i18n.t(
            "imports.test",
            kind=test.kind,
            result=test.result,
            sampled=test.sampled_at,
            institution=test.institution,
            country=country.name(i18n.get_language()) if country else test.country,
        )
    )
    for warning in imported.warnings:
        print(i18n.t("imports.warning", message=warning))
    print(json.dumps(test.model_dump(mode="json"), ensure_ascii=False))
