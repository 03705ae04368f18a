"""The whole life of a declaration, through HTTP against a real server, on both databases."""

from __future__ import annotations

from collections.abc import Callable

from tests.server import documents, uploads
from tests.server.conftest import Reviewer, Traveller, fresh_consulate

PNG = uploads.image("PNG")


def test_code_token_person_submit_review_supplement_redeclare(
    make_traveller: Callable[[], Traveller], make_reviewer: Callable[[str], Reviewer]
) -> None:
    consulate = fresh_consulate()
    reviewer = make_reviewer(consulate)
    someone_else = make_traveller()
    ahead = someone_else.submitted(declaration=documents.declaration(residence=consulate))

    me = make_traveller()
    mother = me.add_person("parent", given_name="MEI", sex="female", id_card_number=None)
    mine = me.submitted(
        person_id=mother,
        declaration={
            **documents.declaration(residence=consulate),
            "relationship": "parent",
            "subject": documents.subject(given_name="MEI", sex="female", id_card_number=None),
        },
    )
    assert mine["status"] == "pending_review"
    assert mine["consulate"] == consulate
    assert mine["queue_position"] == 1
    assert mine["redeclarations_left"] == 2

    queue = reviewer.get("/api/v1/review/queue").json()["items"]
    assert [item["id"] for item in queue] == [ahead["id"], mine["id"]]
    assert [item["queue_position"] for item in queue] == [0, 1]

    # The consulate asks for material; the declaration keeps its place.
    asked = reviewer.decide(mine["id"], "request_supplement", "Upload the lab's certificate")
    assert asked.status_code == 200, asked.text
    assert asked.json()["status"] == "supplement_requested"
    detail = me.get(f"/api/v1/declarations/{mine['id']}").json()
    assert detail["review_note"] == "Upload the lab's certificate"
    assert detail["queue_position"] == 1

    upload = me.post(
        f"/api/v1/declarations/{mine['id']}/attachments",
        files={"file": ("certificate.png", PNG, "image/png")},
    )
    assert upload.status_code == 201, upload.text
    attachment = upload.json()
    assert attachment["content_type"] == "image/png"
    assert attachment["size"] == len(PNG)

    answered = me.post(
        f"/api/v1/declarations/{mine['id']}/supplement",
        json={"message": "Here it is", "attachment_ids": [attachment["id"]]},
    )
    assert answered.status_code == 200, answered.text
    assert answered.json()["status"] == "pending_review"

    # The one ahead is decided: the position moves forward.
    assert reviewer.decide(ahead["id"], "reject", "Wrong test").status_code == 200
    assert me.get(f"/api/v1/declarations/{mine['id']}").json()["queue_position"] == 0

    seen = reviewer.get(f"/api/v1/review/{mine['id']}").json()
    assert [a["id"] for a in seen["attachments"]] == [attachment["id"]]
    downloaded = reviewer.get(f"/api/v1/review/{mine['id']}/attachments/{attachment['id']}")
    assert downloaded.content == PNG

    approved = reviewer.decide(mine["id"], "approve")
    assert approved.json()["status"] == "approved"
    history = approved.json()["history"]
    assert [h["action"] for h in history] == [
        "submitted",
        "request_supplement",
        "supplemented",
        "approve",
    ]
    assert all(h["actor_id"] for h in history)  # the audit log names who did it

    # Re-declare twice: the approval is revoked, then the pending one cancelled.
    first = me.redeclare(mine["id"], _for_mother(consulate))
    assert first.status_code == 201, first.text
    assert first.json()["redeclarations_left"] == 1
    assert first.json()["replaces"] == mine["id"]
    assert me.get(f"/api/v1/declarations/{mine['id']}").json()["status"] == "revoked"

    second = me.redeclare(first.json()["id"], _for_mother(consulate))
    assert second.status_code == 201, second.text
    assert second.json()["redeclarations_left"] == 0
    assert second.json()["status"] == "pending_review"
    assert me.get(f"/api/v1/declarations/{first.json()['id']}").json()["status"] == "cancelled"

    third = me.redeclare(second.json()["id"], _for_mother(consulate))
    assert third.status_code == 409
    assert third.json()["error"]["code"] == "redeclaration_limit"
    assert "at most 2 times" in third.json()["error"]["message"]

    # The queue holds only the newest declaration of the chain.
    queue = reviewer.get("/api/v1/review/queue").json()["items"]
    assert [item["id"] for item in queue] == [second.json()["id"]]
    assert queue[0]["queue_position"] == 0


def _for_mother(consulate: str) -> dict[str, object]:
    return {
        **documents.declaration(residence=consulate),
        "relationship": "parent",
        "subject": documents.subject(given_name="MEI", sex="female", id_card_number=None),
    }
