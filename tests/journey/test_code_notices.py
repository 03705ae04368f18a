"""The green code stays whole while notices are shown: how each export went is said beside the
code, not over it, and any other notice keeps to the part of the window the code leaves free."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Static
from textual.widgets._toast import Toast

from itdeclare import wording
from itdeclare.i18n import Language
from itdeclare.widgets.journey.qr import QrCode
from tests.journey.conftest import settle, until
from tests.journey.recorded_app import recorded_app
from tests.journey.screen_svg import read_from_svg
from tests.journey.test_code_screen import open_code, text_of


@pytest.mark.parametrize("language", ["en", "zh"])
async def test_exports_and_notices_leave_the_code_scannable_at_120_by_40(
    language: Language, isolated_user_dirs: Path
) -> None:
    app = recorded_app("approved", language)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        screen = await open_code(pilot)
        for key in ("p", "v", "d"):
            await pilot.press(key)
        exports = isolated_user_dirs / "exports"
        await until(pilot, lambda: len(list(exports.glob("health-code-*"))) == 3)
        await until(pilot, lambda: text_of(screen, "#code-exports").count("\n") == 2)
        app.notify(wording.tr("app.quit_hint", key="^q"), timeout=30)
        await settle(pilot)
        saved = text_of(screen, "#code-exports").splitlines()
        assert [Path(line.split(" ", 1)[1]).suffix for line in saved] == [".png", ".svg", ".pdf"]
        code = screen.query_one(QrCode).region
        toasts = list(screen.query(Toast))
        assert toasts and not any(code.overlaps(toast.region) for toast in toasts)
        assert read_from_svg(app.export_screenshot(), (120, 40)) == screen.certificate.payload


@pytest.mark.parametrize("language", ["en", "zh"])
async def test_exports_are_told_beside_the_code_at_80_by_24(
    language: Language, isolated_user_dirs: Path
) -> None:
    app = recorded_app("approved", language)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        screen = await open_code(pilot)
        await pilot.press("p")
        await until(pilot, lambda: ".png" in text_of(screen, "#code-exports"))
        await settle(pilot)
        assert not screen.query(Toast)  # nothing over the lines that say how to see the code
        assert screen.query_one("#code-fit", Static).display
        [png] = (isolated_user_dirs / "exports").glob("*.png")
        assert text_of(screen, "#code-exports") == wording.tr("journey.code.exported", path=png)


async def test_an_export_that_fails_says_why_beside_the_code(
    isolated_user_dirs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = isolated_user_dirs / "a-file"
    blocked.parent.mkdir(parents=True, exist_ok=True)
    blocked.write_text("not a folder", "utf-8")
    monkeypatch.setenv("ITDECLARE_EXPORT_DIR", str(blocked))
    app = recorded_app("approved")
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        screen = await open_code(pilot)
        await pilot.press("p")
        await until(pilot, lambda: "Could not save" in text_of(screen, "#code-exports"))
        await settle(pilot)
        assert screen.query_one("#code-exports").has_class("-error")
        assert not screen.query(Toast)
