"""Selects with search: enumerations, countries (Chinese and English names), ports, vaccines."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from functools import cache

from textual import events
from textual.widgets import Select
from textual.widgets._select import SelectOverlay

from itdeclare.i18n import Language
from itdeclare.widgets.bindings import translate_bindings
from itdeclare.wording import enum_text, language

Options = list[tuple[str, str]]
#: Seconds of pause after which typing in an open list starts a new search.
TYPE_AHEAD_PAUSE = 2.0


class ChoiceSelect(Select[str]):
    """A compact ``Select`` that opens and searches as soon as the user types a letter.

    The overlay's own type-to-search matches anywhere in an option's text, so a country is
    found by its English name, its Chinese name or its code.
    """

    async def _on_key(self, event: events.Key) -> None:
        if not (event.is_printable and event.character):
            return
        # Until the opened list takes the focus, keys still arrive here: pass them all on.
        event.stop()
        event.prevent_default()
        self.expanded = True
        overlay = self.query_one(SelectOverlay)
        # After the list has taken the focus (which starts its search afresh), not before:
        # else the first letter is forgotten ("germ" searched "erm" and found Bermuda).
        self.app.call_later(overlay.post_message, events.Key(event.key, event.character))

    def on_mount(self) -> None:
        overlay = self.query_one(SelectOverlay)
        translate_bindings(overlay, {"dismiss": "select.dismiss"})
        # Textual forgets what was typed after 0.7 s, too soon for someone looking for the next
        # letter ("ger", a pause, "m" found Bermuda): its timer is made anew with a longer wait.
        overlay._search_reset_delay = TYPE_AHEAD_PAUSE
        overlay.on_mount()

    @property
    def text_value(self) -> str:
        """The chosen code, or "" when nothing is chosen."""
        value = self.value
        return value if isinstance(value, str) else ""


def enum_options(choices: type[StrEnum]) -> Options:
    return [(enum_text(member), member.value) for member in choices]


@cache
def _country_options(lang: Language) -> tuple[tuple[str, str], ...]:
    from itdeclare.models import reference

    entries = sorted(reference.countries().values(), key=lambda c: c.sort_key(lang))
    if lang == "zh":
        return tuple((f"{c.zh}  {c.en} ({c.alpha3})", c.alpha3) for c in entries)
    return tuple((f"{c.en}  {c.zh} ({c.alpha3})", c.alpha3) for c in entries)


def country_options() -> Options:
    return list(_country_options(language()))


def port_options() -> Options:
    from itdeclare.models import reference

    lang = language()
    ports = reference.ports_of_entry().values()
    other: Language = "en" if lang == "zh" else "zh"
    return [(f"{p.iata}  {p.name(lang)}  {p.name(other)}", p.iata) for p in ports]


def vaccine_options() -> Options:
    from itdeclare.models import reference

    lang = language()
    return [(v.name(lang), v.code) for v in reference.vaccines().values()]


def with_value(options: Options, value: str) -> Iterable[tuple[str, str]]:
    """The options, plus the stored value if it is not among them (an old draft's code)."""
    if value and value not in {code for _, code in options}:
        return [*options, (value, value)]
    return options
