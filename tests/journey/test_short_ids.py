"""Short ids shown for the declarations of one chain differ: ids begin with the time they were
made, so two declarations made the same day share their first digits."""

from __future__ import annotations

from itdeclare.client import DeclarationSummary
from itdeclare.client.models import DeclarationDetail
from itdeclare.models import DeclarationStatus
from itdeclare.widgets.journey.card import facts

FIRST = "019ae4a1b2c30000000000000000aaaa"
SECOND = "019ae4a1b2c400000000000000bbbbbb"


def test_a_declaration_and_its_replacement_show_different_ids() -> None:
    summary = DeclarationSummary(
        id=FIRST,
        status=DeclarationStatus.CANCELLED,
        redeclarations_left=1,
        consulate="USA",
        person_id="p1",
        replaced_by=SECOND,
    )
    text = facts(DeclarationDetail(**summary.model_dump()))
    assert FIRST[-8:] in text and SECOND[-8:] in text
    assert FIRST[:8] not in text
