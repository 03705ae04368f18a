"""``KeyFooter``: the keys shown follow every change, and nothing else rebuilds them."""

from __future__ import annotations

from typing import ClassVar

import pytest
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets._footer import FooterKey

from itdeclare.widgets.footer import KeyFooter


class Keys(App[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "apple", "Apple", id="keys.apple"),
        Binding("b", "pear", "Pear"),
    ]
    apple_ready = True

    def compose(self) -> ComposeResult:
        yield KeyFooter(compact=True)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "apple" and not self.apple_ready:
            return None  # shown, but disabled
        return True

    def action_apple(self) -> None:
        pass

    def action_pear(self) -> None:
        pass


def shown(app: App[None]) -> dict[str, tuple[str, bool]]:
    return {
        key.description: (key.key_display, key.has_class("-disabled"))
        for key in app.query(FooterKey)
        if key.action in ("apple", "pear")
    }


async def test_the_keys_follow_every_change_and_only_then_rebuild(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rebuilds = 0
    compose = KeyFooter.compose

    def counting(self: KeyFooter) -> ComposeResult:
        nonlocal rebuilds
        rebuilds += 1
        return compose(self)

    monkeypatch.setattr(KeyFooter, "compose", counting)
    app = Keys()
    async with app.run_test() as pilot:
        await pilot.pause()
        assert shown(app) == {"Apple": ("a", False), "Pear": ("b", False)}
        before = rebuilds

        app.refresh_bindings()  # the same keys: nothing to rebuild
        await pilot.pause()
        assert rebuilds == before

        app.apple_ready = False
        app.refresh_bindings()
        await pilot.pause()
        assert shown(app) == {"Apple": ("a", True), "Pear": ("b", False)}

        app.set_keymap({"keys.apple": "x"})
        await pilot.pause()
        assert shown(app)["Apple"] == ("x", True)
        assert rebuilds == before + 2

        footer = app.query_one(KeyFooter)
        assert footer.query(".-command-palette")
        footer.show_command_palette = False  # at once, not at the next bindings signal
        await pilot.pause()
        assert not footer.query(".-command-palette")


MOVE = Binding.Group("Move", compact=True)


class Grouped(App[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+up", "move(-1)", "Up", key_display="^up", group=MOVE),
        Binding("ctrl+down", "move(1)", "Down", key_display="^down", group=MOVE),
        Binding("ctrl+x", "done", "Done", key_display="^x"),
    ]

    def compose(self) -> ComposeResult:
        yield KeyFooter(compact=True)

    def action_move(self, delta: int) -> None:
        pass

    def action_done(self) -> None:
        pass


def bottom_line(app: App[None]) -> str:
    """The footer's row as drawn: the characters of the screen's last line."""
    strips = app.screen._compositor.render_strips()
    return "".join(segment.text for segment in strips[-1]).rstrip()


async def test_a_group_of_keys_is_spaced_from_its_label_and_the_next_key() -> None:
    app = Grouped()
    async with app.run_test(size=(60, 5)) as pilot:
        await pilot.pause()
        assert bottom_line(app).startswith("^up ^down Move ^x Done")
