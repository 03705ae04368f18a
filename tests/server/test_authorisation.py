"""Who may see what: other accounts' ids answer 404, consulates see only their own queue."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from tests.server import documents, uploads
from tests.server.conftest import LiveServer, Reviewer, Traveller, fresh_consulate

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
    """The submission checks its token itself (with its filing, in one trip to the database);
    a body or headers refused before it runs still come second to a token that is not a
    traveller's."""
    person_id = traveller.add_person()
    valid = {"person_id": person_id, "declaration": documents.declaration()}
    refused_bodies: list[dict[str, Any]] = [
        {"json": {"person_id": person_id}, "headers": {"Idempotency-Key": "k1"}},
        {"content": b"{not json", "headers": {"Idempotency-Key": "k2",
                                             "Content-Type": "application/json"}},
        {"json": valid},  # no Idempotency-Key
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


def test_public_endpoints_need_no_token(server: LiveServer, http: httpx.Client) -> None:
    assert http.get("/healthz").json()["status"] == "ok"
    assert http.get("/api/v1/rules").json()["rules"]
    assert http.get("/openapi.json").json()["info"]["title"] == "itdeclare backend"
