"""Every screen of the traveller app, in Chinese and English, at 80×24 and 120×40.

Update with ``uv run pytest tests/tui/test_snapshots.py --snapshot-update`` only after reading
``snapshot_report.html``. CJK text looks squeezed in some SVG viewers (rich#2742); the cells
are right.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from textual.pilot import Pilot

from itdeclare.journey import reports
from itdeclare.journey.form import STEP_IDS
from itdeclare.models import Relationship
from itdeclare.storage.records import Draft
from itdeclare.storage.state import LocalState
from tests.server import uploads
from tests.tui.conftest import AppFactory
from tests.tui.driver import settle
from tests.tui.seeds import complete_form, seed

SIZES = {"80x24": (80, 24), "120x40": (120, 40)}
SCREENS = ("home", "person", "confirm", *STEP_IDS)


def _seed(screen: str) -> None:
    """Oneself with a draft at the step shown, and a parent with a draft half done."""
    form = complete_form()
    if screen == "review":
        form["tests"][1]["sampled_at"] = "2026-11-25 09:00"  # the rules check has a say
    if screen == "itinerary":
        form["itinerary"].insert(
            0,
            {
                "flight": "NH7",
                "from": "SFO",
                "to": "NRT",
                "departs_at": "2026-11-30 11:00",
                "arrives_at": "30/11 late",  # a time that cannot be read, shown on opening
            },
        )
    step = screen if screen in STEP_IDS else "identity"
    _, draft = seed(form, step=step)
    if screen == "reports":
        _attach_a_report(draft)
    parent = complete_form(relationship="parent", contact={"phone": "", "email": ""})
    parent["subject"].update(family_name="ZHANG", given_name="WEI", chinese_name="张伟")
    parent["itinerary"] = []
    seed(parent, relationship=Relationship.PARENT)


def _attach_a_report(draft: Draft) -> None:
    """The first test with a PDF report attached (as the reports step would have)."""
    state = LocalState()
    scan = state.root / "pcr report.pdf"
    scan.write_bytes(uploads.pdf())
    reports.attach(draft, state.reports, 0, scan)
    state.drafts.save(draft)


def _before(screen: str) -> Callable[[Pilot[object]], Awaitable[None]]:
    keys = {"home": (), "person": ("a",), "confirm": ("x",)}.get(screen, ("enter",))

    async def run_before(pilot: Pilot[object]) -> None:
        await settle(pilot)
        await pilot.press(*keys)
        await settle(pilot)

    return run_before


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize("screen", SCREENS)
def test_screen(
    snap_compare: Callable[..., bool], make_app: AppFactory, screen: str, language: str, size: str
) -> None:
    _seed(screen)
    app = make_app(language)
    assert snap_compare(app, terminal_size=SIZES[size], run_before=_before(screen))


@pytest.mark.parametrize("screen", ["home", "identity", "itinerary", "review"])
def test_light_theme(snap_compare: Callable[..., bool], make_app: AppFactory, screen: str) -> None:
    """The same screens in a light theme: only theme colours are used, so they stay readable."""
    _seed(screen)
    app = make_app("en", theme="textual-light")
    assert snap_compare(app, terminal_size=(80, 24), run_before=_before(screen))
