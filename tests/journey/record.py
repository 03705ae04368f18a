"""Record what the real backend answers along one journey, for deterministic snapshots.

``uv run python -m tests.journey.record`` starts the embedded backend (``itdeclare serve
--dev``'s application) on loopback with a scratch database, walks one traveller through the
journey with the API client (two travellers ahead in the queue, a request for material, the
answer, the approval, a re-declaration) and a reviewer made the operator's way, and writes the
backend's answers at each stage to ``recorded.json`` beside this file. The snapshot tests
serve them back (``recorded_transport``) with the clock set to the moment they were recorded,
so the screens show real answers and stay the same from run to run.
"""

from __future__ import annotations

import asyncio
import io
import json
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

RECORDED = Path(__file__).with_name("recorded.json")
#: The server address the recorded answers are served under.
RECORDED_SERVER = "http://recorded.test"
#: The recorded traveller's passport (the others file on passports of their own).
RECORDED_DOCUMENT = {"type": "passport", "number": "E12345678", "expires_on": "2035-05-01"}


async def _traveller(url: str, phone: str) -> Any:
    from itdeclare.client import ApiClient

    client = ApiClient(url)
    sent = await client.request_code(phone)
    await client.sign_in(phone, sent.dev_code or "")
    return client


async def _file(client: Any, consulate: str, **subject: Any) -> tuple[str, str]:
    from itdeclare.journey.documents import document_of
    from itdeclare.models import Relationship
    from tests.journey.conftest import form_for

    document = document_of(form_for(consulate, **subject), datetime.now(UTC))
    person = await client.create_person(Relationship.SELF, document.subject)
    filed = await client.submit_declaration(person.id, document, idempotency_key=person.id)
    return person.id, filed.id


async def _raw(client: Any, path: str) -> Any:
    response = await client._http.get(path, headers={"Authorization": f"Bearer {client.token}"})
    response.raise_for_status()
    return response.json()


async def _stage(client: Any, declaration_ids: list[str]) -> dict[str, Any]:
    """The list and every detail, as the traveller sees them now."""
    return {
        "list": await _raw(client, "/api/v1/declarations"),
        "details": {i: await _raw(client, f"/api/v1/declarations/{i}") for i in declaration_ids},
    }


async def record() -> dict[str, Any]:
    from PIL import Image

    from itdeclare.client import ApiClient, Decision
    from itdeclare.journey.documents import document_of
    from itdeclare.local_backend import add_reviewer_by_command
    from itdeclare.server import embedded
    from tests.journey.conftest import form_for

    consulate = "USA"
    with tempfile.TemporaryDirectory() as scratch:
        data = Path(scratch)
        database_url = f"sqlite:///{data / 'backend.sqlite3'}"
        url, stop = embedded.start(data_dir=data, database_url=database_url)
        try:
            for n, name in enumerate(("WU", "LIU")):
                other = await _traveller(url, f"+1415555090{n}")
                await _file(other, consulate, given_name=name, chinese_name="")
                await other.aclose()
            me = await _traveller(url, "+14155550123")
            person_id, first = await _file(me, consulate, document=RECORDED_DOCUMENT)
            stages = {"pending": await _stage(me, [first])}
            officer = ApiClient(url, token=add_reviewer_by_command(database_url, consulate))
            note = "Please upload the PDF report of your nucleic acid test."
            await officer.decide(first, Decision.REQUEST_SUPPLEMENT, note)
            stages["supplement"] = await _stage(me, [first])
            scan = data / "report.png"
            buffer = io.BytesIO()
            Image.new("RGB", (64, 64), "white").save(buffer, format="PNG")
            scan.write_bytes(buffer.getvalue())
            attachment = await me.upload_attachment(first, scan)
            await me.send_supplement(first, "The report is attached.", [attachment.id])
            await officer.decide(first, Decision.APPROVE)
            stages["approved"] = await _stage(me, [first])
            certificate = await _raw(me, f"/api/v1/declarations/{first}/certificate")
            form = form_for(consulate, document=RECORDED_DOCUMENT)
            document = document_of(form, datetime.now(UTC))
            second = await me.redeclare(first, document, idempotency_key="recorded-redeclare")
            stages["revoked"] = await _stage(me, [first, second.id])
            await officer.aclose()
            await me.aclose()
        finally:
            stop()
    return {
        "recorded_at": datetime.now(UTC).isoformat(),
        "person_id": person_id,
        "declaration_id": first,
        "redeclaration_id": second.id,
        "certificate": certificate,
        "stages": stages,
    }


def recorded() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(RECORDED.read_text("utf-8"))
    return data


def recorded_transport(stage: str | Callable[[], str]) -> httpx.MockTransport:
    """The backend's recorded answers at ``stage`` (or at the stage it names when asked),
    served back: the declarations, each declaration, the certificate once approved; anything
    else is 404, as the backend says it. A stage of ``"down"`` is a backend not running."""
    data = recorded()
    certificate_path = f"/api/v1/declarations/{data['declaration_id']}/certificate"

    def answer(request: httpx.Request) -> httpx.Response:
        now = stage() if callable(stage) else stage
        if now == "down":
            raise httpx.ConnectError("connection refused", request=request)
        answers = data["stages"][now]
        path = request.url.path
        if request.method == "GET" and path == "/api/v1/declarations":
            return httpx.Response(200, json=answers["list"])
        if request.method == "GET" and path == certificate_path and now == "approved":
            return httpx.Response(200, json=data["certificate"])
        prefix = "/api/v1/declarations/"
        if request.method == "GET" and path.removeprefix(prefix) in answers["details"]:
            return httpx.Response(200, json=answers["details"][path.removeprefix(prefix)])
        error = {"code": "not_found", "message": "Not found", "fields": []}
        return httpx.Response(404, json={"error": error})

    return httpx.MockTransport(answer)


if __name__ == "__main__":
    RECORDED.write_text(
        json.dumps(asyncio.run(record()), indent=1, ensure_ascii=False) + "\n", "utf-8"
    )
    print(f"wrote {RECORDED}")
