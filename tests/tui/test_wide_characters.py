"""Chinese characters stay whole where a widget in front covers another widget's edge: Textual
cut them into spaces there (an open list over a button, a toast over a box)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import textual
from textual._compositor import Compositor
from textual.app import App, ComposeResult
from textual.containers import Container
from textual.strip import Strip
from textual.widgets import Button, Static

from itdeclare.widgets.wide_characters import (
    TEXTUAL_RENDER_CHOPS,
    TEXTUAL_VERSION,
    _fill,
    _render_chops,
    _runs,
    _textual_is,
    keep_wide_characters_whole,
)

NAME = "特里尼达和多巴哥"


class Overlap(App[None]):
    """A line of Chinese in front of a button whose right edge (column 11) falls inside 多,
    which the line draws at columns 10-11."""

    CSS = """
    Screen { layers: base front; }
    #under { layer: base; height: 3; }
    #button { margin-left: 1; width: 10; min-width: 10; height: 3; }
    #front { layer: front; offset: 0 1; width: 30; height: 1; }
    """

    def compose(self) -> ComposeResult:
        with Container(id="under"):
            yield Button("打开", id="button")
        yield Static(NAME, id="front")


@pytest.fixture
def cutting() -> Iterator[None]:
    """Put back whichever cutting the compositor had before the test."""
    before = Compositor._render_chops
    yield
    Compositor._render_chops = before  # type: ignore[method-assign]


async def line_in_front(size: tuple[int, int] = (40, 6)) -> str:
    app = Overlap()
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        return app.screen._compositor.render_strips()[1].text


@pytest.mark.usefixtures("cutting")
async def test_textual_alone_loses_the_character_on_the_edge() -> None:
    Compositor._render_chops = TEXTUAL_RENDER_CHOPS  # type: ignore[method-assign]
    line = await line_in_front()
    assert "尼达和  巴哥" in line  # 多, on the button's right edge, is gone (特 on its left too)


@pytest.mark.usefixtures("cutting")
async def test_the_character_on_the_edge_stays_whole() -> None:
    keep_wide_characters_whole()
    line = await line_in_front()
    assert line.startswith(NAME)
    assert len(line) - sum(1 for char in line if ord(char) > 0x2E80) == 40 - 2 * len(NAME)


def test_the_version_is_read_as_importlib_metadata_reads_it() -> None:
    """The pinned version is the one installed, and the check that looks for its
    installation record tells it from another."""
    assert textual.__version__ == TEXTUAL_VERSION
    assert _textual_is(textual.__version__)
    assert not _textual_is("8.2.7")


@pytest.mark.usefixtures("cutting")
def test_another_textual_keeps_its_own_cutting(monkeypatch: pytest.MonkeyPatch) -> None:
    Compositor._render_chops = TEXTUAL_RENDER_CHOPS  # type: ignore[method-assign]
    monkeypatch.setattr("itdeclare.widgets.wide_characters.TEXTUAL_VERSION", "99.0.0")
    keep_wide_characters_whole()
    assert Compositor._render_chops is TEXTUAL_RENDER_CHOPS
    monkeypatch.undo()
    keep_wide_characters_whole()
    assert Compositor._render_chops is _render_chops


def test_pieces_outside_the_update_are_never_joined() -> None:
    """A partial update draws only the widgets that overlap its crop: a piece outside the
    crop's columns may lie under one not drawn (a tooltip over a toast), and joined to a piece
    inside it would be written over that widget."""
    free: dict[int, Strip | None] = dict.fromkeys([5, 10, 28, 33])
    cuts = [5, 10, 28, 33, 35]
    assert list(_runs(free, cuts, range(120))) == [(5, 35, True)]
    assert list(_runs(free, cuts, range(10))) == [
        (5, 10, True),
        (10, 28, True),
        (28, 33, True),
        (33, 35, True),
    ]
    taken = {**free, 28: Strip([], 0)}
    assert list(_runs(taken, cuts, range(120))) == [
        (5, 28, True),
        (28, 33, False),
        (33, 35, True),
    ]


def test_a_strip_narrower_than_its_region_leaves_the_piece_free() -> None:
    """A widget's lines drawn at an older, narrower size than its region (a dialog opening over
    a screen being laid out) divide into fewer pieces than the region has: those stay free, as
    Textual's own cutting leaves them, and the line is drawn without them."""
    narrow = Strip.blank(1)
    one_piece: dict[int, Strip | None] = dict.fromkeys([117])
    _fill(one_piece, [117, 129], narrow, 117, range(130))
    assert one_piece == {117: None}
    runs: dict[int, Strip | None] = dict.fromkeys([117, 120])
    _fill(runs, [117, 120, 129], narrow, 117, range(130))
    assert runs == {117: None, 120: None}
    assert Strip.join(one_piece.values()).cell_length == 0
