"""The green code screen on its own: the window's size, the backend's word on revocation while
it is shown, and no network at all."""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Static

from itdeclare.i18n import Language
from itdeclare.journey.code import Holder
from itdeclare.screens.certificate import CertificateScreen
from itdeclare.storage.state import LocalState
from itdeclare.widgets.journey.qr import QrCode
from tests.journey.conftest import settle, until
from tests.journey.recorded_app import recorded_app
from tests.journey.screen_qr import read_from_screen
from tests.journey.screen_svg import read_from_svg


def text_of(screen: CertificateScreen, selector: str) -> str:
    return str(screen.query_one(selector, Static).content)


async def open_code(pilot: Pilot[Any]) -> CertificateScreen:
    app = pilot.app
    await until(pilot, lambda: getattr(app.screen, "data", None) is not None)
    await pilot.press("g")
    await until(pilot, lambda: isinstance(app.screen, CertificateScreen))
    screen = app.screen
    assert isinstance(screen, CertificateScreen)
    await until(pilot, lambda: screen.lines is not None)
    await settle(pilot)
    return screen


async def test_a_window_too_small_says_so_and_an_enlarged_one_shows_the_code() -> None:
    app = recorded_app("approved")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_code(pilot)
        assert not screen.query_one(QrCode).display
        assert "at least 115 columns and 40 rows" in text_of(screen, "#code-fit")
        assert "p PNG, v SVG, d PDF" in text_of(screen, "#code-fit")
        assert "this one has 80 and 24" in text_of(screen, "#code-fit")
        await pilot.resize_terminal(120, 60)
        await settle(pilot)
        shown = screen.query_one(QrCode)
        assert shown.display and not screen.query_one("#code-fit").display
        assert read_from_screen(shown) == screen.certificate.payload


@pytest.mark.parametrize(
    ("chinese_name", "language", "shown"),
    [("张三", "zh", "张三"), ("张三", "en", "ZHANG SAN"), (None, "zh", "ZHANG SAN")],
)
def test_the_title_names_the_holder_in_the_interface_language(
    chinese_name: str | None, language: Language, shown: str
) -> None:
    holder = Holder("ZHANG SAN", chinese_name, "passport", "E12345678", "1960-01-01")
    assert holder.title_name(language) == shown


@pytest.mark.parametrize("language", ["en", "zh"])
async def test_a_version_14_code_is_scannable_off_the_screen_at_120_by_40(
    language: Language,
) -> None:
    from itdeclare.certificate import qr

    app = recorded_app("approved", language)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_code(pilot)
        assert qr.version(screen.certificate.payload) == 14
        assert screen.query_one(QrCode).display and not screen.query(".title-bar")
        title = "Health code of ZHANG SAN" if language == "en" else "张三的健康码"
        assert text_of(screen, "#code-title") == title
        assert read_from_svg(app.export_screenshot(), (120, 40)) == screen.certificate.payload


async def test_a_code_revoked_while_shown_stops_being_green() -> None:
    serving = ["approved"]
    app = recorded_app("approved", serve=lambda: serving[0], poll_interval=0.1)
    async with app.run_test(size=(120, 60)) as pilot:
        screen = await open_code(pilot)
        assert text_of(screen, "#code-state") == "VALID: green code"
        assert screen.check_action("export", ("png",))
        await until(
            pilot,
            lambda: text_of(screen, "#code-checked").startswith("Revocation status checked: "),
        )
        assert screen.certificate.checked_at is not None
        serving[0] = "revoked"  # a re-declaration made elsewhere revoked it
        await until(pilot, lambda: text_of(screen, "#code-state").startswith("REVOKED"))
        assert not screen.query(QrCode)
        assert not screen.check_action("export", ("png",))
    [kept] = LocalState().certificates.list()
    assert kept.status.value == "revoked"  # shown as revoked offline from now on
    assert kept.checked_at is not None  # and when the backend last said so


@pytest.mark.parametrize("language", ["en", "zh"])
async def test_with_no_network_the_kept_code_is_shown(language: Language) -> None:
    app = recorded_app("approved", language, serve="down", poll_interval=0.1)
    async with app.run_test(size=(120, 60)) as pilot:
        screen = await open_code(pilot)
        assert read_from_screen(screen.query_one(QrCode)) == screen.certificate.payload
        await until(pilot, lambda: bool(text_of(screen, "#code-note")))
        note = text_of(screen, "#code-note")
        assert ("kept on this computer" if language == "en" else "本机") in note
        never = "not yet checked" if language == "en" else "尚未向审核服务查询健康码是否已取消"
        assert never in text_of(screen, "#code-checked")
