"""The wizard's import of a test from a picture of its EU DCC test certificate: the picker on
the tests step fills the test, and whom the certificate names is kept beside the document and
compared with the subject."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from textual.pilot import Pilot
from textual.widgets import Input

from itdeclare.certificate import qr
from itdeclare.certificate.trust import TrustList
from itdeclare.journey import imports
from itdeclare.screens.wizard import WizardScreen
from itdeclare.storage.state import LocalState
from tests.certificate.test_import_test import (  # noqa: F401 (fixtures)
    Sign,
    dcc_payload,
    keystore,
    sign,
    trust_file,
)
from tests.tui.conftest import AppFactory
from tests.tui.driver import focus_loc, settle, until
from tests.tui.seeds import complete_form, seed

BLANK_TEST = dict.fromkeys(("sampled_at", "result", "institution", "country"), "")
BLANK_TEST["kind"] = "nucleic_acid"


def _notes(app: Any) -> str:
    return " ".join(str(notification.message) for notification in app._notifications)


async def _import_into_first_test(pilot: Pilot[Any], picture: Path) -> WizardScreen:
    app = pilot.app
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
    wizard = app.screen
    assert isinstance(wizard, WizardScreen) and wizard.step.id == "tests"
    await focus_loc(pilot, "tests.0.institution")
    await pilot.press("ctrl+t")
    # (not ``settle``: the picker's folder tree loads in a worker of its own)
    await until(pilot, lambda: app.screen.id == "file-picker")
    app.screen.query_one("#file-path", Input).value = str(picture)
    app.screen.query_one("#file-path", Input).focus()
    await pilot.press("enter")
    await until(
        pilot,
        lambda: (
            bool(wizard.state.text("tests.0.institution")) or "No test was imported" in _notes(app)
        ),
    )
    await until(pilot, lambda: app.screen is wizard)
    await pilot.pause()
    return wizard


@pytest.fixture
def lab_trust_list(
    trust_file: Path,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The wizard verifies against the lab's trust list (EU gateway format)."""
    monkeypatch.setattr(imports, "default_trust_list", lambda: TrustList.load(trust_file))


@pytest.mark.usefixtures("lab_trust_list")
async def test_a_certificate_of_someone_else_fills_the_test_and_warns(
    make_app: AppFactory,
    sign: Sign,  # noqa: F811
    tmp_path: Path,
) -> None:
    payload = dcc_payload()
    payload["nam"] = {"fn": "Li", "fnt": "LI", "gn": "Si", "gnt": "SI"}
    picture = qr.write_png(sign(payload), tmp_path / "certificate.png")
    form = complete_form()
    form["tests"][0] = dict(BLANK_TEST)
    _, draft = seed(form, step="tests")
    async with make_app().run_test(size=(120, 40)) as pilot:
        wizard = await _import_into_first_test(pilot, picture)
        state = wizard.state
        filled = {name: state.text(f"tests.0.{name}") for name in imports.FILLED}
        assert filled == {
            "kind": "nucleic_acid",
            "sampled_at": "2026-11-30 09:00 -08:00",
            "result": "negative",
            "institution": "Example Lab",
            "country": "USA",
        }
        said = _notes(pilot.app)
        assert "Test 1 filled from the certificate of Li Si" in said
        assert "LI SI" in said  # test_holder_differs: what the consulate will look for
        assert any(w.code == "test_holder_differs" for w in state.warnings())
        await pilot.press("escape")  # save and close
        await until(pilot, lambda: not isinstance(pilot.app.screen, WizardScreen))
    kept = LocalState().drafts.load(draft.id)
    assert kept is not None
    assert [(h.family_name, h.given_name, h.date_of_birth) for h in kept.imported] == [
        ("LI", "SI", "1956-03-01")
    ]
    assert "holder" not in str(kept.declaration)  # the §4.5 document has no place for it


@pytest.mark.usefixtures("lab_trust_list")
async def test_the_subjects_own_certificate_gives_no_warning(
    make_app: AppFactory,
    sign: Sign,  # noqa: F811
    tmp_path: Path,
) -> None:
    picture = qr.write_png(sign(), tmp_path / "certificate.png")  # ZHANG SAN, 1956-03-01
    form = complete_form()
    form["tests"][0] = dict(BLANK_TEST)
    seed(form, step="tests")
    async with make_app().run_test(size=(120, 40)) as pilot:
        wizard = await _import_into_first_test(pilot, picture)
        assert wizard.state.text("tests.0.institution") == "Example Lab"
        assert not [w for w in wizard.state.warnings() if w.code == "test_holder_differs"]


@pytest.mark.usefixtures("lab_trust_list")
async def test_a_picture_without_a_code_fills_nothing_and_says_why(
    make_app: AppFactory, tmp_path: Path
) -> None:
    picture = tmp_path / "holiday.png"
    Image.new("RGB", (120, 80), (250, 250, 250)).save(picture)
    form = complete_form()
    form["tests"][0] = dict(BLANK_TEST)
    seed(form, step="tests")
    async with make_app().run_test(size=(120, 40)) as pilot:
        wizard = await _import_into_first_test(pilot, picture)
        assert "No test was imported" in _notes(pilot.app)
        assert wizard.state.text("tests.0.institution") == ""
