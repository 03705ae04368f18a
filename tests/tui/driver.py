"""Driving the traveller app like a user: keys only, checking where the focus is first."""

from __future__ import annotations

from collections.abc import Callable

from textual.css.query import NoMatches
from textual.pilot import Pilot
from textual.widgets import Input, Label, Select

from itdeclare.journey.form import field_id
from itdeclare.widgets.form.field import FormField


async def settle(pilot: Pilot[object]) -> None:
    """Let workers finish and the screen catch up."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def until(pilot: Pilot[object], condition: Callable[[], bool], within: float = 10) -> None:
    """Wait (a bounded time) for something the app does in the background."""
    for _ in range(int(within / 0.05)):
        try:
            if condition():
                return
        except NoMatches:
            pass
        await pilot.pause(0.05)
    raise AssertionError("the app did not get there in time")


def focused_loc(pilot: Pilot[object]) -> str | None:
    focused = pilot.app.focused
    return focused.name if focused is not None else None


async def type_at(pilot: Pilot[object], loc: str, text: str, *, leave: bool = True) -> None:
    """Type ``text`` into the field at ``loc``, which must have the focus; Tab out of it."""
    assert focused_loc(pilot) == loc, f"expected the focus on {loc}, not {focused_loc(pilot)}"
    await pilot.press(*text)
    if leave:
        await pilot.press("tab")


async def choose_at(pilot: Pilot[object], loc: str, search: str) -> None:
    """Type ``search`` on the select at ``loc`` (it opens and searches), Enter: the entry is
    taken and the focus moves on to the next field."""
    assert focused_loc(pilot) == loc, f"expected the focus on {loc}, not {focused_loc(pilot)}"
    await pilot.press(*search)
    await pilot.pause(0.05)
    await pilot.press("enter")
    select = pilot.app.screen.query_one(f"#{field_id(loc)}", Select)
    assert select.value is not Select.NULL, f"nothing matched {search!r} at {loc}"
    await until(pilot, lambda: not select.expanded and focused_loc(pilot) != loc)


async def focus_loc(pilot: Pilot[object], loc: str) -> None:
    """Click the field at ``loc`` (the mouse way of getting there)."""
    await pilot.click(f"#{field_id(loc)}")
    await pilot.pause()
    assert focused_loc(pilot) == loc


def problem_at(pilot: Pilot[object], loc: str) -> str:
    """The message shown beside the field at ``loc`` ("" when there is none)."""
    for form_field in pilot.app.screen.query(FormField):
        if form_field.loc == loc:
            if not form_field.has_problem:
                return ""
            return str(form_field.query_one(".field--note", Label).content)
    raise AssertionError(f"no field {loc} on screen")


def value_at(pilot: Pilot[object], loc: str) -> str:
    widget = pilot.app.screen.query_one(f"#{field_id(loc)}")
    if isinstance(widget, Input):
        return widget.value
    if isinstance(widget, Select):
        return widget.value if isinstance(widget.value, str) else ""
    raise AssertionError(f"{loc} is not a text field or a select")
