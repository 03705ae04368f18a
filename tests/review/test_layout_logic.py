"""The declaration laid out for checking, the rules check arranged per test, and labels, in both
languages; pure, no Textual."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from itdeclare import wording
from itdeclare.models import Declaration, default_rules
from itdeclare.models.diff import _leaves
from itdeclare.models.shape import locations
from itdeclare.reviewing.checks import check
from itdeclare.reviewing.fields import loc_label, sections
from tests.models.test_shape import every_field_filled
from tests.shape import read_by

EXAMPLE = Path(__file__).parents[2] / "examples" / "self.json"
NOW = datetime(2026, 11, 30, 20, 0, tzinfo=UTC)


def example(**changes: Any) -> Declaration:
    data = json.loads(EXAMPLE.read_text("utf-8"))
    data.update(changes)
    return Declaration.model_validate(data)


def full_example() -> Declaration:
    return example(
        history=[{"kind": "diagnosis", "date": "2022-01-05", "recovered_on": "2022-01-20"}],
        contact={"phone": "+14155550123", "email": "zhang@example.com"},
    )


@pytest.mark.parametrize("language", ["en", "zh"])
def test_every_field_of_the_document_is_laid_out(language: str) -> None:
    wording.use_language(language)  # type: ignore[arg-type]
    document = full_example()
    shown = {row.loc for section in sections(document) for row in section.rows}
    fields = {loc for loc, _ in _leaves(document.model_dump(mode="json", by_alias=True))}
    fields.discard("schema_version")
    # a vaccination's "of" shares its row with "dose"
    missing = {loc for loc in fields if loc not in shown and not loc.endswith(".of")}
    assert missing == set()


def test_the_layout_shows_every_field_of_the_models() -> None:
    """Every field the models define, filled in, shows in the layout (``schema_version`` is the
    file's, not the traveller's)."""
    wording.use_language("en")
    shown = read_by(sections, every_field_filled())
    assert shown == set(locations()) - {"schema_version"}


def test_rows_carry_the_declared_values_readably() -> None:
    rows = {row.loc: row.value for section in sections(full_example()) for row in section.rows}
    assert rows["subject.nationality"] == "China (CHN)"
    assert rows["itinerary.0.from"] == "SFO San Francisco"
    assert rows["subject.document.type"] == "Chinese passport"
    assert rows["tests.0.sampled_at"] == "30 Nov 2026 09:00 (UTC-08:00)"
    assert rows["vaccinations.0.dose"] == "dose 2 of 2"
    wording.use_language("zh")
    rows = {row.loc: row.value for section in sections(full_example()) for row in section.rows}
    assert rows["subject.nationality"] == "中国（CHN）"
    assert rows["tests.0.result"] == "阴性"


def test_labels_of_locations() -> None:
    assert loc_label("tests.0.sampled_at") == "Test 1 › Sampled"
    assert loc_label("subject.document.number") == "Traveller › Document › Number"
    assert loc_label("itinerary.1.from") == "Leg 2 › From"
    assert loc_label("mystery.field") == "mystery › field"
    wording.use_language("zh")
    assert loc_label("tests.1.result") == "第2项检测 › 结果"


def test_a_passing_declaration() -> None:
    checked = check(example(), default_rules(), NOW)
    assert checked.passed
    assert checked.rule is not None and checked.rule.id == "entry-2021-double-test"
    assert checked.local_departure == datetime.fromisoformat("2026-12-01T11:00:00-08:00")
    assert [t.earliest for t in checked.tests] == [date(2026, 11, 29)] * 2


def test_a_test_outside_its_window_is_named_with_its_leg() -> None:
    data = json.loads(EXAMPLE.read_text("utf-8"))
    data["tests"][1]["sampled_at"] = "2026-11-27T09:00:00-08:00"
    checked = check(Declaration.model_validate(data), default_rules(), NOW)
    assert not checked.passed
    first, second = checked.tests
    assert first.passed
    assert [p.code for p in second.problems] == ["test_too_early"]
    assert second.problems[0].params["flight"] == "UA857"
    assert checked.problems() == list(second.problems)


def test_a_missing_test_is_a_problem_of_the_whole() -> None:
    data = json.loads(EXAMPLE.read_text("utf-8"))
    data["tests"] = data["tests"][:1]
    checked = check(Declaration.model_validate(data), default_rules(), NOW)
    assert [p.code for p in checked.other] == ["test_missing"]
    assert checked.tests[0].passed


def test_warnings_are_for_the_reviewer_too_and_do_not_fail_the_check() -> None:
    data = json.loads(EXAMPLE.read_text("utf-8"))
    data["history"] = [{"kind": "diagnosis", "date": "2026-10-01", "recovered_on": None}]
    checked = check(Declaration.model_validate(data), default_rules(), NOW)
    assert checked.passed
    assert [(w.loc, w.code) for w in checked.warnings] == [
        ("history.0.recovered_on", "diagnosis_without_recovery")
    ]
    assert check(example(), default_rules(), NOW).warnings == ()
