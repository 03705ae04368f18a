"""Every label of the outbound form fits its column on one line: "Name on the ID card *" is 21
cells in a 20-cell column, and its `*` wrapped onto a line of its own (found by a QA pass), in
Chinese too."""

from __future__ import annotations

import pytest
from textual.widgets import Label

from itdeclare.widgets.form.field import FormField
from tests.journey.conftest import AppFactory, settle, until


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
@pytest.mark.parametrize("language", ["en", "zh"])
async def test_each_label_of_the_outbound_form_is_one_line(
    make_app: AppFactory, language: str, size: tuple[int, int]
) -> None:
    app = make_app(language=language)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await until(pilot, lambda: app.screen.id == "outbound")
        await settle(pilot)
        labels = [field.query_one(".field--label", Label) for field in app.screen.query(FormField)]
        assert len(labels) == 4
        for label in labels:
            assert label.region.height == 1, (str(label.content), label.region)
