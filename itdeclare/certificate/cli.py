"""``itdeclare verify`` and ``itdeclare keys``: the officer's offline check and key management."""

from __future__ import annotations

import argparse
import base64
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from itdeclare import i18n
from itdeclare.certificate import errors

if TYPE_CHECKING:
    from itdeclare.certificate.trust import TrustList
    from itdeclare.config import Settings

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


def _fail(message: str) -> int:
    print(message, file=sys.stderr)
    return EXIT_USAGE


# --- itdeclare verify -------------------------------------------------------------------------


def _payload(args: argparse.Namespace) -> str:
    from itdeclare.certificate import qr

    if args.image is not None:
        return qr.read_image(args.image)
    text: str = args.payload.strip()
    if not text.upper().startswith("HC") and Path(text).is_file():
        try:
            return Path(text).read_text("utf-8").strip()
        except (OSError, UnicodeDecodeError) as exc:
            raise errors.QrUnreadable(path=f"{text} ({exc.__class__.__name__})") from None
    return text


def _trust_list(path: Path | None) -> TrustList:
    from itdeclare.certificate import keys
    from itdeclare.certificate.trust import TrustList

    if path is not None:
        return TrustList.load(path)
    try:
        return keys.public_trust_list(keys.default_dir())
    except errors.KeyStoreError:
        raise errors.TrustListInvalid(reason=i18n.t("certificate.verify.no_trust_list")) from None


def verify(args: argparse.Namespace, settings: Settings) -> int:
    from itdeclare.certificate import revocation
    from itdeclare.certificate.report import render
    from itdeclare.certificate.verify import parse_time
    from itdeclare.certificate.verify import verify as run

    try:
        at = parse_time(args.at) if args.at else None
    except ValueError:
        return _fail(i18n.t("certificate.verify.bad_time", value=args.at))
    try:
        payload = _payload(args)
        trust_list = _trust_list(args.trust_list)
        revocations = (
            revocation.load_file(args.revocations, trust_list) if args.revocations else None
        )
    except errors.CertificateError as error:
        return _fail(error.message())
    result = run(payload, trust_list=trust_list, revocations=revocations, at=at)
    if args.json:
        print(json.dumps(result.to_json(), ensure_ascii=False))
    else:
        print(render(result))
    return EXIT_OK if result.valid else EXIT_INVALID


# --- itdeclare keys ---------------------------------------------------------------------------


def _keys_dir(args: argparse.Namespace) -> Path:
    from itdeclare.certificate.keys import default_dir

    return getattr(args, "keys_dir", None) or default_dir()


def _export(directory: Path, output: Path | None) -> int:
    from itdeclare.certificate.keys import public_trust_list

    text = json.dumps(public_trust_list(directory).to_json(), indent=2) + "\n"
    if output is None:
        sys.stdout.write(text)
        return EXIT_OK
    try:
        output.write_text(text, "utf-8")
    except OSError as exc:
        return _fail(i18n.t("certificate.keys.cannot_write", path=output, reason=exc.strerror))
    print(i18n.t("certificate.keys.exported", path=output), file=sys.stderr)
    return EXIT_OK


def keys(args: argparse.Namespace, settings: Settings) -> int:
    from itdeclare.certificate.keys import KeyStore, read_passphrase

    if args.action is None:
        args.keys_parser.print_usage(sys.stderr)
        return EXIT_USAGE
    directory = _keys_dir(args)
    try:
        if args.action == "export-trust-list":
            return _export(directory, args.output)
        passphrase = read_passphrase(getattr(args, "passphrase_file", None))
        if args.action == "init":
            signer = KeyStore.init(directory, passphrase).signer()
            kid = base64.b64encode(signer.kid).decode("ascii")
            print(i18n.t("certificate.keys.created", path=directory, kid=kid))
        else:
            signer = KeyStore.open(directory, passphrase).rotate()
            kid = base64.b64encode(signer.kid).decode("ascii")
            print(i18n.t("certificate.keys.rotated", kid=kid))
    except errors.CertificateError as error:
        return _fail(error.message())
    return EXIT_OK
