"""The review queue over HTTP: order, paging, and positions that only move forward under load."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import httpx

from tests.server import documents
from tests.server.conftest import LiveServer, Reviewer, Traveller, fresh_consulate, sign_in


def test_the_queue_pages_in_review_order(
    traveller: Traveller, make_reviewer: Callable[[str], Reviewer]
) -> None:
    consulate = fresh_consulate()
    reviewer = make_reviewer(consulate)
    ids = [
        traveller.submitted(declaration=documents.declaration(residence=consulate))["id"]
        for _ in range(5)
    ]
    first = reviewer.get("/api/v1/review/queue", params={"limit": 2}).json()["items"]
    rest = reviewer.get(
        "/api/v1/review/queue", params={"limit": 10, "after": first[-1]["id"]}
    ).json()["items"]
    assert [i["id"] for i in first + rest] == ids
    assert [i["queue_position"] for i in first + rest] == [0, 1, 2, 3, 4]
    assert first[0]["name"] == "ZHANG SAN"
    assert first[0]["residence_country"] == consulate
    assert reviewer.get("/api/v1/review/queue", params={"limit": 0}).status_code == 422


def test_a_request_for_material_keeps_the_place(
    traveller: Traveller, make_reviewer: Callable[[str], Reviewer]
) -> None:
    consulate = fresh_consulate()
    reviewer = make_reviewer(consulate)
    first, second = (
        traveller.submitted(declaration=documents.declaration(residence=consulate))
        for _ in range(2)
    )
    reviewer.decide(first["id"], "request_supplement", "Send the lab report")
    assert traveller.get(f"/api/v1/declarations/{second['id']}").json()["queue_position"] == 1
    queue = reviewer.get("/api/v1/review/queue").json()["items"]
    assert [(i["id"], i["status"]) for i in queue] == [
        (first["id"], "supplement_requested"),
        (second["id"], "pending_review"),
    ]


def test_positions_never_grow_while_others_come_and_go(
    server: LiveServer, make_reviewer: Callable[[str], Reviewer]
) -> None:
    consulate = fresh_consulate()
    reviewer = make_reviewer(consulate)
    with server.client() as http:
        ahead = sign_in(http)
        ahead_ids = [
            ahead.submitted(declaration=documents.declaration(residence=consulate))["id"]
            for _ in range(10)
        ]
        watched_by = sign_in(http)
        watched = watched_by.submitted(declaration=documents.declaration(residence=consulate))
    assert watched["queue_position"] == 10
    seen: list[int] = []
    done = threading.Event()

    def position(http: httpx.Client) -> int:
        answer = http.get(f"/api/v1/declarations/{watched['id']}", headers=watched_by.auth)
        return int(answer.json()["queue_position"])

    def watch() -> None:
        with server.client() as http:
            while not done.is_set():
                seen.append(position(http))

    def newcomer(_: int) -> None:
        with server.client() as http:
            sign_in(http).submitted(declaration=documents.declaration(residence=consulate))

    with ThreadPoolExecutor(9) as pool:
        watcher = pool.submit(watch)
        arrivals = pool.map(newcomer, range(16))
        for declaration_id in ahead_ids:
            assert reviewer.decide(declaration_id, "approve").status_code == 200
        list(arrivals)
        done.set()
        watcher.result()  # re-raises whatever stopped the watcher
    with server.client() as http:
        seen.append(position(http))
    assert seen == sorted(seen, reverse=True)
    assert seen[-1] == 0
