"""Rate limits hold exactly when the requests arrive at once: sign-in codes per phone and per
address, and failed outbound-certificate requests per account.

Each limit is counted and then written in one transaction; on PostgreSQL two such transactions
would each count the rows before either wrote its own, so every request of a burst released
together (``threading.Barrier``, one connection each) could pass. SQLite serialises its writers
and never had the race; both databases are held to the exact limit.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from itdeclare.config import BackendSettings
from itdeclare.server.services import outbound
from itdeclare.server.tables import LoginCode, RateEvent
from tests.server.conftest import DATABASES, LiveServer, new_phone, running_server, sign_in
from tests.server.test_outbound import WANG


def _at_once(
    live: LiveServer, count: int, send: Callable[[httpx.Client, int], int]
) -> Counter[int]:
    """The statuses of ``count`` requests released together, each on its own connection."""
    barrier = threading.Barrier(count)

    def one(index: int) -> int:
        with live.client() as http:
            http.get("/healthz").raise_for_status()  # connected before the barrier
            barrier.wait(timeout=30)
            return send(http, index)

    with ThreadPoolExecutor(max_workers=count) as pool:
        return Counter(pool.map(one, range(count)))


def _ask_code(http: httpx.Client, phone: str) -> int:
    return http.post("/api/v1/auth/code", json={"phone": phone}).status_code


def _rows(live: LiveServer, query: Any) -> int:
    with live.db.read() as session:
        return int(session.execute(query).scalar_one())


@pytest.mark.parametrize("kind", DATABASES)
def test_codes_per_phone_hold_for_requests_at_once(kind: str, tmp_path: Path) -> None:
    settings = BackendSettings(codes_per_address_per_hour=1000)
    limit = settings.codes_per_phone_per_hour
    phone = new_phone()
    with running_server(kind, tmp_path, settings) as live:
        statuses = _at_once(live, 30, lambda http, _: _ask_code(http, phone))
        assert statuses == {202: limit, 429: 30 - limit}
        stored = select(func.count()).select_from(LoginCode).where(LoginCode.phone == phone)
        assert _rows(live, stored) == limit


@pytest.mark.parametrize("kind", DATABASES)
def test_codes_per_address_hold_for_requests_at_once(kind: str, tmp_path: Path) -> None:
    settings = BackendSettings(codes_per_address_per_hour=6)
    phones = [new_phone() for _ in range(30)]
    with running_server(kind, tmp_path, settings) as live:
        statuses = _at_once(live, 30, lambda http, i: _ask_code(http, phones[i]))
        assert statuses == {202: 6, 429: 24}
        assert _rows(live, select(func.count()).select_from(LoginCode)) == 6


@pytest.mark.parametrize("kind", DATABASES)
def test_outbound_failures_hold_for_requests_at_once(kind: str, tmp_path: Path) -> None:
    settings = BackendSettings(codes_per_address_per_hour=1000)
    limit = settings.outbound_failures_per_hour
    with running_server(kind, tmp_path, settings) as live, live.client() as signing_in:
        traveller = sign_in(signing_in)
        wrong = {**WANG, "name": "王小红"}

        def ask(http: httpx.Client, _: int) -> int:
            return http.post(
                "/api/v1/outbound/certificate", json=wrong, headers=traveller.auth
            ).status_code

        statuses = _at_once(live, 50, ask)
        assert statuses == {404: limit, 429: 50 - limit}
        failures = (
            select(func.count())
            .select_from(RateEvent)
            .where(RateEvent.scope == outbound.FAILURE_SCOPE)
        )
        assert _rows(live, failures) == limit
