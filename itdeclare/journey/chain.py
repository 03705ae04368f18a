"""A declaration's whole story: the versions of its chain (the first filing and each
re-declaration) with every step of each, from the ``history`` the backend gives per version.

A version that a re-declaration replaced changes no more, so each is asked for once and kept.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING

from itdeclare.i18n import has_text
from itdeclare.journey.text import status_text, when
from itdeclare.wording import tr

if TYPE_CHECKING:
    from itdeclare.client import DeclarationDetail, StatusChange

#: The most versions a chain is followed back through: a first filing and its re-declarations
#: (two are allowed), with room to spare; a loop in bad data ends here too.
MAX_VERSIONS = 8

Fetch = Callable[[str], Awaitable["DeclarationDetail"]]


class Chain:
    """The earlier versions of the declarations shown, kept once fetched."""

    def __init__(self) -> None:
        self._replaced: dict[str, DeclarationDetail] = {}

    async def versions(self, latest: DeclarationDetail, fetch: Fetch) -> list[DeclarationDetail]:
        """``latest`` and the versions it replaced, oldest first."""
        versions = [latest]
        while len(versions) < MAX_VERSIONS:
            earlier_id = versions[-1].replaces
            if earlier_id is None or any(v.id == earlier_id for v in versions):
                break
            earlier = self._replaced.get(earlier_id)
            if earlier is None:
                earlier = await fetch(earlier_id)
                if earlier.replaced_by is not None:  # final: it will not change again
                    self._replaced[earlier_id] = earlier
            versions.append(earlier)
        return versions[::-1]


def _step_key(step: StatusChange) -> str:
    """A version replaced by a re-declaration was cancelled (still in review) or revoked
    (approved): the step says which; replaced otherwise (rejected, expired), not its status
    again, which the step before it gave."""
    if step.action != "replaced":
        return f"journey.history.{step.action}"
    by_status = f"journey.history.{step.status.value}"
    return by_status if has_text(by_status) else "journey.history.replaced"


def step_line(step: StatusChange) -> str:
    """One step: when, what (the files a reply carried), and the words that came with it."""
    what = tr(_step_key(step)) if has_text(_step_key(step)) else status_text(step.status)
    files = len(step.attachment_ids)
    if files:
        what += tr("journey.history.files_one" if files == 1 else "journey.history.files", n=files)
    line = tr("journey.history.line", at=when(step.at), what=what)
    if step.note:
        line += tr("journey.history.with_note", note=step.note)
    return line


def version_heading(index: int, version: DeclarationDetail) -> str:
    # The last eight characters of an id tell a chain's versions apart (the first ones are
    # the time they were made).
    if index == 0:
        return tr("journey.history.first", id=version.id[-8:])
    return tr("journey.history.again", number=index, id=version.id[-8:])


def history_lines(versions: Sequence[DeclarationDetail]) -> list[str]:
    """Every step of every version, oldest first; each version under a heading once there is
    more than one."""
    if len(versions) == 1:
        return [step_line(step) for step in versions[0].history]
    lines: list[str] = []
    for index, version in enumerate(versions):
        lines.append(version_heading(index, version))
        lines.extend("  " + step_line(step) for step in version.history)
    return lines
