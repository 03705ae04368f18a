"""The versions tab counts the fields a re-declaration changed in words that agree: 1 field."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from textual.app import App, ComposeResult
from textual.widgets import Label

from itdeclare import wording
from itdeclare.client import ReviewDetail
from itdeclare.widgets.review.versions import VersionsView

EXAMPLE = Path(__file__).parents[2] / "examples" / "self.json"


def version(number: str, document: dict[str, Any]) -> ReviewDetail:
    return ReviewDetail.model_validate(
        {
            "id": f"0000000{number}",
            "status": "pending_review",
            "redeclarations_left": 2,
            "consulate": "USA",
            "declaration": document,
        }
    )


class Versions(App[None]):
    def __init__(self, versions: list[ReviewDetail]) -> None:
        super().__init__()
        self.versions = versions

    def compose(self) -> ComposeResult:
        yield VersionsView(self.versions)


async def test_one_changed_field_is_one_field() -> None:
    wording.use_language("en")
    first = json.loads(EXAMPLE.read_text("utf-8"))
    second = copy.deepcopy(first)
    second["residence"]["address"] = "2 Market St"
    app = Versions([version("1", first), version("2", second)])
    async with app.run_test() as pilot:
        await pilot.pause()
        headings = [str(label.content) for label in app.query(".heading").results(Label)]
        assert "Changed from version 1 to version 2: 1 field" in headings
