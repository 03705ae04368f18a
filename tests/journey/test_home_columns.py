"""Home at 80 columns: every column of the people table, title and all, is in view."""

from __future__ import annotations

from typing import Any

import pytest

from itdeclare.widgets.people.table import PeopleTable
from tests.journey.conftest import settle, until
from tests.journey.recorded_app import recorded_app


@pytest.mark.parametrize("language", ["en", "zh"])
async def test_the_people_table_fits_80_columns(language: Any) -> None:
    app = recorded_app("pending", language)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: bool(app.context.connection.snapshot.summaries))
        await settle(pilot)
        table = app.screen.query_one(PeopleTable)
        await until(pilot, lambda: bool(table.rows_shown and table.rows_shown[0].declaration))
        await settle(pilot)
        assert table.virtual_size.width <= table.scrollable_content_region.width
