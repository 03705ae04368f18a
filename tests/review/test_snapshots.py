"""What the console looks like: the queue, a declaration's tabs and the decision dialogs, in
Chinese and English, at 80x24 and 120x40 (data from ``scripted.py``, the clock fixed).

Update with ``uv run pytest tests/review/test_snapshots.py --snapshot-update`` after reading
``snapshot_report.html``."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import pytest
from textual.pilot import Pilot

from itdeclare.i18n import Language
from tests.review.conftest import settle
from tests.review.scripted import scripted_app

LANGUAGES = ("en", "zh")
SIZES = ((80, 24), (120, 40))

Snap = Callable[..., bool]


def after(*keys: str, modal: bool = False) -> Callable[[Pilot[Any]], Awaitable[None]]:
    """Settle, press ``keys`` (each group of keys followed by settling), settle again; a modal
    dialog waits on its worker, so after opening one only pause."""

    async def run(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            if modal:
                await pilot.pause(0.05)
            else:
                await settle(pilot)
        await pilot.pause()

    return run


def snap(
    snap_compare: Snap, language: Language, size: Sequence[int], *keys: str, modal: bool = False
) -> bool:
    app = scripted_app(language)
    return bool(snap_compare(app, terminal_size=tuple(size), run_before=after(*keys, modal=modal)))


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_queue(snap_compare: Snap, language: Language, size: Sequence[int]) -> None:
    assert snap(snap_compare, language, size)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_declaration_fields(snap_compare: Snap, language: Language, size: Sequence[int]) -> None:
    assert snap(snap_compare, language, size, "enter")


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_declaration_with_a_test_outside_its_window(
    snap_compare: Snap, language: Language, size: Sequence[int]
) -> None:
    assert snap(snap_compare, language, size, "down", "enter", "2")


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_test_names_its_reports(snap_compare: Snap, language: Language) -> None:
    """The fields tab of a declaration whose tests came with their reports: each test names
    its files beside it (numbered as in the files tab); scrolled down to the tests."""
    assert snap(snap_compare, language, (120, 60), "down", "enter", "tab", "pagedown")


@pytest.mark.parametrize("language", LANGUAGES)
def test_attachments(snap_compare: Snap, language: Language) -> None:
    assert snap(snap_compare, language, (120, 40), "down", "enter", "3")


@pytest.mark.parametrize("language", LANGUAGES)
def test_versions_with_what_changed(snap_compare: Snap, language: Language) -> None:
    assert snap(snap_compare, language, (120, 40), "enter", "4")


@pytest.mark.parametrize("language", LANGUAGES)
def test_audit_trail(snap_compare: Snap, language: Language) -> None:
    assert snap(snap_compare, language, (120, 40), "down", "enter", "5")


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_reject_dialog(snap_compare: Snap, language: Language, size: Sequence[int]) -> None:
    assert snap(snap_compare, language, size, "enter", "r", modal=True)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_confirm_dialog(snap_compare: Snap, language: Language, size: Sequence[int]) -> None:
    assert snap(snap_compare, language, size, "enter", "s", "enter", "enter", modal=True)


@pytest.mark.parametrize("language", LANGUAGES)
def test_sign_in_with_a_token(snap_compare: Snap, language: Language) -> None:
    app = scripted_app(language, token=None)
    assert snap_compare(app, terminal_size=(80, 24), run_before=after())
