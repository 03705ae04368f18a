"""The traveller's Textual app: wiring only. Screens live in ``itdeclare.screens``."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, ClassVar

from textual.app import App, InvalidThemeError, SystemCommand
from textual.binding import Binding, BindingType
from textual.command import CommandPalette
from textual.screen import Screen

from itdeclare import i18n
from itdeclare.cli import resume_collector
from itdeclare.commands import TravellerCommands
from itdeclare.config import Settings
from itdeclare.journey.context import Clock, TravellerContext, utc_now
from itdeclare.screens.home import HomeScreen
from itdeclare.widgets.bindings import Relabel, translate_bindings
from itdeclare.widgets.keys import KeysAfterEscape
from itdeclare.widgets.wide_characters import keep_wide_characters_whole
from itdeclare.wording import language, tr, use_language

if TYPE_CHECKING:
    import argparse

    from itdeclare.journey.connection import Connection

DEFAULT_THEME = "textual-dark"

#: Makes the app's connection to the backend from its context.
ConnectionFactory = Callable[[TravellerContext], "Connection"]


class TravellerApp(KeysAfterEscape, inherit_bindings=False):
    CSS_PATH = "app.tcss"
    TITLE = "itdeclare"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]  # noqa: RUF012 (Textual's type)
    COMMANDS = App.COMMANDS | {TravellerCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", priority=True, id="app.quit"),
        Binding("f2", "toggle_language", "中文", id="app.language"),
        Binding(
            "ctrl+p", "command_palette", "Commands", show=False, priority=True, id="app.palette"
        ),
        Binding("ctrl+c", "help_quit", show=False, system=True),
    ]

    def __init__(
        self,
        settings: Settings,
        *,
        clock: Clock = utc_now,
        connection: ConnectionFactory | None = None,
    ) -> None:
        """``connection`` links the app to a backend (``run_traveller`` gives the configured
        one, or the embedded one); without it the app keeps drafts only."""
        use_language(settings.language or i18n.get_language())
        keep_wide_characters_whole()
        super().__init__()
        self.settings = settings
        self.context = TravellerContext(settings, clock=clock)
        self.context.on_save_failed = self._save_failed
        if connection is not None:
            self.context.connection = connection(self.context)
        translate_bindings(self)

    def get_default_screen(self) -> Screen[None]:
        # The base of the screen stack, not a mode: switching to a mode parses all CSS again.
        return HomeScreen(self.context)

    def on_mount(self) -> None:
        self._apply_theme(self.settings.theme)
        if self.settings.keymap:
            self.set_keymap(self.settings.keymap)
        self._save_on_hangup()
        self.call_after_refresh(resume_collector)

    def _save_on_hangup(self) -> None:
        """A closed terminal (SIGHUP) or a request to stop (SIGTERM) would end the process at
        once, losing what was typed since the last autosave: write the drafts first, as ctrl+q
        does. (POSIX only; elsewhere, or off the main thread, the defaults stay.)"""
        import asyncio
        import signal

        loop = asyncio.get_running_loop()
        for name in ("SIGHUP", "SIGTERM"):
            number = getattr(signal, name, None)
            if number is None:
                continue
            try:
                loop.add_signal_handler(number, self._stop_by_signal)
            except (NotImplementedError, RuntimeError, ValueError):
                return

    def _stop_by_signal(self) -> None:
        from itdeclare.storage.errors import StorageError

        # A failed write has been reported by the saver; with no terminal, nothing more to do.
        with contextlib.suppress(StorageError):
            self.context.close()
        self.exit(0)

    def _apply_theme(self, name: str) -> None:
        try:
            self.theme = name
        except InvalidThemeError:
            self.theme = DEFAULT_THEME
            self.notify(tr("app.theme_unknown", name=name, fallback=DEFAULT_THEME), timeout=8)

    def _save_failed(self, draft: object, error: Exception) -> None:
        """The saver's thread could not write a draft (it retries): say so, in the UI thread."""
        reason = error.message(language()) if hasattr(error, "message") else str(error)
        self.call_from_thread(
            self.notify, tr("wizard.save_failed", reason=reason), severity="error", timeout=10
        )

    # --- language ---

    async def action_toggle_language(self) -> None:
        await self.switch_language("en" if language() == "zh" else "zh")

    async def switch_language(self, lang: i18n.Language) -> None:
        """Show every screen in ``lang`` from now on, without losing what was typed."""
        use_language(lang)
        translate_bindings(self)
        for screen in self.screen_stack:
            if isinstance(screen, Relabel):
                await screen.relabel()
        self.refresh_bindings()

    # --- quitting: drafts are written first ---

    async def action_quit(self) -> None:
        from itdeclare.storage.errors import StorageError

        try:
            self.context.close()
        except StorageError as error:
            self.notify(tr("wizard.save_failed", reason=error.message(language())))
        if self.context.connection is not None:
            await self.context.connection.close()
        self.exit(0)

    def action_help_quit(self) -> None:
        """ctrl+c copies in a text field; elsewhere, say how to quit."""
        for active in self.active_bindings.values():
            if active.binding.action in ("quit", "app.quit"):
                self.notify(tr("app.quit_hint", key=self.get_key_display(active.binding)))
                return

    # --- the command palette, in the user's language ---

    def action_command_palette(self) -> None:
        if self.use_command_palette and not CommandPalette.is_open(self):  # type: ignore[arg-type]
            self.push_screen(
                CommandPalette(placeholder=tr("app.palette.placeholder"), id="--command-palette")
            )

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield SystemCommand(
            tr("app.command.theme"), tr("app.command.theme_help"), self.action_change_theme
        )
        yield SystemCommand(
            tr("app.command.keys"),
            tr("app.command.keys_help"),
            self.action_hide_help_panel
            if screen.query("HelpPanel")
            else self.action_show_help_panel,
        )
        yield SystemCommand(
            tr("app.command.screenshot"),
            tr("app.command.screenshot_help"),
            lambda: self.set_timer(0.1, self.deliver_screenshot),
        )
        connection = self.context.connection
        if connection is not None and connection.signed_in:
            yield SystemCommand(
                tr("journey.command.sign_out"), tr("journey.command.sign_out_help"), self.sign_out
            )
        elif connection is not None:
            yield SystemCommand(
                tr("journey.command.sign_in"), tr("journey.command.sign_in_help"), self.sign_in
            )
        yield SystemCommand(tr("app.command.quit"), tr("app.command.quit_help"), self.action_quit)

    # --- signing in and out of the backend ---

    def sign_in(self) -> None:
        from itdeclare.screens.sign_in import SignInModal

        if self.context.connection is not None:
            self.push_screen(SignInModal(self.context), self._signed_in)

    def _signed_in(self, done: bool | None) -> None:
        if done:
            self.notify(tr("journey.command.signed_in"))

    async def sign_out(self) -> None:
        if self.context.connection is not None:
            await self.context.connection.sign_out()
            self.notify(tr("journey.command.signed_out"))


def run_traveller(args: argparse.Namespace, settings: Settings) -> int:
    """``itdeclare [--server URL]``: the traveller's app, on the configured backend or, with
    none, on the embedded local one (started in the background once the first screen shows)."""
    from itdeclare.journey.connection import Connection

    app = TravellerApp(settings, connection=Connection)
    try:
        result = app.run()
    finally:
        app.context.close()
        if app.context.connection is not None:
            app.context.connection.stop()
    return int(result or 0)
