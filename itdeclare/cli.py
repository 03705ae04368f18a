"""The ``itdeclare`` command (DESIGN.md §4.1).

Parsing is cheap and imports nothing heavy: each subcommand names the function that runs it as
``module:function``, imported only when that subcommand is chosen, so ``itdeclare verify`` never
loads Textual and the TUI never loads the backend unless it embeds it.
"""

from __future__ import annotations

import gc
import importlib
import json
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, cast

from itdeclare import i18n
from itdeclare.output import OutputFailed, discard_output, writing

if TYPE_CHECKING:
    import argparse

    from itdeclare.config import Settings

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2
#: What a shell reports for a command ended by SIGPIPE (128 + 13): its reader stopped reading;
#: and by SIGINT (128 + 2): Ctrl-C.
EXIT_READER_GONE, EXIT_INTERRUPTED = 141, 130


#: The command's own options, each taking a value: given only these, ``itdeclare`` starts the
#: traveller's app.
_OWN_OPTIONS = ("--lang", "--server")
#: The function that runs the traveller's app (the parser's default command).
TRAVELLER_APP = "itdeclare.app:run_traveller"


def starts_the_app(argv: Sequence[str]) -> bool:
    """Whether ``argv`` names no command, only the command's own options (each with its
    value): then :func:`_the_app_alone` reads it, without the parser."""
    tokens = iter(argv)
    for token in tokens:
        name, equals, _ = token.partition("=")
        if name not in _OWN_OPTIONS:
            return False
        if not equals and next(tokens, "-").startswith("-"):
            return False  # no value: the whole parser tells the user
    return True


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
        TRAVELLER_APP,
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
    """``argv`` parsed; for the traveller's app alone without argparse, and any mistake told
    by the whole parser, with its usage."""
    if starts_the_app(argv):
        alone = _the_app_alone(argv)
        if alone is not None:
            # what argparse would make of it: a namespace whose attributes are the options given
            return cast("argparse.Namespace", alone)
    from itdeclare.cli_parser import build_parser

    return build_parser(TRAVELLER_APP).parse_args(argv)


def _the_app_alone(argv: Sequence[str]) -> SimpleNamespace | None:
    """The options of ``argv`` (which :func:`starts_the_app`), read as the parser reads them (a
    later one wins; an option not given is no attribute), or None when a value is not allowed.
    argparse's import alone is 3 % of the app's start, and nothing else on its way imports it."""
    read = SimpleNamespace(run=TRAVELLER_APP)
    tokens = iter(argv)
    for token in tokens:
        name, equals, value = token.partition("=")
        if not equals:
            value = next(tokens)
        if name == "--lang" and value not in i18n.LANGUAGES:
            return None
        setattr(read, name.removeprefix("--"), value)
    return read


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
