"""Filing a draft with its tests' reports: the declaration first, then each report (see
``journey.reports``); a draft filed whose reports did not all go is not filed again."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from itdeclare.journey import reports

if TYPE_CHECKING:
    from itdeclare.client import DeclarationSummary
    from itdeclare.journey.connection import Connection
    from itdeclare.storage.records import Draft, Person
    from itdeclare.storage.state import LocalState


class ReportsNotSent(Exception):
    """The declaration is filed (``summary``) but some reports did not go: ``error`` says why;
    they stay in the draft for the next attempt."""

    def __init__(self, summary: DeclarationSummary, error: Exception, left: int) -> None:
        super().__init__(str(error))
        self.summary = summary
        self.error = error
        self.left = left


async def file_with_reports(
    connection: Connection,
    state: LocalState,
    draft: Draft,
    person: Person,
    *,
    progress: reports.Progress,
) -> tuple[DeclarationSummary, reports.Sending]:
    """File the draft, then upload its reports. A draft already filed whose reports are not
    all sent is not filed again: only the reports left are sent (``has_unsent``)."""
    from itdeclare.client import ApiError

    reports.relink(draft)
    if reports.has_unsent(draft) and draft.submitted_as is not None:
        summary: DeclarationSummary = await connection.detail(draft.submitted_as)
    else:
        summary = await connection.submit(draft, person)
    if not reports.unsent(draft, summary.id):
        return summary, reports.Sending()
    drafts = state.drafts

    async def save(saved: Draft) -> None:
        written = await asyncio.to_thread(drafts.save, saved)
        saved.revision, saved.updated_at = written.revision, written.updated_at

    api = await connection.api()
    reports.SENDING.add(draft.id)
    try:
        sending = await reports.send(
            api, state.reports, draft, summary.id, progress=progress, save=save
        )
    except ApiError as error:
        raise ReportsNotSent(summary, error, len(reports.unsent(draft, summary.id))) from error
    finally:
        reports.SENDING.discard(draft.id)
    return summary, sending
