"""The traveller app on the backend's recorded answers, as a traveller who filed would have it:
signed in, the person registered, the draft submitted, the green code kept once approved."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from itdeclare.app import TravellerApp
from itdeclare.client import DeclarationDetail, RetryPolicy
from itdeclare.config import Settings
from itdeclare.i18n import Language
from itdeclare.journey.connection import Connection
from itdeclare.journey.documents import form_of
from itdeclare.models import DeclarationStatus, Relationship
from itdeclare.storage.records import Certificate, Draft, Person, Session
from itdeclare.storage.state import LocalState
from tests.journey.record import RECORDED_SERVER, recorded, recorded_transport


def recorded_app(
    stage: str,
    language: Language = "en",
    *,
    serve: str | Callable[[], str] | None = None,
    poll_interval: float = 3600,
) -> TravellerApp:
    """The app with the local state of a traveller at ``stage``; the backend answers as it
    did at ``serve`` (default: the same stage), which may change while the app runs."""
    data = recorded()
    now = datetime.fromisoformat(data["recorded_at"])
    first = data["declaration_id"]
    detail = DeclarationDetail.model_validate(data["stages"][stage]["details"][first])
    state = LocalState()
    person = state.people.add(
        Person(
            relationship=Relationship.SELF,
            subject={"family_name": "ZHANG", "given_name": "SAN", "chinese_name": "张三"},
            remote_id=data["person_id"],
        )
    )
    assert detail.declaration is not None
    state.drafts.save(
        Draft(person_id=person.id, declaration=form_of(detail.declaration), submitted_as=first)
    )
    state.session.save(Session(server=RECORDED_SERVER, token="recorded", phone="+14155550123"))
    if stage in ("approved", "revoked"):
        issued = data["certificate"]
        state.certificates.save(
            Certificate(
                payload=issued["payload"],
                declaration_id=first,
                person_id=person.id,
                issued_at=datetime.fromisoformat(issued["issued_at"]),
                expires_at=datetime.fromisoformat(issued["expires_at"]),
                status=DeclarationStatus.APPROVED,
            )
        )
    return TravellerApp(
        Settings(language=language, server=RECORDED_SERVER),
        clock=lambda: now,
        connection=lambda context: Connection(
            context,
            transport=recorded_transport(serve or stage),
            retry=RetryPolicy(attempts=1),
            poll_interval=poll_interval,
        ),
    )
