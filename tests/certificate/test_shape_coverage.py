"""The certified record, its claim and the verifier's report follow the declaration's shape
(``itdeclare.models.shape``): a field added to the models is carried, or named here as left
out on purpose."""

from __future__ import annotations

from itdeclare.certificate.issue import declaration_record, issue_declaration
from itdeclare.certificate.keys import KeyStore
from itdeclare.certificate.report import record_lines
from itdeclare.certificate.trust import TrustList
from itdeclare.certificate.verify import verify
from itdeclare.models import Declaration
from itdeclare.models.shape import locations
from tests.models.test_shape import every_field_filled
from tests.shape import read_by

from .conftest import DECLARATION_ID, DURING, EXPIRES, ISSUED

#: Not in a health code: it is shown to strangers, and these do not decide whether its holder
#: may travel (see ``certificate/record.py``).
NOT_CERTIFIED = {
    "schema_version",
    "relationship",
    "subject.id_card_number",
    "contact.phone",
    "contact.email",
    "residence.country",
    "residence.city",
    "residence.address",
    "status",
    "employer",
    "attested",
}
#: Carried by the code but not printed by the report.
NOT_REPORTED = {"subject.document.expires_on"}


def _record(declaration: Declaration) -> object:
    return declaration_record(declaration, DECLARATION_ID)


def test_the_record_carries_every_field_or_says_why_not() -> None:
    carried = read_by(_record, every_field_filled())
    assert carried & NOT_CERTIFIED == set()
    assert carried | NOT_CERTIFIED == set(locations())


def test_the_report_shows_every_field_of_the_record() -> None:
    shown = read_by(
        lambda d: record_lines(declaration_record(d, DECLARATION_ID)), every_field_filled()
    )
    assert shown & NOT_REPORTED == set()
    assert shown | NOT_REPORTED == set(locations()) - NOT_CERTIFIED


def test_the_claim_carries_every_field_of_the_record(keystore: KeyStore, trust: TrustList) -> None:
    """Through the claim and back, whatever its encoding: a declaration with every field filled
    comes back whole (a field the claim forgot would come back empty or fail to encode)."""
    declaration = every_field_filled()
    payload = issue_declaration(
        declaration,
        declaration_id=DECLARATION_ID,
        signer=keystore.signer(),
        issued_at=ISSUED,
        expires_at=EXPIRES,
    )
    result = verify(payload, trust_list=trust, at=DURING)
    assert result.valid, result.errors
    assert result.record == declaration_record(declaration, DECLARATION_ID)
