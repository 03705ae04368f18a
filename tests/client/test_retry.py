"""Which failures are retried, how often, and how long the client waits in between."""

from __future__ import annotations

import ssl
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from itdeclare.client import (
    ApiClient,
    ApiError,
    RateLimited,
    RetryPolicy,
    ServerError,
    TimedOut,
    Unreachable,
)
from itdeclare.models import Declaration
from tests.client.conftest import ScriptedServer, Sleeps, error_reply, reply

HEALTHY = reply(200, {"status": "ok"})
TRANSIENT_STATUSES = [502, 503, 504, 429]
TRANSPORT_FAILURES = [
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.ReadTimeout,
    httpx.ReadError,
    httpx.RemoteProtocolError,
    httpx.PoolTimeout,
]
SUBMITTED = reply(
    201,
    {
        "id": "d1",
        "status": "pending_review",
        "queue_position": 3,
        "redeclarations_left": 2,
        "consulate": "USA",
    },
)


# --- the policy on its own ------------------------------------------------------------------


def test_waits_grow_exponentially_up_to_the_cap() -> None:
    policy = RetryPolicy(attempts=10, base_delay=0.5, max_delay=4.0)
    assert [policy.backoff(n, rand=1.0) for n in range(1, 7)] == [0.5, 1.0, 2.0, 4.0, 4.0, 4.0]
    assert [policy.backoff(n, rand=0.0) for n in range(1, 5)] == [0.25, 0.5, 1.0, 2.0]


@given(retry=st.integers(1, 30), rand=st.floats(0, 1, exclude_max=True))
def test_jitter_stays_in_the_upper_half_of_the_ceiling(retry: int, rand: float) -> None:
    policy = RetryPolicy(attempts=40, base_delay=0.3, max_delay=5.0)
    ceiling = min(5.0, 0.3 * 2 ** (retry - 1))
    assert ceiling / 2 <= policy.backoff(retry, rand) <= ceiling


def test_no_wait_once_the_attempts_are_spent() -> None:
    policy = RetryPolicy(attempts=3)
    assert policy.wait(2, 0.5, None) is not None
    assert policy.wait(3, 0.5, None) is None


def test_retry_after_is_a_floor_and_a_long_one_is_not_waited_for() -> None:
    policy = RetryPolicy(attempts=5, base_delay=0.5, max_delay=8.0, max_retry_after=30)
    assert policy.wait(1, 1.0, 7.0) == 7.0
    assert policy.wait(1, 1.0, 0.0) == 0.5
    assert policy.wait(1, 1.0, 31.0) is None


@pytest.mark.parametrize(
    "options", [{"attempts": 0}, {"base_delay": -1.0}, {"base_delay": 9.0, "max_delay": 8.0}]
)
def test_nonsense_policies_are_refused(options: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        RetryPolicy(**options)  # type: ignore[arg-type]


# --- reads ----------------------------------------------------------------------------------


@pytest.mark.parametrize("status", TRANSIENT_STATUSES)
async def test_a_read_is_retried_after_a_transient_status(
    connect: Callable[..., ApiClient], sleeps: Sleeps, status: int
) -> None:
    server = ScriptedServer(reply(status), reply(status), HEALTHY)
    health = await connect(server).healthz()
    assert health.status == "ok"
    assert len(server.requests) == 3
    assert sleeps == [0.5, 1.0]


@pytest.mark.parametrize("failure", TRANSPORT_FAILURES)
async def test_a_read_is_retried_after_a_network_failure(
    connect: Callable[..., ApiClient], sleeps: Sleeps, failure: type[httpx.TransportError]
) -> None:
    server = ScriptedServer(failure, HEALTHY)
    await connect(server).healthz()
    assert len(server.requests) == 2
    assert sleeps == [0.5]


async def test_attempts_are_bounded_and_the_last_failure_is_raised(
    connect: Callable[..., ApiClient], sleeps: Sleeps
) -> None:
    server = ScriptedServer(reply(503))
    with pytest.raises(ServerError) as caught:
        await connect(server).healthz()
    assert caught.value.status == 503
    assert len(server.requests) == 4
    assert sleeps == [0.5, 1.0, 2.0]


async def test_a_refused_connection_ends_as_unreachable(
    connect: Callable[..., ApiClient], sleeps: Sleeps
) -> None:
    server = ScriptedServer(httpx.ConnectError)
    with pytest.raises(Unreachable):
        await connect(server, retry=RetryPolicy(attempts=2)).trust_list()
    assert len(server.requests) == 2


async def test_a_timeout_ends_as_timed_out(connect: Callable[..., ApiClient]) -> None:
    server = ScriptedServer(httpx.ReadTimeout)
    with pytest.raises(TimedOut):
        await connect(server, retry=RetryPolicy(attempts=2)).list_persons()
    assert len(server.requests) == 2


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 422, 500, 501])
async def test_a_definite_answer_is_not_retried(
    connect: Callable[..., ApiClient], sleeps: Sleeps, status: int
) -> None:
    server = ScriptedServer(error_reply(status, "nope"), HEALTHY)
    with pytest.raises(ApiError):  # which kind is test_errors' business
        await connect(server).list_declarations()
    assert len(server.requests) == 1
    assert sleeps == []


async def test_a_certificate_that_does_not_verify_is_not_retried(
    connect: Callable[..., ApiClient], sleeps: Sleeps
) -> None:
    def untrusted(request: httpx.Request) -> httpx.Response:
        try:
            raise ssl.SSLCertVerificationError("certificate verify failed")
        except ssl.SSLError as exc:
            raise httpx.ConnectError("handshake failed", request=request) from exc

    with pytest.raises(Unreachable) as caught:
        await connect(untrusted).healthz()
    assert caught.value.tls
    assert sleeps == []


async def test_rate_limit_waits_as_long_as_the_server_asks(
    connect: Callable[..., ApiClient], sleeps: Sleeps
) -> None:
    server = ScriptedServer(reply(429, **{"Retry-After": "3"}), HEALTHY)
    await connect(server).healthz()
    assert sleeps == [3.0]


async def test_retry_after_may_be_an_http_date(
    connect: Callable[..., ApiClient], sleeps: Sleeps
) -> None:
    later = format_datetime(datetime.now(UTC) + timedelta(seconds=12), usegmt=True)
    server = ScriptedServer(reply(503, **{"Retry-After": later}), HEALTHY)
    await connect(server).healthz()
    assert len(sleeps) == 1
    assert 9.0 < sleeps[0] <= 12.0


async def test_a_long_rate_limit_goes_to_the_caller_with_its_pause(
    connect: Callable[..., ApiClient], sleeps: Sleeps
) -> None:
    server = ScriptedServer(error_reply(429, "rate_limited", **{"Retry-After": "120"}), HEALTHY)
    with pytest.raises(RateLimited) as caught:
        await connect(server).healthz()
    assert caught.value.retry_after == 120.0
    assert len(server.requests) == 1
    assert sleeps == []


async def test_a_single_attempt_policy_never_retries(connect: Callable[..., ApiClient]) -> None:
    server = ScriptedServer(reply(503), HEALTHY)
    with pytest.raises(ServerError):
        await connect(server, retry=RetryPolicy(attempts=1)).healthz()
    assert len(server.requests) == 1


# --- writes ---------------------------------------------------------------------------------


@pytest.mark.parametrize("failure", [*TRANSIENT_STATUSES, httpx.ConnectError, httpx.ReadTimeout])
async def test_a_post_without_an_idempotency_key_is_never_retried(
    connect: Callable[..., ApiClient],
    sleeps: Sleeps,
    failure: int | type[httpx.TransportError],
) -> None:
    answer = reply(failure) if isinstance(failure, int) else failure
    server = ScriptedServer(answer, reply(202, {}))
    with pytest.raises(ApiError):
        await connect(server).request_code("+14155550123")
    assert len(server.requests) == 1
    assert sleeps == []


@pytest.mark.parametrize("failure", [503, 504, httpx.ReadTimeout, httpx.RemoteProtocolError])
async def test_a_submission_is_retried_with_the_same_key_and_body(
    connect: Callable[..., ApiClient],
    sleeps: Sleeps,
    declaration: Declaration,
    failure: int | type[httpx.TransportError],
) -> None:
    answer = reply(failure) if isinstance(failure, int) else failure
    server = ScriptedServer(answer, answer, SUBMITTED)
    filed = await connect(server).submit_declaration("p1", declaration, idempotency_key="k-1")
    assert filed.id == "d1"
    assert len(server.requests) == 3
    assert {r.headers["Idempotency-Key"] for r in server.requests} == {"k-1"}
    assert len({r.content for r in server.requests}) == 1
    assert sleeps == [0.5, 1.0]


async def test_a_resubmission_by_the_caller_reuses_its_key(
    connect: Callable[..., ApiClient], declaration: Declaration
) -> None:
    """The UI keeps the key with the draft: after a failure it shows, pressing Submit again
    sends the same key, and the server answers with the declaration already filed."""
    server = ScriptedServer(reply(503), reply(503), reply(503), reply(503), SUBMITTED)
    client = connect(server)
    with pytest.raises(ServerError):
        await client.submit_declaration("p1", declaration, idempotency_key="draft-7")
    filed = await client.submit_declaration("p1", declaration, idempotency_key="draft-7")
    assert filed.id == "d1"
    assert {r.headers["Idempotency-Key"] for r in server.requests} == {"draft-7"}


async def test_a_submission_needs_a_key(
    connect: Callable[..., ApiClient], declaration: Declaration
) -> None:
    server = ScriptedServer(SUBMITTED)
    with pytest.raises(ValueError):
        await connect(server).submit_declaration("p1", declaration, idempotency_key="")
    assert server.requests == []


async def test_a_redeclaration_with_a_key_is_retried_and_without_one_is_not(
    connect: Callable[..., ApiClient], sleeps: Sleeps, declaration: Declaration
) -> None:
    server = ScriptedServer(reply(503), SUBMITTED)
    await connect(server).redeclare("d0", declaration, idempotency_key="r-1")
    assert [r.headers["Idempotency-Key"] for r in server.requests] == ["r-1", "r-1"]
    server = ScriptedServer(reply(503), SUBMITTED)
    with pytest.raises(ServerError):
        await connect(server).redeclare("d0", declaration)
    assert len(server.requests) == 1
