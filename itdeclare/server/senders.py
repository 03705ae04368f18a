"""How a one-time sign-in code reaches the traveller.

A deployment either writes it to the server log (for an operator who relays codes by hand, or a
log shipper that does) or POSTs it to a webhook that sends the text message. In development mode
and in the embedded local backend the code also comes back in the API response as ``dev_code``,
for the local user to read (the TUI shows it, marked as local mode).
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Protocol

import httpx

from itdeclare.server.errors import ApiError

log = logging.getLogger("itdeclare.server.codes")

WEBHOOK_TIMEOUT_SECONDS = 5.0


class CodeSender(Protocol):
    def send(self, phone: str, code: str, expires_at: datetime) -> None: ...


class LogSender:
    def send(self, phone: str, code: str, expires_at: datetime) -> None:
        log.warning("sign-in code for %s: %s (valid until %s)", phone, code, expires_at)


class WebhookSender:
    def __init__(self, url: str) -> None:
        self.url = url

    def send(self, phone: str, code: str, expires_at: datetime) -> None:
        body = {"phone": phone, "code": code, "expires_at": expires_at.isoformat()}
        try:
            with httpx.Client(timeout=WEBHOOK_TIMEOUT_SECONDS) as client:
                response = client.post(self.url, json=body)
                response.raise_for_status()
        except httpx.HTTPError as error:
            log.error("the code webhook failed: %s", error)
            raise ApiError(503, "code_delivery_failed") from None


class DevSender:
    """Development mode: the code goes back in the response; nothing is sent anywhere."""

    def send(self, phone: str, code: str, expires_at: datetime) -> None:
        log.info("development mode: sign-in code for %s returned in the response", phone)


def sender_for(webhook_url: str | None, *, dev: bool) -> CodeSender:
    if dev:
        return DevSender()
    if webhook_url:
        return WebhookSender(webhook_url)
    return LogSender()
