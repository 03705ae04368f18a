"""The queue and a declaration's audit trail fit the window at 80x24 and 120x40, in English and
Chinese: every column's title is shown whole, no table scrolls sideways, and a long note or
status wraps, whole words, onto more lines rather than being cut at the window's edge."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from textual.app import App
from textual.widgets import DataTable

from itdeclare import wording
from itdeclare.client import StatusChange
from itdeclare.i18n import Language
from itdeclare.widgets.review.audit import AuditTrail, actor_text, step_time
from itdeclare.widgets.review.queue import QueueTable
from tests.review.conftest import settle
from tests.review.scripted import scripted_app

SIZES = ((80, 24), (120, 40))


def screen_text(app: App[Any]) -> str:
    """The screen as drawn, line by line (a wide character once)."""
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(segment.text for segment in strip) for strip in strips)


def assert_fits(app: App[Any], table: DataTable[Any]) -> None:
    shown = screen_text(app)
    assert table.max_scroll_x == 0
    for column in table.columns.values():
        assert str(column.label) in shown
    # Every cell is on screen whole, perhaps over several lines: its words in order.
    words = " ".join(shown.split())
    for row in table.rows:
        for cell in table.get_row(row):
            for word in str(cell).split():
                assert word in words


@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
async def test_the_queue_fits(language: Language, size: tuple[int, int]) -> None:
    app = scripted_app(language)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        table = app.screen.query_one(QueueTable)
        assert table.row_count > 0
        assert_fits(app, table)


@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
async def test_the_audit_trail_fits(language: Language, size: tuple[int, int]) -> None:
    app = scripted_app(language)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        for key in ("down", "enter", "5"):
            await pilot.press(key)
            await settle(pilot)
        table = app.screen.query_one(AuditTrail)
        assert any("IgM" in str(cell) for row in table.rows for cell in table.get_row(row))
        assert_fits(app, table)


async def test_the_audit_trail_refits_when_the_window_narrows() -> None:
    app = scripted_app("en")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        for key in ("down", "enter", "5"):
            await pilot.press(key)
            await settle(pilot)
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        assert_fits(app, app.screen.query_one(AuditTrail))


def test_a_step_time_is_short_and_names_the_year_only_when_not_this_year() -> None:
    now = datetime(2026, 12, 6, 12, 0)
    wording.use_language("en")
    assert step_time(datetime(2026, 11, 29, 8, 10), now) == "29 Nov 08:10"
    assert step_time(datetime(2025, 11, 29, 8, 10), now) == "29 Nov 2025 08:10"
    wording.use_language("zh")
    assert step_time(datetime(2026, 11, 29, 8, 10), now) == "11月29日 08:10"
    assert step_time(datetime(2025, 11, 29, 8, 10), now) == "2025年11月29日 08:10"
    aware = datetime(2026, 11, 29, 8, 10, tzinfo=UTC)
    assert step_time(aware, now.astimezone()).endswith(f"{aware.astimezone().minute:02d}")


def test_an_account_is_named_by_the_first_digits_of_its_id() -> None:
    """A whole 32-digit id took a column of its own at 80 cells and pushed the last titles off
    the row; eight digits tell the accounts of one trail apart."""
    wording.use_language("en")
    at = datetime(2026, 11, 29, 8, 10, tzinfo=UTC)
    reviewer = StatusChange(status="approved", at=at, actor="reviewer", actor_id="0123456789" * 3)
    assert actor_text(reviewer) == "reviewer 01234567…"
    short = reviewer.model_copy(update={"actor_id": "r-7"})
    assert actor_text(short) == "reviewer r-7"
    assert actor_text(reviewer.model_copy(update={"actor": None, "actor_id": None})) == "system"
