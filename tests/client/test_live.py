"""The client against the real backend: the embedded one (same app as ``itdeclare serve --dev``,
SQLite under tmp_path) under uvicorn on a free loopback port.

One backend serves the module; each test signs in with phone numbers and files with consulates
of its own, so the tests do not see each other's declarations.
"""

from __future__ import annotations

import hashlib
import importlib.util
import io
import itertools
import json
import subprocess
import sys
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from PIL import Image

from itdeclare import i18n
from itdeclare.client import (
    ApiClient,
    Conflict,
    Decision,
    Forbidden,
    InvalidInput,
    NotFound,
    RateLimited,
    RetryPolicy,
    Unauthorized,
)
from itdeclare.models import (
    Declaration,
    DeclarationStatus,
    OutboundRequest,
    Relationship,
    default_rules,
)
from tests.live import Backend, embedded_backend

if importlib.util.find_spec("itdeclare.server.embedded") is None:
    # Only the module's absence skips; a backend that exists but fails to import still fails.
    pytest.skip(
        "the backend (itdeclare.server.embedded) is not in this tree", allow_module_level=True
    )

from tests.server import documents

#: Fictional numbers (555-01xx), one per sign-in.
_phones = (f"+1415555{n:04d}" for n in itertools.count(100))
#: Residence countries whose consulate no other test of this module files with.
_consulates = iter(["CAN", "AUS", "GBR", "DEU", "FRA", "JPN", "KOR", "NZL", "SGP", "NLD"])


@pytest.fixture(scope="module")
def backend(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Backend]:
    with embedded_backend(tmp_path_factory.mktemp("backend")) as running:
        yield running


@pytest.fixture
async def connect_live(backend: Backend) -> AsyncIterator[Callable[..., ApiClient]]:
    made: list[ApiClient] = []

    def make(**options: Any) -> ApiClient:
        client = ApiClient(backend.url, **options)
        made.append(client)
        return client

    yield make
    for client in made:
        await client.aclose()


@pytest.fixture
def traveller(connect_live: Callable[..., ApiClient]) -> Callable[[], Awaitable[ApiClient]]:
    """A freshly signed-in traveller: code (read from ``dev_code``), then token."""

    async def sign_in() -> ApiClient:
        client = connect_live()
        phone = next(_phones)
        sent = await client.request_code(phone)
        assert sent.dev_code is not None
        session = await client.sign_in(phone, sent.dev_code)
        assert session.account is not None
        assert session.account.kind == "traveller"
        return client

    return sign_in


@pytest.fixture
def reviewer(
    backend: Backend, connect_live: Callable[..., ApiClient]
) -> Callable[[str], ApiClient]:
    """A reviewer of ``consulate``, made the operator's way (DESIGN.md §4.6)."""

    def make(consulate: str) -> ApiClient:
        command = [sys.executable, "-m", "itdeclare", "admin", "add-reviewer"]
        options = ["--consulate", consulate, "--database-url", backend.database_url, "--json"]
        out = subprocess.run(command + options, capture_output=True, text=True, check=True)
        made = json.loads(out.stdout)
        assert made["consulate"] == consulate
        return connect_live(token=made["token"])

    return make


def declaration(
    *, residence: str, employer: str = "Example Co.", tested_days_before: int = 0
) -> Declaration:
    """A flight SFO→PVG tomorrow, tested in the USA an hour ago (or days before that)."""
    return Declaration.model_validate(
        documents.declaration(
            residence=residence, employer=employer, tested_days_before=tested_days_before
        )
    )


def png(path: Path) -> Path:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 64), (200, 30, 30)).save(buffer, format="PNG")
    path.write_bytes(buffer.getvalue())
    return path


async def filed(client: ApiClient, consulate: str) -> tuple[str, Declaration, str]:
    """A person added and a declaration submitted for them: (person id, document, its id)."""
    document = declaration(residence=consulate)
    person = await client.create_person(Relationship.SELF, document.subject)
    summary = await client.submit_declaration(person.id, document, idempotency_key=f"k-{person.id}")
    return person.id, document, summary.id


# --- the whole journey ----------------------------------------------------------------------


async def test_public_documents(connect_live: Callable[..., ApiClient]) -> None:
    client = connect_live()
    health = await client.healthz()
    assert (health.status, health.dev) == ("ok", True)
    assert await client.rules() == default_rules()


async def test_signing_in_and_out(
    traveller: Callable[[], Awaitable[ApiClient]], connect_live: Callable[..., ApiClient]
) -> None:
    client = await traveller()
    token = client.token
    assert (await client.current_account()).kind == "traveller"
    await client.sign_out()
    assert client.token is None
    revoked = connect_live(token=token)
    with pytest.raises(Unauthorized) as caught:
        await revoked.list_persons()
    assert caught.value.message == i18n.t("client.unauthorized")


async def test_a_wrong_code_is_refused_in_the_servers_words(
    connect_live: Callable[..., ApiClient],
) -> None:
    client = connect_live()
    phone = next(_phones)
    sent = await client.request_code(phone)
    wrong = "000000" if sent.dev_code != "000000" else "111111"
    with pytest.raises(Unauthorized) as caught:
        await client.sign_in(phone, wrong)
    assert caught.value.code == "code_invalid"
    assert "code" in caught.value.message.lower()
    assert client.token is None


async def test_from_submission_to_certificate_and_redeclaration(
    traveller: Callable[[], Awaitable[ApiClient]],
    reviewer: Callable[[str], ApiClient],
    connect_live: Callable[..., ApiClient],
    tmp_path: Path,
) -> None:
    consulate = next(_consulates)
    me = await traveller()
    document = declaration(residence=consulate)

    person = await me.create_person(Relationship.SELF, document.subject)
    assert person.subject == document.subject
    assert [p.id for p in await me.list_persons()] == [person.id]
    assert (await me.get_person(person.id)).relationship is Relationship.SELF

    # Submitting twice with one key files once: the second answer is the first declaration.
    first = await me.submit_declaration(person.id, document, idempotency_key="draft-1")
    again = await me.submit_declaration(person.id, document, idempotency_key="draft-1")
    assert again.id == first.id
    assert first.status is DeclarationStatus.PENDING_REVIEW
    assert (first.queue_position, first.redeclarations_left) == (0, 2)
    assert first.consulate == consulate
    changed = declaration(residence=consulate, employer="Other Co.")
    with pytest.raises(InvalidInput) as caught:
        await me.submit_declaration(person.id, changed, idempotency_key="draft-1")
    assert caught.value.code == "idempotency_key_reused"
    assert [d.id for d in await me.list_declarations()] == [first.id]
    assert [d.id for d in await me.list_declarations(person_id=person.id)] == [first.id]

    detail = await me.get_declaration(first.id)
    assert detail.declaration == document
    assert [step.status for step in detail.history] == [DeclarationStatus.PENDING_REVIEW]
    assert detail.history[0].at.tzinfo is not None

    # The consulate asks for material; the traveller uploads it and answers.
    officer = reviewer(consulate)
    account = await officer.current_account()
    assert (account.kind, account.consulate) == ("reviewer", consulate)
    queue = await officer.review_queue()
    assert [(item.id, item.queue_position) for item in queue] == [(first.id, 0)]
    opened = await officer.get_review(first.id)
    assert opened.declaration == document
    asked = await officer.decide(first.id, Decision.REQUEST_SUPPLEMENT, "Upload the lab report")
    assert asked.status is DeclarationStatus.SUPPLEMENT_REQUESTED
    assert (await me.get_declaration(first.id)).review_note == "Upload the lab report"

    report = png(tmp_path / "lab report.png")
    progress: list[tuple[int, int]] = []
    stored = await me.upload_attachment(first.id, report, progress=lambda *p: progress.append(p))
    assert stored.content_type == "image/png"
    assert stored.size == report.stat().st_size
    assert stored.sha256 == hashlib.sha256(report.read_bytes()).hexdigest()
    assert progress[-1] == (stored.size, stored.size)
    assert await me.get_attachment(first.id, stored.id) == report.read_bytes()
    assert await officer.get_review_attachment(first.id, stored.id) == report.read_bytes()

    back = await me.send_supplement(first.id, "Here it is", [stored.id])
    assert back.status is DeclarationStatus.PENDING_REVIEW
    assert back.queue_position == 0

    approved = await officer.decide(first.id, Decision.APPROVE)
    assert approved.status is DeclarationStatus.APPROVED
    with pytest.raises(Conflict):
        await officer.decide(first.id, Decision.REJECT, "Too late")

    if (await me.healthz()).certificates:
        certificate = await me.get_certificate(first.id)
        assert certificate.payload.startswith("HC1:")
        assert certificate.issued_at < certificate.expires_at
    else:
        with pytest.raises(Conflict) as not_yet:
            await me.get_certificate(first.id)
        assert not_yet.value.code == "not_issued_yet"

    # Re-declaring twice is allowed; the replaced one is revoked; a third time is not.
    second = await me.redeclare(first.id, document, idempotency_key="redeclare-1")
    replay = await me.redeclare(first.id, document, idempotency_key="redeclare-1")
    assert replay.id == second.id
    assert (second.redeclarations_left, second.replaces) == (1, first.id)
    assert (await me.get_declaration(first.id)).status is DeclarationStatus.REVOKED
    with pytest.raises(Conflict) as stale:
        await me.redeclare(first.id, document)
    assert stale.value.code == "not_latest"
    third = await me.redeclare(second.id, document)
    assert third.redeclarations_left == 0
    assert (await me.get_declaration(second.id)).status is DeclarationStatus.CANCELLED
    with pytest.raises(Conflict) as limit:
        await me.redeclare(third.id, document)
    assert limit.value.code == "redeclaration_limit"
    i18n.set_language("zh")
    with pytest.raises(Conflict) as limit_zh:
        await me.redeclare(third.id, document)
    assert "重新申报" in limit_zh.value.message


async def test_a_lost_answer_to_a_submission_is_retried_and_files_once(
    traveller: Callable[[], Awaitable[ApiClient]], backend: Backend
) -> None:
    """The server files the declaration but the answer never arrives; the client tries again
    with the same key and gets the declaration the first try made."""
    me = await traveller()
    document = declaration(residence=next(_consulates))
    person = await me.create_person(Relationship.SELF, document.subject)

    class LosesFirstAnswer(httpx.AsyncBaseTransport):
        def __init__(self) -> None:
            self.inner = httpx.AsyncHTTPTransport()
            self.submissions = 0

        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            response = await self.inner.handle_async_request(request)
            if request.method == "POST" and request.url.path.endswith("/declarations"):
                self.submissions += 1
                if self.submissions == 1:
                    await response.aclose()
                    raise httpx.ReadTimeout("answer lost", request=request)
            return response

        async def aclose(self) -> None:
            await self.inner.aclose()

    flaky = LosesFirstAnswer()
    async with ApiClient(
        backend.url,
        token=me.token,
        transport=flaky,
        retry=RetryPolicy(base_delay=0.01, max_delay=0.05),
    ) as client:
        summary = await client.submit_declaration(person.id, document, idempotency_key="once")
    assert flaky.submissions == 2
    assert [d.id for d in await me.list_declarations()] == [summary.id]


# --- refusals -------------------------------------------------------------------------------


async def test_field_errors_point_at_the_wizards_fields(
    traveller: Callable[[], Awaitable[ApiClient]],
) -> None:
    me = await traveller()
    stale = declaration(residence=next(_consulates), tested_days_before=4)
    person = await me.create_person(Relationship.SELF, stale.subject)
    with pytest.raises(InvalidInput) as caught:
        await me.submit_declaration(person.id, stale, idempotency_key="stale")
    fields = {field.loc: field for field in caught.value.fields}
    assert {"tests.0.sampled_at", "tests.1.sampled_at"} <= fields.keys()
    assert fields["tests.0.sampled_at"].code == "test_too_early"
    assert fields["tests.0.sampled_at"].message.isascii()
    i18n.set_language("zh")
    with pytest.raises(InvalidInput) as in_chinese:
        await me.submit_declaration(person.id, stale, idempotency_key="stale-zh")
    message = {f.loc: f.message for f in in_chinese.value.fields}["tests.0.sampled_at"]
    assert not message.isascii()


async def test_a_declaration_about_someone_else_names_the_fields(
    traveller: Callable[[], Awaitable[ApiClient]],
) -> None:
    me = await traveller()
    document = declaration(residence=next(_consulates))
    person = await me.create_person(Relationship.SELF, document.subject)
    other = document.model_copy(
        update={"subject": document.subject.model_copy(update={"given_name": "SI"})}
    )
    with pytest.raises(InvalidInput) as caught:
        await me.submit_declaration(person.id, other, idempotency_key="other")
    assert [f.loc for f in caught.value.fields] == ["subject.given_name"]


async def test_another_accounts_things_are_not_found(
    traveller: Callable[[], Awaitable[ApiClient]],
) -> None:
    owner, stranger = await traveller(), await traveller()
    person_id, _, declaration_id = await filed(owner, next(_consulates))
    with pytest.raises(NotFound):
        await stranger.get_declaration(declaration_id)
    with pytest.raises(NotFound):
        await stranger.get_person(person_id)
    assert await stranger.list_declarations() == []


async def test_a_traveller_is_not_a_reviewer(
    traveller: Callable[[], Awaitable[ApiClient]],
) -> None:
    me = await traveller()
    with pytest.raises(Forbidden):
        await me.review_queue()


async def test_attachments_that_are_refused(
    traveller: Callable[[], Awaitable[ApiClient]], tmp_path: Path
) -> None:
    me = await traveller()
    _, _, declaration_id = await filed(me, next(_consulates))
    text = tmp_path / "notes.txt"
    text.write_text("not a scan", "utf-8")
    with pytest.raises(InvalidInput) as wrong_type:
        await me.upload_attachment(declaration_id, text)
    assert wrong_type.value.status == 415
    assert "PDF" in wrong_type.value.message
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    with pytest.raises(InvalidInput) as nothing:
        await me.upload_attachment(declaration_id, empty)
    assert nothing.value.code == "attachment_empty"


async def test_too_many_codes_are_rate_limited_without_retrying(
    connect_live: Callable[..., ApiClient], backend: Backend
) -> None:
    class Counting(httpx.AsyncHTTPTransport):
        requests = 0

        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            Counting.requests += 1
            return await super().handle_async_request(request)

    client = connect_live(transport=Counting())
    phone = next(_phones)
    with pytest.raises(RateLimited) as caught:
        for _ in range(20):  # bounded: the limit per phone is far lower
            await client.request_code(phone)
    assert caught.value.retry_after is not None and caught.value.retry_after > 60
    assert "minutes" in caught.value.message
    sent_before_refusal = Counting.requests - 1
    assert 1 <= sent_before_refusal < 20


async def test_outbound_certificate(traveller: Callable[[], Awaitable[ApiClient]]) -> None:
    me = await traveller()
    on_file = OutboundRequest.model_validate(
        {
            "id_card_number": "110105199003071239",
            "name": "王小明",
            "document": {"type": "passport", "number": "EA1234567"},
        }
    )
    if (await me.healthz()).certificates:
        certificate = await me.outbound_certificate(on_file)
        assert certificate.payload.startswith("HC1:")
    else:
        with pytest.raises(Conflict) as not_yet:
            await me.outbound_certificate(on_file)
        assert not_yet.value.code == "not_issued_yet"
    unknown = on_file.model_copy(update={"name": "王大明"})
    with pytest.raises(NotFound) as caught:
        await me.outbound_certificate(unknown)
    assert caught.value.code == "no_matching_record"
    assert "health record" in caught.value.message


async def test_trust_list_and_revocations(connect_live: Callable[..., ApiClient]) -> None:
    client = connect_live()
    try:
        trust_list = await client.trust_list()
        revocations = await client.revocations()
    except NotFound:
        pytest.skip("this backend does not publish a trust list and revocations yet")
    assert all(key.kid for key in trust_list.keys)
    assert revocations
