"""Credentials, valid documents and one check of the schemathesis run of
``test_schemathesis.py``, loaded by schemathesis as ``SCHEMATHESIS_HOOKS``.

Travellers sign in through the API itself (a development server hands the one-time code back);
reviewers are made by the operator, so the test passes a reviewer's token in the environment.
Signing out revokes the token it carries, so that operation gets a traveller of its own every
time, and the token the other operations share stays valid.

Random data never makes a declaration that passes every rule (an airport that exists, a flight
tomorrow, a test taken in time), so in the stateful phase a schema-valid request that makes a
person or a declaration carries a valid one instead: the sequences along the links then reach
what only a filed declaration has (its review, a decision, its certificate). The other phases
send what schemathesis draws, unchanged.
"""

from __future__ import annotations

import os
import secrets
from typing import Any, get_args

import httpx
import phonenumbers
import schemathesis
from pydantic_core.core_schema import ErrorType
from schemathesis.generation.meta import TestPhase

from tests.server import documents

#: Set by the test: the server's address and a reviewer's token.
URL_ENV = "ITDECLARE_SCHEMATHESIS_URL"
REVIEWER_ENV = "ITDECLARE_SCHEMATHESIS_REVIEWER_TOKEN"


def _new_phone() -> str:
    """A valid US mobile number. Not from ``random``: hypothesis seeds it in every test case,
    which would hand out the same number (and run into its limit of codes per hour)."""
    while True:
        candidate = f"+1415{2_000_000 + secrets.randbelow(8_000_000)}"
        if phonenumbers.is_valid_number(phonenumbers.parse(candidate)):
            return candidate


def _traveller_token() -> str:
    """A new traveller, signed in with a phone number of its own."""
    phone = _new_phone()
    with httpx.Client(base_url=os.environ[URL_ENV], timeout=30) as http:
        sent = http.post("/api/v1/auth/code", json={"phone": phone})
        sent.raise_for_status()
        code = sent.json()["dev_code"]
        signed_in = http.post("/api/v1/auth/token", json={"phone": phone, "code": code})
        signed_in.raise_for_status()
        return str(signed_in.json()["token"])


def _bearer(case: Any, token: str) -> None:
    case.headers = {**(case.headers or {}), "Authorization": f"Bearer {token}"}


@schemathesis.auth(refresh_interval=None).apply_to(path="/api/v1/auth/logout")
class SignedOutTraveller:
    def get(self, case: Any, context: Any) -> str:
        return _traveller_token()

    def set(self, case: Any, data: str, context: Any) -> None:
        _bearer(case, data)


@schemathesis.auth().apply_to(path_regex="^/api/v1/review/")
class ConsulateReviewer:
    def get(self, case: Any, context: Any) -> str:
        return os.environ[REVIEWER_ENV]

    def set(self, case: Any, data: str, context: Any) -> None:
        _bearer(case, data)


@schemathesis.auth()
class Traveller:
    def get(self, case: Any, context: Any) -> str:
        return _traveller_token()

    def set(self, case: Any, data: str, context: Any) -> None:
        _bearer(case, data)


def _valid_body(case: Any) -> dict[str, Any] | None:
    """A body that passes every rule, for the operations that make things; else ``None``.
    The request's other parts (the person or declaration a link names, the headers) stay."""
    method, path = case.method.upper(), case.operation.path
    if method != "POST" or not isinstance(case.body, dict):
        return None
    if path == "/api/v1/persons":
        return {"relationship": "self", "subject": documents.subject()}
    if path == "/api/v1/declarations":
        return {"person_id": case.body.get("person_id"), "declaration": documents.declaration()}
    if path == "/api/v1/declarations/{declaration_id}/redeclare":
        return {"declaration": documents.declaration()}
    return None


@schemathesis.hook
def before_call(context: Any, case: Any, kwargs: Any = None) -> None:
    meta = case.meta
    if meta is None or meta.phase.name != TestPhase.STATEFUL:
        return
    if not meta.generation.mode.is_positive:
        return
    body = _valid_body(case)
    if body is not None:
        case.body = body  # checked against the schema again: a valid document must fit it


#: The error types of pydantic's own constraints: types, lengths, patterns, enums, required and
#: unknown fields. Each is what the JSON Schema of the field states.
SCHEMA_STATED = frozenset(get_args(ErrorType))


@schemathesis.check
def refused_only_for_rules_beyond_the_schema(ctx: Any, response: Any, case: Any) -> None:
    """A schema-valid request may be answered 422 (the configuration allows it) only for rules
    JSON Schema cannot state: a phone number that exists, an ID card's check character, a trip
    still ahead, a test taken before the flight, an attachment of this declaration. Each such
    field error has a code of the API's own. A code of pydantic's (``string_too_short``…), or
    text the database refused, means the document states less than the server checks."""
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive or response.status_code != 422:
        return
    error = response.json()["error"]
    unstated = [field for field in error["fields"] if field["code"] in SCHEMA_STATED]
    if unstated or error["code"] == "unstorable_text":
        raise AssertionError(
            f"A schema-valid request was refused for a reason the schema could state: {error}"
        )
