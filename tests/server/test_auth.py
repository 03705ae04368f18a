"""Signing in: one-time codes (limited, expiring, single use, hashed) and bearer tokens."""

from __future__ import annotations

import hashlib
import logging
import re
import stat
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI, Request
from sqlalchemy import select

from itdeclare.config import BackendSettings
from itdeclare.server import credentials
from itdeclare.server.runtime import serve_in_thread
from itdeclare.server.services import accounts
from itdeclare.server.tables import LoginCode, Token, utcnow
from tests.server.conftest import TEST_SETTINGS, LiveServer, new_phone, running_server, sign_in


def _ask(http: httpx.Client, phone: str) -> httpx.Response:
    return http.post("/api/v1/auth/code", json={"phone": phone})


def _redeem(http: httpx.Client, phone: str, code: str) -> httpx.Response:
    return http.post("/api/v1/auth/token", json={"phone": phone, "code": code})


def test_a_code_is_single_use(http: httpx.Client) -> None:
    phone = new_phone()
    code = _ask(http, phone).json()["dev_code"]
    assert re.fullmatch(r"\d{6}", code)
    assert _redeem(http, phone, code).status_code == 200
    again = _redeem(http, phone, code)
    assert again.status_code == 401
    assert again.json()["error"]["code"] == "code_invalid"


def test_the_same_phone_signs_in_to_the_same_account(http: httpx.Client) -> None:
    phone = new_phone()
    first = sign_in(http, phone)
    second = sign_in(http, phone)
    me = [http.get("/api/v1/auth/me", headers=t.auth).json()["id"] for t in (first, second)]
    assert me[0] == me[1]
    assert first.token != second.token


def test_wrong_guesses_burn_the_code(http: httpx.Client) -> None:
    phone = new_phone()
    code = _ask(http, phone).json()["dev_code"]
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for _ in range(accounts.MAX_CODE_ATTEMPTS):
        assert _redeem(http, phone, wrong).status_code == 401
    assert _redeem(http, phone, code).status_code == 401


def test_codes_and_tokens_are_stored_hashed(server: LiveServer, http: httpx.Client) -> None:
    phone = new_phone()
    code = _ask(http, phone).json()["dev_code"]
    token = _redeem(http, phone, code).json()["token"]
    with server.db.read() as session:
        stored = session.execute(select(LoginCode).where(LoginCode.phone == phone)).scalar_one()
        hashes = session.execute(select(Token.token_hash)).scalars().all()
    assert code not in (stored.code_hash, stored.salt)
    assert token not in hashes


def test_a_copied_database_gives_no_code(server: LiveServer, http: httpx.Client) -> None:
    """Every one of the million codes tried against the stored row: none matches without the
    secret file (the old salted SHA-256 is no shortcut either); with it, exactly the real one."""
    phone = new_phone()
    code = _ask(http, phone).json()["dev_code"]
    with server.db.read() as session:
        stored = session.execute(select(LoginCode).where(LoginCode.phone == phone)).scalar_one()
    every_code = [f"{n:06d}" for n in range(10**credentials.CODE_DIGITS)]
    guessed_secret = bytes(credentials.SECRET_BYTES)
    assert not any(
        credentials.code_matches(guessed_secret, phone, c, stored.salt, stored.code_hash)
        or hashlib.sha256(f"{stored.salt}:{c}".encode()).hexdigest() == stored.code_hash
        for c in every_code
    )
    secret_file = server.config.code_secret_file
    assert stat.S_IMODE(secret_file.stat().st_mode) == 0o600
    secret = secret_file.read_bytes()
    found = [
        c
        for c in every_code
        if credentials.code_matches(secret, phone, c, stored.salt, stored.code_hash)
    ]
    assert found == [code]


def test_codes_per_phone_are_limited(http: httpx.Client) -> None:
    phone = new_phone()
    for _ in range(TEST_SETTINGS.codes_per_phone_per_hour):
        assert _ask(http, phone).status_code == 202
    limited = _ask(http, phone)
    assert limited.status_code == 429
    assert limited.json()["error"]["code"] == "rate_limited"
    assert int(limited.headers["retry-after"]) > 0


def test_codes_per_address_are_limited(tmp_path: Path) -> None:
    settings = BackendSettings(codes_per_address_per_hour=3)
    with running_server("sqlite", tmp_path, settings) as live, live.client() as http:
        for _ in range(3):
            assert _ask(http, new_phone()).status_code == 202
        assert _ask(http, new_phone()).status_code == 429


def test_codes_expire(server: LiveServer) -> None:
    phone, settings = new_phone(), server.config.backend
    issued_at = utcnow()
    secret = credentials.code_secret(server.config.code_secret_file)
    issued = server.db.write(
        lambda s: accounts.issue_code(s, phone, "192.0.2.1", settings, secret, issued_at)
    )
    later = issued_at + timedelta(seconds=settings.code_ttl_seconds + 1)
    redeem = accounts.redeem_code
    assert server.db.write(lambda s: redeem(s, phone, issued.code, settings, secret, later)) is None
    in_time = issued_at + timedelta(seconds=settings.code_ttl_seconds - 1)
    assert server.db.write(lambda s: redeem(s, phone, issued.code, settings, secret, in_time))


def test_tokens_expire(server: LiveServer, http: httpx.Client) -> None:
    traveller = sign_in(http)
    with server.db.read() as session:
        account = accounts.account_for_token(session, traveller.token, utcnow())
        assert account is not None
        days = server.config.backend.token_ttl_days
        expired = accounts.account_for_token(
            session, traveller.token, utcnow() + timedelta(days=days, seconds=1)
        )
    assert expired is None


@pytest.mark.parametrize(
    ("phone", "code"),
    [("", "phone_empty"), ("hello", "phone_letters"), ("+1 415", "phone_invalid")],
)
def test_bad_phones_are_field_errors(http: httpx.Client, phone: str, code: str) -> None:
    answer = _ask(http, phone)
    assert answer.status_code == 422
    assert answer.json()["error"]["fields"] == [
        {"loc": "phone", "code": code, "message": answer.json()["error"]["fields"][0]["message"]}
    ]


@pytest.fixture
def webhook() -> Iterator[tuple[str, list[dict[str, Any]]]]:
    received: list[dict[str, Any]] = []
    app = FastAPI()

    @app.post("/sms")
    async def sms(request: Request) -> dict[str, str]:
        received.append(await request.json())
        return {}

    url, stop = serve_in_thread(app)
    yield f"{url}/sms", received
    stop()


def test_a_deployment_posts_the_code_to_its_webhook(
    tmp_path: Path, webhook: tuple[str, list[dict[str, Any]]]
) -> None:
    url, received = webhook
    settings = BackendSettings(code_webhook_url=url, codes_per_address_per_hour=100)
    with running_server("sqlite", tmp_path, settings, dev=False) as live, live.client() as http:
        phone = new_phone()
        answer = _ask(http, phone)
        assert answer.status_code == 202
        assert answer.json()["dev_code"] is None
        assert [r["phone"] for r in received] == [phone]
        assert _redeem(http, phone, received[0]["code"]).status_code == 200


def test_a_failing_webhook_is_a_clear_503(tmp_path: Path) -> None:
    settings = BackendSettings(code_webhook_url="http://127.0.0.1:9/none")
    with running_server("sqlite", tmp_path, settings, dev=False) as live, live.client() as http:
        answer = _ask(http, new_phone())
        assert answer.status_code == 503
        assert answer.json()["error"]["code"] == "code_delivery_failed"


def test_without_a_webhook_the_code_is_logged(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with (
        caplog.at_level(logging.WARNING, logger="itdeclare.server.codes"),
        running_server("sqlite", tmp_path, TEST_SETTINGS, dev=False) as live,
        live.client() as http,
    ):
        phone = new_phone()
        assert _ask(http, phone).json()["dev_code"] is None
        logged = [r.getMessage() for r in caplog.records if phone in r.getMessage()]
        assert len(logged) == 1
        code = re.search(r": (\d{6}) ", logged[0])
        assert code is not None
        assert _redeem(http, phone, code.group(1)).status_code == 200
