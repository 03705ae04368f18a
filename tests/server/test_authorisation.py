"""Who may see what: other accounts' ids answer 404, consulates see only their own queue."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select, update

from itdeclare.server import credentials
from itdeclare.server.tables import DeclarationRow, Token, utcnow
from tests.server import documents, uploads
from tests.server.conftest import LiveServer, Reviewer, Traveller, fresh_consulate, sign_in

#: Every traveller endpoint that takes an id, with a body that would otherwise be acceptable.
OWNED = [
    ("GET", "/api/v1/persons/{person}", None),
    ("GET", "/api/v1/declarations/{declaration}", None),
    ("POST", "/api/v1/declarations/{declaration}/redeclare", "redeclare"),
    ("POST", "/api/v1/declarations/{declaration}/supplement", "supplement"),
    ("POST", "/api/v1/declarations/{declaration}/attachments", "file"),
    ("GET", "/api/v1/declarations/{declaration}/attachments/{attachment}", None),
    ("GET", "/api/v1/declarations/{declaration}/certificate", None),
]
REVIEWED = [
    ("GET", "/api/v1/review/{declaration}", None),
    ("GET", "/api/v1/review/{declaration}/attachments/{attachment}", None),
    ("POST", "/api/v1/review/{declaration}/decision", "decision"),
]


def _bodies(kind: str | None) -> dict[str, Any]:
    if kind == "redeclare":
        return {"json": {"declaration": documents.declaration()}}
    if kind == "supplement":
        return {"json": {"message": "here", "attachment_ids": []}}
    if kind == "file":
        return {"files": {"file": ("a.png", uploads.image(), "image/png")}}
    if kind == "decision":
        return {"json": {"decision": "approve"}}
    return {}


def _call(
    http: httpx.Client, token: str | None, method: str, path: str, kind: str | None
) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return http.request(method, path, headers=headers, **_bodies(kind))


@pytest.fixture
def owner_ids(make_traveller: Callable[[], Traveller]) -> tuple[Traveller, dict[str, str]]:
    owner = make_traveller()
    declaration = owner.submitted()
    attachment = owner.post(
        f"/api/v1/declarations/{declaration['id']}/attachments",
        files={"file": ("a.png", uploads.image(), "image/png")},
    ).json()
    ids = {
        "person": declaration["person_id"],
        "declaration": declaration["id"],
        "attachment": attachment["id"],
    }
    return owner, ids


def test_the_table_covers_every_endpoint_with_an_id(http: httpx.Client) -> None:
    paths = http.get("/openapi.json").json()["paths"]
    with_ids = {
        (method.upper(), path)
        for path, operations in paths.items()
        if "{" in path
        for method in operations
    }
    names = {"{person}": "{person_id}", "{declaration}": "{declaration_id}"}
    names["{attachment}"] = "{attachment_id}"

    def openapi_path(path: str) -> str:
        for ours, theirs in names.items():
            path = path.replace(ours, theirs)
        return path

    assert with_ids == {(method, openapi_path(path)) for method, path, _ in OWNED + REVIEWED}


@pytest.mark.parametrize(("method", "path", "kind"), OWNED)
def test_another_accounts_ids_answer_404(
    make_traveller: Callable[[], Traveller],
    owner_ids: tuple[Traveller, dict[str, str]],
    method: str,
    path: str,
    kind: str | None,
) -> None:
    _, ids = owner_ids
    intruder = make_traveller()
    answer = _call(intruder.http, intruder.token, method, path.format(**ids), kind)
    assert answer.status_code == 404, answer.text
    assert answer.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize(("method", "path", "kind"), OWNED)
def test_no_token_answers_401(
    owner_ids: tuple[Traveller, dict[str, str]], method: str, path: str, kind: str | None
) -> None:
    owner, ids = owner_ids
    answer = _call(owner.http, None, method, path.format(**ids), kind)
    assert answer.status_code == 401
    assert answer.json()["error"]["code"] == "unauthorized"
    assert answer.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/v1/persons"),
        ("POST", "/api/v1/persons"),
        ("GET", "/api/v1/declarations"),
        ("POST", "/api/v1/declarations"),
        ("GET", "/api/v1/review/queue"),
        ("POST", "/api/v1/outbound/certificate"),
        ("GET", "/api/v1/auth/me"),
        ("POST", "/api/v1/auth/logout"),
    ],
)
def test_collections_need_a_token(http: httpx.Client, method: str, path: str) -> None:
    for token in (None, "not-a-token"):
        answer = _call(http, token, method, path, None)
        assert answer.status_code == 401, (token, answer.text)


def test_a_submission_is_refused_for_its_token_before_its_body(
    traveller: Traveller, make_reviewer: Callable[[str], Reviewer], http: httpx.Client
) -> None:
    """The submission checks its token itself (in the statement that files it); a body or
    headers refused before that runs still come second to a token that is not a traveller's:
    a body FastAPI refuses, and a declaration the rules refuse."""
    person_id = traveller.add_person()
    valid = {"person_id": person_id, "declaration": documents.declaration()}
    departed = documents.declaration(now=datetime.now(documents.LOS_ANGELES) - timedelta(days=3))
    refused_bodies: list[dict[str, Any]] = [
        {"json": {"person_id": person_id}, "headers": {"Idempotency-Key": "k1"}},
        {"content": b"{not json", "headers": {"Idempotency-Key": "k2",
                                             "Content-Type": "application/json"}},
        {"json": valid},  # no Idempotency-Key
        {"json": {"person_id": person_id, "declaration": departed},
         "headers": {"Idempotency-Key": "k4"}},
    ]  # fmt: skip
    reviewer = make_reviewer(fresh_consulate())
    for request in refused_bodies:
        headers = request.pop("headers", {})
        for token, status, code in [
            ("not-a-token", 401, "unauthorized"),
            (reviewer.token, 403, "travellers_only"),
        ]:
            answer = http.post(
                "/api/v1/declarations",
                headers={**headers, "Authorization": f"Bearer {token}"},
                **request,
            )
            assert (answer.status_code, answer.json()["error"]["code"]) == (status, code)
        mine = http.post(
            "/api/v1/declarations",
            headers={**headers, "Authorization": f"Bearer {traveller.token}"},
            **request,
        )
        assert mine.status_code in (400, 422), mine.text
    wrong_kind = http.post(
        "/api/v1/declarations",
        json=valid,
        headers={"Idempotency-Key": "k3", "Authorization": f"Bearer {reviewer.token}"},
    )
    assert wrong_kind.status_code == 403
    assert traveller.get("/api/v1/declarations").json()["items"] == []


def test_a_reviewer_sees_only_their_consulate(
    make_traveller: Callable[[], Traveller], make_reviewer: Callable[[str], Reviewer]
) -> None:
    ours, theirs = fresh_consulate(), fresh_consulate()
    traveller = make_traveller()
    traveller.add_person()
    in_theirs = traveller.submitted(declaration=documents.declaration(residence=theirs))
    ours_reviewer, their_reviewer = make_reviewer(ours), make_reviewer(theirs)

    assert ours_reviewer.get("/api/v1/review/queue").json()["items"] == []
    assert [i["id"] for i in their_reviewer.get("/api/v1/review/queue").json()["items"]] == [
        in_theirs["id"]
    ]
    ids = {"declaration": in_theirs["id"], "attachment": "x"}
    for method, path, kind in REVIEWED:
        answer = _call(ours_reviewer.http, ours_reviewer.token, method, path.format(**ids), kind)
        assert answer.status_code == 404, (path, answer.text)
    assert traveller.get(f"/api/v1/declarations/{in_theirs['id']}").json()["status"] == (
        "pending_review"
    )


def test_roles_do_not_mix(traveller: Traveller, make_reviewer: Callable[[str], Reviewer]) -> None:
    reviewer = make_reviewer("USA")
    declaration = traveller.submitted()
    as_traveller = traveller.get("/api/v1/review/queue")
    assert as_traveller.status_code == 403
    assert as_traveller.json()["error"]["code"] == "reviewers_only"
    assert (
        traveller.post(
            f"/api/v1/review/{declaration['id']}/decision", json={"decision": "approve"}
        ).status_code
        == 403
    )
    as_reviewer = reviewer.get("/api/v1/declarations")
    assert as_reviewer.status_code == 403
    assert as_reviewer.json()["error"]["code"] == "travellers_only"


def test_logout_revokes_the_token(traveller: Traveller) -> None:
    assert traveller.get("/api/v1/auth/me").status_code == 200
    assert traveller.post("/api/v1/auth/logout").status_code == 204
    assert traveller.get("/api/v1/auth/me").status_code == 401


@pytest.mark.parametrize("ended", ["signed_out", "expired", "reviewers"])
def test_a_submission_with_a_token_not_a_live_travellers_files_nothing(
    server: LiveServer,
    http: httpx.Client,
    make_reviewer: Callable[[str], Reviewer],
    ended: str,
) -> None:
    """The filing statement checks the token itself: one signed out, expired or of a reviewer
    files nothing, and is answered as every route answers it, before anything else is said
    (here: that the person has a live declaration already)."""
    traveller = sign_in(http)
    person = traveller.add_person()
    traveller.submitted(person_id=person)
    token = traveller.token
    if ended == "signed_out":
        assert traveller.post("/api/v1/auth/logout").status_code == 204
    elif ended == "expired":
        server.db.write(
            lambda s: s.execute(
                update(Token)
                .where(Token.token_hash == credentials.token_hash(token))
                .values(expires_at=utcnow() - timedelta(seconds=1))
            )
        )
    else:
        token = make_reviewer(fresh_consulate()).token
    answer = http.post(
        "/api/v1/declarations",
        json={"person_id": person, "declaration": documents.declaration()},
        headers={"Authorization": f"Bearer {token}", "Idempotency-Key": "k"},
    )
    expected = (403, "travellers_only") if ended == "reviewers" else (401, "unauthorized")
    assert (answer.status_code, answer.json()["error"]["code"]) == expected
    with server.db.read() as session:
        filed = session.scalars(select(DeclarationRow).where(DeclarationRow.person_id == person))
        assert len(list(filed)) == 1


def test_public_endpoints_need_no_token(server: LiveServer, http: httpx.Client) -> None:
    assert http.get("/healthz").json()["status"] == "ok"
    assert http.get("/api/v1/rules").json()["rules"]
    assert http.get("/openapi.json").json()["info"]["title"] == "itdeclare backend"
