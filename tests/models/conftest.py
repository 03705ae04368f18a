from __future__ import annotations

from typing import Any

import pytest

from tests.models.helpers import example


@pytest.fixture
def declaration() -> dict[str, Any]:
    """The DESIGN.md §4.5 example (``examples/self.json``), a copy the test may change."""
    return example("self")


@pytest.fixture
def parent_declaration() -> dict[str, Any]:
    return example("parent")
