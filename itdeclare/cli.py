"""The ``itdeclare`` command (DESIGN.md §4.1).

Parsing is cheap and imports nothing heavy: each subcommand names the function that runs it as
``module:function``, imported only when that subcommand is chosen, so ``itdeclare verify`` never
loads Textual and the TUI never loads the backend unless it embeds it.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import importlib
import json
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from itdeclare import __version__, i18n
from itdeclare.output import OutputFailed, discard_output, writing

if TYPE_CHECKING:
    from itdeclare.config import Settings

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2
#: What a shell reports for a command ended by SIGPIPE (128 + 13): its reader stopped reading;
#: and by SIGINT (128 + 2): Ctrl-C.
EXIT_READER_GONE, EXIT_INTERRUPTED = 141, 130


class _Parser(argparse.ArgumentParser):
    """argparse with exit status 2 and a one-line message for every usage error."""

    def error(self, message: str) -> Any:  # argparse's signature returns NoReturn
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: {message}\n")


def _common() -> _Parser:
    common = _Parser(add_help=False)
    common.add_argument(
        "--lang",
        choices=i18n.LANGUAGES,
        default=argparse.SUPPRESS,
        help="interface language (default: from the locale)",
    )
    return common


def _add_client_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--server",
        metavar="URL",
        default=argparse.SUPPRESS,
        help="backend URL (default: ITDECLARE_SERVER, else the embedded local backend)",
    )


#: The command's own options, each taking a value: given only these, ``itdeclare`` starts the
#: traveller's app.
_OWN_OPTIONS = ("--lang", "--server")


def starts_the_app(argv: Sequence[str]) -> bool:
    """Whether ``argv`` names no command, only the command's own options (each with its
    value): the parser for it needs none of the subcommands, whose making (argparse takes a
    fifth of a millisecond for each parser) would be a few per cent of the app's start-up."""
    tokens = iter(argv)
    for token in tokens:
        name, equals, _ = token.partition("=")
        if name not in _OWN_OPTIONS:
            return False
        if not equals and next(tokens, "-").startswith("-"):
            return False  # no value: the whole parser tells the user
    return True


class _NotTheAppAlone(Exception):
    """Raised by the parser without subcommands where the whole one would report an error."""


class _AppParser(_Parser):
    def error(self, message: str) -> Any:
        raise _NotTheAppAlone(message)


def build_parser(*, commands: bool = True) -> argparse.ArgumentParser:
    """The command's parser; without ``commands``, only its own options (see
    :func:`starts_the_app`), and an error raises ``_NotTheAppAlone`` rather than exiting."""
    common = _common()
    parser = (_Parser if commands else _AppParser)(
        prog="itdeclare",
        description="Returnee international-travel health declaration and health certificate.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"itdeclare {__version__}")
    _add_client_options(parser)
    parser.set_defaults(run="itdeclare.app:run_traveller")
    if commands:
        _add_commands(parser, common)
    return parser


def _add_commands(parser: argparse.ArgumentParser, common: _Parser) -> None:
    commands = parser.add_subparsers(title="commands", metavar="COMMAND", parser_class=_Parser)

    review = commands.add_parser("review", parents=[common], help="the consulate reviewer console")
    _add_client_options(review)
    review.add_argument("--token", default=argparse.SUPPRESS, help="reviewer token")
    review.set_defaults(run="itdeclare.review_app:run_reviewer")

    serve = commands.add_parser("serve", parents=[common], help="run the backend")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--database-url", default=argparse.SUPPRESS, metavar="URL")
    serve.add_argument("--workers", type=int, default=1)
    serve.add_argument(
        "--dev",
        action="store_true",
        help="development mode: one-time codes in responses, signing keys made on first start",
    )
    serve.add_argument("--keys-dir", type=Path, default=argparse.SUPPRESS, metavar="DIR")
    serve.add_argument(
        "--passphrase-file",
        type=Path,
        default=argparse.SUPPRESS,
        metavar="FILE",
        help="the signing keys' passphrase (default: ITDECLARE_KEY_PASSPHRASE)",
    )
    serve.set_defaults(run="itdeclare.server.cli:serve")

    verify = commands.add_parser("verify", parents=[common], help="verify a health code offline")
    verify.add_argument("--trust-list", type=Path, metavar="FILE")
    verify.add_argument("--revocations", type=Path, metavar="FILE")
    verify.add_argument("--at", metavar="ISO-TIME", help="validation time (default: now)")
    verify.add_argument("--json", action="store_true", help="print one JSON object")
    source = verify.add_mutually_exclusive_group(required=True)
    source.add_argument("payload", nargs="?", help="HC1:… string, or a file holding one")
    source.add_argument("--image", type=Path, metavar="FILE", help="PNG or JPEG with the QR code")
    source.add_argument(
        "--jsonl",
        nargs="?",
        const="-",
        metavar="FILE",
        help="many payloads, one per line (FILE, or - for standard input); a JSON object per line",
    )
    verify.set_defaults(run="itdeclare.verify_cli:verify")

    trust = commands.add_parser(
        "trust", parents=[common], help="keep the backend's trust and revocation lists"
    )
    trust.set_defaults(run="itdeclare.trust_update:update", trust_parser=trust)
    trust_actions = trust.add_subparsers(dest="action", metavar="ACTION", parser_class=_Parser)
    trust_update = trust_actions.add_parser(
        "update", parents=[common], help="fetch both lists, for verify to use by default"
    )
    _add_client_options(trust_update)

    validate = commands.add_parser(
        "validate", parents=[common], help="check declaration files against models and rules"
    )
    validate.add_argument("--json", action="store_true", help="print JSON")
    validate.add_argument(
        "--at", metavar="ISO-TIME", help="check as of this moment (default: now, as the backend)"
    )
    validate.add_argument("files", nargs="+", type=Path, metavar="FILE")
    validate.set_defaults(run="itdeclare.cli:validate")

    plan = commands.add_parser(
        "plan", parents=[common], help="when to sample each test and submit, for a declaration"
    )
    plan.add_argument("file", type=Path, metavar="FILE")
    plan.add_argument("--ics", type=Path, metavar="OUT", help="also write an iCalendar file")
    plan.set_defaults(run="itdeclare.plan_cli:plan")

    imports = commands.add_parser(
        "import-test", parents=[common], help="read a test from its EU DCC test certificate"
    )
    imports.add_argument("--trust-list", type=Path, metavar="FILE")
    imports.add_argument("--json", action="store_true", help="print one JSON object")
    imported = imports.add_mutually_exclusive_group(required=True)
    imported.add_argument("payload", nargs="?", help="HC1:… string, or a file holding one")
    imported.add_argument("--image", type=Path, metavar="FILE", help="PNG or JPEG of the QR code")
    imports.set_defaults(run="itdeclare.import_cli:import_test")

    keys = commands.add_parser("keys", parents=[common], help="signing keys and the trust list")
    keys.set_defaults(run="itdeclare.verify_cli:keys", keys_parser=keys)
    keys.add_argument("--keys-dir", type=Path, default=argparse.SUPPRESS, metavar="DIR")
    keys.add_argument("--passphrase-file", type=Path, default=argparse.SUPPRESS, metavar="FILE")
    key_actions = keys.add_subparsers(dest="action", metavar="ACTION", parser_class=_Parser)
    key_actions.add_parser("init", help="create the country signing CA and a document signer")
    key_actions.add_parser("rotate", help="add a new document signer")
    rekey = key_actions.add_parser(
        "rekey", help="seal every private key again (scrypt), optionally with a new passphrase"
    )
    rekey.add_argument("--new-passphrase-file", type=Path, metavar="FILE")
    export = key_actions.add_parser("export-trust-list", help="write the trust list (JSON)")
    export.add_argument("-o", "--output", type=Path, metavar="FILE", help="default: stdout")

    admin = commands.add_parser("admin", parents=[common], help="operator tasks on the backend")
    admin.set_defaults(run="itdeclare.server.cli:admin", admin_parser=admin)
    admin.add_argument("--database-url", default=argparse.SUPPRESS, metavar="URL")
    admin_actions = admin.add_subparsers(dest="action", metavar="ACTION", parser_class=_Parser)
    reviewer = admin_actions.add_parser("add-reviewer", help="create a reviewer and print a token")
    reviewer.add_argument("--consulate", required=True, metavar="CODE")
    reviewer.add_argument("--database-url", default=argparse.SUPPRESS, metavar="URL")
    reviewer.add_argument("--json", action="store_true")
    listed = admin_actions.add_parser("list-reviewers", help="list reviewer accounts")
    listed.add_argument("--database-url", default=argparse.SUPPRESS, metavar="URL")
    listed.add_argument("--json", action="store_true")
    revoke = admin_actions.add_parser(
        "revoke-reviewer", help="revoke a reviewer: its tokens answer 401 from then on"
    )
    revoke.add_argument("id", metavar="ID")
    revoke.add_argument("--database-url", default=argparse.SUPPRESS, metavar="URL")
    sweep = admin_actions.add_parser(
        "sweep-attachments", help="remove stored files no attachment names (serve does it too)"
    )
    sweep.add_argument("--database-url", default=argparse.SUPPRESS, metavar="URL")
    records = admin_actions.add_parser(
        "import-health-records", help="load the health authority's records (CSV or JSON)"
    )
    records.add_argument("file", type=Path, metavar="FILE")
    records.add_argument("--database-url", default=argparse.SUPPRESS, metavar="URL")
    records.add_argument("--json", action="store_true")


def _settings(args: argparse.Namespace) -> Settings:
    from itdeclare.config import load_settings

    given = {
        name: getattr(args, attr)
        for name, attr in (("language", "lang"), ("server", "server"))
        if hasattr(args, attr)
    }
    if hasattr(args, "database_url"):
        given["database_url"] = args.database_url
    return load_settings(**given)


#: The commands that start with the cyclic garbage collector paused. Starting makes thousands of
#: objects (modules, classes, parsers) that live as long as the process, and the collector's
#: passes over them are wasted: 15 ms of an app's 250 before its first screen. The apps resume
#: it once that screen is drawn, ``verify`` before it reads its first code; every other command
#: gets it back before it runs.
_STARTED_PAUSED = frozenset(
    {
        "itdeclare.app:run_traveller",
        "itdeclare.review_app:run_reviewer",
        "itdeclare.verify_cli:verify",
    }
)


def resume_collector() -> None:
    """The command has started: collect as usual from now on (see ``_STARTED_PAUSED``)."""
    gc.enable()


def _handler(path: str) -> Any:
    module, _, function = path.partition(":")
    return getattr(importlib.import_module(module), function)


def parse_arguments(argv: list[str]) -> argparse.Namespace:
    """``argv`` parsed; for the traveller's app alone without making the subcommands' parsers,
    and any mistake told by the whole parser, with its usage."""
    if starts_the_app(argv):
        with contextlib.suppress(_NotTheAppAlone):
            return build_parser(commands=False).parse_args(argv)
    return build_parser().parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    gc.disable()  # see _STARTED_PAUSED
    try:
        return _parse_and_run(sys.argv[1:] if argv is None else list(argv))
    except KeyboardInterrupt:
        # Ctrl-C anywhere in the command, its start included: importing its module or the
        # settings takes a good part of a short run (the apps take ctrl+c as a key of their own)
        print(file=sys.stderr)
        return EXIT_INTERRUPTED
    finally:
        resume_collector()  # whether or not the command got as far as resuming it


def _parse_and_run(argv: list[str]) -> int:
    from itdeclare.config import SettingsError

    args = parse_arguments(argv)
    try:
        settings = _settings(args)
    except SettingsError as error:
        i18n.set_language(getattr(args, "lang", None) or i18n.language_from_environment())
        print(error.message(), file=sys.stderr)
        return EXIT_USAGE
    i18n.set_language(settings.language or i18n.language_from_environment())
    if args.run not in _STARTED_PAUSED:
        resume_collector()
    return _run(args, settings)


def _run(args: argparse.Namespace, settings: Settings) -> int:
    try:
        handler = _handler(args.run)
    except (ModuleNotFoundError, AttributeError):
        print(i18n.t("cli.not_yet"), file=sys.stderr)
        return EXIT_USAGE
    try:
        return int(handler(args, settings) or 0)
    except BrokenPipeError:
        return _reader_gone()
    except OutputFailed as failure:
        print(failure, file=sys.stderr)
        return EXIT_USAGE


def _reader_gone() -> int:
    """The output's reader has stopped reading (``itdeclare verify --jsonl … | head``): end
    quietly, as a command that SIGPIPE ends does, rather than with a traceback."""
    discard_output()
    return EXIT_READER_GONE


# --- itdeclare validate -------------------------------------------------------------------


#: A declaration is a few kilobytes; anything far larger is not one, and is not read whole.
MAX_DECLARATION_BYTES = 1_000_000


class UnreadableFile(ValueError):
    """A file ``validate`` cannot check at all; the message is one line for stderr."""


def _read_text(path: Path) -> str:
    try:
        with path.open("rb") as file:
            raw = file.read(MAX_DECLARATION_BYTES + 1)
    except OSError as exc:
        reason = i18n.file_reason(exc)
        raise UnreadableFile(i18n.t("cli.unreadable", path=path, reason=reason)) from None
    if len(raw) > MAX_DECLARATION_BYTES:
        reason = i18n.t("cli.reason_too_large", limit=MAX_DECLARATION_BYTES)
        raise UnreadableFile(i18n.t("cli.unreadable", path=path, reason=reason))
    try:
        return raw.decode("utf-8-sig")  # tolerate the byte-order mark some editors write
    except UnicodeDecodeError:
        reason = i18n.t("cli.reason_not_utf8")
        raise UnreadableFile(i18n.t("cli.unreadable", path=path, reason=reason)) from None


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _read_json(path: Path) -> Any:
    """The parsed file, or ``UnreadableFile`` with a one-line reason."""
    text = _read_text(path)
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise UnreadableFile(
            i18n.t("cli.not_json", path=path, line=exc.lineno, column=exc.colno)
        ) from None
    except (ValueError, RecursionError):  # NaN, a number too long to convert, nesting too deep
        raise UnreadableFile(i18n.t("cli.not_json_at_all", path=path)) from None


def _report_json(data: Any, at: datetime) -> dict[str, Any]:
    """The file checked as the backend would check it at ``at``: a flight into China that has
    left by then, or a test sampled after it, is a problem."""
    from itdeclare.models import validate_declaration

    report = validate_declaration(data, now=at)
    errors = [
        {"loc": p.loc, "code": p.code, "message": i18n.problem_message(p)} for p in report.problems
    ]
    warnings = [
        {"loc": w.loc, "code": w.code, "message": i18n.warning_message(w)} for w in report.warnings
    ]
    return {"valid": report.valid, "errors": errors, "warnings": warnings}


def _moment(text: str | None) -> datetime:
    """``--at``: an ISO 8601 time (UTC when it names no zone); now when not given."""
    if text is None:
        return datetime.now(UTC)
    value = text.strip()
    if value[-1:] in ("Z", "z"):
        value = value[:-1] + "+00:00"
    moment = datetime.fromisoformat(value)  # ValueError when it is not one
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def validate(args: argparse.Namespace, settings: Settings) -> int:
    try:
        at = _moment(args.at)
    except ValueError:
        print(i18n.t("cli.bad_time", value=args.at), file=sys.stderr)
        return EXIT_USAGE
    status = EXIT_OK
    for path in args.files:
        try:
            data = _read_json(path)
        except UnreadableFile as exc:
            print(exc, file=sys.stderr)
            status = EXIT_USAGE
            continue
        result = _report_json(data, at)
        if not result["valid"] and status == EXIT_OK:
            status = EXIT_INVALID
        with writing():
            _print_report(path, result, as_json=args.json, several=len(args.files) > 1)
    return status


def _print_report(path: Path, result: dict[str, Any], *, as_json: bool, several: bool) -> None:
    if as_json:
        shown = {"file": str(path), **result} if several else result
        print(json.dumps(shown, ensure_ascii=False))
        return
    if result["valid"]:
        print(i18n.t("cli.valid", path=path))
    else:
        print(i18n.t("cli.invalid", path=path, count=len(result["errors"])))
        for error in result["errors"]:
            print(f"  {error['loc'] or '-'}: {error['message']}  [{error['code']}]")
    if result["warnings"]:
        print(i18n.t("cli.warnings", count=len(result["warnings"])))
        for warning in result["warnings"]:
            print(f"  {warning['loc']}: {warning['message']}  [{warning['code']}]")
