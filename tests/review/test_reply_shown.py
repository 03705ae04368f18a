"""The traveller's answer to a request for material is shown with the declaration, beside the
request, in a 120-column window: the reviewer needs no tab or scrolling to read it."""

from __future__ import annotations

import copy
import html
import re
from datetime import UTC, datetime, timedelta

import pytest

from itdeclare.client import StatusChange
from itdeclare.i18n import Language
from itdeclare.models import DeclarationStatus
from itdeclare.reviewing.reply import Reply, latest_reply
from tests.review import scripted
from tests.review.conftest import settle
from tests.review.scripted import scripted_app
from tests.review.test_console_keys import opened

START = datetime(2026, 11, 29, 8, 0, tzinfo=UTC)


def step(hours: int, action: str, note: str | None = None, files: int = 0) -> StatusChange:
    return StatusChange(
        status=DeclarationStatus.PENDING_REVIEW,
        at=START + timedelta(hours=hours),
        action=action,
        note=note,
        attachment_ids=[f"a-{n}" for n in range(files)],
    )


def test_the_reply_is_the_answer_to_the_latest_request() -> None:
    asked = [step(0, "submitted"), step(1, "request_supplement", "Send the report.")]
    assert latest_reply(asked) is None  # not answered yet
    answered = [*asked, step(2, "supplemented", "Here it is.", files=2)]
    assert latest_reply(answered) == Reply(START + timedelta(hours=2), "Here it is.", 2)
    asked_again = [*answered, step(3, "request_supplement", "And the ticket.")]
    assert latest_reply(asked_again) is None  # the earlier answer is not to this request
    assert latest_reply([step(0, "submitted")]) is None


def screen_text(svg: str) -> str:
    runs = re.findall(r'<text [^>]*line-(\d+)\)">([^<]*)<', svg)
    return "".join(html.unescape(text).replace("\xa0", " ") for _, text in runs)


@pytest.mark.parametrize(
    ("language", "words"),
    [("en", "Traveller's reply"), ("zh", "申报人的补充答复")],
)
async def test_the_reply_shows_beside_the_request_at_120_columns(
    language: Language, words: str
) -> None:
    app = scripted_app(language)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await opened(pilot, "down", "enter")  # LI SI, who answered a request
        shown = screen_text(app.export_screenshot())
        assert "Please upload the IgM antibody test report." in shown
        assert words in shown and "Here it is." in shown


async def test_a_long_reply_scrolls_in_its_part_of_the_window(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    long_reply = "The laboratory's report is attached. " * 50  # about 1900 characters
    details = copy.deepcopy(scripted.DETAILS)
    details["d-li"]["history"][-1]["note"] = long_reply
    monkeypatch.setattr(scripted, "DETAILS", details)
    app = scripted_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = await opened(pilot, "down", "enter")
        exchange = screen.query_one("#review-exchange")
        assert 0 < exchange.size.height <= 24 * 0.3
        assert exchange.max_scroll_y > 0  # the rest is a scroll away
        assert screen.query_one("#tabs").size.height >= 10
