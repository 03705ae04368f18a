"""Building declarations for tests: the shipped examples, changed one field at a time."""

from __future__ import annotations

import copy
import json
from datetime import datetime
from pathlib import Path
from typing import Any

from itdeclare.models import Problem, RuleSet, validate_declaration

EXAMPLES = Path(__file__).parents[2] / "examples"


def example(name: str = "self") -> dict[str, Any]:
    """A fresh copy of ``examples/<name>.json``: tests may change it freely."""
    return copy.deepcopy(_cached(name))


_loaded: dict[str, dict[str, Any]] = {}


def _cached(name: str) -> dict[str, Any]:
    if name not in _loaded:
        _loaded[name] = json.loads((EXAMPLES / f"{name}.json").read_text("utf-8"))
    return _loaded[name]


def problems(
    data: dict[str, Any], ruleset: RuleSet | None = None, now: datetime | None = None
) -> list[Problem]:
    return validate_declaration(data, ruleset, now).problems


def found(data: dict[str, Any], **kwargs: Any) -> set[tuple[str, str]]:
    """The (loc, code) pairs of every problem with ``data``."""
    return {(p.loc, p.code) for p in problems(data, **kwargs)}


def only(data: dict[str, Any], **kwargs: Any) -> Problem:
    """The single problem with ``data`` (fails if there are none or several)."""
    result = problems(data, **kwargs)
    assert len(result) == 1, result
    return result[0]


def leg(flight: str, origin: str, dest: str, departs: str, arrives: str) -> dict[str, str]:
    return {
        "flight": flight,
        "from": origin,
        "to": dest,
        "departs_at": departs,
        "arrives_at": arrives,
    }


def lab(kind: str, sampled_at: str, country: str, result: str = "negative") -> dict[str, str]:
    return {
        "kind": kind,
        "sampled_at": sampled_at,
        "result": result,
        "institution": "Test Lab",
        "country": country,
    }


def trip(
    legs: list[dict[str, str]],
    sampled_at: str | None,
    country: str,
    residence: str | None = None,
) -> dict[str, Any]:
    """The self example flying ``legs``, with both required tests sampled at ``sampled_at``."""
    data = example()
    data["itinerary"] = legs
    data["port_of_entry"] = legs[-1]["to"]
    data["tests"] = (
        [] if sampled_at is None else [lab(k, sampled_at, country) for k in ("nucleic_acid", "igm")]
    )
    data["residence"]["country"] = residence or country
    return data
