"""``itdeclare verify`` and ``itdeclare keys``: the officer's offline check and key management."""

from __future__ import annotations

import argparse
import base64
import io
import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from itdeclare import i18n
from itdeclare.certificate import errors
from itdeclare.output import writing

if TYPE_CHECKING:
    from itdeclare.certificate.revocation import RevocationList
    from itdeclare.certificate.trust import TrustList
    from itdeclare.certificate.verify import Verification
    from itdeclare.config import Settings
    from itdeclare.storage.trust import KeptLists

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2
#: The most text a QR code holds: 4,296 alphanumeric characters (version 40, level L). Longer
#: text is no code, and is refused before Base45 decoding, whose memory grows with the text.
MAX_CODE_CHARS = 4296
#: The most of a line (or of a file holding one code) that is read: a code with room for the
#: spaces and line end around it. A longer line is refused without being held whole.
_LINE_BOUND = 2 * MAX_CODE_CHARS


def _fail(message: str) -> int:
    print(message, file=sys.stderr)
    return EXIT_USAGE


# --- itdeclare verify -------------------------------------------------------------------------


class Unusable(Exception):
    """An input the command cannot use at all (exit status 2); the message is for the user."""


class CodeTooLong(errors.CertificateError):
    """More text than the largest QR code holds: not a code, and not decoded (a failure of
    its own, not a usage error: exit 1, or one failed line of ``--jsonl``)."""

    code = "code_too_long"

    def message(self, language: i18n.Language | None = None) -> str:
        return i18n.t("cli.verify.too_long", language, limit=MAX_CODE_CHARS)


def payload_from(args: argparse.Namespace) -> str:
    """The code to check: read from the picture ``--image`` names, or PAYLOAD. PAYLOAD is a
    file when one by that name exists, else the code's own text, which starts with its context
    identifier (``HC1:``); anything else is taken for a file that does not exist."""
    if args.image is not None:
        return _read_picture(args.image)
    given: str = args.payload.strip()
    # os.path rather than Path: a code's text is often too long for a file name, which
    # os.path.exists answers False and Path.exists raises for
    if os.path.exists(given):  # noqa: PTH110
        return _read_code_file(Path(given))
    if not _has_context_identifier(given):
        raise Unusable(i18n.t("cli.verify.no_such_file", path=given))
    if len(given) > MAX_CODE_CHARS:
        raise CodeTooLong()
    return given


def _has_context_identifier(text: str) -> bool:
    """Whether ``text`` starts as a code does: a few letters or digits and a colon (``HC1:``;
    the verifier names any other identifier as unknown)."""
    head, colon, _ = text[:5].partition(":")
    return bool(colon) and head.isalnum()


def _cannot_read(path: Path, error: OSError) -> Unusable:
    return Unusable(i18n.t("cli.unreadable", path=path, reason=i18n.file_reason(error)))


def _read_picture(path: Path) -> str:
    from itdeclare.certificate import qr

    try:
        file = path.open("rb")
    except OSError as exc:
        raise _cannot_read(path, exc) from None
    with file:
        return qr.read_image(file)


def _read_code_file(path: Path) -> str:
    """The code a file holds, read no further than a code can reach (a byte-order mark, as
    some editors write, is not part of it)."""
    try:
        with path.open("rb") as file:
            raw = file.read(_LINE_BOUND + 1)
    except OSError as exc:
        raise _cannot_read(path, exc) from None
    if len(raw) > _LINE_BOUND:
        raise CodeTooLong()
    try:
        text = raw.decode("utf-8-sig").strip()
    except UnicodeDecodeError:
        reason = i18n.t("cli.reason_not_utf8")
        raise Unusable(i18n.t("cli.unreadable", path=path, reason=reason)) from None
    if len(text) > MAX_CODE_CHARS:
        raise CodeTooLong()
    return text


def _load_trust_list(path: Path) -> TrustList:
    from itdeclare.certificate.trust import TrustList

    return TrustList.load(path)


def _load_revocations(path: Path, trust_list: TrustList) -> RevocationList:
    from itdeclare.certificate import revocation

    return revocation.load_file(path, trust_list)


def _own_keys_trust_list() -> TrustList:
    from itdeclare.certificate import keys

    try:
        return keys.public_trust_list(keys.default_dir())
    except errors.KeyStoreError:
        raise errors.TrustListInvalid(reason=i18n.t("certificate.verify.no_trust_list")) from None


def trust_list_from(path: Path | None) -> TrustList:
    """The trust list in ``path``, else the one ``trust update`` kept, else this machine's own
    keys (``import-test`` reads a lab's certificate against it)."""
    from itdeclare.storage import trust as kept_lists

    if path is not None:
        return _load_trust_list(path)
    kept = kept_lists.load()
    return _load_trust_list(kept.trust_list) if kept is not None else _own_keys_trust_list()


@dataclass(frozen=True, slots=True)
class _Lists:
    """What a run verifies against, and the kept copy it used, if any (for its age)."""

    trust_list: TrustList
    revocations: RevocationList | None
    kept: KeptLists | None


def _kept_revocations(kept: KeptLists, trust_list: TrustList) -> RevocationList | None:
    """The kept revocation list; one that no longer verifies is told and left out (every
    result then warns that revocation was not checked)."""
    if kept.revocations is None:
        return None
    try:
        return _load_revocations(kept.revocations, trust_list)
    except errors.RevocationListInvalid as error:
        reason = error.params.get("reason", "")
        print(i18n.t("certificate.trust.kept_revocations_unusable", reason=reason), file=sys.stderr)
        return None


def _given_revocations(path: Path, trust_list: TrustList) -> RevocationList:
    """The revocation list in ``path``, refused when it is behind the kept list of its issuer:
    an old file would show codes revoked since as valid (``storage.trust.rollback``)."""
    from itdeclare.storage import trust as kept_lists

    listed = _load_revocations(path, trust_list)
    going_back = kept_lists.rollback(listed)
    if going_back is not None:
        raise Unusable(
            i18n.t(
                f"cli.verify.revocations_{going_back.kind}",
                path=path,
                country=listed.issuer,
                sequence=listed.sequence,
                kept=going_back.kept_sequence,
            )
        )
    return listed


def _lists(args: argparse.Namespace) -> _Lists:
    """The files given, else the lists ``trust update`` kept, else this machine's own keys."""
    kept = None
    if args.trust_list is None or args.revocations is None:
        from itdeclare.storage import trust as kept_lists

        kept = kept_lists.load()
    if args.trust_list is not None:
        trust_list = _load_trust_list(args.trust_list)
    elif kept is not None:
        trust_list = _load_trust_list(kept.trust_list)
    else:
        trust_list = _own_keys_trust_list()
    revocations: RevocationList | None
    if args.revocations is not None:
        revocations = _given_revocations(args.revocations, trust_list)
        used_kept = args.trust_list is None
    elif kept is not None:
        revocations = _kept_revocations(kept, trust_list)
        used_kept = True
    else:
        revocations, used_kept = None, False
    return _Lists(trust_list, revocations, kept if used_kept else None)


def _trust_data(kept: KeptLists | None, now: datetime) -> dict[str, Any] | None:
    """The ``trust_data`` member of ``verify --json``: the kept lists' origin and age."""
    if kept is None:
        return None
    return {
        "server": kept.server,
        "fetched_at": kept.fetched_at.isoformat(),
        "age_seconds": kept.age_seconds(now),
    }


def age_text(seconds: int) -> str:
    minutes = max(seconds, 0) // 60
    if minutes < 120:
        return i18n.t("certificate.report.minutes", count=minutes)
    if minutes < 48 * 60:
        return i18n.t("certificate.report.hours", count=minutes // 60)
    return i18n.t("certificate.report.days", count=minutes // (24 * 60))


def _kept_line(kept: KeptLists, now: datetime) -> str:
    from itdeclare.storage.trust import server_name

    age = age_text(kept.age_seconds(now))
    return i18n.t("certificate.trust.kept_from", server=server_name(kept.server), age=age)


def verify(args: argparse.Namespace, settings: Settings) -> int:
    from itdeclare.certificate.verify import parse_time

    try:
        at = parse_time(args.at) if args.at is not None else None
    except ValueError:
        return _fail(i18n.t("certificate.verify.bad_time", value=args.at))
    try:
        lists = _lists(args)
        if args.jsonl is not None:
            return _verify_lines(args.jsonl, lists, at)
        result = _verify_one(args, lists, at)
        text = _result_text(result, lists.kept, as_json=args.json)
        with writing():
            print(text)
    except errors.CertificateError as error:
        return _fail(error.message())
    except Unusable as error:
        return _fail(str(error))
    return EXIT_OK if result.valid else EXIT_INVALID


def _verify_one(args: argparse.Namespace, lists: _Lists, at: datetime | None) -> Verification:
    from itdeclare.certificate.verify import verify as run

    try:
        payload = payload_from(args)
    except CodeTooLong as error:
        return _refused(error, at)
    return run(payload, trust_list=lists.trust_list, revocations=lists.revocations, at=at)


def _refused(error: errors.CertificateError, at: datetime | None) -> Verification:
    """The verification of a text refused before any of its layers was read: every check not
    reached, ``error`` the reason."""
    from itdeclare.certificate.verify import Verification

    result = Verification(at=at or datetime.now(UTC))
    result.fail(error)
    return result


def _result_text(result: Verification, kept: KeptLists | None, *, as_json: bool) -> str:
    from itdeclare.certificate.report import render

    now = datetime.now(UTC)
    if as_json:
        shown = result.to_json()
        shown["trust_data"] = _trust_data(kept, now)
        return json.dumps(shown, ensure_ascii=False)
    if kept is None:
        return render(result)
    return f"{render(result)}\n{_kept_line(kept, now)}"


#: Lines of ``--jsonl`` output written at once from a file (a write per line costs a good part
#: of what making the line does). From standard input each line is written, and flushed, when
#: verified: the next one may be long in coming, and a scanner waits for the answer.
_BATCH = 256


def _verify_lines(source: str, lists: _Lists, at: datetime | None) -> int:
    """``--jsonl``: a payload per line in, a JSON object per line out, with its line number.
    Blank lines are skipped (their numbers too). One validation time for the whole run."""
    from itdeclare.certificate.verify import verify as run

    now = datetime.now(UTC)
    at = at or now
    trust_data = _trust_data(lists.kept, now)
    trust_list, revocations = lists.trust_list, lists.revocations
    encode = _line_encoder()
    status, pending, batch = EXIT_OK, [], 1 if source == "-" else _BATCH
    with _lines(source) as lines, _start_up_frozen():
        for number, payload in _payloads(lines):
            if payload is None:
                result = _refused(CodeTooLong(), at)
            else:
                result = run(payload, trust_list=trust_list, revocations=revocations, at=at)
            shown = result.to_json()
            shown["trust_data"] = trust_data
            shown["line"] = number
            pending.append(encode(shown))
            if len(pending) == batch:
                _write_lines(pending)
            if not shown["valid"]:
                status = EXIT_INVALID
    _write_lines(pending)
    return status


def _payloads(lines: TextIO) -> Iterator[tuple[int, str | None]]:
    """Each line's number and payload, blank lines left out; None for a line longer than any
    code, whose rest is read past in pieces, never held whole."""
    readline, number = lines.readline, 0
    while line := readline(_LINE_BOUND):
        number += 1
        if len(line) == _LINE_BOUND and line[-1] != "\n":  # read up to the bound, not its end
            while (rest := readline(_LINE_BOUND)) and rest[-1] != "\n":
                pass
            yield number, None
            continue
        payload = line.strip()
        if payload:
            yield number, payload if len(payload) <= MAX_CODE_CHARS else None


def _line_encoder() -> Callable[[dict[str, Any]], bytes]:
    """A result as one line of compact JSON in UTF-8, names as they are (not ``\\u``-escaped).

    orjson writes a line in a fifth of the standard library's time, and a batch's lines are as
    long as the records they show: writing them was a third of what ``--jsonl`` spent besides
    verifying. An integer beyond 64 bits (a DCC may hold any CBOR) is past what orjson writes:
    that line falls back to the standard library, in the same compact form."""
    import orjson

    # One encoder for the whole run (json.dumps builds one per call). A result is a fresh tree
    # of dicts and lists, so it need not watch for cycles.
    fallback = json.JSONEncoder(
        ensure_ascii=False, check_circular=False, separators=(",", ":")
    ).encode
    dumps, newline, too_large = orjson.dumps, orjson.OPT_APPEND_NEWLINE, orjson.JSONEncodeError

    def encode(shown: dict[str, Any]) -> bytes:
        try:
            return dumps(shown, option=newline)
        except too_large:
            return f"{fallback(shown)}\n".encode()

    return encode


@contextmanager
def _start_up_frozen() -> Iterator[None]:
    """What start-up loaded lives as long as the run: kept out of the collector's scans while
    the lines are verified (a few per cent of a batch's time), and handed back after. The
    collector, paused while the command started (``cli._STARTED_PAUSED``), runs again from the
    first line: a long batch makes cyclic garbage (a failure's traceback)."""
    import gc

    from itdeclare.cli import resume_collector

    gc.freeze()
    resume_collector()
    try:
        yield
    finally:
        gc.unfreeze()


def _write_lines(lines: list[bytes]) -> None:
    """Write ``lines`` (each ending in a newline) to standard output now, and empty the list."""
    if not lines:
        return
    data = b"".join(lines)
    lines.clear()
    with writing():
        out = sys.stdout
        binary = getattr(out, "buffer", None)
        if binary is None:  # a text-only stream in place of standard output (an embedding program)
            out.write(data.decode("utf-8"))
        else:
            out.flush()  # whatever went through the text layer first stays first
            binary.write(data)
            binary.flush()


@contextmanager
def _lines(source: str) -> Iterator[TextIO]:
    """The input of ``--jsonl``: a file, or standard input for ``-``. A damaged byte spoils
    its line's payload (which then fails to verify), never the run; a byte-order mark at the
    start (as some editors write) is no part of the first line."""
    if source == "-":
        yield io.TextIOWrapper(sys.stdin.buffer, "utf-8-sig", errors="replace")
        return
    try:
        stream = Path(source).open(encoding="utf-8-sig", errors="replace")  # noqa: SIM115
    except OSError as exc:
        reason = i18n.file_reason(exc)
        message = i18n.t("certificate.verify.jsonl_unreadable", path=source, reason=reason)
        raise Unusable(message) from None
    with stream:
        yield stream


# --- itdeclare keys ---------------------------------------------------------------------------


def _keys_dir(args: argparse.Namespace) -> Path:
    from itdeclare.certificate.keys import default_dir

    return getattr(args, "keys_dir", None) or default_dir()


def _export(directory: Path, output: Path | None) -> int:
    from itdeclare.certificate.keys import public_trust_list

    text = json.dumps(public_trust_list(directory).to_json(), indent=2) + "\n"
    if output is None:
        with writing():
            sys.stdout.write(text)
        return EXIT_OK
    try:
        output.write_text(text, "utf-8")
    except OSError as exc:
        reason = i18n.file_reason(exc, writing=True)
        return _fail(i18n.t("certificate.keys.cannot_write", path=output, reason=reason))
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
            done = i18n.t("certificate.keys.created", path=directory, kid=kid)
        elif args.action == "rekey":
            new_file = getattr(args, "new_passphrase_file", None)
            new = read_passphrase(new_file) if new_file is not None else None
            count = KeyStore.open(directory, passphrase).rekey(new)
            done = i18n.t("certificate.keys.rekeyed", count=count, path=directory)
        else:
            signer = KeyStore.open(directory, passphrase).rotate()
            kid = base64.b64encode(signer.kid).decode("ascii")
            done = i18n.t("certificate.keys.rotated", kid=kid)
    except errors.CertificateError as error:
        return _fail(error.message())
    with writing():
        print(done)
    return EXIT_OK
