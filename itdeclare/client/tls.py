"""Which certificate authorities a session with a backend trusts.

httpx loads the whole CA bundle into every client it makes (2.9 MiB and 37 ms of CPU), which
only a backend that speaks TLS needs. The embedded local backend is plain HTTP on loopback:
its session gets a TLS context that trusts no authority, so that a redirect to HTTPS (which
that backend never sends) would fail verification rather than skip it.
"""

from __future__ import annotations

import ipaddress
import ssl
from urllib.parse import urlsplit

#: What httpx is given to verify with its default authorities.
DEFAULT_AUTHORITIES = True


def verification_for(base_url: str) -> ssl.SSLContext | bool:
    """``verify`` for an httpx client of ``base_url``: the default authorities, or none for
    plain HTTP on loopback. A malformed address is httpx's to report."""
    try:
        parts = urlsplit(base_url)
        hostname = parts.hostname
    except ValueError:
        return DEFAULT_AUTHORITIES
    if parts.scheme == "http" and _is_loopback(hostname):
        return ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)  # verifies, against no authority
    return DEFAULT_AUTHORITIES


def _is_loopback(host: str | None) -> bool:
    if host is None:
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
