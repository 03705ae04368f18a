"""Property-based requests from the OpenAPI schema: no input makes the server answer 5xx.

The same run from the command line, against a server started with ``itdeclare serve --dev``::

    uv run schemathesis run http://127.0.0.1:8000/openapi.json --checks not_a_server_error \\
        -H "Authorization: Bearer $TOKEN"
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from tests.server.conftest import LiveServer, sign_in

schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.fixture(scope="module")
def tokens(server: LiveServer) -> dict[str, str]:
    with server.client() as http:
        traveller = sign_in(http)
        traveller.submitted()
    return {"traveller": traveller.token, "reviewer": server.reviewer_token("USA")}


@pytest.fixture(scope="module")
def api_schema(server: LiveServer) -> Any:
    return schemathesis.openapi.from_url(f"{server.url}/openapi.json")


@schema.parametrize()
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_no_input_makes_a_server_error(case: Any, tokens: dict[str, str]) -> None:
    role = "reviewer" if case.path.startswith("/api/v1/review") else "traveller"
    case.call_and_validate(
        headers={"Authorization": f"Bearer {tokens[role]}"}, checks=[not_a_server_error]
    )
