"""What must hold when requests race: retries make one declaration, re-declaring stops at two."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
from sqlalchemy import select

from itdeclare.server.tables import DeclarationRow, QueueCounter
from tests.server import documents
from tests.server.conftest import LiveServer, Traveller, fresh_consulate, queue_tallies_agree

PARALLEL = 20


def _in_parallel(server: LiveServer, call: Callable[[httpx.Client], httpx.Response]) -> list[Any]:
    """``call`` from PARALLEL clients at once, each on its own connection."""

    def one(_: int) -> httpx.Response:
        with server.client() as client:
            return call(client)

    with ThreadPoolExecutor(PARALLEL) as pool:
        return list(pool.map(one, range(PARALLEL)))


def test_a_retried_submission_makes_one_declaration(traveller: Traveller) -> None:
    body, person = documents.declaration(), traveller.add_person()
    first = traveller.submit(person, key="retry-me", declaration=body)
    again = traveller.submit(person, key="retry-me", declaration=body)
    assert first.status_code == 201
    assert again.status_code in (200, 201)
    assert again.json()["id"] == first.json()["id"]
    assert len(traveller.get("/api/v1/declarations").json()["items"]) == 1


def test_the_same_key_with_another_body_is_refused(traveller: Traveller) -> None:
    assert traveller.submit(key="k", declaration=documents.declaration()).status_code == 201
    other = traveller.submit(key="k", declaration=documents.declaration(employer="Other Co."))
    assert other.status_code == 422
    assert other.json()["error"]["code"] == "idempotency_key_reused"


def test_keys_belong_to_their_account(make_traveller: Callable[[], Traveller]) -> None:
    one, two = make_traveller(), make_traveller()
    first = one.submit(key="shared", declaration=documents.declaration())
    second = two.submit(key="shared", declaration=documents.declaration())
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] != second.json()["id"]


def test_concurrent_retries_make_one_declaration(server: LiveServer, traveller: Traveller) -> None:
    person = traveller.add_person()
    body = {"person_id": person, "declaration": documents.declaration()}
    headers = {**traveller.auth, "Idempotency-Key": "all-at-once"}
    answers = _in_parallel(
        server, lambda c: c.post("/api/v1/declarations", json=body, headers=headers)
    )
    assert {a.status_code for a in answers} <= {200, 201}
    assert len({a.json()["id"] for a in answers}) == 1
    assert len(traveller.get("/api/v1/declarations").json()["items"]) == 1


def test_twenty_concurrent_redeclarations_make_at_most_two(
    server: LiveServer, traveller: Traveller
) -> None:
    original = traveller.submitted()
    latest = original["id"]
    made = []
    for _round in range(3):
        target = latest
        answers = _in_parallel(
            server,
            lambda c, target=target: c.post(
                f"/api/v1/declarations/{target}/redeclare",
                json={"declaration": documents.declaration()},
                headers=traveller.auth,
            ),
        )
        codes = Counter(a.status_code for a in answers)
        assert set(codes) <= {201, 409}, codes
        created = [a.json() for a in answers if a.status_code == 201]
        assert len(created) <= 1
        made += created
        if created:
            latest = created[0]["id"]
    assert len(made) == 2
    with server.db.read() as session:
        chain = session.execute(
            select(DeclarationRow.status, DeclarationRow.redeclarations_used)
            .where(DeclarationRow.chain_id == original["chain_id"])
            .order_by(DeclarationRow.redeclarations_used)
        ).all()
    assert [tuple(row) for row in chain] == [
        ("cancelled", 0),
        ("cancelled", 1),
        ("pending_review", 2),
    ]
    queue_tallies_agree(server.db, "USA")


def test_concurrent_retries_of_a_redeclaration_make_one(
    server: LiveServer, traveller: Traveller
) -> None:
    original = traveller.submitted()
    body = {"declaration": documents.declaration()}
    headers = {**traveller.auth, "Idempotency-Key": "redeclare-once"}
    answers = _in_parallel(
        server,
        lambda c: c.post(
            f"/api/v1/declarations/{original['id']}/redeclare", json=body, headers=headers
        ),
    )
    assert {a.status_code for a in answers} <= {200, 201}, [a.text for a in answers]
    assert len({a.json()["id"] for a in answers}) == 1
    assert answers[0].json()["redeclarations_left"] == 1


def test_redeclaring_different_declarations_of_one_chain_at_once(
    server: LiveServer, traveller: Traveller
) -> None:
    """Half the requests replace the original, half a re-declaration made meanwhile."""
    original = traveller.submitted()
    newer = traveller.redeclare(original["id"]).json()
    targets = [original["id"], newer["id"]] * (PARALLEL // 2)
    answers = _in_parallel(
        server,
        lambda c: c.post(
            f"/api/v1/declarations/{targets.pop()}/redeclare",
            json={"declaration": documents.declaration()},
            headers=traveller.auth,
        ),
    )
    assert Counter(a.status_code for a in answers)[201] == 1
    refusals = {a.json()["error"]["code"] for a in answers if a.status_code == 409}
    assert refusals <= {"not_latest", "redeclaration_limit"}


def test_concurrent_retries_into_a_queue_give_no_place_away(
    server: LiveServer, traveller: Traveller
) -> None:
    """The retries that lose at the key took a place first; each gives it back."""
    consulate = fresh_consulate()
    first = traveller.submitted(declaration=documents.declaration(residence=consulate))
    # The queue exists from here; the retries file for another person and document.
    person = traveller.add_person()
    declaration = documents.declaration(residence=consulate)
    body = {"person_id": person,
            "declaration": documents.as_new_traveller(declaration,
                                                      traveller.given_names[person])}  # fmt: skip
    headers = {**traveller.auth, "Idempotency-Key": "into-the-queue"}
    answers = _in_parallel(
        server, lambda c: c.post("/api/v1/declarations", json=body, headers=headers)
    )
    assert {a.status_code for a in answers} <= {200, 201}
    assert len({a.json()["id"] for a in answers}) == 1
    assert answers[0].json()["queue_position"] == first["queue_position"] + 1
    with server.db.read() as session:
        assert session.get(QueueCounter, consulate).last_seq == 2
    queue_tallies_agree(server.db, consulate)


def test_concurrent_submissions_take_consecutive_places(
    server: LiveServer, make_traveller: Callable[[], Traveller]
) -> None:
    consulate = fresh_consulate()
    # Twenty people, each with a live declaration of their own (§2), in accounts of ten.
    travellers = [make_traveller() for _ in range(PARALLEL // 10)]
    filers = [(t, t.add_person()) for t in travellers for _ in range(10)]

    def submit(client: httpx.Client) -> httpx.Response:
        traveller, person = filers.pop()
        declaration = documents.as_new_traveller(
            documents.declaration(residence=consulate), traveller.given_names[person]
        )
        return client.post(
            "/api/v1/declarations",
            json={"person_id": person, "declaration": declaration},
            headers={**traveller.auth, "Idempotency-Key": uuid.uuid4().hex},
        )

    answers = _in_parallel(server, submit)
    assert [a.status_code for a in answers] == [201] * PARALLEL
    assert sorted(a.json()["queue_position"] for a in answers) == list(range(PARALLEL))
    with server.db.read() as session:
        seqs = session.execute(
            select(DeclarationRow.queue_seq).where(DeclarationRow.consulate == consulate)
        ).scalars()
        assert sorted(seqs) == list(range(1, PARALLEL + 1))
    queue_tallies_agree(server.db, consulate)
