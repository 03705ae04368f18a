"""Chinese characters stay whole where a list, a toast or a dialog lies over other widgets.

Textual's compositor cuts every line of a widget at each column where *any* widget on that line
starts or ends, and gives each piece to the front-most widget there. A piece's edge that falls
in the middle of a double-width character replaces the character with spaces, so an open list
over a button's edge showed 特里尼达和 巴哥 for 特里尼达和多巴哥, and a toast over a box's
border lost the first character of 复核通过 (Textual issue #6357, open in the version pinned).

The cuts between pieces a widget wins side by side are not needed: :func:`_render_chops` cuts a
line only where the winner changes, gives the widget the whole run in its first piece and marks
the rest of the run as taken with empty strips (of no width), so no widget behind it claims them.
Every update path joins a line's pieces in order, so the line is the same, character for
character, except that the characters once cut are whole.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from itertools import pairwise
from pathlib import Path

import textual
from textual._compositor import Compositor
from textual.geometry import Region
from textual.strip import Strip

#: The Textual version whose compositor this replaces a method of (pinned in pyproject.toml).
TEXTUAL_VERSION = "8.2.8"
_EMPTY = Strip([], 0)
#: Textual's own method, as imported (the tests show what it does).
TEXTUAL_RENDER_CHOPS = Compositor._render_chops


def keep_wide_characters_whole() -> None:
    """Replace the compositor's line cutting (once, for every screen of every app)."""
    if not _textual_is(TEXTUAL_VERSION):
        return  # another compositor: its cutting is not known here
    Compositor._render_chops = _render_chops  # type: ignore[method-assign]


def _textual_is(version: str) -> bool:
    """Whether the Textual imported is ``version``, told by its installation record beside it.
    ``textual.__version__`` asks ``importlib.metadata``, whose import (email, zipfile, csv) and
    search of the path cost 15 ms of a start that shows its first screen in under 300."""
    installed = Path(textual.__file__).resolve().parent.parent
    return (installed / f"textual-{version}.dist-info").is_dir()


def _render_chops(
    self: Compositor, crop: Region, is_rendered_line: Callable[[int], bool]
) -> Sequence[Mapping[int, Strip]]:
    """Textual's ``Compositor._render_chops``, cutting each widget's line only where the
    front-most widget changes."""
    cuts = self.cuts
    chops: list[dict[int, Strip | None]] = [dict.fromkeys(line[:-1]) for line in cuts]
    # Only widgets that overlap ``crop`` are drawn: a piece outside its columns may lie under
    # a widget not drawn this time, so it is never joined to its neighbours.
    joinable = range(crop.x, crop.right)
    for region, clip, strips in self._get_renders(crop):  # front to back
        render_region = region.intersection(clip)
        first, last = render_region.column_span
        for y, strip in zip(render_region.line_range, strips, strict=False):
            if is_rendered_line(y):
                line_cuts = [cut for cut in cuts[y] if last >= cut >= first]
                _fill(chops[y], line_cuts, strip, render_region.x, joinable)
    return chops  # type: ignore[return-value]


def _fill(
    line: dict[int, Strip | None], line_cuts: list[int], strip: Strip, x: int, joinable: range
) -> None:
    """Give ``strip`` (drawn from column ``x``) the pieces of ``line`` still free between
    ``line_cuts``: one piece for each run of free pieces side by side that start in
    ``joinable`` columns."""
    if len(line_cuts) < 2:  # no width between cuts: what Textual does with such a line
        if line_cuts and line.get(line_cuts[0]) is None:
            line[line_cuts[0]] = strip
        return
    if len(line_cuts) == 2:  # one piece (most lines of most widgets): no run to find
        # A strip narrower than its region (drawn before a resize reached it) divides into
        # nothing: the piece stays free, as Textual's own cutting leaves it.
        pieces = strip.divide([line_cuts[1] - x])
        if pieces and line.get(line_cuts[0]) is None:
            line[line_cuts[0]] = pieces[0]
        return
    runs = list(_runs(line, line_cuts, joinable))
    pieces = strip.divide([end - x for _start, end, _free in runs])
    at = 0  # where the run starts in line_cuts: the runs follow one another along the line
    for (start, end, free), piece in zip(runs, pieces, strict=False):
        after = line_cuts.index(end, at + 1)
        if free:
            line[start] = piece
            for cut in line_cuts[at + 1 : after]:
                line[cut] = _EMPTY
        at = after


def _runs(
    line: Mapping[int, Strip | None], line_cuts: list[int], joinable: range
) -> Iterable[tuple[int, int, bool]]:
    """(start, end, free) of each run of pieces that are all free or all taken; a piece that
    starts outside ``joinable`` is a run of its own."""
    start = line_cuts[0]
    free = line.get(start) is None
    for cut, end in pairwise(line_cuts):
        piece_free = line.get(cut) is None
        apart = cut not in joinable or start not in joinable
        if cut != start and (piece_free != free or apart):
            yield start, cut, free
            start, free = cut, piece_free
        if end == line_cuts[-1]:
            yield start, end, free
