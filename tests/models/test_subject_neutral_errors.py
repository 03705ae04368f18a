"""The declaration's problems are told of the person it is for, who is often not the user
(a parent, a child): no message says "you" of them."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from itdeclare import i18n

CATALOGUE = Path(i18n.__file__).parent / "catalog" / "errors.toml"


def _english(table: dict[str, object], prefix: str = "") -> dict[str, str]:
    texts: dict[str, str] = {}
    for key, value in table.items():
        if isinstance(value, dict) and "en" in value:
            texts[prefix + key] = str(value["en"])
        elif isinstance(value, dict):
            texts.update(_english(value, f"{prefix}{key}."))
    return texts


def test_no_problem_of_the_declaration_says_you() -> None:
    texts = _english(tomllib.loads(CATALOGUE.read_text(encoding="utf-8")))
    assert "document_expired" in texts
    addressed = {key: text for key, text in texts.items() if re.search(r"\byou(r)?\b", text, re.I)}
    assert addressed == {}
