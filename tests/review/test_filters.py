"""The queue's filters, search, counts and order of work: pure, with a fixed clock."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from itdeclare.client import ReviewItem
from itdeclare.models import Declaration, DeclarationStatus
from itdeclare.reviewing.filters import (
    AgeFilter,
    DepartureFilter,
    Entry,
    QueueFilter,
    ReviewQueue,
    StatusFilter,
    age_matches,
    departure_matches,
    search_matches,
)

EXAMPLE = Path(__file__).parents[2] / "examples" / "self.json"
#: 30 Nov 2026, 12:00 in San Francisco: the example flight leaves tomorrow at 11:00 there.
NOW = datetime(2026, 11, 30, 20, 0, tzinfo=UTC)


def document(**changes: Any) -> Declaration:
    data = json.loads(EXAMPLE.read_text("utf-8"))
    data.update(changes)
    return Declaration.model_validate(data)


def item(
    n: int,
    status: DeclarationStatus = DeclarationStatus.PENDING_REVIEW,
    waited: timedelta = timedelta(hours=2),
    name: str = "ZHANG SAN",
) -> ReviewItem:
    return ReviewItem(
        id=f"d{n}", status=status, queue_position=n, submitted_at=NOW - waited, name=name
    )


def entry(departs: str | None = "2026-12-01T11:00:00-08:00", **item_options: Any) -> Entry:
    if departs is None:
        return Entry(item(1, **item_options))
    legs = [
        {
            "flight": "UA857",
            "from": "SFO",
            "to": "PVG",
            "departs_at": departs,
            "arrives_at": "2026-12-02T17:00:00+08:00",
        }
    ]
    return Entry(item(1, **item_options), document(itinerary=legs))


@pytest.mark.parametrize(
    "search",
    [
        "zhang",
        "ZHANG SAN",
        "san zhang",
        "zhangsan",
        "张三",
        "e1234",
        "Ｅ１２３４５",
        "11010519560301001x",
        "",
    ],
)
def test_search_finds_by_name_either_script_and_document_number(search: str) -> None:
    assert search_matches(entry(), search)


def test_search_needs_every_word_and_the_declaration_for_numbers() -> None:
    assert not search_matches(entry(), "zhang li")
    assert not search_matches(entry(departs=None), "E12345678")  # not fetched yet
    assert search_matches(entry(departs=None), "zhang")  # the queue's own summary


@pytest.mark.parametrize(
    ("waited", "chosen", "expected"),
    [
        (timedelta(hours=2), AgeFilter.UNDER_DAY, True),
        (timedelta(hours=2), AgeFilter.OVER_DAY, False),
        (timedelta(days=1), AgeFilter.OVER_DAY, True),
        (timedelta(days=2), AgeFilter.OVER_3_DAYS, False),
        (timedelta(days=4), AgeFilter.OVER_3_DAYS, True),
        (timedelta(days=8), AgeFilter.OVER_WEEK, True),
        (timedelta(days=8), AgeFilter.ANY, True),
    ],
)
def test_age(waited: timedelta, chosen: AgeFilter, expected: bool) -> None:
    assert age_matches(entry(waited=waited), chosen, NOW) is expected


@pytest.mark.parametrize(
    ("departs", "chosen", "expected"),
    [
        ("2026-12-01T11:00:00-08:00", DepartureFilter.TOMORROW, True),
        ("2026-12-01T11:00:00-08:00", DepartureFilter.TODAY, False),
        ("2026-11-30T23:30:00-08:00", DepartureFilter.TODAY, True),  # still 30 Nov at SFO
        ("2026-11-30T08:00:00-08:00", DepartureFilter.DEPARTED, True),
        ("2026-11-30T08:00:00-08:00", DepartureFilter.TODAY, False),
        ("2026-12-06T11:00:00-08:00", DepartureFilter.NEXT_7_DAYS, True),
        ("2026-12-06T11:00:00-08:00", DepartureFilter.LATER, False),
        ("2026-12-09T11:00:00-08:00", DepartureFilter.LATER, True),
    ],
)
def test_departure_counts_days_at_the_departure_airport(
    departs: str, chosen: DepartureFilter, expected: bool
) -> None:
    assert departure_matches(entry(departs=departs), chosen, NOW) is expected


def test_a_departure_filter_leaves_out_entries_not_fetched_yet() -> None:
    assert not departure_matches(entry(departs=None), DepartureFilter.TOMORROW, NOW)
    assert departure_matches(entry(departs=None), DepartureFilter.ANY, NOW)
    assert QueueFilter(search="li").needs_declaration
    assert not QueueFilter(status=StatusFilter.PENDING).needs_declaration


def make_queue() -> ReviewQueue:
    queue = ReviewQueue()
    queue.replace_items(
        [
            item(2, DeclarationStatus.SUPPLEMENT_REQUESTED),
            item(0),
            item(1, name="LI SI"),
        ]
    )
    queue.shown = [e.id for e in queue.filtered(QueueFilter(), NOW)]
    return queue


def test_the_queue_is_in_review_order_with_its_counts() -> None:
    queue = make_queue()
    assert queue.shown == ["d0", "d1", "d2"]
    counts = queue.counts()
    assert (counts.total, counts.pending, counts.supplement, counts.shown, counts.loaded) == (
        3,
        2,
        1,
        3,
        0,
    )
    chosen = QueueFilter(status=StatusFilter.SUPPLEMENT)
    assert [e.id for e in queue.filtered(chosen, NOW)] == ["d2"]


def test_next_and_previous_walk_the_shown_order() -> None:
    queue = make_queue()
    assert queue.next_after("d0") == "d1"
    assert queue.next_after("d2") == "d0"  # from the last, back to the first still shown
    assert queue.previous_before("d1") == "d0"
    assert queue.previous_before("d0") is None
    queue.drop("d1")
    assert queue.next_after("d0") == "d2"
    queue.drop("d0")
    queue.drop("d2")
    assert queue.next_after("d2") is None


def test_a_fetched_declaration_is_kept_until_the_entry_changes_status() -> None:
    queue = make_queue()
    queue.entries["d0"].declaration = document()
    queue.entries["d2"].declaration = document()
    queue.replace_items([item(0), item(2, DeclarationStatus.PENDING_REVIEW)])
    assert queue.entries["d0"].declaration is not None
    assert queue.entries["d2"].declaration is None  # answered: a new version may have come
    assert queue.missing_declarations() == ["d2"]
