"""The estimated wait: the consulate's decisions of the last day × the declarations ahead."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from itdeclare.server.services import pace
from itdeclare.server.tables import DeclarationRow, Event
from tests.server import documents
from tests.server.conftest import LiveServer, Reviewer, Traveller, fresh_consulate

DAY_S = 24 * 3600


def test_the_wait_at_a_pace_is_the_places_to_go_times_the_interval() -> None:
    assert pace.estimated_wait_s(pace.MIN_DECISIONS - 1, 0) is None
    assert pace.estimated_wait_s(24, 0) == 3600  # one an hour: next in line waits an hour
    assert pace.estimated_wait_s(24, 2) == 3 * 3600
    assert pace.estimated_wait_s(48, 9) == 10 * 1800


def wait_of(traveller: Traveller, declaration_id: str) -> int | None:
    response = traveller.get(f"/api/v1/declarations/{declaration_id}")
    assert response.status_code == 200, response.text
    wait = response.json()["estimated_wait_s"]
    assert wait is None or isinstance(wait, int)
    return wait


def test_the_estimate_needs_history_and_follows_the_position(
    server: LiveServer, traveller: Traveller, make_reviewer: Callable[[str], Reviewer]
) -> None:
    consulate = fresh_consulate()
    reviewer = make_reviewer(consulate)
    ids = [
        traveller.submitted(declaration=documents.declaration(residence=consulate))["id"]
        for _ in range(pace.MIN_DECISIONS + 3)
    ]
    last = ids[-1]
    assert wait_of(traveller, last) is None  # no decision yet: too little history
    reviewer.decide(ids[0], "request_supplement", "Send the lab report")  # keeps its place
    for declaration_id in ids[1 : pace.MIN_DECISIONS]:
        assert reviewer.decide(declaration_id, "approve").status_code == 200
    assert wait_of(traveller, last) is None  # four decisions are too few
    assert reviewer.decide(ids[pace.MIN_DECISIONS], "reject", "Wrong test").status_code == 200
    # Five decisions a day; the first (material asked) and one other are still ahead.
    assert wait_of(traveller, last) == 3 * DAY_S // pace.MIN_DECISIONS
    assert wait_of(traveller, ids[-2]) == 2 * DAY_S // pace.MIN_DECISIONS
    assert reviewer.decide(ids[-2], "approve").status_code == 200
    assert wait_of(traveller, last) == 2 * DAY_S // (pace.MIN_DECISIONS + 1)  # moves as it moves
    assert wait_of(traveller, ids[-2]) is None  # decided: out of review


def test_decisions_older_than_a_day_do_not_count(
    server: LiveServer, traveller: Traveller, make_reviewer: Callable[[str], Reviewer]
) -> None:
    consulate = fresh_consulate()
    reviewer = make_reviewer(consulate)
    ids = [
        traveller.submitted(declaration=documents.declaration(residence=consulate))["id"]
        for _ in range(pace.MIN_DECISIONS + 1)
    ]
    for declaration_id in ids[:-1]:
        assert reviewer.decide(declaration_id, "approve").status_code == 200
    assert wait_of(traveller, ids[-1]) == DAY_S // pace.MIN_DECISIONS

    def a_day_earlier(session: Session) -> None:
        of_consulate = select(DeclarationRow.id).where(DeclarationRow.consulate == consulate)
        events = session.execute(select(Event).where(Event.declaration_id.in_(of_consulate)))
        for event in events.scalars():
            event.at -= timedelta(hours=24, minutes=1)

    server.db.write(a_day_earlier)
    assert wait_of(traveller, ids[-1]) is None


def test_another_consulates_decisions_do_not_count(
    traveller: Traveller, make_reviewer: Callable[[str], Reviewer]
) -> None:
    busy, quiet = fresh_consulate(), fresh_consulate()
    reviewer = make_reviewer(busy)
    for _ in range(pace.MIN_DECISIONS):
        filed = traveller.submitted(declaration=documents.declaration(residence=busy))
        assert reviewer.decide(filed["id"], "approve").status_code == 200
    waiting = traveller.submitted(declaration=documents.declaration(residence=quiet))
    assert wait_of(traveller, waiting["id"]) is None
