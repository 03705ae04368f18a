"""Finding a list's entry by any name it is known by."""

from __future__ import annotations

from itdeclare.journey.choices import Choice, SearchKey, best_match, toneless

VACCINES = [
    Choice("Covishield（印度血清研究所）", "Covishield", ("Covishield (Serum Institute)",)),
    Choice("复必泰（BioNTech/辉瑞）", "EU/1/20/1528", ("Comirnaty (BioNTech/Pfizer)",)),
    Choice("卫星V（加马列亚研究所）", "Sputnik-V", ("Sputnik V (Gamaleya)", "Sputnik-V")),
]
KEYS = [None, *(SearchKey.of(choice) for choice in VACCINES)]  # a blank line first


def test_the_other_languages_name_and_the_code_find_an_entry() -> None:
    assert best_match("Comirnaty", KEYS) == 2
    assert best_match("辉瑞", KEYS) == 2
    assert best_match("sputnik v", KEYS) == 3
    assert best_match("sputnik-v", KEYS) == 3


def test_a_start_beats_a_word_which_beats_the_inside() -> None:
    keys = [SearchKey.of(Choice(label, label)) for label in ("Bermuda", "East Germany", "Germany")]
    assert best_match("germ", keys) == 2
    assert best_match("erm", keys) == 0
    assert best_match("east", keys) == 1


def test_nothing_is_found_for_what_matches_nothing() -> None:
    assert best_match("cozzz", KEYS) is None
    assert best_match("", KEYS) is None


def test_pinyin_is_typed_without_tones() -> None:
    assert toneless("de2 guo2") == "deguo"


def test_a_name_typed_whole_beats_a_longer_name_it_begins() -> None:
    choices = [
        Choice(
            "UMI  United States Minor Outlying Islands",
            "UMI",
            ("United States Minor Outlying Islands", "美国本土外小岛屿"),
        ),
        Choice("USA  United States", "USA", ("United States", "美国", "meiguo")),
    ]
    keys = [SearchKey.of(choice) for choice in choices]
    assert best_match("united states", keys) == 1
    assert best_match("united", keys) == 0  # the first of those it begins, while still typing
