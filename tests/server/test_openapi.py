"""The API document's error answers: the ``{"error": …}`` shape the server sends, for every code
the server can answer (``itdeclare/server/responses.py``). ``test_schemathesis.py`` holds every
operation to its list of statuses; these hold the list to the server's code."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import pytest

from itdeclare.server import responses
from tests.server.conftest import Traveller

SERVER = Path(responses.__file__).parent


def _document(http: httpx.Client) -> dict[str, Any]:
    answer = http.get("/openapi.json")
    assert answer.status_code == 200
    return dict(answer.json())


def _operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method.upper(), path, operation)
        for path, methods in document["paths"].items()
        for method, operation in methods.items()
    ]


def test_every_refusal_is_documented_in_the_error_shape(http: httpx.Client) -> None:
    document = _document(http)
    assert "HTTPValidationError" not in str(document), "FastAPI's {detail} shape is never sent"
    for method, path, operation in _operations(document):
        for status, answer in operation["responses"].items():
            if int(status) < 400:
                continue
            schema = answer["content"]["application/json"]["schema"]
            assert schema == {"$ref": "#/components/schemas/ErrorBody"}, (method, path, status)
            assert "Codes: `" in answer["description"], (method, path, status)


def test_operations_that_need_a_token_document_401(http: httpx.Client) -> None:
    for method, path, operation in _operations(_document(http)):
        if operation.get("security"):
            assert "401" in operation["responses"], (method, path)


def _error_schema(document: dict[str, Any]) -> dict[str, Any]:
    """``ErrorBody`` with the document's components, for jsonschema to resolve its refs."""
    return {
        "$ref": "#/components/schemas/ErrorBody",
        "components": document["components"],
    }


@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_server_sends_the_documented_shape(traveller: Traveller, language: str) -> None:
    schema = _error_schema(_document(traveller.http))
    refusals = [
        traveller.post(
            "/api/v1/persons",
            json={"relationship": "self", "subject": {"family_name": ""}},
            headers={"Accept-Language": language},
        ),
        traveller.http.get("/api/v1/persons", headers={"Accept-Language": language}),
        traveller.get("/api/v1/declarations/nothing-here"),
        traveller.post(
            "/api/v1/persons",
            content=b"{not json",
            headers={"Content-Type": "application/json"},
        ),
    ]
    assert [r.status_code for r in refusals] == [422, 401, 404, 400]
    for refusal in refusals:
        jsonschema.validate(refusal.json(), schema)
    assert refusals[0].json()["error"]["fields"], "a 422 locates its problems"


def test_allow_names_every_method_of_the_path(traveller: Traveller) -> None:
    """``GET`` and ``POST /api/v1/persons`` are two routes; Starlette's 405 named one."""
    for path in ("/api/v1/persons", "/api/v1/declarations"):
        refused = traveller.http.delete(path, headers=traveller.auth)
        assert refused.status_code == 405
        assert {m.strip() for m in refused.headers["Allow"].split(",")} >= {"GET", "POST"}
        assert refused.json()["error"]["code"] == "method_not_allowed"


def _raised_codes() -> set[tuple[int, str]]:
    """Every ``ApiError(status, "code")`` of the server's code, and the codes the handlers in
    ``errors.py`` answer with (``error_response(request, status, "code")``)."""
    found = set()
    for source in SERVER.rglob("*.py"):
        for node in ast.walk(ast.parse(source.read_text("utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", None))
            arguments = node.args[1:3] if name == "error_response" else node.args[:2]
            if name not in ("ApiError", "error_response") or len(arguments) < 2:
                continue
            status, code = arguments
            if isinstance(status, ast.Constant) and isinstance(code, ast.Constant):
                found.add((status.value, code.value))
    return found


def test_every_code_the_server_answers_is_in_the_table() -> None:
    raised = _raised_codes()
    assert len(raised) > 30, raised  # the scan finds the server's refusals
    table = set(responses.ERRORS.items())
    assert {(status, code) for status, code in raised if status != 500} <= {
        (status, code) for code, status in table
    }
    # …and the helpers that build them: ``not_found()`` and ``invalid()``
    assert responses.ERRORS["not_found"] == 404
    assert responses.ERRORS["invalid"] == 422


def _multipart_schemas(document: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    found = []
    for method, path, operation in _operations(document):
        content = operation.get("requestBody", {}).get("content", {})
        if "multipart/form-data" in content:
            schema = content["multipart/form-data"]["schema"]
            name = schema["$ref"].rsplit("/", 1)[-1]
            found.append((f"{method} {path}", document["components"]["schemas"][name]))
    return found


def test_multipart_fields_state_no_null_that_a_form_cannot_carry(http: httpx.Client) -> None:
    """A form field is text: "null" would arrive as the word, so an optional field is absent
    instead, and the document says only the type it takes when sent."""
    uploads = _multipart_schemas(_document(http))
    assert uploads, "the attachment upload is multipart"
    for operation, schema in uploads:
        for name, field in schema["properties"].items():
            assert "null" not in str(field), (operation, name, field)
    test_index = dict(uploads)["POST /api/v1/declarations/{declaration_id}/attachments"]
    assert test_index["properties"]["test_index"]["type"] == "integer"
    assert "test_index" not in test_index.get("required", [])
