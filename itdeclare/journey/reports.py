"""The tests' reports (the notice's 检测证明) attached to a draft, and their upload.

A report is linked to one test of the draft. When it is attached, its bytes are checked (PDF,
JPEG or PNG by content, not too large) and a copy is kept in the encrypted report store; the
draft names it by SHA-256. The reports upload right after the declaration is filed, each with
its test's index; each one uploaded is written into the draft at once. So a failed or
interrupted upload (a lost network, Ctrl-C, a crash) is taken up on the next attempt, and what
the backend already holds (the same bytes for the same test) is not sent again.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from itdeclare.i18n import has_text
from itdeclare.wording import enum_text, size_text, tr

if TYPE_CHECKING:
    from itdeclare.client import ApiClient
    from itdeclare.storage.records import AttachedReport, Draft
    from itdeclare.storage.state import LocalState
    from itdeclare.storage.stores import ReportStore

#: The most a report may weigh: the review service's default limit (it checks again).
MAX_BYTES = 10 * 1024 * 1024
#: The most reports one declaration takes (the review service's limit).
MAX_REPORTS = 20
#: How each accepted type starts.
_SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
)
#: Answers after which a report is never sent again: the declaration left review, it holds
#: all it may, or the file itself is refused.
_FOR_GOOD = frozenset(
    {
        "not_in_review",
        "too_many_attachments",
        "attachment_type",
        "attachment_empty",
        "attachment_damaged",
        "attachment_too_large",
        "attachment_too_many_pixels",
        "invalid",
    }
)


class ReportRefused(Exception):
    """A file that cannot be attached, with the reason for the user."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params

    @property
    def message(self) -> str:
        return tr(f"journey.reports.refused.{self.code}", **self.params)


def test_key(test: Mapping[str, Any]) -> str:
    """What identifies a test of the draft while its list is reordered: kind and time."""
    return f"{str(test.get('kind') or '').strip()}|{str(test.get('sampled_at') or '').strip()}"


def _tests(draft: Draft) -> list[Mapping[str, Any]]:
    tests = draft.declaration.get("tests")
    return [t if isinstance(t, Mapping) else {} for t in tests] if isinstance(tests, list) else []


def content_type_of(head: bytes) -> str | None:
    for signature, content_type in _SIGNATURES:
        if head.startswith(signature):
            return content_type
    return None


def read_report(path: Path) -> tuple[bytes, str]:
    """The file's bytes and type; ``ReportRefused`` if it is no report the service takes."""
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise ReportRefused("missing", name=path.name)
        if size > MAX_BYTES:
            raise ReportRefused("too_large", name=path.name, max=f"{MAX_BYTES // 2**20} MB")
        if size == 0:
            raise ReportRefused("empty", name=path.name)
        content = path.read_bytes()
    except OSError as exc:
        raise ReportRefused("missing", name=path.name) from exc
    content_type = content_type_of(content[:16])
    if content_type is None:
        raise ReportRefused("kind", name=path.name)
    return content, content_type


def attach(draft: Draft, store: ReportStore, test_index: int, path: Path) -> AttachedReport:
    """Attach the file at ``path`` to the draft's test ``test_index``, keeping a copy."""
    from itdeclare.storage.records import AttachedReport

    tests = _tests(draft)
    if not 0 <= test_index < len(tests):
        raise ReportRefused("no_test")
    if len(draft.reports) >= MAX_REPORTS:
        raise ReportRefused("too_many", max=MAX_REPORTS)
    content, content_type = read_report(path)
    sha256 = store.keep(content)
    if any(r.sha256 == sha256 and r.test_index == test_index for r in draft.reports):
        raise ReportRefused("twice", name=path.name)
    report = AttachedReport(
        sha256=sha256,
        name=path.name,
        content_type=content_type,
        size=len(content),
        test_index=test_index,
        test_key=test_key(tests[test_index]),
    )
    draft.reports.append(report)
    return report


def detach(draft: Draft, report: AttachedReport) -> None:
    """Take a report off the draft (its kept copy stays while another draft may name it)."""
    draft.reports = [r for r in draft.reports if r is not report]


def relink(draft: Draft) -> None:
    """Point each report at its test again after the list of tests changed: a test moved is
    found by its kind and time; one edited in place keeps its place (and its new key)."""
    keys = [test_key(test) for test in _tests(draft)]
    for report in draft.reports:
        if report.test_index < len(keys) and keys[report.test_index] == report.test_key:
            continue
        if report.test_key in keys:
            report.test_index = keys.index(report.test_key)
        elif report.test_index < len(keys):
            report.test_key = keys[report.test_index]


def linked(draft: Draft, report: AttachedReport) -> bool:
    """Whether the report's test is still in the draft (a removed test leaves it loose)."""
    return report.test_index < len(_tests(draft))


def of_test(draft: Draft, test_index: int) -> list[AttachedReport]:
    return [r for r in draft.reports if r.test_index == test_index and linked(draft, r)]


def unsent(draft: Draft, declaration_id: str | None = None) -> list[AttachedReport]:
    """The reports still to upload to ``declaration_id`` (the draft's own by default)."""
    target = declaration_id or draft.submitted_as
    return [
        r
        for r in draft.reports
        if r.refused is None
        and linked(draft, r)
        and (r.uploaded_as is None or r.uploaded_to != target)
    ]


def has_unsent(draft: Draft) -> bool:
    """A draft already filed whose reports are not all sent: it is still the one to open."""
    return draft.submitted_as is not None and bool(unsent(draft))


def test_line(draft: Draft, test_index: int) -> str:
    """A test as the reports step names it: number, kind, sampling time, institution."""
    from itdeclare.models import LabTestKind

    test = _tests(draft)[test_index]
    kind = str(test.get("kind") or "")
    parts = [
        enum_text(LabTestKind(kind)) if kind in set(LabTestKind) else tr("journey.reports.no_kind"),
        str(test.get("sampled_at") or "").replace("T", " "),
        str(test.get("institution") or ""),
    ]
    return f"{test_index + 1}. " + " · ".join(part for part in parts if part.strip())


def report_line(draft: Draft, report: AttachedReport) -> str:
    """A report as the step lists it: name, size, and whether it is sent."""
    if report.refused is not None:
        state = refusal_text(report)
    elif report.uploaded_as is not None and report.uploaded_to == draft.submitted_as:
        state = tr("journey.reports.state.sent")
    else:
        state = tr("journey.reports.state.to_send")
    return f"{report.name} · {size_text(report.size)} · {state}"


# --- sending -----------------------------------------------------------------------------------

#: Told (report, bytes sent, bytes in all) as an upload goes.
Progress = Callable[["AttachedReport", int, int], None]
#: Writes the draft (after each report sent): the next attempt starts from there.
Save = Callable[["Draft"], Awaitable[None]]


class Sending:
    """What one attempt did with the draft's unsent reports (a plain class: this module loads
    at every start, and a dataclass is made in five times the time, see :mod:`itdeclare.plain`)."""

    def __init__(self) -> None:
        self.sent: list[AttachedReport] = []
        #: Already held by the backend (an earlier attempt's answer was lost): not sent again.
        self.found: list[AttachedReport] = []
        self.refused: list[AttachedReport] = []

    @property
    def refused_text(self) -> str:
        """Each file the service would not take, and why, for the user."""
        return "; ".join(refusal_text(report) for report in self.refused)


async def send(
    api: ApiClient,
    store: ReportStore,
    draft: Draft,
    declaration_id: str,
    *,
    progress: Progress,
    save: Save,
) -> Sending:
    """Upload the draft's unsent reports to ``declaration_id``, each with its test's index.

    A failure of the network or the service (``itdeclare.client.ApiError``) stops the attempt
    and propagates: what was sent is in the draft, the rest goes on the next attempt. A file
    the service will never take is marked as refused (and reported) so it is not retried."""
    from itdeclare.client import ApiError

    done = Sending()
    waiting = unsent(draft, declaration_id)
    if not waiting:
        return done
    detail = await api.get_declaration(declaration_id)
    held = {(a.sha256, a.test_index): a.id for a in detail.attachments}
    for report in waiting:
        already = held.get((report.sha256, report.test_index))
        if already is not None:
            _mark(report, declaration_id, already)
            done.found.append(report)
            await save(draft)
            continue
        content = await asyncio.to_thread(store.read, report.sha256)
        if content is None:
            report.refused = "copy_lost"
            done.refused.append(report)
            await save(draft)
            continue
        try:
            stored = await api.upload_attachment(
                declaration_id,
                Path(report.name),
                content=content,
                test_index=report.test_index,
                progress=functools.partial(progress, report),
            )
        except ApiError as error:
            if error.code not in _FOR_GOOD:
                raise
            report.refused = error.code
            done.refused.append(report)
        else:
            _mark(report, declaration_id, stored.id)
            held[(report.sha256, report.test_index)] = stored.id
            done.sent.append(report)
        await save(draft)
    return done


def refusal_text(report: AttachedReport) -> str:
    key = f"journey.reports.reason.{report.refused}"
    reason = tr(key) if has_text(key) else tr("journey.reports.reason.other")
    return tr("journey.reports.refused_one", name=report.name, reason=reason)


def _mark(report: AttachedReport, declaration_id: str, attachment_id: str) -> None:
    report.uploaded_to = declaration_id
    report.uploaded_as = attachment_id


#: Drafts whose reports are being sent now (on this event loop): never twice at once.
SENDING: set[str] = set()


async def send_left_over(api: ApiClient, state: LocalState, filed: set[str]) -> int:
    """Send the reports an earlier attempt left (an upload that failed, the app closed or
    killed meanwhile) of the drafts filed as one of ``filed`` (the account's declarations).
    A failure is left for the next look. Returns how many reports went."""
    from itdeclare.client import ApiError

    drafts = await asyncio.to_thread(state.drafts.list)
    sent = 0
    for draft in drafts:
        target = draft.submitted_as
        if target not in filed or not has_unsent(draft) or draft.id in SENDING:
            continue

        async def save(saved: Draft) -> None:
            await asyncio.to_thread(state.drafts.save, saved)

        SENDING.add(draft.id)
        try:
            done = await send(api, state.reports, draft, target, progress=_quiet, save=save)
            sent += len(done.sent)
        except ApiError:
            continue
        finally:
            SENDING.discard(draft.id)
    return sent


def _quiet(report: AttachedReport, sent: int, total: int) -> None:
    """Nobody watches an upload taken up in the background."""


def loose(draft: Draft) -> list[AttachedReport]:
    """Reports whose test is no longer in the draft: not sent until linked again."""
    return [r for r in draft.reports if not linked(draft, r)]


def test_count(draft: Draft) -> int:
    return len(_tests(draft))
