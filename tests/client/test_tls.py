"""The embedded backend's session loads no certificate authorities (plain HTTP on loopback),
and still verifies: against no authority, so TLS there would fail rather than trust anyone.
Every other backend is verified against the default authorities."""

from __future__ import annotations

import ssl

import pytest

from itdeclare.client.api import ApiClient
from itdeclare.client.tls import DEFAULT_AUTHORITIES, verification_for


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1:8000", "http://localhost:41234/", "http://[::1]:8000", "http://127.8.0.1"],
)
def test_plain_http_on_loopback_trusts_no_authority(url: str) -> None:
    context = verification_for(url)
    assert isinstance(context, ssl.SSLContext)
    assert context.verify_mode == ssl.CERT_REQUIRED
    assert context.check_hostname
    assert context.get_ca_certs() == []


@pytest.mark.parametrize(
    "url",
    [
        "https://declare.example.org",
        "https://127.0.0.1:8443",
        "http://declare.example.org",
        "http://192.168.1.20:8000",
        "http://localhost.example.org",
        "http://[::1",  # malformed: httpx tells the user (Unreachable)
    ],
)
def test_any_other_backend_is_verified_by_the_default_authorities(url: str) -> None:
    assert verification_for(url) is DEFAULT_AUTHORITIES


async def test_the_client_of_the_embedded_backend_uses_it() -> None:
    async with ApiClient("http://127.0.0.1:8000") as api:
        pool = api._http._transport._pool  # type: ignore[attr-defined]
        assert pool._ssl_context.get_ca_certs() == []
