"""``itdeclare serve`` and ``itdeclare admin …`` (DESIGN.md §4.1, §4.6).

The database, migration and web modules are imported by the functions that use them, so a usage
error is reported without loading them.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import sys
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any, NoReturn

from itdeclare.config import Settings
from itdeclare.i18n import get_language, t
from itdeclare.models import reference
from itdeclare.output import writing
from itdeclare.server.config import ServerConfig

if TYPE_CHECKING:
    from fastapi import FastAPI

    from itdeclare.server.db import Database
    from itdeclare.server.services.accounts import ReviewerEntry
    from itdeclare.server.services.health_records import ImportResult

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
#: Ctrl-C, as every command ends on it (``itdeclare.cli``, which the server layer does not import).
EXIT_INTERRUPTED = 130


def _shown_url(url: str) -> str:
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import SQLAlchemyError

    try:
        return make_url(url).render_as_string(hide_password=True)
    except SQLAlchemyError:
        return "?"


def _open(config: ServerConfig) -> Database | None:
    """The migrated database, or ``None`` after saying why it cannot be used."""
    from sqlalchemy.exc import SQLAlchemyError

    from itdeclare.server import runtime

    try:
        return runtime.prepare(config)
    except (SQLAlchemyError, ValueError) as error:
        reason = getattr(error, "orig", None) or error
        print(
            t("server.cli.database_unusable", url=_shown_url(config.database_url), reason=reason),
            file=sys.stderr,
        )
        return None


# --- serve ------------------------------------------------------------------------------


def _keys_ready(config: ServerConfig) -> bool:
    """Whether the signing keys open; otherwise say what to do (§4.6: no keys, no serving)."""
    from itdeclare.certificate import errors
    from itdeclare.server.services.issuing import open_issuer

    try:
        legacy = open_issuer(config).store.legacy_key_files()
    except errors.KeyStoreMissing:
        print(t("server.cli.keys_missing", path=config.keys_dir), file=sys.stderr)
        return False
    except errors.KeyStoreError as error:
        print(error.message(), file=sys.stderr)
        return False
    if legacy:
        print(
            t("certificate.keys.legacy", count=len(legacy), path=config.keys_dir), file=sys.stderr
        )
    return _code_secret_ready(config)


def _code_secret_ready(config: ServerConfig) -> bool:
    """The sign-in codes' secret, made now (before any worker starts) if it is missing."""
    from itdeclare.server import credentials

    try:
        credentials.code_secret(config.code_secret_file)
    except (OSError, ValueError) as error:
        print(
            t("server.cli.code_secret_unusable", path=config.code_secret_file, reason=error),
            file=sys.stderr,
        )
        return False
    return True


def serve(args: argparse.Namespace, settings: Settings) -> int:
    if args.workers < 1 or not 0 <= args.port <= 65535:
        print(t("server.cli.bad_workers_or_port"), file=sys.stderr)
        return EXIT_USAGE
    config = ServerConfig.build(
        database_url=settings.database_url,
        dev=args.dev,
        backend=settings.backend,
        keys_dir=getattr(args, "keys_dir", None),
        passphrase_file=getattr(args, "passphrase_file", None),
    )
    database = _open(config)
    if database is None:
        return EXIT_FAILED
    _sweep(config, database)
    database.dispose()
    if not _keys_ready(config):
        return EXIT_FAILED

    from itdeclare.server.app import CONFIG_ENV, create_app, serving
    from itdeclare.server.protocol import uvicorn_options

    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    if args.dev:
        print(t("server.cli.dev_mode"), file=sys.stderr)
    print(
        t("server.cli.serving", host=args.host, port=args.port, db=_shown_url(config.database_url)),
        file=sys.stderr,
    )
    options = uvicorn_options(config.backend)
    if args.workers > 1:
        os.environ[CONFIG_ENV] = config.model_dump_json()
        return _serve_workers(host=args.host, port=args.port, workers=args.workers, **options)
    return _serve_one(serving(create_app(config)), host=args.host, port=args.port, **options)


class _Interrupted(BaseException):
    """Ctrl-C while serving, raised past ``uvicorn.run`` (which swallows KeyboardInterrupt)."""


def _on_interrupt(signum: int, frame: FrameType | None) -> NoReturn:
    raise _Interrupted


def _serve_one(app: FastAPI, **options: Any) -> int:
    """uvicorn with one worker; 130 once Ctrl-C has stopped it, as every command ends on
    Ctrl-C. uvicorn takes SIGINT while it serves, shuts down cleanly, then raises it again for
    the handler it found in place: this one, so that such an end is told apart from others."""
    import uvicorn

    previous = signal.signal(signal.SIGINT, _on_interrupt)
    try:
        uvicorn.run(app, **options)
    except _Interrupted:
        return EXIT_INTERRUPTED
    finally:
        signal.signal(signal.SIGINT, previous)
    return EXIT_OK


def _serve_workers(**options: Any) -> int:
    """uvicorn's supervisor of several workers (what ``uvicorn.run`` starts for them), each
    making the app from the environment; 130 once Ctrl-C has stopped them, as with one. The
    supervisor takes SIGINT itself, stops its workers and returns as after SIGTERM: only it
    knows which came."""
    import uvicorn
    from uvicorn.supervisors import Multiprocess

    class Supervisor(Multiprocess):
        interrupted = False

        def handle_int(self) -> None:
            self.interrupted = True
            super().handle_int()

    config = uvicorn.Config("itdeclare.server.app:app_from_environment", factory=True, **options)
    supervisor = Supervisor(config, sockets=[config.bind_socket()])
    supervisor.run()
    return EXIT_INTERRUPTED if supervisor.interrupted else EXIT_OK


# --- admin ------------------------------------------------------------------------------


def _sweep(config: ServerConfig, database: Database) -> int:
    """Remove the stored files no attachment names (left by a crash between write and commit)."""
    from itdeclare.server.blobs import blob_store
    from itdeclare.server.services import attachments

    with database.read() as session:
        kept = attachments.referenced(session)
    return blob_store(config, database).sweep(kept)


def _sweep_attachments(args: argparse.Namespace, settings: Settings) -> int:
    config = ServerConfig.build(database_url=settings.database_url, backend=settings.backend)
    database = _open(config)
    if database is None:
        return EXIT_FAILED
    removed = _sweep(config, database)
    database.dispose()
    with writing():
        print(t("server.cli.swept", count=removed, path=config.attachments_dir))
    return EXIT_OK


def admin(args: argparse.Namespace, settings: Settings) -> int:
    actions = {
        "add-reviewer": _add_reviewer,
        "list-reviewers": _list_reviewers,
        "revoke-reviewer": _revoke_reviewer,
        "import-health-records": _import_records,
        "sweep-attachments": _sweep_attachments,
    }
    if args.action not in actions:
        args.admin_parser.print_help(sys.stderr)
        return EXIT_USAGE
    return actions[args.action](args, settings)


def _add_reviewer(args: argparse.Namespace, settings: Settings) -> int:
    consulate = args.consulate.strip().upper()
    if reference.country(consulate) is None:
        print(t("server.cli.unknown_consulate", code=args.consulate), file=sys.stderr)
        return EXIT_USAGE
    config = ServerConfig.build(database_url=settings.database_url, backend=settings.backend)
    database = _open(config)
    if database is None:
        return EXIT_FAILED
    from itdeclare.server.services import accounts
    from itdeclare.server.tables import utcnow

    issued = database.write(
        lambda session: accounts.add_reviewer(session, consulate, config.backend, utcnow())
    )
    database.dispose()
    with writing():
        if args.json:
            print(json.dumps({"token": issued.token, "consulate": consulate}))
        else:
            print(t("server.cli.reviewer_added", consulate=consulate, expires=issued.expires_at))
            print(issued.token)
    return EXIT_OK


def _list_reviewers(args: argparse.Namespace, settings: Settings) -> int:
    config = ServerConfig.build(database_url=settings.database_url, backend=settings.backend)
    database = _open(config)
    if database is None:
        return EXIT_FAILED
    from itdeclare.server.services import accounts

    with database.read() as session:
        reviewers = accounts.reviewers(session)
    database.dispose()
    with writing():
        _print_reviewers(reviewers, as_json=args.json)
    return EXIT_OK


def _print_reviewers(reviewers: list[ReviewerEntry], *, as_json: bool) -> None:
    if as_json:
        items = [
            {
                "id": r.id,
                "consulate": r.consulate,
                "created_at": r.created_at.isoformat(),
                "revoked": r.revoked,
            }
            for r in reviewers
        ]
        print(json.dumps({"items": items}))
        return
    for r in reviewers:
        state = t("server.cli.reviewer_revoked" if r.revoked else "server.cli.reviewer_active")
        print(f"{r.id}  {r.consulate}  {r.created_at:%Y-%m-%d %H:%M}Z  {state}")
    if not reviewers:
        print(t("server.cli.no_reviewers"))


def _revoke_reviewer(args: argparse.Namespace, settings: Settings) -> int:
    config = ServerConfig.build(database_url=settings.database_url, backend=settings.backend)
    database = _open(config)
    if database is None:
        return EXIT_FAILED
    from itdeclare.server.services import accounts
    from itdeclare.server.tables import utcnow

    found = database.write(lambda session: accounts.revoke_reviewer(session, args.id, utcnow()))
    database.dispose()
    if not found:
        print(t("server.cli.no_such_reviewer", id=args.id), file=sys.stderr)
        return EXIT_FAILED
    with writing():
        print(t("server.cli.reviewer_revoked_now", id=args.id))
    return EXIT_OK


def _read_records(path: Path) -> list[tuple[int, Any]]:
    from itdeclare.server.services import health_records

    text = path.read_text(encoding="utf-8-sig")
    as_csv = path.suffix.lower() == ".csv" or not text.lstrip().startswith(("[", "{"))
    return list(health_records.parse_file(text, as_csv=as_csv))


def _import_records(args: argparse.Namespace, settings: Settings) -> int:
    from itdeclare.server.services import health_records
    from itdeclare.server.tables import utcnow

    try:
        rows = _read_records(args.file)
    except (OSError, UnicodeDecodeError, ValueError) as error:
        print(t("server.cli.unreadable_records", path=args.file, reason=error), file=sys.stderr)
        return EXIT_USAGE
    good, rejected = [], []
    for number, raw in rows:
        record, problems = health_records.validate(raw)
        if record is None:
            rejected.append((number, problems))
        else:
            good.append(record)
    config = ServerConfig.build(database_url=settings.database_url, backend=settings.backend)
    database = _open(config)
    if database is None:
        return EXIT_FAILED
    result = database.write(lambda session: health_records.store(session, good, utcnow()))
    database.dispose()
    result.rejected = rejected
    with writing():
        _print_import(result, as_json=args.json)
    return EXIT_FAILED if rejected else EXIT_OK


def _print_import(result: ImportResult, *, as_json: bool) -> None:
    from itdeclare.server.errors import field_message

    language = get_language()
    if as_json:
        report = {
            "added": result.added,
            "updated": result.updated,
            "unchanged": result.unchanged,
            "rejected": [
                {
                    "row": number,
                    "errors": [
                        {"loc": p.loc, "code": p.code, "message": field_message(p, language)}
                        for p in problems
                    ],
                }
                for number, problems in result.rejected
            ],
        }
        print(json.dumps(report, ensure_ascii=False))
        return
    summary = {
        "added": result.added,
        "updated": result.updated,
        "unchanged": result.unchanged,
        "rejected": len(result.rejected),
    }
    print(t("server.cli.import_summary", **summary))
    for number, problems in result.rejected:
        for p in problems:
            where = t("server.cli.import_rejected_row", row=number, loc=p.loc or "-")
            print(f"  {where} {field_message(p, language)}  [{p.code}]")
