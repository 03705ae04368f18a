"""Every failure becomes one typed error whose message the user can read, in either language."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from itdeclare import i18n
from itdeclare.client import (
    ApiClient,
    ApiError,
    Conflict,
    FieldError,
    Forbidden,
    InvalidInput,
    NotFound,
    ProtocolError,
    RateLimited,
    RetryPolicy,
    ServerError,
    TimedOut,
    Unauthorized,
    Unreachable,
)
from itdeclare.client.failures import wizard_loc
from tests.client.conftest import ScriptedServer, error_reply, reply

NO_RETRY = RetryPolicy(attempts=1)

STATUS_KINDS: list[tuple[int, type[ApiError]]] = [
    (400, InvalidInput),
    (401, Unauthorized),
    (403, Forbidden),
    (404, NotFound),
    (405, ProtocolError),
    (408, TimedOut),
    (409, Conflict),
    (410, NotFound),
    (413, InvalidInput),
    (415, InvalidInput),
    (418, ProtocolError),
    (422, InvalidInput),
    (429, RateLimited),
    (500, ServerError),
    (502, ServerError),
    (503, ServerError),
    (504, ServerError),
]


async def failure_of(
    connect: Callable[..., ApiClient], answer: httpx.Response | type[httpx.TransportError]
) -> ApiError:
    client = connect(ScriptedServer(answer), retry=NO_RETRY)
    with pytest.raises(ApiError) as caught:
        await client.get_declaration("d1")
    return caught.value


@pytest.mark.parametrize(("status", "kind"), STATUS_KINDS)
async def test_each_status_has_its_kind(
    connect: Callable[..., ApiClient], status: int, kind: type[ApiError]
) -> None:
    error = await failure_of(connect, error_reply(status, "some_code", "Server says no"))
    assert type(error) is kind
    assert error.message


@pytest.mark.parametrize(("status", "kind"), STATUS_KINDS)
async def test_a_bare_status_without_a_json_body_still_has_its_kind(
    connect: Callable[..., ApiClient], status: int, kind: type[ApiError]
) -> None:
    answer = httpx.Response(status, text="<html>Bad Gateway</html>")
    error = await failure_of(connect, answer)
    assert type(error) is kind
    assert "<html>" not in error.message


@pytest.mark.parametrize(
    ("failure", "kind"),
    [
        (httpx.ConnectError, Unreachable),
        (httpx.ConnectTimeout, TimedOut),
        (httpx.ReadTimeout, TimedOut),
        (httpx.WriteTimeout, TimedOut),
        (httpx.PoolTimeout, TimedOut),
        (httpx.ReadError, Unreachable),
        (httpx.RemoteProtocolError, Unreachable),
        (httpx.UnsupportedProtocol, Unreachable),
    ],
)
async def test_each_network_failure_has_its_kind(
    connect: Callable[..., ApiClient],
    failure: type[httpx.TransportError],
    kind: type[ApiError],
) -> None:
    error = await failure_of(connect, failure)
    assert type(error) is kind
    assert isinstance(error.__cause__, failure)


def test_a_malformed_server_address_is_unreachable() -> None:
    with pytest.raises(Unreachable):
        ApiClient("http://[::1")


async def test_a_real_refused_connection_is_unreachable(unused_tcp_port: int) -> None:
    async with ApiClient(f"http://127.0.0.1:{unused_tcp_port}", retry=NO_RETRY) as client:
        with pytest.raises(Unreachable) as caught:
            await client.healthz()
    assert not caught.value.tls


# --- the messages ---------------------------------------------------------------------------


async def test_a_conflict_keeps_the_servers_code_and_words(
    connect: Callable[..., ApiClient],
) -> None:
    words = "A declaration can be re-declared at most 2 times, and both have been used."
    error = await failure_of(connect, error_reply(409, "redeclaration_limit", words))
    assert isinstance(error, Conflict)
    assert error.code == "redeclaration_limit"
    assert error.message == words


@pytest.mark.parametrize(
    ("status", "code", "kind_text"),
    [
        (401, "unauthorized", "client.unauthorized"),
        (404, "not_found", "client.not_found"),
        (403, "forbidden", "client.forbidden"),
        (500, "internal", "client.server_error"),
        (422, "invalid", "client.invalid_input"),
    ],
)
async def test_a_code_that_only_restates_the_status_gets_the_kinds_words(
    connect: Callable[..., ApiClient], status: int, code: str, kind_text: str
) -> None:
    error = await failure_of(connect, error_reply(status, code, "Sign in first: needs a token."))
    assert error.code == code
    assert error.message == i18n.t(kind_text)


async def test_the_clients_words_for_a_code_win(connect: Callable[..., ApiClient]) -> None:
    answer = error_reply(422, "idempotency_key_reused", "This Idempotency-Key was already used")
    error = await failure_of(connect, answer)
    assert error.message == i18n.t("client.invalid_input.idempotency_key_reused")
    i18n.set_language("zh")
    assert error.message == "本次提交与之前的提交冲突。请检查申报内容后重新提交。"


async def test_an_unknown_code_shows_the_servers_own_words(
    connect: Callable[..., ApiClient],
) -> None:
    error = await failure_of(connect, error_reply(409, "queue_frozen", "The queue is frozen."))
    assert error.code == "queue_frozen"
    assert error.message == "The queue is frozen."


async def test_without_code_or_words_the_kind_speaks(connect: Callable[..., ApiClient]) -> None:
    error = await failure_of(connect, reply(404))
    assert error.message == i18n.t("client.not_found")


async def test_a_crash_page_is_never_shown(connect: Callable[..., ApiClient]) -> None:
    error = await failure_of(connect, httpx.Response(500, text="Traceback (most recent call)"))
    assert error.message == i18n.t("client.server_error")


async def test_a_server_failure_it_explains_is_shown_in_its_words(
    connect: Callable[..., ApiClient],
) -> None:
    answer = error_reply(503, "code_delivery_failed", "The code could not be sent.")
    error = await failure_of(connect, answer)
    assert isinstance(error, ServerError)
    assert error.message == "The code could not be sent."


async def test_an_oversized_upload_without_a_body_says_so(
    connect: Callable[..., ApiClient],
) -> None:
    error = await failure_of(connect, reply(413))
    assert error.code == "file_too_large"
    assert error.message == i18n.t("client.invalid_input.file_too_large")


async def test_the_message_follows_the_language_when_it_is_read(
    connect: Callable[..., ApiClient],
) -> None:
    error = await failure_of(connect, httpx.ConnectError)
    english = error.message
    i18n.set_language("zh")
    assert error.message != english
    assert error.message == i18n.t("client.unreachable", "zh")
    assert str(error) == error.message


@pytest.mark.parametrize(
    ("retry_after", "english", "chinese"),
    [
        ("90", "try again in 90 seconds", "90 秒后"),
        ("3600", "try again in 60 minutes", "60 分钟后"),
        ("3601", "try again in 61 minutes", "61 分钟后"),
        ("0", "wait a moment", "稍候"),
        (None, "wait a moment", "稍候"),
    ],
)
async def test_rate_limited_tells_when_to_come_back(
    connect: Callable[..., ApiClient], retry_after: str | None, english: str, chinese: str
) -> None:
    headers = {"Retry-After": retry_after} if retry_after else {}
    error = await failure_of(connect, error_reply(429, "rate_limited", "Later.", **headers))
    assert isinstance(error, RateLimited)
    assert english in error.message
    i18n.set_language("zh")
    assert chinese in error.message


@pytest.mark.parametrize(
    "kind",
    [
        "unreachable",
        "unreachable_tls",
        "timed_out",
        "unauthorized",
        "forbidden",
        "not_found",
        "conflict",
        "invalid_input",
        "rate_limited",
        "server_error",
        "protocol_error",
    ],
)
def test_every_kind_is_worded_in_both_languages(kind: str) -> None:
    english, chinese = i18n.t(f"client.{kind}", "en"), i18n.t(f"client.{kind}", "zh")
    assert english and chinese and english != chinese
    assert chinese.endswith("。")


# --- field errors ---------------------------------------------------------------------------


async def test_field_errors_come_back_at_their_wizard_paths(
    connect: Callable[..., ApiClient],
) -> None:
    fields = [
        {"loc": "declaration.tests.0.sampled_at", "code": "test_too_early", "message": "Too early"},
        {"loc": "subject.id_card_number", "code": "id_card_checksum", "message": "Bad check"},
    ]
    error = await failure_of(connect, error_reply(422, "invalid", "Invalid", fields))
    assert isinstance(error, InvalidInput)
    assert error.fields == [
        FieldError("tests.0.sampled_at", "test_too_early", "Too early"),
        FieldError("subject.id_card_number", "id_card_checksum", "Bad check"),
    ]
    assert error.message == i18n.t("client.invalid_input")


async def test_one_field_error_is_the_message(connect: Callable[..., ApiClient]) -> None:
    fields = [{"loc": "port_of_entry", "code": "port_unknown", "message": "Unknown port"}]
    error = await failure_of(connect, error_reply(422, "invalid", "", fields))
    assert error.message == "One entry needs correcting: Unknown port"


async def test_a_field_error_without_words_takes_them_from_the_catalogue(
    connect: Callable[..., ApiClient],
) -> None:
    fields = [
        {"loc": "declaration.attested", "code": "missing"},
        {"loc": "tests.0", "code": "test_too_early"},  # its words need facts the body lacks
    ]
    error = await failure_of(connect, error_reply(422, "invalid", "", fields))
    assert isinstance(error, InvalidInput)
    assert [f.message for f in error.fields] == [i18n.t("errors.missing"), i18n.t("errors.invalid")]


async def test_fastapis_own_validation_body_is_read_too(
    connect: Callable[..., ApiClient],
) -> None:
    detail = [
        {
            "loc": ["body", "declaration", "itinerary", 0, "flight"],
            "type": "flight_number",
            "msg": "Not a flight number",
        },
        {"loc": ["body", "person_id"], "type": "missing", "msg": "Field required"},
    ]
    error = await failure_of(connect, httpx.Response(422, json={"detail": detail}))
    assert isinstance(error, InvalidInput)
    assert error.fields == [
        FieldError("itinerary.0.flight", "flight_number", "Not a flight number"),
        FieldError("person_id", "missing", "Field required"),
    ]


@pytest.mark.parametrize(
    ("loc", "expected"),
    [
        ("declaration.tests.0.sampled_at", "tests.0.sampled_at"),
        ("tests.0.sampled_at", "tests.0.sampled_at"),
        ("body.declaration.contact.phone", "contact.phone"),
        (["body", "subject", "document", "number"], "subject.document.number"),
        (["declaration"], ""),
        ("", ""),
        (None, ""),
        (7, ""),
    ],
)
def test_wizard_loc(loc: object, expected: str) -> None:
    assert wizard_loc(loc) == expected


# --- answers that cannot be read ------------------------------------------------------------


@pytest.mark.parametrize(
    "answer",
    [
        httpx.Response(200, text="<html>captive portal</html>"),
        httpx.Response(200, json=[1, 2]),
        httpx.Response(200, json={"id": "d1"}),
        httpx.Response(
            200,
            json={"id": "d1", "status": "mystery", "redeclarations_left": 2, "consulate": "USA"},
        ),
        httpx.Response(200, content=b""),
    ],
    ids=["html", "a-list", "missing-members", "unknown-status", "empty"],
)
async def test_an_unreadable_success_is_a_protocol_error(
    connect: Callable[..., ApiClient], answer: httpx.Response
) -> None:
    error = await failure_of(connect, answer)
    assert isinstance(error, ProtocolError)
    assert error.message == i18n.t("client.protocol_error")
    assert error.detail and "/api/v1/declarations/d1" in error.detail


# --- answers httpx cannot follow ------------------------------------------------------------


async def test_a_moved_server_is_followed(connect: Callable[..., ApiClient]) -> None:
    def moved(request: httpx.Request) -> httpx.Response:
        if request.url.scheme == "http":
            return httpx.Response(
                308, headers={"Location": str(request.url.copy_with(scheme="https"))}
            )
        return reply(200, {"items": []})

    seen: list[httpx.Request] = []

    def recording(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return moved(request)

    assert await connect(recording, token="t").list_persons() == []
    assert [r.url.scheme for r in seen] == ["http", "https"]
    assert seen[1].headers["Authorization"] == "Bearer t"  # http→https on one host keeps it


async def test_endless_redirects_are_a_protocol_error(connect: Callable[..., ApiClient]) -> None:
    loop = httpx.Response(302, headers={"Location": "/healthz"})
    error = await failure_of(connect, loop)
    assert isinstance(error, ProtocolError)


async def test_a_body_that_cannot_be_decoded_is_a_protocol_error(
    connect: Callable[..., ApiClient],
) -> None:
    garbled = httpx.Response(
        200, stream=httpx.ByteStream(b"not gzip"), headers={"Content-Encoding": "gzip"}
    )
    error = await failure_of(connect, garbled)
    assert isinstance(error, ProtocolError)


async def test_an_upload_redirected_after_it_was_sent_is_a_protocol_error(
    connect: Callable[..., ApiClient], tmp_path: Path
) -> None:
    scan = tmp_path / "scan.png"
    scan.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 100)
    server = ScriptedServer(httpx.Response(307, headers={"Location": "/elsewhere"}))
    with pytest.raises(ProtocolError):
        await connect(server).upload_attachment("d1", scan)
