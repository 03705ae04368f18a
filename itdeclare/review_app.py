"""``itdeclare review``: the consulate reviewer's console. App wiring only; the screens live in
``itdeclare.screens.review`` and their widgets in ``itdeclare.widgets.review``."""

from __future__ import annotations

import argparse
import logging
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import App, InvalidThemeError, SystemCommand
from textual.binding import Binding, BindingType
from textual.command import CommandPalette
from textual.screen import Screen

from itdeclare import i18n
from itdeclare.cli import resume_collector
from itdeclare.commands import Command, CommandList
from itdeclare.reviewing.context import (
    ClientFactory,
    Clock,
    ReviewContext,
    connect,
    utc_now,
)
from itdeclare.reviewing.files import Opener, system_opener
from itdeclare.screens.review.connect import ConnectScreen
from itdeclare.widgets.bindings import translate_bindings
from itdeclare.widgets.review.messages import CallFailed, SignedIn, WorkerFailed
from itdeclare.widgets.wide_characters import keep_wide_characters_whole
from itdeclare.wording import error_text, language, tr, use_language

if TYPE_CHECKING:
    from itdeclare.config import Settings

log = logging.getLogger(__name__)

DEFAULT_THEME = "textual-dark"


class ReviewCommands(CommandList):
    """The palette's own commands, in the console's language."""

    def _commands(self) -> Iterable[Command]:
        app = self.app
        assert isinstance(app, ReviewerApp)
        other: i18n.Language = "en" if language() == "zh" else "zh"
        yield (
            tr("review.command.language", language=i18n.t("review.language_name", other)),
            tr("review.command.language_help"),
            app.action_toggle_language,
        )
        if app.context.account is not None:
            yield (
                tr("review.command.switch"),
                tr("review.command.switch_help"),
                app.action_sign_out,
            )


class ReviewerApp(App[int], inherit_bindings=False):
    CSS_PATH = "review.tcss"
    TITLE = "itdeclare review"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]  # noqa: RUF012 (Textual's type)
    COMMANDS = App.COMMANDS | {ReviewCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", priority=True, id="review.quit"),
        Binding("f2", "toggle_language", "中文", id="review.language"),
        Binding("ctrl+p", "command_palette", "Commands", show=False, id="review.palette"),
        Binding("ctrl+c", "help_quit", show=False, system=True),
    ]

    def __init__(
        self,
        settings: Settings,
        *,
        server: str | None = None,
        token: str | None = None,
        clock: Clock = utc_now,
        find_opener: Callable[[], Opener | None] = system_opener,
        make_client: ClientFactory = connect,
        context: ReviewContext | None = None,
    ) -> None:
        use_language(settings.language or i18n.get_language())
        keep_wide_characters_whole()
        super().__init__()
        self.settings = settings
        self.context = context or ReviewContext(
            settings,
            server=server if server is not None else settings.server,
            token=token,
            clock=clock,
            find_opener=find_opener,
            make_client=make_client,
        )
        translate_bindings(self)

    def on_mount(self) -> None:
        self._apply_theme(self.settings.theme)
        if self.settings.keymap:
            self.set_keymap(self.settings.keymap)
        self.push_screen(ConnectScreen(self.context))
        self.call_after_refresh(resume_collector)

    def on_unmount(self) -> None:
        self.context.shut_down()

    def _apply_theme(self, name: str) -> None:
        try:
            self.theme = name
        except InvalidThemeError:
            self.theme = DEFAULT_THEME
            self.notify(tr("review.theme_unknown", name=name, fallback=DEFAULT_THEME), timeout=8)

    # --- signing in and failures, in one place ----------------------------------------------

    @on(SignedIn)
    def _signed_in(self) -> None:
        from itdeclare.screens.review.queue import QueueScreen

        consulate = self.context.consulate
        self.sub_title = consulate
        self.switch_screen(QueueScreen(self.context))

    @on(CallFailed)
    async def _call_failed(self, event: CallFailed) -> None:
        from itdeclare.client import Unauthorized

        if isinstance(event.error, Unauthorized):
            await self._back_to_sign_in(error_text(event.error))
            return
        self.notify(error_text(event.error), severity="error", timeout=10)

    @on(WorkerFailed)
    def _worker_failed(self, event: WorkerFailed) -> None:
        """The last resort: say so (the details go to the log), do not end with a traceback."""
        error = event.error
        log.error("worker %s failed", event.name, exc_info=error)
        reason = type(error).__name__ if error else "?"
        self.notify(tr("review.unexpected", reason=reason), severity="error", timeout=10)

    async def _back_to_sign_in(self, notice: str | None = None) -> None:
        await self.context.close()
        self.context.account = None
        while len(self.screen_stack) > 2:
            self.pop_screen()
        await self.switch_screen(ConnectScreen(self.context, notice=notice))

    async def action_sign_out(self) -> None:
        """Back to the sign-in screen (the kept token stays valid: the operator revokes it)."""
        await self._back_to_sign_in()

    # --- language ----------------------------------------------------------------------------

    async def action_toggle_language(self) -> None:
        use_language("en" if language() == "zh" else "zh")
        translate_bindings(self)
        for screen in self.screen_stack:
            relabel = getattr(screen, "relabel", None)
            if relabel is not None:
                await relabel()
        self.refresh_bindings()

    # --- quitting ----------------------------------------------------------------------------

    async def action_quit(self) -> None:
        await self.context.close()
        self.exit(0)

    def action_help_quit(self) -> None:
        """ctrl+c copies in a text field; elsewhere, say how to quit."""
        for active in self.active_bindings.values():
            if active.binding.action == "quit":
                self.notify(tr("review.quit_hint", key=self.get_key_display(active.binding)))
                return

    # --- the command palette, in the console's language -------------------------------------

    def action_command_palette(self) -> None:
        if self.use_command_palette and not CommandPalette.is_open(self):  # type: ignore[arg-type]
            self.push_screen(
                CommandPalette(placeholder=tr("review.palette.placeholder"), id="--command-palette")
            )

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield SystemCommand(
            tr("review.command.theme"), tr("review.command.theme_help"), self.action_change_theme
        )
        yield SystemCommand(
            tr("review.command.keys"),
            tr("review.command.keys_help"),
            self.action_hide_help_panel
            if screen.query("HelpPanel")
            else self.action_show_help_panel,
        )
        yield SystemCommand(
            tr("review.command.quit"), tr("review.command.quit_help"), self.action_quit
        )


def run_reviewer(args: argparse.Namespace, settings: Settings) -> int:
    """``itdeclare review [--server URL] [--token TOKEN] [--lang zh|en]``."""
    app = ReviewerApp(settings, token=getattr(args, "token", None))
    try:
        result = app.run()
    finally:
        app.context.shut_down()
    return int(result or 0)
