"""A submission the backend refuses for good (a live declaration holds the person or the
document) is told as such, with what to do instead: never as a failure to retry."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from textual.pilot import Pilot

from itdeclare.client import ApiClient
from itdeclare.journey.documents import document_of
from itdeclare.models import Relationship
from itdeclare.screens.wizard import WizardScreen
from itdeclare.storage.state import LocalState
from tests.journey.conftest import (
    AppFactory,
    Backend,
    form_for,
    next_consulate,
    next_phone,
    settle,
    until,
)
from tests.journey.test_journey import (
    filing_form,
    sign_in_when_asked,
    submit_draft,
    submit_status,
)
from tests.tui.seeds import seed

pytestmark = pytest.mark.slow

RETRY = "submit again when you can"


async def _submit_refused(pilot: Pilot[Any], expect: str) -> str:
    """From home: open the selected person's draft, submit it, and wait for the refusal."""
    app = pilot.app
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(app.screen, WizardScreen)
    await pilot.press("ctrl+n")
    await until(pilot, lambda: expect in submit_status(app))
    return submit_status(app)


async def _second_person_refused(
    make_app: AppFactory, form: dict[str, Any], other: dict[str, Any], expect: str
) -> str:
    """``form`` (ZHANG SAN's) and ``other``, drafts of two people on this computer filing from one
    phone: the first is submitted, the second refused with ``expect``, for good, its draft kept
    as it was. What the refusal says."""
    seed(form, step="review")
    other["contact"]["phone"] = form["contact"]["phone"]
    _, taken = seed(other, step="review")
    app = make_app()
    async with app.run_test(size=(130, 60)) as pilot:
        await settle(pilot)
        await submit_draft(pilot)  # ZHANG SAN's, first on the home screen
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("down")
        said = await _submit_refused(pilot, expect)
        assert "re-declare (r)" in said and RETRY not in said
        kept = next(d for d in LocalState().drafts.list() if d.id == taken.id)
        assert (kept.submitted_as, kept.replaces) == (None, None)
    return said


async def test_a_document_live_for_another_person_here_names_that_person(
    make_app: AppFactory,
) -> None:
    consulate = next_consulate()
    form = filing_form(consulate)
    other = form_for(consulate, family_name="LI", given_name="SI", chinese_name="李四")
    other["subject"]["document"] = dict(form["subject"]["document"])
    expect = "is in the live declaration of ZHANG SAN (张三)"
    await _second_person_refused(make_app, form, other, expect)


async def test_a_second_entry_for_one_traveller_here_names_the_first(
    make_app: AppFactory,
) -> None:
    """ZHANG SAN entered twice on this computer (张三 and 张叁, the same names in Latin letters
    and birthday): the second entry's other passport is refused, naming the first entry."""
    consulate = next_consulate()
    form = filing_form(consulate)
    again = form_for(consulate, given_name="San", chinese_name="张叁")
    expect = "ZHANG SAN (张三), filed from this computer, is the"
    said = await _second_person_refused(make_app, form, again, expect)
    assert "same traveller" in said


async def test_a_document_live_in_another_account_says_so_in_chinese(
    backend: Backend, make_app: AppFactory
) -> None:
    form = filing_form(next_consulate())
    async with ApiClient(backend.url) as elsewhere:
        phone = next_phone()
        sent = await elsewhere.request_code(phone)
        await elsewhere.sign_in(phone, sent.dev_code or "")
        document = document_of(form, datetime.now(UTC))
        person = await elsewhere.create_person(Relationship.SELF, document.subject)
        await elsewhere.submit_declaration(person.id, document, idempotency_key=person.id)
    seed(form, step="review")
    app = make_app(language="zh")
    async with app.run_test(size=(130, 60)) as pilot:
        await settle(pilot)
        app.call_later(app.sign_in)
        await sign_in_when_asked(pilot, form["contact"]["phone"])
        await until(pilot, lambda: app.screen.id == "home")
        said = await _submit_refused(pilot, "已有一份由其他账户提交")
        assert "核对证件号码" in said and "可稍后再次提交" not in said
