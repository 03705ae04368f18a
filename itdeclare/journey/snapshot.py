"""What the backend last said of the account's declarations, and which of them moved."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from itdeclare.client import DeclarationSummary
    from itdeclare.models import DeclarationStatus


class Change(NamedTuple):
    """A declaration whose status moved since the last look."""

    person_id: str
    declaration_id: str
    before: DeclarationStatus | None
    after: DeclarationStatus


class Snapshot(NamedTuple):
    """What the backend last said of this account's declarations (made whole, then replaced
    whole: a ``NamedTuple``, as it is made at every start, see :mod:`itdeclare.plain`)."""

    summaries: Sequence[DeclarationSummary] = ()
    #: Local person id → remote person id, for the people registered with the backend.
    remote_ids: Mapping[str, str] = MappingProxyType({})

    def of_person(self, person_id: str) -> list[DeclarationSummary]:
        """The person's declarations, newest first."""
        remote = self.remote_ids.get(person_id)
        return [s for s in self.summaries if remote is not None and s.person_id == remote]

    def latest(self, person_id: str) -> DeclarationSummary | None:
        """The open end of the person's newest chain: the declaration that counts now."""
        mine = self.of_person(person_id)
        open_ends = [s for s in mine if s.replaced_by is None]
        found = open_ends or mine
        return found[0] if found else None

    def person_of(self, summary: DeclarationSummary) -> str | None:
        for local, remote in self.remote_ids.items():
            if remote == summary.person_id:
                return local
        return None
