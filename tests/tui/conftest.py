"""Fixtures of the TUI tests: a fixed clock, no cursor blink, an app factory."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import pytest
from textual.widgets import Input

from itdeclare import wording
from itdeclare.app import TravellerApp
from itdeclare.config import Settings
from itdeclare.i18n import Language

#: "Now" in every TUI test: noon in San Francisco on 30 November 2026, the day before the
#: example flight; the example tests were sampled that morning.
NOW = datetime(2026, 11, 30, 20, 0, tzinfo=UTC)

AppFactory = Callable[..., TravellerApp]


@pytest.fixture(autouse=True)
def deterministic(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No blinking cursor, keys in a file (never the developer's keyring), English first."""
    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)
    monkeypatch.setenv("ITDECLARE_KEY_STORE", "file")
    monkeypatch.setenv("LANG", "C.UTF-8")
    wording.use_language("en")
    yield
    wording.use_language("en")


@pytest.fixture
def make_app() -> AppFactory:
    def build(language: Language = "en", **settings: object) -> TravellerApp:
        return TravellerApp(Settings(language=language, **settings), clock=lambda: NOW)

    return build
