"""The size limits (``itdeclare.models.limits``) answer 422 with field errors, before anything
is stored, so no declaration the backend takes can fail to be signed for its size."""

from __future__ import annotations

from typing import Any

from itdeclare.models import limits
from tests.server import documents
from tests.server.conftest import Traveller


def _fields(answer: Any) -> dict[str, str]:
    return {f["loc"]: f["code"] for f in answer.json()["error"]["fields"]}


def test_over_the_limits_is_422_at_each_field(traveller: Traveller) -> None:
    declaration = documents.declaration()
    declaration["tests"][0]["institution"] = "x" * (limits.INSTITUTION + 1)
    declaration["subject"]["family_name"] = "A" * (limits.LATIN_NAME + 1)
    declaration["residence"]["address"] = "x" * (limits.ADDRESS + 1)
    declaration["history"] = [{"kind": "diagnosis", "date": "2022-04-10"}] * (limits.HISTORY + 1)
    answer = traveller.submit(declaration=declaration)
    assert answer.status_code == 422
    assert _fields(answer) == {
        "tests.0.institution": "text_too_wide",
        "subject.family_name": "name_too_long",
        "residence.address": "text_too_long",
        "history": "too_long",
    }


def test_a_redeclaration_over_the_limits_is_422_too(traveller: Traveller) -> None:
    first = traveller.submitted()
    declaration = documents.declaration()
    declaration["tests"] = declaration["tests"] * (limits.TESTS // 2 + 1)
    answer = traveller.redeclare(first["id"], declaration)
    assert answer.status_code == 422
    assert _fields(answer) == {"tests": "too_long"}
