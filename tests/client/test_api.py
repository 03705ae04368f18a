"""Each method sends the request of DESIGN.md §4.4 and reads its answer into typed models."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import httpx
import pytest

from itdeclare import i18n
from itdeclare.client import ApiClient, Decision, ProtocolError, RetryPolicy, ServerError
from itdeclare.models import (
    Declaration,
    DeclarationStatus,
    OutboundRequest,
    Relationship,
    default_rules,
)
from tests.client.conftest import ScriptedServer, error_reply, reply

SUMMARY = {
    "id": "d1",
    "status": "pending_review",
    "queue_position": 4,
    "redeclarations_left": 2,
    "consulate": "USA",
}
CERTIFICATE = {
    "payload": "HC1:6BFOXN...",
    "issued_at": "2026-12-01T08:00:00+08:00",
    "expires_at": "2026-12-08T08:00:00Z",
}


def sent(server: ScriptedServer) -> tuple[str, str, Any]:
    request = server.requests[-1]
    body = json.loads(request.content) if request.content else None
    return request.method, request.url.path, body


async def test_every_request_names_the_language_and_the_client(
    connect: Callable[..., ApiClient],
) -> None:
    server = ScriptedServer(reply(200, {"status": "ok"}))
    client = connect(server)
    await client.healthz()
    i18n.set_language("zh")
    await client.healthz()
    english, chinese = server.requests
    assert english.headers["Accept-Language"] == "en"
    assert chinese.headers["Accept-Language"] == "zh"
    assert english.headers["User-Agent"].startswith("itdeclare/")
    assert "Authorization" not in english.headers


async def test_a_base_url_with_a_path_keeps_it(sleeps: Any) -> None:
    server = ScriptedServer(reply(200, {"items": []}))
    async with ApiClient("http://host.test/itdeclare", transport=httpx.MockTransport(server)) as c:
        await c.list_persons()
    assert server.requests[0].url.path == "/itdeclare/api/v1/persons"


async def test_signing_in(connect: Callable[..., ApiClient]) -> None:
    server = ScriptedServer(reply(202, {"dev_code": "123456"}), reply(200, {"token": "tok"}))
    client = connect(server)
    code = await client.request_code("+14155550123")
    assert code.dev_code == "123456"
    assert sent(server) == ("POST", "/api/v1/auth/code", {"phone": "+14155550123"})
    session = await client.sign_in("+14155550123", "123456")
    assert session.token == client.token == "tok"
    assert session.account is None
    assert sent(server) == (
        "POST",
        "/api/v1/auth/token",
        {"phone": "+14155550123", "code": "123456"},
    )


async def test_a_session_may_say_whose_it_is(connect: Callable[..., ApiClient]) -> None:
    answer = {
        "token": "tok",
        "expires_at": "2026-12-31T00:00:00Z",
        "account": {"id": "acc1", "kind": "reviewer", "phone": None, "consulate": "USA"},
    }
    session = await connect(ScriptedServer(reply(200, answer))).sign_in("+14155550123", "1")
    assert session.account is not None
    assert (session.account.kind, session.account.consulate) == ("reviewer", "USA")
    assert session.expires_at == datetime(2026, 12, 31, tzinfo=UTC)


@pytest.mark.parametrize("answer", [reply(202), reply(202, {}), reply(202, {"sent": True})])
async def test_outside_development_mode_there_is_no_code(
    connect: Callable[..., ApiClient], answer: httpx.Response
) -> None:
    code = await connect(ScriptedServer(answer)).request_code("+14155550123")
    assert code.dev_code is None


async def test_the_token_goes_with_every_request(connect: Callable[..., ApiClient]) -> None:
    server = ScriptedServer(reply(200, {"items": []}))
    await connect(server, token="secret").list_declarations()
    assert server.requests[0].headers["Authorization"] == "Bearer secret"


async def test_persons(connect: Callable[..., ApiClient], declaration: Declaration) -> None:
    subject = declaration.subject.model_dump(mode="json")
    person = {"id": 17, "relationship": "parent", "subject": subject, "created_at": "x"}
    server = ScriptedServer(reply(201, person), reply(200, {"items": [person, person]}))
    client = connect(server)
    created = await client.create_person(Relationship.PARENT, declaration.subject)
    assert sent(server) == (
        "POST",
        "/api/v1/persons",
        {"relationship": "parent", "subject": subject},
    )
    assert created.id == "17"  # ids are text, whatever the server's JSON says
    assert created.relationship is Relationship.PARENT
    assert created.subject == declaration.subject
    listed = await client.list_persons()
    assert sent(server)[:2] == ("GET", "/api/v1/persons")
    assert [p.id for p in listed] == ["17", "17"]


async def test_submitting(connect: Callable[..., ApiClient], declaration: Declaration) -> None:
    server = ScriptedServer(reply(201, {**SUMMARY, "submitted_at": "later"}))
    filed = await connect(server).submit_declaration("p1", declaration, idempotency_key="k1")
    method, path, body = sent(server)
    assert (method, path) == ("POST", "/api/v1/declarations")
    assert server.requests[0].headers["Idempotency-Key"] == "k1"
    assert body["person_id"] == "p1"
    assert Declaration.model_validate(body["declaration"]) == declaration
    assert body["declaration"]["itinerary"][0]["from"] == "SFO"  # the file's spelling
    assert filed.status is DeclarationStatus.PENDING_REVIEW
    assert (filed.queue_position, filed.redeclarations_left, filed.consulate) == (4, 2, "USA")


async def test_a_replayed_submission_may_answer_200(
    connect: Callable[..., ApiClient], declaration: Declaration
) -> None:
    server = ScriptedServer(reply(200, SUMMARY))
    filed = await connect(server).submit_declaration("p1", declaration, idempotency_key="k1")
    assert filed.id == "d1"


async def test_following_declarations(connect: Callable[..., ApiClient]) -> None:
    detail = {
        **SUMMARY,
        "status": "supplement_requested",
        "queue_position": None,
        "review_note": "Upload the lab report",
        "history": [
            {"status": "pending_review", "at": "2026-12-01T10:00:00+08:00"},
            {"status": "supplement_requested", "at": "2026-12-01T12:00:00Z", "note": "Upload"},
        ],
    }
    server = ScriptedServer(reply(200, {"items": [SUMMARY]}), reply(200, detail))
    client = connect(server)
    listed = await client.list_declarations()
    assert sent(server)[:2] == ("GET", "/api/v1/declarations")
    assert listed[0].queue_position == 4
    got = await client.get_declaration("d1")
    assert sent(server)[:2] == ("GET", "/api/v1/declarations/d1")
    assert got.status is DeclarationStatus.SUPPLEMENT_REQUESTED
    assert got.queue_position is None
    assert got.review_note == "Upload the lab report"
    assert [h.at for h in got.history] == [
        datetime(2026, 12, 1, 2, tzinfo=UTC),
        datetime(2026, 12, 1, 12, tzinfo=UTC),
    ]
    assert got.history[0].at.utcoffset() == timedelta(hours=8)


async def test_an_id_is_one_path_segment(connect: Callable[..., ApiClient]) -> None:
    server = ScriptedServer(reply(200, CERTIFICATE))
    client = connect(server)
    await client.get_certificate("../../persons")
    assert (
        server.requests[0].url.raw_path
        == b"/api/v1/declarations/%2E%2E%2F%2E%2E%2Fpersons/certificate"
    )
    with pytest.raises(ValueError):
        await client.get_declaration("")


async def test_supplement_redeclare_certificate(
    connect: Callable[..., ApiClient], declaration: Declaration
) -> None:
    replaced = {**SUMMARY, "id": "d2", "redeclarations_left": 1}
    server = ScriptedServer(reply(200, SUMMARY), reply(201, replaced), reply(200, CERTIFICATE))
    client = connect(server)
    back = await client.send_supplement("d1", "Here it is", ["a1", "a2"])
    assert sent(server) == (
        "POST",
        "/api/v1/declarations/d1/supplement",
        {"message": "Here it is", "attachment_ids": ["a1", "a2"]},
    )
    assert back.status is DeclarationStatus.PENDING_REVIEW
    new = await client.redeclare("d1", declaration)
    method, path, body = sent(server)
    assert (method, path) == ("POST", "/api/v1/declarations/d1/redeclare")
    assert Declaration.model_validate(body["declaration"]) == declaration
    assert "Idempotency-Key" not in server.requests[-1].headers
    assert (new.id, new.redeclarations_left) == ("d2", 1)
    certificate = await client.get_certificate("d2")
    assert sent(server)[:2] == ("GET", "/api/v1/declarations/d2/certificate")
    assert certificate.payload.startswith("HC1:")
    assert certificate.expires_at == datetime(2026, 12, 8, 8, tzinfo=UTC)
    assert certificate.issued_at.tzinfo == timezone(timedelta(hours=8))


async def test_times_without_an_offset_are_refused(connect: Callable[..., ApiClient]) -> None:
    naive = {**CERTIFICATE, "issued_at": "2026-12-01T08:00:00"}
    with pytest.raises(ProtocolError):
        await connect(ScriptedServer(reply(200, naive))).get_certificate("d1")


async def test_outbound_certificate(connect: Callable[..., ApiClient]) -> None:
    request = OutboundRequest.model_validate(
        {
            "id_card_number": "11010519560301001X",
            "name": "张三",
            "document": {"type": "passport", "number": "E12345678"},
        }
    )
    server = ScriptedServer(reply(200, CERTIFICATE))
    certificate = await connect(server).outbound_certificate(request)
    assert sent(server) == (
        "POST",
        "/api/v1/outbound/certificate",
        {
            "id_card_number": "11010519560301001X",
            "name": "张三",
            "document": {"type": "passport", "number": "E12345678"},
        },
    )
    assert certificate.payload.startswith("HC1:")


async def test_reviewing(connect: Callable[..., ApiClient], declaration: Declaration) -> None:
    opened = {
        **SUMMARY,
        "declaration": declaration.model_dump(mode="json"),
        "attachments": [
            {"id": "a1", "sha256": "ab" * 32, "content_type": "application/pdf", "size": 1000}
        ],
        "history": [],
    }
    decided = {**SUMMARY, "status": "approved", "queue_position": None}
    waiting = {
        "id": "d1",
        "status": "pending_review",
        "queue_position": 0,
        "submitted_at": "2026-12-01T10:00:00+08:00",
        "name": "ZHANG SAN",
    }
    server = ScriptedServer(
        reply(200, {"items": [waiting, {"id": "d9", "status": "pending_review"}]}),
        reply(200, opened),
        reply(200, decided),
    )
    client = connect(server, token="reviewer")
    queue = await client.review_queue()
    assert sent(server)[:2] == ("GET", "/api/v1/review/queue")
    assert [item.id for item in queue] == ["d1", "d9"]
    assert (queue[0].queue_position, queue[0].name) == (0, "ZHANG SAN")
    assert queue[1].submitted_at is None
    review = await client.get_review("d1")
    assert sent(server)[:2] == ("GET", "/api/v1/review/d1")
    assert review.declaration == declaration
    assert review.attachments[0].content_type == "application/pdf"
    outcome = await client.decide("d1", Decision.REJECT, "Test sampled too early")
    assert sent(server) == (
        "POST",
        "/api/v1/review/d1/decision",
        {"decision": "reject", "note": "Test sampled too early"},
    )
    assert outcome.status is DeclarationStatus.APPROVED


async def test_public_documents(connect: Callable[..., ApiClient]) -> None:
    trust = {"keys": [{"kid": "AAECAwQFBgc=", "country": "CN", "certificate": "MIIB"}]}
    signed = b"\xd2\x84\x43\xa1\x01\x26"  # whatever it is, it is passed on untouched
    rules = default_rules().model_dump(mode="json")
    server = ScriptedServer(
        reply(200, trust),
        httpx.Response(200, content=signed, headers={"Content-Type": "application/cose"}),
        reply(200, rules),
        reply(200, {"status": "ok", "version": "1"}),
    )
    client = connect(server)
    trust_list = await client.trust_list()
    assert sent(server)[:2] == ("GET", "/api/v1/trust-list")
    assert trust_list.keys[0].country == "CN"
    assert trust_list.keys[0].public_key is None
    assert await client.revocations() == signed
    assert sent(server)[:2] == ("GET", "/api/v1/revocations")
    assert await client.rules() == default_rules()
    assert sent(server)[:2] == ("GET", "/api/v1/rules")
    assert (await client.healthz()).status == "ok"
    assert sent(server)[:2] == ("GET", "/healthz")


async def test_signing_out_forgets_the_token_whatever_the_server_says(
    connect: Callable[..., ApiClient],
) -> None:
    server = ScriptedServer(reply(204), error_reply(401, "unauthorized"), reply(503))
    client = connect(server, token="t1", retry=RetryPolicy(attempts=1))
    await client.sign_out()
    assert sent(server) == ("POST", "/api/v1/auth/logout", None)
    assert server.requests[0].headers["Authorization"] == "Bearer t1"
    assert client.token is None
    client.token = "t2"
    await client.sign_out()  # the server no longer knew it: signed out all the same
    assert client.token is None
    client.token = "t3"
    with pytest.raises(ServerError):
        await client.sign_out()
    assert client.token is None
    await client.sign_out()  # nothing to revoke: no request
    assert len(server.requests) == 3


async def test_whose_token(connect: Callable[..., ApiClient]) -> None:
    me = {"id": "r1", "kind": "reviewer", "phone": None, "consulate": "GBR"}
    server = ScriptedServer(reply(200, me))
    account = await connect(server, token="t").current_account()
    assert sent(server)[:2] == ("GET", "/api/v1/auth/me")
    assert (account.kind, account.consulate) == ("reviewer", "GBR")


async def test_one_person_and_their_declarations(
    connect: Callable[..., ApiClient], declaration: Declaration
) -> None:
    person = {
        "id": "p1",
        "relationship": "self",
        "subject": declaration.subject.model_dump(mode="json"),
    }
    server = ScriptedServer(reply(200, person), reply(200, {"items": [SUMMARY]}))
    client = connect(server)
    assert (await client.get_person("p1")).subject == declaration.subject
    assert sent(server)[:2] == ("GET", "/api/v1/persons/p1")
    await client.list_declarations(person_id="p 1")
    assert server.requests[-1].url.params["person_id"] == "p 1"


async def test_downloading_attachments(connect: Callable[..., ApiClient]) -> None:
    pdf = b"%PDF-1.7 lab report"
    server = ScriptedServer(
        httpx.Response(200, content=pdf, headers={"Content-Type": "application/pdf"})
    )
    client = connect(server)
    assert await client.get_attachment("d1", "a1") == pdf
    assert sent(server)[:2] == ("GET", "/api/v1/declarations/d1/attachments/a1")
    assert await client.get_review_attachment("d1", "a1") == pdf
    assert sent(server)[:2] == ("GET", "/api/v1/review/d1/attachments/a1")


async def test_the_queue_is_paged(connect: Callable[..., ApiClient]) -> None:
    server = ScriptedServer(reply(200, {"items": []}))
    client = connect(server)
    await client.review_queue()
    assert server.requests[-1].url.query == b""
    await client.review_queue(limit=20, after="d7")
    assert dict(server.requests[-1].url.params) == {"limit": "20", "after": "d7"}
