"""The review queue as the console holds it: entries in review order, filters, search, counts.

Pure logic, no Textual. The queue endpoint lists who and when; the document number and the
flight come with each declaration, which the console fetches in the background, so an entry's
``declaration`` may still be ``None`` and filters that need it leave such an entry out until it
arrives (the counts say how many are still loading).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from itdeclare.client import ReviewItem
    from itdeclare.models import Declaration


class StatusFilter(StrEnum):
    ANY = "any"
    PENDING = "pending_review"
    SUPPLEMENT = "supplement_requested"


class AgeFilter(StrEnum):
    """How long ago the declaration was submitted."""

    ANY = "any"
    UNDER_DAY = "under_day"
    OVER_DAY = "over_day"
    OVER_3_DAYS = "over_3_days"
    OVER_WEEK = "over_week"


class DepartureFilter(StrEnum):
    """When the flight into China leaves, in the departure airport's own calendar."""

    ANY = "any"
    DEPARTED = "departed"
    TODAY = "today"
    TOMORROW = "tomorrow"
    NEXT_7_DAYS = "next_7_days"
    LATER = "later"


_MIN_AGE = {
    AgeFilter.OVER_DAY: timedelta(days=1),
    AgeFilter.OVER_3_DAYS: timedelta(days=3),
    AgeFilter.OVER_WEEK: timedelta(days=7),
}
WEEK = timedelta(days=7)


@dataclass(frozen=True, slots=True)
class QueueFilter:
    status: StatusFilter = StatusFilter.ANY
    age: AgeFilter = AgeFilter.ANY
    departure: DepartureFilter = DepartureFilter.ANY
    search: str = ""

    @property
    def needs_declaration(self) -> bool:
        """Whether matching needs the declaration itself, not only the queue's summary."""
        return self.departure is not DepartureFilter.ANY or bool(_words(self.search))


@dataclass(slots=True)
class Entry:
    """One declaration in the queue; ``declaration`` once its full text has been fetched."""

    item: ReviewItem
    declaration: Declaration | None = None

    @property
    def id(self) -> str:
        return self.item.id

    @property
    def departs_at(self) -> datetime | None:
        return self.declaration.entry_leg.departs_at if self.declaration else None

    def departure_zone(self) -> tzinfo | None:
        """The departure airport's time zone (the calendar the entry rules count in)."""
        from itdeclare.models import reference

        if self.declaration is None:
            return None
        airport = reference.airport(self.declaration.entry_leg.from_)
        if airport is not None:
            return airport.zone
        return self.declaration.entry_leg.departs_at.tzinfo

    def departure_day(self) -> date | None:
        departs, zone = self.departs_at, self.departure_zone()
        return departs.astimezone(zone).date() if departs and zone else None

    @property
    def document_number(self) -> str | None:
        return self.declaration.subject.document.number if self.declaration else None


def _fold(text: str) -> str:
    """Case, width and spacing folded away: ``Ｅ１２３`` finds ``e 123``."""
    return "".join(unicodedata.normalize("NFKC", text).casefold().split())


def _words(search: str) -> list[str]:
    return [_fold(word) for word in search.split() if _fold(word)]


def search_matches(entry: Entry, search: str) -> bool:
    """Every word of ``search`` is in the name (Latin or Chinese) or a document number."""
    words = _words(search)
    if not words:
        return True
    haystack = [entry.item.name or ""]
    if entry.declaration is not None:
        subject = entry.declaration.subject
        haystack += [
            subject.family_name + subject.given_name,
            subject.given_name + subject.family_name,
            subject.chinese_name or "",
            subject.document.number,
            subject.id_card_number or "",
        ]
    folded = [_fold(text) for text in haystack]
    return all(any(word in text for text in folded) for word in words)


def age_matches(entry: Entry, age: AgeFilter, now: datetime) -> bool:
    submitted = entry.item.submitted_at
    if age is AgeFilter.ANY:
        return True
    if submitted is None:
        return False
    waited = now - submitted
    if age is AgeFilter.UNDER_DAY:
        return waited < timedelta(days=1)
    return waited >= _MIN_AGE[age]


def departure_matches(entry: Entry, departure: DepartureFilter, now: datetime) -> bool:
    if departure is DepartureFilter.ANY:
        return True
    departs, zone = entry.departs_at, entry.departure_zone()
    if departs is None or zone is None:
        return False
    if departure is DepartureFilter.DEPARTED:
        return departs <= now
    if departs <= now:
        return False
    day = departs.astimezone(zone).date()
    today = now.astimezone(zone).date()
    if departure is DepartureFilter.TODAY:
        return day == today
    if departure is DepartureFilter.TOMORROW:
        return day == today + timedelta(days=1)
    if departure is DepartureFilter.NEXT_7_DAYS:
        return departs <= now + WEEK
    return departs > now + WEEK


def matches(entry: Entry, chosen: QueueFilter, now: datetime) -> bool:
    if chosen.status is not StatusFilter.ANY and entry.item.status.value != chosen.status.value:
        return False
    return (
        age_matches(entry, chosen.age, now)
        and departure_matches(entry, chosen.departure, now)
        and search_matches(entry, chosen.search)
    )


@dataclass(frozen=True, slots=True)
class Counts:
    """What the top of the queue says."""

    total: int
    pending: int
    supplement: int
    shown: int
    loaded: int
    """Entries whose declaration has arrived (for filters that need it)."""


@dataclass(slots=True)
class ReviewQueue:
    """The consulate's queue in review order, and the order the reviewer works through."""

    entries: dict[str, Entry] = field(default_factory=dict)
    shown: list[str] = field(default_factory=list)
    """Ids the queue screen shows now, in its order: what "next" walks."""

    def replace_items(self, items: Iterable[ReviewItem]) -> None:
        """The queue as the server lists it now; declarations already fetched are kept unless
        the entry changed status (a supplement may have brought a new version)."""
        kept = self.entries
        entries = {}
        for item in sorted(items, key=_review_order):
            old = kept.get(item.id)
            same = old is not None and old.item.status is item.status
            entries[item.id] = Entry(item, old.declaration if old and same else None)
        self.entries = entries

    def missing_declarations(self) -> list[str]:
        return [e.id for e in self.entries.values() if e.declaration is None]

    def filtered(self, chosen: QueueFilter, now: datetime) -> list[Entry]:
        return [entry for entry in self.entries.values() if matches(entry, chosen, now)]

    def counts(self) -> Counts:
        statuses = [entry.item.status.value for entry in self.entries.values()]
        return Counts(
            total=len(statuses),
            pending=statuses.count(StatusFilter.PENDING.value),
            supplement=statuses.count(StatusFilter.SUPPLEMENT.value),
            shown=len(self.shown),
            loaded=sum(1 for e in self.entries.values() if e.declaration is not None),
        )

    def next_after(self, declaration_id: str) -> str | None:
        """The declaration to open after ``declaration_id``: the next one shown, else the first
        one shown that is not this one."""
        order = self.shown
        if declaration_id in order:
            later = order[order.index(declaration_id) + 1 :]
            if later:
                return later[0]
        rest = [other for other in order if other != declaration_id]
        return rest[0] if rest else None

    def previous_before(self, declaration_id: str) -> str | None:
        order = self.shown
        if declaration_id not in order:
            return None
        index = order.index(declaration_id)
        return order[index - 1] if index > 0 else None

    def drop(self, declaration_id: str) -> None:
        """Forget a declaration decided here (it has left the queue)."""
        self.entries.pop(declaration_id, None)
        if declaration_id in self.shown:
            self.shown.remove(declaration_id)


def _review_order(item: ReviewItem) -> tuple[int, str]:
    position = item.queue_position if item.queue_position is not None else 1 << 62
    return position, item.id
