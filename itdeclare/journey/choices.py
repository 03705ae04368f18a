"""Finding an entry of a short list (countries, vaccines, ports, enumerations) by what is typed.

A list shows each entry in the interface language, but people type what they have in front of
them: a Chinese user the brand on an English vaccination card (Comirnaty for 复必泰), the
pinyin of a country, an English user a Chinese name. So an entry is found by its label and by
the other names it is known by; a search that finds none of them finds nothing, rather than
leaving the last entry that matched a shorter query chosen.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from itdeclare.models.reference import Country

_WORD = re.compile(r"\w+")
_TONE = re.compile(r"[0-9\s]")


@dataclass(frozen=True, slots=True)
class Choice:
    label: str
    value: str
    also: tuple[str, ...] = ()
    """What else finds it: its name in the other language, its code, its name's pinyin."""


@dataclass(frozen=True, slots=True)
class SearchKey:
    """A choice's names in lower case, and the words in them, made once per list."""

    label: str
    names: tuple[str, ...]
    """The label and every other name."""
    words: tuple[str, ...]

    @classmethod
    def of(cls, choice: Choice) -> SearchKey:
        names = tuple(name.casefold() for name in (choice.label, *choice.also) if name)
        words = tuple(word for name in names for word in _WORD.findall(name))
        return cls(choice.label.casefold(), names, words)

    def rank(self, query: str) -> int | None:
        """0: a name or code is the query ("united states", not "… minor outlying
        islands"; "usa"); 1: the label starts with it; 2: another name does; 3: a word does;
        4: it is inside a name. The label (its name in the interface language first) beats
        the other names, so that in English "ba" finds Bahamas before Brazil's pinyin, baxi."""
        if query in self.names:
            return 0
        if self.label.startswith(query):
            return 1
        if any(name.startswith(query) for name in self.names):
            return 2
        if any(word.startswith(query) for word in self.words):
            return 3
        if any(query in name for name in self.names):
            return 4
        return None


def best_match(query: str, keys: Sequence[SearchKey | None]) -> int | None:
    """The index of the best match for ``query`` (the first of the best rank), or None when
    nothing matches; a ``None`` key (a list's blank entry) is never matched."""
    text = query.casefold()
    if not text:
        return None
    best: tuple[int, int] | None = None
    for index, key in enumerate(keys):
        rank = key.rank(text) if key is not None else None
        if rank is not None and (best is None or rank < best[0]):
            best = (rank, index)
            if rank == 0:
                break
    return best[1] if best is not None else None


def toneless(pinyin: str) -> str:
    """``de2 guo2`` → ``deguo``: pinyin as typed on a keyboard."""
    return _TONE.sub("", pinyin)


def country_names(country: Country) -> tuple[str, ...]:
    """What finds a country whatever the interface language: its English and Chinese names,
    its code and its Chinese name's pinyin (an English interface's user may know the country
    as 美国 or meiguo, a Chinese one's as United States or USA)."""
    return (country.en, country.zh, country.alpha3, toneless(country.pinyin))
