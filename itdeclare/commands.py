"""The command palette's own commands, in the user's language and depending on the screen."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from typing import Any

from textual.command import DiscoveryHit, Hit, Hits, Provider

from itdeclare.i18n import Language, t
from itdeclare.wording import language, tr

#: A palette entry: its name, its help line and what it does.
Command = tuple[str, str, Callable[[], Any]]


class CommandList(Provider):
    """A provider whose commands are a list made afresh on each use (so they follow the
    language and the screen): offered as they are, and matched against what is typed."""

    @abstractmethod
    def _commands(self) -> Iterable[Command]: ...

    async def discover(self) -> Hits:
        for name, help_text, callback in self._commands():
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)


class TravellerCommands(CommandList):
    def _commands(self) -> Iterator[Command]:
        from itdeclare.journey.form import STEPS
        from itdeclare.screens.home import HomeScreen
        from itdeclare.screens.wizard import WizardScreen

        app: Any = self.app
        other: Language = "en" if language() == "zh" else "zh"
        yield (
            tr("app.command.language", language=t("app.language_name", other)),
            tr("app.command.language_help"),
            partial(app.switch_language, other),
        )
        screen = self.screen
        if isinstance(screen, HomeScreen):
            yield tr("app.command.add_person"), tr("app.command.add_person_help"), screen.action_add
            for row in screen.rows():
                yield (
                    tr("app.command.file_for", name=row.name),
                    tr("app.command.file_for_help"),
                    partial(screen.file_for, row.person_id),
                )
        if isinstance(screen, WizardScreen):
            for step in STEPS:
                yield (
                    tr("app.command.go_step", step=tr(f"wizard.step.{step.id}.title")),
                    tr("app.command.go_step_help"),
                    partial(screen.go_to, step.id),
                )
            yield tr("app.command.save"), tr("app.command.save_help"), screen.action_save
            yield tr("app.command.close"), tr("app.command.close_help"), screen.action_close
