"""``itdeclare trust update``: fetch the backend's trust list and revocation list, check them,
and keep them where ``itdeclare verify`` finds them when no file is given (DESIGN.md §4.1).

The backend is chosen as the apps choose it: ``--server``, else ``ITDECLARE_SERVER`` or the
config file, else the embedded local backend, started for the fetch and stopped after. Both
documents are checked before anything is kept (the trust list must parse and hold keys; the
revocation list must be signed by a key of that list, for its own country), so a bad answer
never replaces good lists.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from itdeclare import i18n

if TYPE_CHECKING:
    from itdeclare.config import Settings

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class UpdateFailed(Exception):
    """The lists could not be fetched or are not fit to keep; the message is for the user."""


async def _fetch(url: str) -> tuple[dict[str, Any], bytes]:
    from itdeclare.client import ApiClient, ApiError

    try:
        async with ApiClient(url) as api:
            trust_list = (await api.trust_list()).model_dump(mode="json", exclude_none=True)
            revocations = await api.revocations()
    except ApiError as error:
        raise UpdateFailed(
            i18n.t("certificate.trust.fetch_failed", server=url, reason=error)
        ) from None
    return trust_list, revocations


def _checked(trust_document: dict[str, Any], revocations: bytes) -> tuple[int, int, str]:
    """(number of keys, revocation list sequence, its issuer) once both documents verify."""
    from itdeclare.certificate import errors, revocation
    from itdeclare.certificate.trust import TrustList

    try:
        trust_list = TrustList.from_json(trust_document)
        if not trust_list.keys:
            raise errors.TrustListInvalid(reason=i18n.t("certificate.trust.no_keys"))
        listed = revocation.load(json.loads(revocations), trust_list)
    except ValueError:
        raise UpdateFailed(errors.RevocationListInvalid(reason="not JSON").message()) from None
    except errors.CertificateError as error:
        raise UpdateFailed(error.message()) from None
    return len(trust_list.keys), listed.sequence, listed.issuer


def _fetch_from_backend(settings: Settings) -> tuple[str, dict[str, Any], bytes]:
    """(where from, trust list, revocation list), from the configured or the local backend."""
    if settings.server is not None:
        return settings.server, *asyncio.run(_fetch(settings.server))
    from itdeclare.local_backend import LocalBackend, LocalBackendError
    from itdeclare.storage.trust import LOCAL_SERVER

    local = LocalBackend(settings)
    try:
        url = local.start()
    except LocalBackendError as error:
        raise UpdateFailed(i18n.t("certificate.trust.local_failed", reason=error.reason)) from None
    try:
        return LOCAL_SERVER, *asyncio.run(_fetch(url))
    finally:
        local.stop()


def update(args: argparse.Namespace, settings: Settings) -> int:
    if getattr(args, "action", None) != "update":
        args.trust_parser.print_usage(sys.stderr)
        return EXIT_USAGE
    from itdeclare.storage import trust as kept

    try:
        server, trust_document, revocations = _fetch_from_backend(settings)
        keys, sequence, country = _checked(trust_document, revocations)
        text = json.dumps(trust_document, indent=2).encode() + b"\n"
        lists = kept.save(text, revocations, server=server, fetched_at=datetime.now(UTC))
    except UpdateFailed as failure:
        print(failure, file=sys.stderr)
        return EXIT_FAILED
    except OSError as error:
        reason = error.strerror or type(error).__name__
        print(i18n.t("certificate.trust.cannot_keep", reason=reason), file=sys.stderr)
        return EXIT_FAILED
    print(
        i18n.t(
            "certificate.trust.updated",
            keys=keys,
            sequence=sequence,
            country=country,
            server=kept.server_name(server),
            path=lists.trust_list.parent,
        )
    )
    return EXIT_OK
