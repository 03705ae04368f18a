import json
from pathlib import Path

import pytest

from itdeclare.models import Declaration, validate_declaration

EXAMPLES = sorted((Path(__file__).parents[2] / "examples").glob("*.json"))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_examples_validate(path: Path) -> None:
    report = validate_declaration(json.loads(path.read_text("utf-8")))
    assert report.problems == []
    assert report.valid


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_examples_round_trip_exactly(path: Path) -> None:
    data = json.loads(path.read_text("utf-8"))
    assert Declaration.model_validate(data).model_dump(mode="json") == data
