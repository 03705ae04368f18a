"""The catalogue's plain reading (line by line, for start-up) gives what tomllib gives, and
leaves to tomllib every file it does not wholly understand."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from itdeclare.i18n import read_plain_catalogue

CATALOGUE = Path(__file__).parents[1] / "itdeclare" / "i18n" / "catalog"
#: The areas the traveller app's first screen reads.
FIRST_SCREEN = ("app", "journey", "enum", "storage")


@pytest.mark.parametrize("path", sorted(CATALOGUE.glob("*.toml")), ids=lambda path: path.stem)
def test_each_file_reads_as_tomllib_reads_it(path: Path) -> None:
    text = path.read_text("utf-8")
    plain = read_plain_catalogue(text)
    assert plain is None or plain == tomllib.loads(text)


@pytest.mark.parametrize("area", FIRST_SCREEN)
def test_the_first_screens_areas_are_read_plainly(area: str) -> None:
    assert read_plain_catalogue((CATALOGUE / f"{area}.toml").read_text("utf-8")) is not None


LEFT_TO_TOMLLIB = {
    "unicode escape": 'a = { en = "caf\\u00e9", zh = "x" }',
    "nested inline table": 'a = { en = "x", zh = "y", b = { en = "x", zh = "y" } }',
    "languages the other way round": 'a = { zh = "x", en = "y" }',
    "trailing comment": 'a = { en = "x", zh = "y" }  # note',
    "quoted key": '"a b" = { en = "x", zh = "y" }',
    "indented line": '  a = { en = "x", zh = "y" }',
    "duplicate key": 'a = { en = "x", zh = "y" }\na = { en = "x", zh = "y" }',
    "table defined twice": '[t]\na = { en = "x", zh = "y" }\n[t]\nb = { en = "x", zh = "y" }',
    "table under a text": 'a = { en = "x", zh = "y" }\n[a.b]\nc = { en = "x", zh = "y" }',
    "key over a table": '[t.a]\nb = { en = "x", zh = "y" }\n[t]\na = { en = "x", zh = "y" }',
}


@pytest.mark.parametrize("text", LEFT_TO_TOMLLIB.values(), ids=LEFT_TO_TOMLLIB.keys())
def test_anything_else_is_left_to_tomllib(text: str) -> None:
    assert read_plain_catalogue(text) is None


def test_tables_and_comments() -> None:
    text = (
        "# a comment\n\n"
        'top = { en = "Top", zh = "顶" }\n'
        "[one.two]\n"
        'three = { en = "say \\"hi\\"\\n\\tthen \\\\", zh = "三" }\n'
        "[one]\n"
        'four = { en = "4", zh = "四" }\n'
    )
    assert read_plain_catalogue(text) == tomllib.loads(text)


def _toml_string(text: str) -> str:
    """A TOML basic string: JSON's escapes are TOML's, for the characters drawn below."""
    return json.dumps(text, ensure_ascii=False)


TEXTS = st.text(alphabet=st.sampled_from('ab 中文{}"\\\n\t#=[],.'), max_size=12)


@given(st.lists(st.tuples(TEXTS, TEXTS), min_size=1, max_size=5))
def test_any_texts_read_as_tomllib_reads_them(pairs: list[tuple[str, str]]) -> None:
    lines = [
        f"k{i} = {{ en = {_toml_string(en)}, zh = {_toml_string(zh)} }}"
        for i, (en, zh) in enumerate(pairs)
    ]
    text = "[area]\n" + "\n".join(lines) + "\n"
    assert read_plain_catalogue(text) == tomllib.loads(text)
