"""A report uploaded with the submission names the test it is the report of (``test_index``);
the traveller and the reviewer both see which test each file belongs to."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from tests.server import documents, uploads
from tests.server.conftest import Reviewer, Traveller, fresh_consulate


def _upload(
    traveller: Traveller, declaration_id: str, content: bytes, test_index: object = None
) -> httpx.Response:
    data = {} if test_index is None else {"test_index": str(test_index)}
    return traveller.post(
        f"/api/v1/declarations/{declaration_id}/attachments",
        files={"file": ("report.pdf", content, "application/pdf")},
        data=data,
    )


def test_each_report_is_linked_to_its_test_for_traveller_and_reviewer(
    traveller: Traveller, make_reviewer: Callable[[str], Reviewer]
) -> None:
    consulate = fresh_consulate()
    declaration = traveller.submitted(declaration=documents.declaration(residence=consulate))
    assert declaration["status"] == "pending_review"
    pdf, png = uploads.pdf(), uploads.image("PNG")
    first = _upload(traveller, declaration["id"], pdf, 1)
    second = _upload(traveller, declaration["id"], png, 0)
    loose = _upload(traveller, declaration["id"], png)
    assert [r.status_code for r in (first, second, loose)] == [201, 201, 201], first.text
    assert [r.json()["test_index"] for r in (first, second, loose)] == [1, 0, None]

    mine = traveller.get(f"/api/v1/declarations/{declaration['id']}").json()
    seen = make_reviewer(consulate).get(f"/api/v1/review/{declaration['id']}").json()
    for detail in (mine, seen):
        linked = {a["id"]: a["test_index"] for a in detail["attachments"]}
        assert linked == {
            first.json()["id"]: 1,
            second.json()["id"]: 0,
            loose.json()["id"]: None,
        }


@pytest.mark.parametrize("test_index", [2, 99, -1, "first"])
def test_a_test_the_declaration_lacks_is_a_field_error(
    traveller: Traveller, test_index: object
) -> None:
    declaration = traveller.submitted()  # two tests: 0 and 1
    answer = _upload(traveller, declaration["id"], uploads.pdf(), test_index)
    assert answer.status_code == 422, answer.text
    error = answer.json()["error"]
    assert [field["loc"] for field in error["fields"]] == ["test_index"]
    detail = traveller.get(f"/api/v1/declarations/{declaration['id']}").json()
    assert detail["attachments"] == []


def test_a_linked_upload_keeps_the_other_checks(traveller: Traveller) -> None:
    declaration = traveller.submitted()
    refused = traveller.post(
        f"/api/v1/declarations/{declaration['id']}/attachments",
        files={"file": ("report.pdf", b"not a pdf at all", "application/pdf")},
        data={"test_index": "0"},
    )
    assert refused.status_code == 415
    bomb = _upload(traveller, declaration["id"], uploads.png_header(100_000, 100_000), 0)
    assert bomb.status_code == 413, bomb.text
    assert bomb.json()["error"]["code"] == "attachment_too_many_pixels"


def test_another_accounts_declaration_is_not_found(
    traveller: Traveller, make_traveller: Callable[[], Traveller]
) -> None:
    declaration = traveller.submitted()
    answer = _upload(make_traveller(), declaration["id"], uploads.pdf(), 0)
    assert answer.status_code == 404
