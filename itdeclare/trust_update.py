"""``itdeclare trust update``: fetch the backend's trust list and revocation list, check them,
and keep them where ``itdeclare verify`` finds them when no file is given (DESIGN.md §4.1).

The backend is chosen as the apps choose it: ``--server``, else ``ITDECLARE_SERVER`` or the
config file, else the embedded local backend, started for the fetch and stopped after. Both
documents are checked before anything is kept (the trust list must parse and hold keys; the
revocation list must be signed by a key of that list, for its own country), so a bad answer
never replaces good lists.

Nor does an old one: a revocation list with a lower number than the kept list of the same
issuer (a stale mirror, a replayed answer) would make revoked codes valid again, and one with
the kept number but other entries is not the issuer's history (``storage.trust.rollback``).
The update refuses both. The same list signed again (the backend signs it on every request)
is kept.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from itdeclare import i18n
from itdeclare.output import writing

if TYPE_CHECKING:
    from itdeclare.certificate.revocation import RevocationList
    from itdeclare.certificate.trust import TrustList
    from itdeclare.config import Settings

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class UpdateFailed(Exception):
    """The lists could not be fetched or are not fit to keep; the message is for the user."""


async def _fetch(url: str) -> tuple[dict[str, Any], bytes]:
    from itdeclare.client import ApiClient, ApiError, NotFound

    try:
        async with ApiClient(url) as api:
            trust_list = (await api.trust_list()).model_dump(mode="json", exclude_none=True)
            revocations = await api.revocations()
    except NotFound:
        # The client's words for a 404 speak of another account's data: these are public.
        reason = i18n.t("certificate.trust.not_a_backend")
        failed = i18n.t("certificate.trust.fetch_failed", server=url, reason=reason)
        raise UpdateFailed(failed) from None
    except ApiError as error:
        raise UpdateFailed(
            i18n.t("certificate.trust.fetch_failed", server=url, reason=error)
        ) from None
    return trust_list, revocations


def _checked(
    trust_document: dict[str, Any], revocations: bytes
) -> tuple[TrustList, RevocationList]:
    """Both documents, once both verify."""
    from itdeclare.certificate import errors, revocation
    from itdeclare.certificate.trust import TrustList

    try:
        trust_list = TrustList.from_json(trust_document)
        if not trust_list.keys:
            raise errors.TrustListInvalid(reason=i18n.t("certificate.trust.no_keys"))
        listed = revocation.load(json.loads(revocations), trust_list)
    except ValueError:
        not_json = i18n.t("certificate.reason.not_json")
        raise UpdateFailed(errors.RevocationListInvalid(reason=not_json).message()) from None
    except errors.CertificateError as error:
        raise UpdateFailed(error.message()) from None
    return trust_list, listed


def _not_behind_kept(listed: RevocationList) -> None:
    """Refuse a revocation list that would take the kept one of the same issuer back in time
    (see the module's docstring)."""
    from itdeclare.storage import trust as kept_lists

    going_back = kept_lists.rollback(listed)
    if going_back is None:
        return
    key = {
        "older": "certificate.trust.revocations_older",
        "differs": "certificate.trust.revocations_differ",
    }[going_back.kind]
    raise UpdateFailed(
        i18n.t(
            key,
            country=listed.issuer,
            sequence=listed.sequence,
            kept=going_back.kept_sequence,
            path=kept_lists.directory(),
        )
    )


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
        trust_list, listed = _checked(trust_document, revocations)
        _not_behind_kept(listed)
        text = json.dumps(trust_document, indent=2).encode() + b"\n"
        lists = kept.save(text, revocations, server=server, fetched_at=datetime.now(UTC))
    except UpdateFailed as failure:
        print(failure, file=sys.stderr)
        return EXIT_FAILED
    except OSError as error:
        reason = error.strerror or type(error).__name__
        print(i18n.t("certificate.trust.cannot_keep", reason=reason), file=sys.stderr)
        return EXIT_FAILED
    message = i18n.t(
        "certificate.trust.updated",
        keys=len(trust_list.keys),
        sequence=listed.sequence,
        country=listed.issuer,
        server=kept.server_name(server),
        path=lists.trust_list.parent,
    )
    with writing():
        print(message)
    return EXIT_OK
