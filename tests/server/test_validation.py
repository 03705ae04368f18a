"""Bad input gets a 4xx with field errors where the client can show them, never a 500."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from itdeclare.server.app import create_app
from itdeclare.server.config import ServerConfig
from itdeclare.server.runtime import prepare, serve_in_thread
from tests.server import documents
from tests.server.conftest import Reviewer, Traveller


def _fields(answer: Any) -> dict[str, str]:
    return {f["loc"]: f["code"] for f in answer.json()["error"]["fields"]}


def test_rule_problems_are_located_in_the_document(traveller: Traveller) -> None:
    declaration = documents.declaration()
    declaration["tests"][0]["sampled_at"] = "2020-01-01T09:00:00-08:00"
    answer = traveller.submit(declaration=declaration)
    assert answer.status_code == 422
    assert answer.json()["error"]["code"] == "invalid"
    assert _fields(answer) == {"tests.0.sampled_at": "test_too_early"}


def test_a_test_sampled_in_the_future_is_refused_by_the_servers_clock(
    traveller: Traveller,
) -> None:
    declaration = documents.declaration()
    departs = declaration["itinerary"][0]["departs_at"]
    declaration["tests"][1]["sampled_at"] = departs.replace("T11:00", "T09:00")
    answer = traveller.submit(declaration=declaration)
    assert _fields(answer) == {"tests.1.sampled_at": "test_in_future"}


def test_a_trip_at_the_calendars_end_is_refused_not_a_500(traveller: Traveller) -> None:
    """A flight typed into year 9999: six months after its arrival is past the calendar, which
    broke the passport's check (found by the property test)."""
    declaration = documents.declaration()
    leg = declaration["itinerary"][0]
    leg["departs_at"], leg["arrives_at"] = "9999-12-01T11:00:00-08:00", "9999-12-02T17:00:00+08:00"
    answer = traveller.submit(declaration=declaration)
    assert answer.status_code == 422
    assert _fields(answer)["tests.0.sampled_at"] == "test_too_early"


@pytest.mark.parametrize(
    ("arrives", "expires_on"),
    [("2029-08-01T17:00:00+08:00", "2035-05-01"), ("2999-08-01T17:00:00+08:00", None)],
)
def test_a_flight_that_lands_years_later_is_refused(
    traveller: Traveller, arrives: str, expires_on: str | None
) -> None:
    """A flight tomorrow typed to land years later: it was approved and signed, with a code
    valid until a day after that arrival."""
    declaration = documents.declaration()
    declaration["subject"]["document"]["expires_on"] = expires_on
    declaration["itinerary"][0]["arrives_at"] = arrives
    answer = traveller.submit(declaration=declaration)
    assert answer.status_code == 422
    assert _fields(answer) == {"itinerary.0.arrives_at": "flight_too_long"}


@pytest.mark.parametrize(
    ("leg_or_test", "field", "written"),
    [
        ("itinerary", "departs_at", "0001-01-01T00:00:00+14:00"),
        ("itinerary", "departs_at", "9999-12-31T23:59:00-12:00"),
        ("itinerary", "arrives_at", "9999-12-31T23:59:00-14:00"),
        ("tests", "sampled_at", "0001-01-01T00:00:00+00:00"),
    ],
)
def test_times_past_the_calendar_are_field_errors_not_a_500(
    traveller: Traveller, leg_or_test: str, field: str, written: str
) -> None:
    """Moments whose UTC time, or the airport's clock, falls off the calendar's ends."""
    declaration = documents.declaration()
    declaration[leg_or_test][0][field] = written
    answer = traveller.submit(declaration=declaration)
    assert answer.status_code == 422, answer.text
    assert f"{leg_or_test}.0.{field}" in _fields(answer)


def test_shape_problems_are_located_in_the_document(traveller: Traveller) -> None:
    declaration = documents.declaration()
    declaration["bogus"] = 1
    declaration["subject"]["document"]["number"] = "12"
    del declaration["port_of_entry"]
    answer = traveller.submit(declaration=declaration)
    assert answer.status_code == 422
    assert _fields(answer) == {
        "bogus": "extra_forbidden",
        "subject.document.number": "document_number_format",
        "port_of_entry": "missing",
    }


def test_request_fields_are_named(traveller: Traveller) -> None:
    answer = traveller.post("/api/v1/declarations", json={"declaration": documents.declaration()})
    assert _fields(answer) == {"person_id": "missing", "Idempotency-Key": "missing"}
    answer = traveller.post(
        "/api/v1/declarations", json={"person_id": "x"}, headers={"Idempotency-Key": "k"}
    )
    assert _fields(answer) == {"declaration": "missing"}


def test_messages_follow_accept_language(traveller: Traveller) -> None:
    declaration = documents.declaration()
    declaration["subject"]["id_card_number"] = "110105195603010010"
    answer = traveller.post(
        "/api/v1/declarations",
        json={"person_id": traveller.add_person(), "declaration": declaration},
        headers={"Idempotency-Key": "zh", "Accept-Language": "zh-CN,zh;q=0.9,en;q=0.8"},
    )
    error = answer.json()["error"]
    assert error["message"] == "部分字段无效。"
    assert error["fields"][0]["loc"] == "subject.id_card_number"
    assert "X" in error["fields"][0]["message"]  # the check character it should be
    english = traveller.submit(declaration=declaration).json()["error"]
    assert english["message"] == "Some fields are not valid."


def test_the_declaration_must_be_about_the_person(traveller: Traveller) -> None:
    person = traveller.add_person("parent", given_name="MEI", sex="female", id_card_number=None)
    about_another = documents.declaration()
    about_another["subject"]["given_name"] = "LEI"
    answer = traveller.submit(person_id=person, declaration=about_another)
    assert answer.status_code == 422
    assert _fields(answer) == {
        "relationship": "relationship_not_person",
        "subject.given_name": "subject_not_person",
    }


def test_an_unknown_person_is_404(traveller: Traveller) -> None:
    answer = traveller.submit(person_id="0" * 32)
    assert answer.status_code == 404


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"null",
        b"[]",
        b"42",
        b'"text"',
        b"{",
        b"\xff\xfe\x00",
        b'{"person_id": 1e999999, "declaration": []}',
        b'{"person_id": "x", "declaration": ' + b"[" * 5000 + b"]" * 5000 + b"}",
        json.dumps({"person_id": "x" * 10_000, "declaration": {}}).encode(),
        json.dumps({"person_id": "p", "declaration": {"itinerary": [{}] * 50}}).encode(),
    ],
    ids=lambda b: repr(b[:20]),
)
def test_garbage_bodies_are_4xx(traveller: Traveller, body: bytes) -> None:
    answer = traveller.post(
        "/api/v1/declarations",
        content=body,
        headers={"Idempotency-Key": "g", "Content-Type": "application/json"},
    )
    assert 400 <= answer.status_code < 500, answer.text
    assert answer.json()["error"]["code"]


def test_an_oversized_json_body_is_413(traveller: Traveller) -> None:
    answer = traveller.post(
        "/api/v1/persons",
        content=b'{"relationship": "self", "subject": "' + b"x" * 300_000 + b'"}',
        headers={"Content-Type": "application/json"},
    )
    assert answer.status_code == 413
    assert answer.json()["error"]["code"] == "request_too_large"


def test_wrong_method_and_unknown_path(traveller: Traveller) -> None:
    assert traveller.http.delete("/api/v1/rules").json()["error"]["code"] == "method_not_allowed"
    assert traveller.get("/api/v1/nowhere").json()["error"]["code"] == "not_found"


def test_decisions_need_a_reason_to_refuse(
    traveller: Traveller, make_reviewer: Callable[[str], Reviewer]
) -> None:
    reviewer = make_reviewer("USA")
    declaration = traveller.submitted()
    for decision in ("reject", "request_supplement"):
        answer = reviewer.decide(declaration["id"], decision, "   ")
        assert answer.status_code == 422
        assert list(_fields(answer)) == ["note"]
    assert list(_fields(reviewer.decide(declaration["id"], "maybe"))) == ["decision"]


def test_decisions_follow_the_status_machine(
    traveller: Traveller, make_reviewer: Callable[[str], Reviewer]
) -> None:
    reviewer = make_reviewer("USA")
    declaration = traveller.submitted()
    assert reviewer.decide(declaration["id"], "approve").status_code == 200
    again = reviewer.decide(declaration["id"], "reject", "changed my mind")
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "invalid_transition"
    assert "approved" in again.json()["error"]["message"]
    supplement = traveller.post(
        f"/api/v1/declarations/{declaration['id']}/supplement", json={"message": "x"}
    )
    assert supplement.status_code == 409
    assert supplement.json()["error"]["code"] == "no_supplement_requested"


def test_a_decision_on_a_version_no_longer_current_is_refused(
    traveller: Traveller, make_reviewer: Callable[[str], Reviewer]
) -> None:
    """Two reviewers saw the same version; the first asks for material. The status machine
    would let the second reject it, but the second saw an older version."""
    first, second = make_reviewer("USA"), make_reviewer("USA")
    declaration = traveller.submitted()
    seen = declaration["updated_at"]
    asked = first.decide(declaration["id"], "request_supplement", "x", expected_updated_at=seen)
    assert asked.status_code == 200
    late = second.decide(declaration["id"], "reject", "no", expected_updated_at=seen)
    assert late.status_code == 409
    error = late.json()["error"]
    assert error["code"] == "changed_meanwhile"
    assert "supplementary material requested" in error["message"]
    now_seen = asked.json()["updated_at"]
    assert second.decide(declaration["id"], "reject", "no", expected_updated_at=now_seen).is_success


def test_the_version_seen_must_carry_its_zone(
    traveller: Traveller, make_reviewer: Callable[[str], Reviewer]
) -> None:
    reviewer = make_reviewer("USA")
    declaration = traveller.submitted()
    naive = declaration["updated_at"].removesuffix("Z")
    for bad in (naive, "yesterday", "2026-13-01T00:00:00Z"):
        answer = reviewer.decide(declaration["id"], "approve", expected_updated_at=bad)
        assert answer.status_code == 422
        assert list(_fields(answer)) == ["expected_updated_at"]


def test_only_an_approval_has_a_certificate(
    traveller: Traveller, make_reviewer: Callable[[str], Reviewer]
) -> None:
    declaration = traveller.submitted()
    pending = traveller.get(f"/api/v1/declarations/{declaration['id']}/certificate")
    assert pending.status_code == 409
    assert pending.json()["error"]["code"] == "no_certificate"
    assert "pending review" in pending.json()["error"]["message"]
    make_reviewer("USA").decide(declaration["id"], "reject", "Illegible")
    rejected = traveller.get(f"/api/v1/declarations/{declaration['id']}/certificate")
    assert rejected.json()["error"]["code"] == "no_certificate"


@pytest.mark.parametrize("text", ["Ex\\u0000ample", "Ex\\ud800ample", "Ex\\u001bample"])
def test_unstorable_characters_are_4xx(traveller: Traveller, text: str) -> None:
    """NUL and lone surrogates cannot be stored (PostgreSQL refuses NUL, UTF-8 surrogates)."""
    document = json.dumps(
        {"person_id": traveller.add_person(), "declaration": documents.declaration(employer="E")}
    ).replace('"employer": "E"', f'"employer": "{text}"')
    answer = traveller.post(
        "/api/v1/declarations",
        content=document.encode(),
        headers={"Idempotency-Key": text, "Content-Type": "application/json"},
    )
    assert answer.status_code == 422, answer.text


@pytest.mark.parametrize("path", ["/api/v1/declarations/a%00b", "/api/v1/persons/%F0%9F%98%80"])
def test_malformed_ids_are_simply_unknown(traveller: Traveller, path: str) -> None:
    assert traveller.get(path).status_code == 404
    listed = traveller.get("/api/v1/declarations", params={"person_id": "a\x00b"})
    assert listed.json() == {"items": []}


def test_notes_refuse_control_characters(
    traveller: Traveller, make_reviewer: Callable[[str], Reviewer]
) -> None:
    declaration = traveller.submitted()
    answer = make_reviewer("USA").decide(declaration["id"], "reject", "bad\x00note")
    assert answer.status_code == 422
    assert _fields(answer) == {"note": "text_control"}
    multi_line = make_reviewer("USA").decide(declaration["id"], "reject", "Line one\nLine two")
    assert multi_line.status_code == 200


def test_an_unreachable_database_is_a_503(tmp_path: Path) -> None:
    """Down, overloaded, out of connections: the client is told to come back, not a 500."""
    config = ServerConfig.build(data_dir=tmp_path, dev=True)
    prepare(config).dispose()
    broken = config.model_copy(
        update={"database_url": "postgresql+psycopg://nobody@127.0.0.1:1/none"}
    )
    url, stop = serve_in_thread(create_app(broken))
    signed_in = {"Authorization": "Bearer some-token", "Idempotency-Key": "k"}
    try:
        answers = [
            httpx.get(f"{url}/healthz"),
            # a submission checks its token itself, before and after its body is looked at
            httpx.post(f"{url}/api/v1/declarations", json={}, headers=signed_in),
            httpx.post(
                f"{url}/api/v1/declarations",
                json={"person_id": "p", "declaration": documents.declaration()},
                headers=signed_in,
            ),
        ]
    finally:
        stop()
    for answer in answers:
        assert answer.status_code == 503, answer.text
        assert answer.json()["error"]["code"] == "unavailable"
        assert answer.headers["retry-after"] == "5"
