"""``bodies.JsonBodyRoute``: pydantic reads a JSON body from its bytes, and takes exactly what
FastAPI's reading (``json.loads``, then validation of the objects) takes, with the same result;
anything else is FastAPI's to answer, as before."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.routing import APIRoute
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, TypeAdapter, ValidationError

from itdeclare.server import schemas
from itdeclare.server.bodies import JsonBodyRoute, _body_model, _ModelBodyRequest
from itdeclare.server.routers import auth, declarations, outbound, persons, public, review
from tests.server import documents
from tests.server.conftest import Traveller

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

_JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False)
    | st.text(max_size=12)
    | st.sampled_from(["2026-12-07", "2026-12-07T08:00:00+08:00", "E12345678", "", " ", "1e3"]),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)


def _paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in a JSON document a value sits."""
    found = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*path, index))
    return found


def _replaced(document: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    changed = copy.deepcopy(document)
    holder = changed
    for step in path[:-1]:
        holder = holder[step]
    holder[path[-1]] = value
    return changed


def _both_readings(model: type[BaseModel], raw: bytes) -> tuple[Any, Any]:
    """What pydantic makes of the bytes, and what FastAPI's reading makes (or the errors)."""
    try:
        from_bytes: Any = model.model_validate_json(raw)
    except ValidationError:
        from_bytes = ValidationError
    try:
        fastapis: Any = TypeAdapter(model).validate_python(json.loads(raw))
    except ValidationError:
        fastapis = ValidationError
    return from_bytes, fastapis


def _submission() -> dict[str, Any]:
    return {"person_id": "p" * 32, "declaration": documents.declaration()}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), value=_JSON_VALUES)
def test_a_changed_submission_is_read_alike(data: st.DataObject, value: Any) -> None:
    body = _submission()
    path = data.draw(st.sampled_from(_paths(body)))
    raw = json.dumps(_replaced(body, path, value), ensure_ascii=False).encode()
    from_bytes, fastapis = _both_readings(schemas.SubmitIn, raw)
    assert from_bytes == fastapis or from_bytes is ValidationError, (path, value)


@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.json")), ids=lambda p: p.name)
def test_the_examples_are_read_alike(example: Path) -> None:
    body = {"person_id": "p" * 32, "declaration": json.loads(example.read_text("utf-8"))}
    from_bytes, fastapis = _both_readings(schemas.SubmitIn, json.dumps(body).encode())
    assert from_bytes == fastapis != ValidationError


@pytest.mark.parametrize(
    "raw",
    [b'{"person_id": NaN}', b'{"person_id": "\\ud800"}', b'{"a": 1, "a": 2}', b"[]"],
)
def test_what_pydantic_refuses_is_fastapis_to_answer(raw: bytes) -> None:
    assert _both_readings(schemas.SubmitIn, raw)[0] is ValidationError


async def test_a_refused_body_is_handed_back_decoded() -> None:
    raw = b'{"person_id": 1, "declaration": {}}'

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": raw, "more_body": False}

    request = type("R", (_ModelBodyRequest,), {"model": schemas.SubmitIn})(
        {"type": "http", "method": "POST", "headers": []}, receive
    )
    assert await request.json() == json.loads(raw)


def test_every_route_with_a_model_body_reads_it_from_the_bytes() -> None:
    with_body = [
        route
        for router in (auth, persons, declarations, review, outbound, public)
        for route in router.router.routes
        if isinstance(route, APIRoute) and route.body_field
    ]
    assert len(with_body) > 5
    for route in with_body:
        assert isinstance(route, JsonBodyRoute), route.path
        uploads = route.path.endswith("/attachments")  # a form: FastAPI's
        assert (_body_model(route) is None) == uploads, route.path


@pytest.mark.parametrize("server", ["sqlite"], indirect=True)
def test_a_submission_is_read_from_its_bytes_once(
    traveller: Traveller, monkeypatch: pytest.MonkeyPatch
) -> None:
    person = traveller.add_person()
    read = schemas.SubmitIn.model_validate_json
    readings: list[bytes] = []

    def counted(raw: bytes, **kwargs: Any) -> schemas.SubmitIn:
        readings.append(raw)
        return read(raw, **kwargs)

    monkeypatch.setattr(schemas.SubmitIn, "model_validate_json", counted)
    traveller.submitted(person_id=person)
    assert len(readings) == 1


@pytest.mark.parametrize("server", ["sqlite"], indirect=True)
def test_a_bad_field_is_answered_as_fastapi_answers_it(traveller: Traveller) -> None:
    person = traveller.add_person()
    declaration = documents.declaration()
    declaration["contact"]["phone"] = "not a number"
    refused = traveller.post(
        "/api/v1/declarations",
        json={"person_id": person, "declaration": declaration},
        headers={"Idempotency-Key": "bad-phone", "Accept-Language": "en"},
    )
    assert refused.status_code == 422
    assert [p["loc"] for p in refused.json()["error"]["fields"]] == ["contact.phone"]
    not_json = traveller.http.post(
        "/api/v1/declarations",
        content=b'{"person_id": ',
        headers={**traveller.auth, "Idempotency-Key": "k", "Content-Type": "application/json"},
    )
    assert not_json.status_code == 400 and not_json.json()["error"]["code"] == "invalid_json"
