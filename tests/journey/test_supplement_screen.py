"""The supplement screen as a person meets it: what is required is said first, the focus starts
where one types, and adding a file keeps the reply where Tab reaches it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from textual.widgets import Static, TextArea

from tests.journey.conftest import settle, until
from tests.journey.recorded_app import recorded_app


@pytest.mark.parametrize("language", ["en", "zh"])
async def test_the_reply_is_asked_for_first_and_stays_in_reach(
    language: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))  # the picker opens in an empty home folder
    scan = tmp_path / "lab report.png"
    Image.new("RGB", (30, 20), (240, 240, 240)).save(scan)
    app = recorded_app("supplement", language)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: getattr(app.screen, "data", None) is not None)
        await until(pilot, lambda: bool(app.context.connection.snapshot.summaries))
        await settle(pilot)
        await pilot.press("enter")
        await until(pilot, lambda: getattr(app.screen, "detail", None) is not None)
        await pilot.press("s")
        await until(pilot, lambda: app.screen.id == "supplement")
        await settle(pilot)
        how = str(app.screen.query_one("#supplement-how", Static).content)
        assert {"en": "(required)", "zh": "（必填）"}[language] in how
        reply = app.screen.query_one("#supplement-reply", TextArea)
        assert app.focused is reply
        status = app.screen.query_one("#supplement-status", Static)
        await pilot.press("ctrl+s")  # nothing typed yet: the reply is asked for
        await pilot.pause()
        asked = {"en": "Write a reply", "zh": "请先填写"}[language]
        assert asked in str(status.content)
        await pilot.press(*"Here")
        await pilot.pause()
        assert str(status.content) == ""  # typed: no longer asked

        await pilot.press("ctrl+o")
        await until(pilot, lambda: app.screen.id == "file-picker")
        await pilot.pause()
        assert app.focused is not None and app.focused.id == "file-path"
        await pilot.press(*str(scan), "enter")
        await until(pilot, lambda: app.screen.id == "supplement")
        await pilot.pause()
        assert app.focused is reply and reply.text == "Here"
        stops = []
        for _ in range(5):
            await pilot.press("tab")
            stops.append(app.focused.id if app.focused is not None else None)
        assert stops == [
            "supplement-files",
            "add-file",
            "send",
            "supplement-reply",
            "supplement-files",
        ]
