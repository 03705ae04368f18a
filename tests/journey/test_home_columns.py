"""Home at 80 columns: every column of the people table, title and all, is in view; a state too
long for its column wraps, whole words, onto a second line rather than pushing the last column
off the screen."""

from __future__ import annotations

from typing import Any

import pytest
from textual.app import App

from itdeclare import wording
from itdeclare.widgets.columns import fit_widths
from itdeclare.widgets.people.table import ColumnHeadings, PeopleTable
from tests.journey.conftest import settle, until
from tests.journey.recorded_app import recorded_app


def screen_lines(app: App[Any]) -> list[str]:
    """The characters of each line of the screen as drawn (a wide character once)."""
    strips = app.screen._compositor.render_strips()
    return ["".join(segment.text for segment in strip) for strip in strips]


@pytest.mark.parametrize("stage", ["pending", "supplement"])
@pytest.mark.parametrize("language", ["en", "zh"])
async def test_the_people_table_fits_80_columns(language: Any, stage: str) -> None:
    app = recorded_app(stage, language)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: bool(app.context.connection.snapshot.summaries))
        await settle(pilot)
        table = app.screen.query_one(PeopleTable)
        await until(pilot, lambda: bool(table.rows_shown and table.rows_shown[0].declaration))
        await settle(pilot)
        assert table.virtual_size.width <= table.scrollable_content_region.width
        shown = "\n".join(screen_lines(app))
        for column in ("name", "relationship", "state", "redeclarations"):
            assert wording.tr(f"app.home.column.{column}") in shown
        words = " ".join(line.strip() for line in screen_lines(app)[6:9]).split()
        for word in table.rows_shown[0].state_text.split():
            assert word in words


def test_the_widest_wrapping_column_gives_way_first_and_never_below_its_floor() -> None:
    assert fit_widths([16, 12, 32, 14], [True, False, True, False], [9, 12, 10, 14], 70) == [
        16,
        12,
        28,
        14,
    ]
    assert fit_widths([16, 12, 32, 14], [True, False, True, False], [9, 12, 10, 14], 50) == [
        12,
        12,
        12,
        14,
    ]
    assert fit_widths([16, 12, 32, 14], [True, False, True, False], [16, 12, 30, 14], 50) == [
        16,
        12,
        30,
        14,
    ]


async def test_a_window_too_narrow_for_the_titles_cuts_the_last_column_at_its_edge() -> None:
    """Below the width the titles need, the headings and rows keep their columns and lose the
    end of the last one, as a table does, rather than wrapping a title under the others."""
    app = recorded_app("pending", "en")
    async with app.run_test(size=(50, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(PeopleTable)
        await until(pilot, lambda: bool(table.rows_shown))
        await settle(pilot)
        headings = app.screen.query_one(ColumnHeadings)
        assert headings.size.height == 1
        heading_line = next(line for line in screen_lines(app) if "Relationship" in line)
        assert heading_line.split()[:3] == ["Name", "Relationship", "Declaration"]
        assert "Can re-" in heading_line  # the last title runs on to the edge
