"""The parser of the ``itdeclare`` command line (DESIGN.md §4.1), made only when it is needed:
``itdeclare`` with nothing but its own options is read without it (``cli.parse_arguments``),
as argparse's import alone was 3 % of the traveller app's start."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from itdeclare import __version__, i18n


class _Parser(argparse.ArgumentParser):
    """argparse with exit status 2 and a one-line message for every usage error."""

    def error(self, message: str) -> Any:  # argparse's signature returns NoReturn
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: {message}\n")  # argparse's own status (cli.EXIT_USAGE)


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


def build_parser(app: str) -> argparse.ArgumentParser:
    """The command's parser, with every subcommand; ``app`` (``module:function``) runs the
    command given none."""
    common = _common()
    parser = _Parser(
        prog="itdeclare",
        description="Returnee international-travel health declaration and health certificate.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"itdeclare {__version__}")
    _add_client_options(parser)
    parser.set_defaults(run=app)
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
