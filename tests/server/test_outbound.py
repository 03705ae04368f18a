"""Outbound certificates: only a full match with the health authority's record gets one."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from itdeclare.certificate.trust import TrustList
from itdeclare.certificate.verify import verify
from itdeclare.models import HealthRecord, validators
from itdeclare.server.services import health_records
from itdeclare.server.tables import Certificate, utcnow
from tests.server.conftest import LiveServer, Traveller

#: One of the fictional sample records the development backend loads.
WANG = {
    "id_card_number": "110105199003071239",
    "name": "王小明",
    "document": {"type": "passport", "number": "EA1234567"},
}


def _ask(traveller: Traveller, body: dict[str, Any]) -> Any:
    return traveller.post("/api/v1/outbound/certificate", json=body)


def test_a_full_match_gets_a_certificate_of_the_record(traveller: Traveller) -> None:
    answer = _ask(traveller, WANG)
    assert answer.status_code == 200, answer.text
    verified = verify(answer.json()["payload"], trust_list=_trust(traveller))
    assert verified.valid, verified.errors
    record = verified.record
    assert record is not None
    assert (record.holder.family_name, record.holder.chinese_name) == ("WANG", "王小明")
    assert record.document.number == "EA1234567"
    assert [t.kind for t in record.tests] == ["nucleic_acid", "igg"]
    assert len(record.vaccinations) == 2


def test_spacing_and_case_of_numbers_do_not_matter(traveller: Traveller) -> None:
    body = {**WANG, "id_card_number": "110105 19900307 1239", "document": {"type": "passport",
            "number": "ea 1234567"}}  # fmt: skip
    assert _ask(traveller, body).status_code == 200


def _trust(traveller: Traveller) -> TrustList:
    return TrustList.from_json(traveller.get("/api/v1/trust-list").json())


@pytest.mark.parametrize(
    "changes",
    [
        {"id_card_number": "110105199003071212"},  # valid, not on file
        {"name": "王小红"},
        {"document": {"type": "passport", "number": "EB1234567"}},
        {"document": {"type": "travel_document", "number": "T12345678"}},  # someone else's
    ],
    ids=["unknown-id", "other-name", "other-number", "other-document"],
)
def test_every_mismatch_gets_the_same_refusal(make_traveller: Any, changes: dict[str, Any]) -> None:
    traveller = make_traveller()
    answer = _ask(traveller, {**WANG, **changes})
    assert answer.status_code == 404
    assert answer.json() == {
        "error": {
            "code": "no_matching_record",
            "message": "No health record matches these details. Check the ID number, the name "
            "and the document.",
            "fields": [],
        }
    }


@pytest.mark.parametrize(
    ("changes", "loc", "code"),
    [
        ({"id_card_number": "110105199003071230"}, "id_card_number", "id_card_checksum"),
        ({"id_card_number": "E12345678"}, "id_card_number", "id_card_format"),
        ({"document": {"type": "hk_macao_permit", "number": "H12345678"}}, "document.type",
         "outbound_document_type"),
        ({"name": "Wang 1"}, "name", "name_not_latin"),
    ],
    ids=["checksum", "not-an-id", "not-an-outbound-document", "name"],
)  # fmt: skip
def test_malformed_requests_are_field_errors(
    traveller: Traveller, changes: dict[str, Any], loc: str, code: str
) -> None:
    answer = _ask(traveller, {**WANG, **changes})
    assert answer.status_code == 422
    assert [(f["loc"], f["code"]) for f in answer.json()["error"]["fields"]] == [(loc, code)]


def test_failures_are_limited_per_account(make_traveller: Any) -> None:
    traveller = make_traveller()
    wrong = {**WANG, "name": "王小红"}
    limit = 10  # BackendSettings.outbound_failures_per_hour
    for _ in range(limit):
        assert _ask(traveller, wrong).status_code == 404
    assert _ask(traveller, wrong).status_code == 429
    assert _ask(traveller, WANG).status_code == 429  # even the right answer, for a while
    assert _ask(make_traveller(), WANG).status_code == 200


# --- what a certificate needs, and when it is incomplete (the notice, Q5) ----------------------


@pytest.mark.parametrize(
    ("body", "missing"),
    [
        (WANG, []),
        (
            {"id_card_number": "310104198511122342", "name": "李芳",
             "document": {"type": "service_passport", "number": "SE1234567"}},
            ["antibody"],
        ),
        (
            {"id_card_number": "440305201006213455", "name": "陈乐",
             "document": {"type": "travel_document", "number": "T12345678"}},
            ["antibody", "vaccination"],
        ),
    ],
    ids=["complete", "no-antibody", "test-only"],
)  # fmt: skip
def test_the_answer_says_what_the_record_lacks(
    make_traveller: Any, body: dict[str, Any], missing: list[str]
) -> None:
    answer = _ask(make_traveller(), body)
    assert answer.status_code == 200, answer.text
    assert (answer.json()["incomplete"], answer.json()["missing"]) == (bool(missing), missing)


def test_a_record_with_no_test_and_no_vaccination_gets_no_certificate(
    server: LiveServer, make_traveller: Any
) -> None:
    first17 = "11010520000101001"
    bare = HealthRecord.model_validate(
        {
            "id_card_number": first17 + validators.id_card_check_character(first17),
            "name": "赵空",
            "family_name": "ZHAO",
            "given_name": "KONG",
            "sex": "male",
            "documents": [{"type": "passport", "number": "EA7654321"}],
        }
    )
    server.db.write(lambda session: health_records.store(session, [bare], utcnow()))
    traveller = make_traveller()
    account = traveller.get("/api/v1/auth/me").json()["id"]
    body = {"id_card_number": bare.id_card_number, "name": "赵空",
            "document": {"type": "passport", "number": "EA7654321"}}  # fmt: skip
    answer = _ask(traveller, body)
    assert answer.status_code == 409
    assert answer.json()["error"]["code"] == "no_health_records"
    assert "nothing to certify" in answer.json()["error"]["message"]
    with server.db.read() as session:
        count = select(func.count()).where(Certificate.account_id == account)
        assert session.execute(count).scalar_one() == 0
