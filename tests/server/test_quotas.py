"""What one account may use: people (exactly, even when added at once) and declarations per
hour (counted in the database, shared by every worker); a deployment can raise both."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from itdeclare.config import BackendSettings
from tests.server import documents
from tests.server.conftest import DATABASES, running_server, sign_in


@pytest.mark.parametrize("kind", DATABASES)
def test_an_account_keeps_at_most_its_number_of_people(kind: str, tmp_path: Path) -> None:
    settings = BackendSettings(codes_per_address_per_hour=1000)
    assert settings.persons_per_account == 12
    with running_server(kind, tmp_path, settings) as live, live.client() as http:
        traveller = sign_in(http)
        for _ in range(10):
            traveller.add_person("child")

        def add(_: int) -> int:
            body = {"relationship": "child", "subject": documents.subject()}
            return traveller.post("/api/v1/persons", json=body).status_code

        with ThreadPoolExecutor(max_workers=6) as pool:
            statuses = sorted(pool.map(add, range(6)))
        assert statuses == [201, 201, 409, 409, 409, 409]
        refused = traveller.post(
            "/api/v1/persons", json={"relationship": "child", "subject": documents.subject()}
        )
        assert refused.status_code == 409
        error = refused.json()["error"]
        assert error["code"] == "too_many_persons"
        assert "12" in error["message"]
        assert len(traveller.get("/api/v1/persons").json()["items"]) == 12
        # Another account is not affected.
        assert sign_in(http).add_person()


@pytest.mark.parametrize("kind", DATABASES)
def test_declarations_per_account_are_limited_per_hour(kind: str, tmp_path: Path) -> None:
    settings = BackendSettings(codes_per_address_per_hour=1000, submissions_per_account_per_hour=3)
    with running_server(kind, tmp_path, settings) as live, live.client() as http:
        traveller = sign_in(http)
        people = [traveller.add_person() for _ in range(3)]
        keys = [uuid.uuid4().hex for _ in people]
        first = traveller.submitted(person_id=people[0], key=keys[0])
        second = documents.declaration()
        traveller.submitted(person_id=people[1], key=keys[1], declaration=second)
        assert traveller.redeclare(first["id"]).status_code == 201  # counted too
        limited = traveller.submit(person_id=people[2], key=keys[2])
        assert limited.status_code == 429, limited.text
        assert limited.json()["error"]["code"] == "too_many_submissions"
        assert 3000 < int(limited.headers["retry-after"]) <= 3601
        # A retry of a request already filed is answered with what it made.
        replay = traveller.submit(person_id=people[1], key=keys[1], declaration=second)
        assert replay.status_code == 200
        assert sign_in(http).submit().status_code == 201  # other accounts are not affected


def test_a_deployment_can_raise_the_limits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from itdeclare.config import load_settings

    monkeypatch.setenv("ITDECLARE_BACKEND__PERSONS_PER_ACCOUNT", "500")
    monkeypatch.setenv("ITDECLARE_BACKEND__SUBMISSIONS_PER_ACCOUNT_PER_HOUR", "100000")
    backend = load_settings().backend
    assert (backend.persons_per_account, backend.submissions_per_account_per_hour) == (500, 100000)
