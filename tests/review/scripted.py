"""A fixed reviewer's view of one consulate, served through ``httpx.MockTransport``, for the
snapshot tests: ids, times and documents never change, so neither do the screens. Behaviour is
tested against the real backend (``test_live_review.py``); this only feeds the layout."""

from __future__ import annotations

import json
from copy import deepcopy
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from itdeclare.client import ApiClient
from itdeclare.config import Settings
from itdeclare.i18n import Language
from itdeclare.models import default_rules
from itdeclare.review_app import ReviewerApp

EXAMPLE = Path(__file__).parents[2] / "examples" / "self.json"
#: Noon in San Francisco on 30 November 2026, the day before the example flight.
NOW = datetime(2026, 11, 30, 20, 0, tzinfo=UTC)
SERVER = "http://review.test"
SHA = "9f2c4e1a7b3d5f60" * 4


def _document(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(EXAMPLE.read_text("utf-8"))
    for path, value in changes.items():
        node = data
        *parents, last = path.split("__")
        for part in parents:
            node = node[int(part)] if part.isdigit() else node[part]
        node[int(last) if last.isdigit() else last] = value
    return data


def _step(at: str, action: str, status: str, actor: str, **extra: Any) -> dict[str, Any]:
    return {"at": at, "action": action, "status": status, "actor": actor, **extra}


def _detail(
    declaration_id: str,
    document: dict[str, Any],
    *,
    status: str = "pending_review",
    position: int | None = 0,
    created: str = "2026-11-30T17:05:00+00:00",
    replaces: str | None = None,
    history: list[dict[str, Any]] | None = None,
    attachments: list[dict[str, Any]] | None = None,
    note: str | None = None,
) -> dict[str, Any]:
    return {
        "id": declaration_id,
        "status": status,
        "queue_position": position,
        "redeclarations_left": 2 if replaces is None else 1,
        "consulate": "USA",
        "person_id": f"p-{declaration_id}",
        "chain_id": "chain-zhang" if declaration_id.startswith("d-zhang") else declaration_id,
        "replaces": replaces,
        "replaced_by": None,
        "created_at": created,
        "updated_at": created,
        "review_note": note,
        "history": history
        or [_step(created, "submitted", status, "traveller", actor_id=f"t-{declaration_id}")],
        "declaration": document,
        "attachments": attachments or [],
    }


ZHANG_1 = _document(employer="Example Co.")
ZHANG_2 = _document(employer="Other Co.", tests__1__institution="Bay Lab")
LI = _document(
    subject__family_name="LI",
    subject__given_name="SI",
    subject__chinese_name="李四",
    subject__document__number="E23456789",
    subject__id_card_number=None,
    tests__1__sampled_at="2026-11-27T09:00:00-08:00",
)
WANG = _document(
    relationship="self",
    subject__family_name="WANG",
    subject__given_name="WU",
    subject__chinese_name=None,
    subject__document__number="E34567890",
    subject__id_card_number=None,
    itinerary__0__departs_at="2026-11-30T23:30:00-08:00",
    itinerary__0__arrives_at="2026-12-02T05:30:00+08:00",
)

DETAILS = {
    "d-zhang-1": _detail(
        "d-zhang-1",
        ZHANG_1,
        status="cancelled",
        position=None,
        created="2026-11-30T16:40:00+00:00",
        history=[
            _step("2026-11-30T16:40:00+00:00", "submitted", "pending_review", "traveller"),
            _step("2026-11-30T17:05:00+00:00", "replaced", "cancelled", "traveller"),
        ],
    ),
    "d-zhang-2": _detail(
        "d-zhang-2",
        ZHANG_2,
        replaces="d-zhang-1",
        history=[_step("2026-11-30T17:05:00+00:00", "redeclared", "pending_review", "traveller")],
    ),
    "d-li": _detail(
        "d-li",
        LI,
        status="pending_review",
        position=1,
        created="2026-11-29T08:10:00+00:00",
        note="Please upload the IgM antibody test report.",
        history=[
            _step("2026-11-29T08:10:00+00:00", "submitted", "pending_review", "traveller"),
            _step(
                "2026-11-29T15:00:00+00:00",
                "request_supplement",
                "supplement_requested",
                "reviewer",
                actor_id="7c1d9e0f3b2a4c5d8e6f7a8b9c0d1e2f",
                note="Please upload the IgM antibody test report.",
            ),
            _step(
                "2026-11-30T02:30:00+00:00",
                "supplemented",
                "pending_review",
                "traveller",
                note="Here it is.",
                attachment_ids=["a-li-1"],
            ),
        ],
        attachments=[
            {
                "id": "a-li-0",
                "sha256": SHA[::-1],
                "content_type": "image/jpeg",
                "size": 912345,
                "created_at": "2026-11-29T08:10:30+00:00",
                "test_index": 0,
            },
            {
                "id": "a-li-1",
                "sha256": SHA,
                "content_type": "application/pdf",
                "size": 48213,
                "created_at": "2026-11-30T02:29:00+00:00",
                "test_index": 1,
            },
        ],
    ),
    "d-wang": _detail(
        "d-wang",
        WANG,
        status="supplement_requested",
        position=2,
        created="2026-11-25T11:00:00+00:00",
        note="Please upload your ticket.",
    ),
}

QUEUE = [
    ("d-zhang-2", "ZHANG SAN", "2026-11-30T17:05:00+00:00"),
    ("d-li", "LI SI", "2026-11-29T08:10:00+00:00"),
    ("d-wang", "WANG WU", "2026-11-25T11:00:00+00:00"),
]


class ScriptedReview:
    """Answers the reviewer's reads of the API v1 from the fixed data above; with
    ``token_expires_after_sign_in`` every read after the sign-in answers 401."""

    def __init__(self, *, token_expires_after_sign_in: bool = False) -> None:
        self.expired = token_expires_after_sign_in

    def __call__(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if self.expired and path.startswith("/api/v1/review/"):
            body = {"error": {"code": "unauthorized", "message": "expired", "fields": []}}
            return httpx.Response(401, json=body)
        if path == "/api/v1/auth/me":
            return httpx.Response(200, json={"id": "r-1", "kind": "reviewer", "consulate": "USA"})
        if path == "/api/v1/rules":
            return httpx.Response(200, json=default_rules().model_dump(mode="json"))
        if path == "/api/v1/review/queue":
            return httpx.Response(200, json={"items": self.queue()})
        declaration_id = path.removeprefix("/api/v1/review/")
        if declaration_id in DETAILS:
            return httpx.Response(200, json=deepcopy(DETAILS[declaration_id]))
        body = {"error": {"code": "not_found", "message": "Not found", "fields": []}}
        return httpx.Response(404, json=body)

    def queue(self) -> list[dict[str, Any]]:
        return [
            {
                "id": declaration_id,
                "queue_position": position,
                "status": DETAILS[declaration_id]["status"],
                "submitted_at": submitted,
                "name": name,
                "nationality": "CHN",
                "residence_country": "USA",
            }
            for position, (declaration_id, name, submitted) in enumerate(QUEUE)
        ]


def scripted_app(
    language: Language = "en",
    *,
    token: str | None = "token",
    server: ScriptedReview | None = None,
    **settings: Any,
) -> ReviewerApp:
    answer = server or ScriptedReview()

    def connect(url: str, given: str) -> ApiClient:
        return ApiClient(url, token=given, transport=httpx.MockTransport(answer))

    return ReviewerApp(
        Settings(language=language, server=SERVER, **settings),
        token=token,
        clock=lambda: NOW,
        find_opener=lambda: None,
        make_client=connect,
    )
