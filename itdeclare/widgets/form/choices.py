"""Selects with search: enumerations, countries (Chinese and English names), ports, vaccines."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from functools import cache

from textual import events, on
from textual.app import ComposeResult
from textual.widgets import Select
from textual.widgets._select import NoSelection, SelectCurrent, SelectOverlay

from itdeclare.i18n import Language, format_value
from itdeclare.journey.choices import Choice, SearchKey, best_match, country_names
from itdeclare.widgets.bindings import translate_bindings
from itdeclare.widgets.keys import closed, hold_keys_while_closing
from itdeclare.wording import enum_text, language

Options = list[Choice]
#: Seconds of pause after which typing in an open list starts a new search.
TYPE_AHEAD_PAUSE = 2.0


class ChoiceOverlay(SelectOverlay):
    """The opened list: typing searches every name a choice is known by (its select's
    :class:`SearchKey`), and a search that matches nothing leaves nothing highlighted, so
    Enter cannot take the entry an earlier, shorter search found."""

    async def _on_key(self, event: events.Key) -> None:
        if not self._type_to_search:
            return
        self._search_reset_timer.reset()
        if event.character is not None and event.is_printable:
            event.time = 0  # as Textual's own search does
            event.stop()
            event.prevent_default()
            self._search_query += event.character
            self.select(self._find_search_match(self._search_query))

    def action_select(self) -> None:
        """Enter on an entry (or a click, which Textual makes the same action): its select
        takes it and moves on (:meth:`ChoiceSelect._chosen`); keys typed meanwhile wait, and
        go to the next field."""
        select = self.parent
        if isinstance(select, ChoiceSelect) and self.highlighted is not None:
            select.chosen_in_list = True
            hold_keys_while_closing(self.app)
        super().action_select()

    def action_dismiss(self) -> None:
        select = self.parent
        if not isinstance(select, ChoiceSelect):
            super().action_dismiss()
            return
        # Closed and the focus back on the select now, not at a later message: keys typed
        # right after Esc go on from the select.
        select.expanded = False
        self.screen.set_focus(select)

    def _find_search_match(self, query: str) -> int | None:
        select = self.parent
        if not isinstance(select, ChoiceSelect):
            return super()._find_search_match(query)
        return best_match(query, select.search_keys())


class ChoiceSelect(Select[str]):
    """A compact ``Select`` that opens and searches as soon as the user types a letter.

    A choice is found by its label and by what else it is known by (:class:`Choice`), so a
    country is found by its English name, its Chinese name, its pinyin or its code.
    """

    def __init__(
        self,
        choices: Sequence[Choice],
        *,
        prompt: str,
        value: str | NoSelection,
        name: str,
        id: str,
    ) -> None:
        self._keys = {choice.value: SearchKey.of(choice) for choice in choices}
        super().__init__(
            [(choice.label, choice.value) for choice in choices],
            prompt=prompt,
            value=value,
            name=name,
            id=id,
            compact=True,
        )

    def compose(self) -> ComposeResult:
        # Select's own, with the overlay that searches every name.
        yield SelectCurrent(self.prompt)
        yield ChoiceOverlay(type_to_search=self._type_to_search).data_bind(compact=Select.compact)

    def set_choices(self, choices: Sequence[Choice]) -> None:
        self._keys = {choice.value: SearchKey.of(choice) for choice in choices}
        self.set_options([(choice.label, choice.value) for choice in choices])

    #: Whether the entry being taken was chosen in the opened list (Enter or a click), which
    #: holds the keys typed meanwhile until :meth:`_chosen` lets them go.
    chosen_in_list = False

    @on(SelectOverlay.UpdateSelection)
    def _chosen(self, event: SelectOverlay.UpdateSelection) -> None:
        """An entry taken moves the focus on to the next field, as Enter in a text field does:
        staying, the next field's letters reopened the list and were lost in its search.
        Anything else (none here today) is left to ``Select``'s own handler, which runs next."""
        if not self.chosen_in_list:
            return
        self.chosen_in_list = False
        # Select's own handler (skipped) would focus the select at a later message, taking
        # the focus back from the next field: what it does besides is done here.
        event.stop()
        event.prevent_default()
        value = self._options[event.option_index][1]
        if value != self.value:
            self.value = value
        self.expanded = False
        self.screen.set_focus(self)
        self.screen.focus_next()
        closed(self.app)

    def search_keys(self) -> list[SearchKey | None]:
        """The search key of each line of the opened list (None for the blank line)."""
        return [
            self._keys.get(value) if isinstance(value, str) else None for _, value in self._options
        ]

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


def _other(lang: Language) -> Language:
    return "en" if lang == "zh" else "zh"


def enum_options(choices: type[StrEnum]) -> Options:
    other = _other(language())
    return [
        Choice(enum_text(member), member.value, (format_value(member, other), member.value))
        for member in choices
    ]


@cache
def _country_options(lang: Language) -> tuple[Choice, ...]:
    from itdeclare.models import reference

    entries = sorted(reference.countries().values(), key=lambda c: c.sort_key(lang))
    other = _other(lang)
    return tuple(
        Choice(f"{c.name(lang)}  {c.name(other)} ({c.alpha3})", c.alpha3, country_names(c))
        for c in entries
    )


def country_options() -> Options:
    return list(_country_options(language()))


def port_options() -> Options:
    from itdeclare.models import reference

    lang = language()
    ports = reference.ports_of_entry().values()
    other = _other(lang)
    return [Choice(f"{p.iata}  {p.name(lang)}  {p.name(other)}", p.iata) for p in ports]


def vaccine_options() -> Options:
    from itdeclare.models import reference

    lang = language()
    other = _other(lang)
    return [
        Choice(v.name(lang), v.code, (v.name(other), v.code)) for v in reference.vaccines().values()
    ]


def with_value(options: Options, value: str) -> Options:
    """The options, plus the stored value if it is not among them (an old draft's code)."""
    if value and value not in {choice.value for choice in options}:
        return [*options, Choice(value, value)]
    return options
