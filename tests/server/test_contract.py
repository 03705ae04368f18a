"""The client reads what the server answers: each response model of ``itdeclare.client.models``
agrees with its schema in the app's ``/openapi.json``.

For every field the client reads: the server sends it (and always does, when the client needs
it), never sends null where the client cannot take one, and sends the same kind of value:
the same JSON type and format, the same enumeration members, an object of the same shape.
Fields the server adds and the client ignores are fine (a newer server may add more).
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from pydantic import BaseModel

from itdeclare.client import models as client

#: Each client response model and the schema of the API document it reads.
READS: dict[type[BaseModel], str] = {
    client.CodeSent: "CodeSent",
    client.Account: "AccountOut",
    client.Session: "TokenOut",
    client.Person: "PersonOut",
    client.Attachment: "AttachmentOut",
    client.DeclarationSummary: "DeclarationOut",
    client.StatusChange: "HistoryItem",
    client.DeclarationDetail: "DeclarationDetail",
    client.ReviewDetail: "DeclarationDetail",
    client.Certificate: "CertificateOut",
    client.OutboundCertificate: "OutboundCertificateOut",
    client.ReviewItem: "QueueItem",
    client.Health: "Health",
}
#: Client models that are no response body of their own.
NOT_RESPONSES = {client.ApiModel, client.Items, client.TrustedKey, client.TrustList}


def _name(ref: str) -> str:
    """A schema's name without FastAPI's ``-Input``/``-Output`` suffix."""
    name = ref.rsplit("/", 1)[-1]
    return name.removesuffix("-Output").removesuffix("-Input")


def _resolve(schema: dict[str, Any], defs: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """The schema behind ``$ref`` and ``anyOf [X, null]``, and whether null is allowed."""
    nullable = False
    while True:
        if "$ref" in schema:
            schema = {**defs[_name(schema["$ref"])], "title": _name(schema["$ref"])}
        elif "anyOf" in schema:
            options = [s for s in schema["anyOf"] if s.get("type") != "null"]
            nullable = nullable or len(options) < len(schema["anyOf"])
            if len(options) != 1:
                return schema, nullable
            schema = options[0]
        elif "allOf" in schema and len(schema["allOf"]) == 1:
            schema = schema["allOf"][0]
        else:
            return schema, nullable


def _kind(schema: dict[str, Any]) -> tuple[Any, ...]:
    """What a value is, as far as reading it goes."""
    if "enum" in schema:
        return ("enum", frozenset(schema["enum"]))
    if "const" in schema:
        return ("enum", frozenset([schema["const"]]))
    return (schema.get("type"), schema.get("format"))


def disagreements(
    reader: dict[str, Any],
    reader_defs: dict[str, Any],
    sender: dict[str, Any],
    sender_defs: dict[str, Any],
    where: str,
) -> list[str]:
    """What the ``reader`` schema expects that the ``sender`` schema does not promise."""
    found: list[str] = []
    reader, reader_null = _resolve(reader, reader_defs)
    sender, sender_null = _resolve(sender, sender_defs)
    if sender_null and not reader_null:
        found.append(f"{where}: the server may send null")
    if "anyOf" in reader or "anyOf" in sender:
        if _kind(reader) != _kind(sender):
            found.append(f"{where}: {reader} vs {sender}")
        return found
    if reader.get("type") == "object" and "properties" in reader:
        properties = sender.get("properties")
        if properties is None:
            return [*found, f"{where}: the server sends a free-form object"]
        needed = set(reader.get("required", []))
        promised = set(sender.get("required", []))
        for name, field in reader["properties"].items():
            if name not in properties:
                found.append(f"{where}.{name}: the server does not send it")
                continue
            if name in needed and name not in promised:
                found.append(f"{where}.{name}: required by the client, optional on the server")
            found += disagreements(
                field, reader_defs, properties[name], sender_defs, f"{where}.{name}"
            )
        return found
    if reader.get("type") == "array":
        return found + disagreements(
            reader.get("items", {}), reader_defs, sender.get("items", {}), sender_defs, f"{where}[]"
        )
    reader_kind, sender_kind = _kind(reader), _kind(sender)
    if reader_kind[0] == "enum" and sender_kind[0] == "enum":
        if not sender_kind[1] <= reader_kind[1]:
            found.append(f"{where}: the server may send {sorted(sender_kind[1] - reader_kind[1])}")
    elif reader_kind[0] == "enum":
        found.append(f"{where}: an enumeration on the client, any {sender_kind[0]} on the server")
    elif reader_kind[0] is not None and not _reads(reader_kind, sender_kind):
        found.append(f"{where}: {reader_kind} on the client, {sender_kind} on the server")
    return found


def _reads(reader: tuple[Any, ...], sender: tuple[Any, ...]) -> bool:
    """Whether a value of kind ``sender`` is one of kind ``reader``: plain text takes any
    member of a text enumeration, and (the client coerces ids) a whole number."""
    if reader == sender:
        return True
    if reader == ("string", None):
        if sender[0] == "enum":
            return all(isinstance(member, str) for member in sender[1])
        return sender[0] in ("integer", "string")
    return False


@pytest.fixture(scope="module")
def api_document(server: Any) -> dict[str, Any]:
    with server.client() as http:
        answer: httpx.Response = http.get("/openapi.json")
    assert answer.status_code == 200
    return dict(answer.json())


def test_every_client_response_model_is_held_to_a_schema() -> None:
    models = {
        value
        for value in vars(client).values()
        if isinstance(value, type) and issubclass(value, client.ApiModel)
    }
    assert models - NOT_RESPONSES == set(READS)


@pytest.mark.parametrize("model", list(READS), ids=lambda model: model.__name__)
def test_the_client_reads_what_the_server_sends(
    model: type[BaseModel], api_document: dict[str, Any]
) -> None:
    reader = model.model_json_schema(by_alias=True, ref_template="#/$defs/{model}")
    reader_defs = {_name(name): schema for name, schema in reader.pop("$defs", {}).items()}
    sender_defs = {
        _name(name): schema for name, schema in api_document["components"]["schemas"].items()
    }
    sender = {"$ref": f"#/components/schemas/{READS[model]}"}
    assert disagreements(reader, reader_defs, sender, sender_defs, model.__name__) == []


def test_a_drift_is_found() -> None:
    """The comparison sees the drifts this test is here for: a status as free text, a document
    as a free-form object, a field the server leaves out."""

    class Reader(BaseModel):
        status: client.DeclarationStatus
        declaration: client.Declaration
        missing: int

    class Sender(BaseModel):
        status: str
        declaration: dict[str, Any]

    reader = Reader.model_json_schema(ref_template="#/$defs/{model}")
    sender = Sender.model_json_schema(ref_template="#/$defs/{model}")
    found = disagreements(reader, reader.pop("$defs"), sender, sender.pop("$defs", {}), "R")
    assert found == [
        "R.status: an enumeration on the client, any string on the server",
        "R.declaration: the server sends a free-form object",
        "R.missing: the server does not send it",
    ]
