"""A scripted stand-in for the network (``httpx.MockTransport``) and a client wired to it."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from itdeclare.client import ApiClient, RetryPolicy
from itdeclare.models import Declaration

EXAMPLES = Path(__file__).parents[2] / "examples"

#: What the scripted server does for one request: answer, or fail as the network would.
Answer = httpx.Response | type[httpx.TransportError]


class ScriptedServer:
    """Answers requests with ``answers`` in order (the last one repeats) and keeps every
    request it saw, body read, so tests can compare what was sent on each attempt."""

    def __init__(self, *answers: Answer) -> None:
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, type):
            raise answer("scripted failure", request=request)
        return answer

    @property
    def bodies(self) -> list[Any]:
        return [
            json.loads(request.content) if request.content else None for request in self.requests
        ]


class Sleeps(list[float]):
    """Records the waits between retries instead of waiting."""

    async def __call__(self, seconds: float) -> None:
        self.append(seconds)


def reply(status: int = 200, body: Any = None, **headers: str) -> httpx.Response:
    if body is None:
        return httpx.Response(status, headers=headers)
    return httpx.Response(status, json=body, headers=headers)


def error_reply(
    status: int, code: str, message: str = "", fields: Any = (), **headers: str
) -> httpx.Response:
    body = {"error": {"code": code, "message": message, "fields": list(fields)}}
    return httpx.Response(status, json=body, headers=headers)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
async def connect(sleeps: Sleeps) -> AsyncIterator[Callable[..., ApiClient]]:
    """Make a client whose requests a handler (usually a ``ScriptedServer``) answers; closed at
    the end of the test.
    Jitter is pinned to its top (rand = 1), so each wait is its ceiling."""
    made: list[ApiClient] = []

    def make(server: Callable[[httpx.Request], httpx.Response], **options: Any) -> ApiClient:
        options.setdefault("retry", RetryPolicy(attempts=4, base_delay=0.5, max_delay=8.0))
        client = ApiClient(
            "http://backend.test",
            transport=httpx.MockTransport(server),
            sleep=sleeps,
            rand=lambda: 1.0,
            **options,
        )
        made.append(client)
        return client

    yield make
    for client in made:
        await client.aclose()


@pytest.fixture
def declaration() -> Declaration:
    return Declaration.model_validate_json((EXAMPLES / "self.json").read_text("utf-8"))
