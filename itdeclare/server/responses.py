"""What each operation answers besides success, for ``/openapi.json`` (DESIGN.md §4.4).

Every refusal has a stable code (``ERRORS``: the code and its status). An operation names the
codes it can answer, grouped by what it does (reads a JSON body, needs a traveller, looks an id
up…), and ``answers`` turns them into the OpenAPI responses of its route decorator: one entry
per status, with the ``{"error": …}`` shape and the codes that status carries in its
description. ``tests/server/test_schemathesis.py`` holds every operation to what it says here.

Answers of the connection rather than of an operation (408, 414, 431 from the HTTP server, 405
for a method the path does not have) are not listed per operation.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from fastapi import FastAPI

from itdeclare.server.blobs import JPEG, PDF, PNG
from itdeclare.server.schemas import ErrorBody

#: Every code an ``{"error": …}`` body carries, with its status.
ERRORS: Mapping[str, int] = {
    # 400: the body is not what its content type says
    "invalid_json": 400,
    "bad_request": 400,
    # 401, 403: who is asking
    "unauthorized": 401,
    "code_invalid": 401,
    "travellers_only": 403,
    "reviewers_only": 403,
    # 404
    "not_found": 404,
    "no_matching_record": 404,
    # 409: the request is well formed, the state of things refuses it
    "already_declared": 409,
    "document_declared_elsewhere": 409,
    "changed_meanwhile": 409,
    "invalid_transition": 409,
    "not_latest": 409,
    "redeclaration_limit": 409,
    "no_certificate": 409,
    "too_many_persons": 409,
    "no_supplement_requested": 409,
    "not_in_review": 409,
    "too_many_attachments": 409,
    "no_health_records": 409,
    "trip_over": 409,
    # 413, 415: the size and type of what is sent
    "request_too_large": 413,
    "attachment_too_large": 413,
    "attachment_too_many_pixels": 413,
    "attachment_type": 415,
    # 422: field errors, and rules about the request as a whole
    "invalid": 422,
    "unstorable_text": 422,
    "idempotency_key_reused": 422,
    "attachment_empty": 422,
    "attachment_damaged": 422,
    # 429: the client must wait (Retry-After)
    "rate_limited": 429,
    "too_many_submissions": 429,
    # 503: the database or the code's delivery is unavailable for now (Retry-After)
    "unavailable": 503,
    "code_delivery_failed": 503,
    "signing_key_ends": 503,
}

_TITLES = {
    400: "The body is not valid JSON (or not a readable form)",
    401: "No valid credentials",
    403: "Not for this kind of account",
    404: "Not found (or not this account's)",
    409: "Refused in the current state",
    413: "Too large",
    415: "Unsupported media type",
    422: "Invalid: `fields` locates each problem",
    429: "Too many requests: retry after `Retry-After` seconds",
    503: "Unavailable for now: retry after `Retry-After` seconds",
}

_HEADERS: Mapping[int, dict[str, Any]] = {
    401: {
        "WWW-Authenticate": {
            "description": "`Bearer`, when the token is missing, expired or revoked.",
            "schema": {"type": "string"},
        }
    },
    429: {
        "Retry-After": {
            "description": "Seconds to wait before trying again.",
            "required": True,
            "schema": {"type": "string", "pattern": "^[0-9]+$"},
        }
    },
    503: {
        "Retry-After": {
            "description": "Seconds to wait before trying again.",
            "schema": {"type": "string", "pattern": "^[0-9]+$"},
        }
    },
}

# --- what an operation does, as the codes it brings --------------------------------------

#: Any operation that reads or writes the database.
DATABASE = ("unavailable",)
#: A JSON body: unreadable, too large, invalid, or text the database cannot store.
JSON_BODY = ("invalid_json", "bad_request", "request_too_large", "invalid", "unstorable_text")
#: A bearer token of any account.
SIGNED_IN = ("unauthorized", *DATABASE)
TRAVELLER = (*SIGNED_IN, "travellers_only")
REVIEWER = (*SIGNED_IN, "reviewers_only")
#: Ids in the path (or the body) that must name something of this account.
LOOKUP = ("not_found",)
#: A §4.5 document filed for a person (submit, re-declare).
FILING = (
    *JSON_BODY,
    *LOOKUP,
    "already_declared",
    "document_declared_elsewhere",
    "too_many_submissions",
    "idempotency_key_reused",
)


#: The successes ``answers`` can add to, by name.
_SUCCESS = {"ok": 200, "created": 201, "accepted": 202, "no_content": 204}


def answers(*groups: Iterable[str], **extra: dict[str, Any]) -> dict[int | str, dict[str, Any]]:
    """The ``responses`` of a route that can answer the codes of ``groups``; ``extra`` adds to a
    status by name (``ok={...}`` for 200, ``created={...}`` for 201), e.g. its links."""
    by_status: dict[int, list[str]] = {}
    for group in groups:
        for code in group:
            codes = by_status.setdefault(ERRORS[code], [])
            if code not in codes:
                codes.append(code)
    responses: dict[int | str, dict[str, Any]] = {
        status: _error_response(status, codes) for status, codes in sorted(by_status.items())
    }
    for name, more in extra.items():
        responses[_SUCCESS[name]] = more
    return responses


def _error_response(status: int, codes: list[str]) -> dict[str, Any]:
    listed = ", ".join(f"`{code}`" for code in codes)
    response: dict[str, Any] = {
        "model": ErrorBody,
        "description": f"{_TITLES[status]}. Codes: {listed}.",
    }
    if status in _HEADERS:
        response["headers"] = _HEADERS[status]
    return response


# --- links: what a made resource is used for next -----------------------------------------


def _ref(path: str, method: str) -> str:
    """A JSON pointer to an operation of this document (``/`` escaped as ``~1``)."""
    return "#/paths/" + path.replace("~", "~0").replace("/", "~1") + "/" + method


def _link(path: str, method: str, **parameters: str) -> dict[str, Any]:
    return {"operationRef": _ref(path, method), "parameters": parameters}


_DECLARATION = "/api/v1/declarations/{declaration_id}"
_ITS_ID = "$response.body#/id"


def _declaration_links() -> dict[str, Any]:
    """A declaration just made (or replayed): read, follow, extend and review it."""
    by_id = {"declaration_id": _ITS_ID}
    return {
        "links": {
            "GetDeclaration": _link(_DECLARATION, "get", **by_id),
            "Redeclare": _link(f"{_DECLARATION}/redeclare", "post", **by_id),
            "Supplement": _link(f"{_DECLARATION}/supplement", "post", **by_id),
            "Attach": _link(f"{_DECLARATION}/attachments", "post", **by_id),
            "Certificate": _link(f"{_DECLARATION}/certificate", "get", **by_id),
            "Review": _link("/api/v1/review/{declaration_id}", "get", **by_id),
            "Decide": _link("/api/v1/review/{declaration_id}/decision", "post", **by_id),
        }
    }


def _person_links() -> dict[str, Any]:
    return {
        "links": {
            "GetPerson": _link("/api/v1/persons/{person_id}", "get", person_id=_ITS_ID),
            "Declarations": _link("/api/v1/declarations", "get", person_id=_ITS_ID),
            "Submit": {
                "operationRef": _ref("/api/v1/declarations", "post"),
                "requestBody": {"person_id": _ITS_ID},
            },
        }
    }


def _attachment_links() -> dict[str, Any]:
    return {
        "links": {
            "Download": _link(
                f"{_DECLARATION}/attachments/{{attachment_id}}",
                "get",
                declaration_id="$request.path.declaration_id",
                attachment_id=_ITS_ID,
            ),
            "Supplement": {
                "operationRef": _ref(f"{_DECLARATION}/supplement", "post"),
                "parameters": {"declaration_id": "$request.path.declaration_id"},
                "requestBody": {"message": "Test report attached", "attachment_ids": [_ITS_ID]},
            },
        }
    }


# --- the operations ----------------------------------------------------------------------

REQUEST_CODE = answers(JSON_BODY, DATABASE, ["rate_limited", "code_delivery_failed"])
TOKEN = answers(JSON_BODY, DATABASE, ["code_invalid"])
LOGOUT = answers(SIGNED_IN)
ME = answers(SIGNED_IN)

ADD_PERSON = answers(JSON_BODY, TRAVELLER, ["too_many_persons"], created=_person_links())
LIST_PERSONS = answers(TRAVELLER)
GET_PERSON = answers(TRAVELLER, LOOKUP)

_REPLAYED = {"description": "A replay of an earlier request with the same key and body"}
SUBMIT = answers(FILING, TRAVELLER, ok=_REPLAYED, created=_declaration_links())
LIST_DECLARATIONS = answers(TRAVELLER, ["invalid"])
GET_DECLARATION = answers(TRAVELLER, LOOKUP)
REDECLARE = answers(
    FILING,
    TRAVELLER,
    ["not_latest", "redeclaration_limit"],
    ok=_REPLAYED,
    created=_declaration_links(),
)
SUPPLEMENT = answers(JSON_BODY, TRAVELLER, LOOKUP, ["no_supplement_requested"])
UPLOAD = answers(
    ["bad_request", "request_too_large", "invalid"],
    TRAVELLER,
    LOOKUP,
    [
        "not_in_review",
        "too_many_attachments",
        "attachment_too_large",
        "attachment_too_many_pixels",
        "attachment_type",
        "attachment_empty",
        "attachment_damaged",
    ],
    created=_attachment_links(),
)
_FILE = {
    "description": "The file as uploaded (its type judged from its content)",
    "content": {
        kind: {"schema": {"type": "string", "format": "binary"}} for kind in (PDF, JPEG, PNG)
    },
}
DOWNLOAD = answers(TRAVELLER, LOOKUP, ok=_FILE)
CERTIFICATE = answers(TRAVELLER, LOOKUP, ["no_certificate"])

OUTBOUND = answers(
    JSON_BODY,
    TRAVELLER,
    ["no_matching_record", "no_health_records", "rate_limited", "signing_key_ends"],
)

QUEUE = answers(REVIEWER, LOOKUP, ["invalid"])
REVIEW = answers(REVIEWER, LOOKUP)
REVIEW_DOWNLOAD = answers(REVIEWER, LOOKUP, ok=_FILE)
DECIDE = answers(
    JSON_BODY,
    REVIEWER,
    LOOKUP,
    [
        "changed_meanwhile",
        "invalid_transition",
        "document_declared_elsewhere",
        "trip_over",
        "signing_key_ends",
    ],
)

REVOCATIONS = answers(DATABASE)
HEALTH = answers(DATABASE)


# --- the document ------------------------------------------------------------------------

#: FastAPI's own description of a 422 (``{"detail": […]}``), which this API never sends: its
#: handler answers ``{"error": …}`` (``errors.py``).
_FASTAPI_ERRORS = ("HTTPValidationError", "ValidationError")


def install(app: FastAPI) -> None:
    """Make ``/openapi.json`` say only what ``answers`` says: FastAPI adds its ``{"detail"}``
    422 to every operation with a parameter that does not list a 422 of its own (one whose
    path ids cannot fail validation), and that is an answer none of them gives."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        document = build()
        for operation in _operations(document):
            if _is_fastapi_error(operation.get("responses", {}).get("422")):
                del operation["responses"]["422"]
        schemas = document.get("components", {}).get("schemas", {})
        for name in _FASTAPI_ERRORS:
            schemas.pop(name, None)
        return document

    app.openapi = openapi  # type: ignore[method-assign]


def _operations(document: dict[str, Any]) -> Iterable[dict[str, Any]]:
    for methods in document.get("paths", {}).values():
        yield from methods.values()


def _is_fastapi_error(response: dict[str, Any] | None) -> bool:
    if response is None:
        return False
    schema = response.get("content", {}).get("application/json", {}).get("schema", {})
    return bool(schema.get("$ref", "").endswith("/HTTPValidationError"))
