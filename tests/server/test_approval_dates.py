"""A green code never outlasts its trip, nor the key that signs it: approving a declaration
whose trip is over is refused, a late approval ends a day after landing as any other, and a
signer whose certificate ends first signs nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select, update

from itdeclare.certificate.keys import SIGNER_VALIDITY, KeyStore
from itdeclare.models import Declaration
from itdeclare.server.errors import ApiError
from itdeclare.server.services.issuing import Issuer
from itdeclare.server.tables import Certificate, DeclarationRow
from tests.server import documents
from tests.server.conftest import LiveServer, Reviewer, Traveller, fresh_consulate


def _landed(server: LiveServer, declaration_id: str, ago: timedelta) -> datetime:
    """Move the declaration's flight into China back so that it landed ``ago`` (what the
    passing of time does, said to the database); the new arrival, to the minute as flights
    are timed."""
    arrives = (datetime.now(UTC) - ago).replace(second=0, microsecond=0)
    with server.db.read() as session:
        document = session.get(DeclarationRow, declaration_id).document  # type: ignore[union-attr]
    leg = document["itinerary"][-1]
    leg["departs_at"] = (arrives - timedelta(hours=13)).isoformat()
    leg["arrives_at"] = arrives.isoformat()
    for test in document["tests"]:
        test["sampled_at"] = (arrives - timedelta(hours=20)).isoformat()
    server.db.write(
        lambda s: s.execute(
            update(DeclarationRow)
            .where(DeclarationRow.id == declaration_id)
            .values(document=document)
        )
    )
    return arrives


def _status(traveller: Traveller, declaration_id: str) -> str:
    return str(traveller.get(f"/api/v1/declarations/{declaration_id}").json()["status"])


def test_a_declaration_whose_trip_is_over_is_not_approved(
    server: LiveServer, traveller: Traveller, make_reviewer: Callable[[str], Reviewer]
) -> None:
    """Found by a QA pass: the code was made valid until a day after the approval, so a trip
    over for a week gave a code valid one more day."""
    consulate = fresh_consulate()
    made = traveller.submitted(declaration=documents.declaration(residence=consulate))
    _landed(server, made["id"], timedelta(days=2))
    reviewer = make_reviewer(consulate)
    answer = reviewer.decide(made["id"], "approve")
    assert answer.status_code == 409, answer.text
    assert answer.json()["error"]["code"] == "trip_over"
    assert "a day after landing" in answer.json()["error"]["message"]
    assert _status(traveller, made["id"]) == "pending_review"
    assert traveller.get(f"/api/v1/declarations/{made['id']}/certificate").status_code == 409
    # Still in the queue, and a rejection is what can be done with it.
    assert made["id"] in [e["id"] for e in reviewer.get("/api/v1/review/queue").json()["items"]]
    assert reviewer.decide(made["id"], "reject", "The trip is over").status_code == 200


def test_the_refusal_is_told_in_chinese(
    server: LiveServer, traveller: Traveller, make_reviewer: Callable[[str], Reviewer]
) -> None:
    consulate = fresh_consulate()
    made = traveller.submitted(declaration=documents.declaration(residence=consulate))
    _landed(server, made["id"], timedelta(days=1, minutes=1))
    reviewer = make_reviewer(consulate)
    answer = reviewer.http.post(
        f"/api/v1/review/{made['id']}/decision",
        json={"decision": "approve", "note": None},
        headers={"Authorization": f"Bearer {reviewer.token}", "Accept-Language": "zh"},
    )
    assert answer.status_code == 409
    assert answer.json()["error"]["message"].startswith("该行程已结束")


def test_a_late_approval_ends_a_day_after_landing(
    server: LiveServer, traveller: Traveller, make_reviewer: Callable[[str], Reviewer]
) -> None:
    consulate = fresh_consulate()
    made = traveller.submitted(declaration=documents.declaration(residence=consulate))
    arrived = _landed(server, made["id"], timedelta(hours=20))
    assert make_reviewer(consulate).decide(made["id"], "approve").status_code == 200
    with server.db.read() as session:
        expires = session.execute(
            select(Certificate.expires_at).where(Certificate.declaration_id == made["id"])
        ).scalar_one()
    assert expires.replace(tzinfo=UTC) == arrived + timedelta(days=1)
    code = traveller.get(f"/api/v1/declarations/{made['id']}/certificate")
    assert code.status_code == 200, code.text


@pytest.fixture
def ending_issuer(tmp_path: Path) -> Issuer:
    """A key store whose signer's certificate ends in twelve hours."""
    made = datetime.now(UTC) - SIGNER_VALIDITY + timedelta(hours=12)
    return Issuer(KeyStore.init(tmp_path / "keys", b"a passphrase of the test", now=made))


def test_a_signer_that_ends_before_the_code_signs_nothing(ending_issuer: Issuer) -> None:
    """Verifiers refuse a code that outlasts its signer's certificate: the backend says so
    (503, rotate the keys) rather than issue one."""
    declaration = Declaration.model_validate(documents.declaration())  # lands in ~1.5 days
    with pytest.raises(ApiError) as refused:
        ending_issuer.declaration_certificate(declaration, "d" * 32, datetime.now(UTC))
    assert (refused.value.status, refused.value.code) == (503, "signing_key_ends")
    assert not ending_issuer.can_sign(datetime.now(UTC))  # /healthz says so


@pytest.mark.parametrize(("days_left", "can_sign"), [(6, False), (8, True)])
def test_healthz_warns_a_week_before_the_signer_ends(
    tmp_path: Path, days_left: int, can_sign: bool
) -> None:
    """The longest fixed validity of a code is an outbound certificate's week: a signer ending
    within it makes ``certificates`` false while it still signs a code for a flight tomorrow."""
    made = datetime.now(UTC) - SIGNER_VALIDITY + timedelta(days=days_left)
    issuer = Issuer(KeyStore.init(tmp_path / "keys", b"a passphrase of the test", now=made))
    assert issuer.can_sign(datetime.now(UTC)) is can_sign
    declaration = Declaration.model_validate(documents.declaration())  # lands in ~1.5 days
    assert issuer.declaration_certificate(declaration, "d" * 32, datetime.now(UTC))


def test_the_refusals_are_documented_for_the_decision(http: httpx.Client) -> None:
    schema = http.get("/openapi.json").json()
    decision = schema["paths"]["/api/v1/review/{declaration_id}/decision"]["post"]
    described = str(decision["responses"])
    assert "trip_over" in described and "signing_key_ends" in described
