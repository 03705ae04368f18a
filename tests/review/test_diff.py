"""The field diff between two versions of a declaration: pure, at the §4.5 dotted locations."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from itdeclare.models import Declaration
from itdeclare.models.diff import FieldChange, _leaves, field_changes

EXAMPLE = Path(__file__).parents[2] / "examples" / "self.json"


def example() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(EXAMPLE.read_text("utf-8"))
    return data


def test_the_same_document_has_no_changes() -> None:
    assert field_changes(example(), example()) == []
    model = Declaration.model_validate(example())
    assert field_changes(model, model) == []


def test_a_changed_field_is_named_by_its_dotted_location() -> None:
    new = example()
    new["tests"][1]["sampled_at"] = "2026-11-30T10:00:00-08:00"
    new["employer"] = "Other Co."
    assert field_changes(example(), new) == [
        FieldChange("employer", "Example Co.", "Other Co."),
        FieldChange("tests.1.sampled_at", "2026-11-30T09:00:00-08:00", "2026-11-30T10:00:00-08:00"),
    ]


def test_models_compare_as_their_json_file_with_aliases() -> None:
    old = Declaration.model_validate(example())
    changed = example()
    changed["itinerary"][0]["from"] = "LAX"
    new = Declaration.model_validate(changed)
    assert field_changes(old, new) == [FieldChange("itinerary.0.from", "SFO", "LAX")]


def test_a_leg_added_shows_as_new_fields_and_one_removed_as_gone() -> None:
    new = example()
    new["itinerary"].insert(
        0,
        {
            "flight": "AC8",
            "from": "YVR",
            "to": "SFO",
            "departs_at": "2026-11-30T08:00:00-08:00",
            "arrives_at": "2026-11-30T10:00:00-08:00",
        },
    )
    changes = {change.loc: change for change in field_changes(example(), new)}
    assert changes["itinerary.0.flight"] == FieldChange("itinerary.0.flight", "UA857", "AC8")
    assert changes["itinerary.1.flight"] == FieldChange("itinerary.1.flight", None, "UA857")
    back = {change.loc: change for change in field_changes(new, example())}
    assert back["itinerary.1.flight"] == FieldChange("itinerary.1.flight", "UA857", None)


def test_null_and_absent_are_the_same_and_types_are_not_confused() -> None:
    old = {"email": None, "dose": 1}
    assert field_changes(old, {"dose": 1}) == []
    assert field_changes(old, {"dose": True}) == [FieldChange("dose", 1, True)]
    assert field_changes({"history": []}, {}) == []


json_leaf = st.none() | st.booleans() | st.integers(-5, 5) | st.text(alphabet="ab", max_size=2)
json_doc = st.recursive(
    json_leaf,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.sampled_from(["a", "b", "c"]), inner, max_size=3)
    ),
    max_leaves=12,
)


documents = st.dictionaries(st.sampled_from(["x", "y", "z"]), json_doc, max_size=3)


@given(documents, documents)
def test_applying_the_changes_to_the_old_fields_gives_the_new_ones(
    old: dict[str, Any], new: dict[str, Any]
) -> None:
    fields = {loc: value for loc, value in _leaves(old) if value is not None}
    for change in field_changes(old, new):
        assert change.old != change.new or type(change.old) is not type(change.new)
        if change.new is None:
            fields.pop(change.loc, None)
        else:
            fields[change.loc] = change.new
    assert fields == {loc: value for loc, value in _leaves(new) if value is not None}
