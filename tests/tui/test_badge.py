"""The connection badge: whole at 80 columns, in both languages, and following a sign-in made
anywhere (a dialog, the command palette) without being told."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from rich.cells import cell_len
from textual.app import App, ComposeResult

from itdeclare import wording
from itdeclare.widgets.journey.badge import ConnectionBadge


@dataclass
class FakeConnection:
    is_local: bool = True
    signed_in: bool = False
    phone: str | None = None
    server: str | None = None


class Badged(App[None]):
    def __init__(self, connection: FakeConnection) -> None:
        super().__init__()
        self.connection = connection

    def compose(self) -> ComposeResult:
        yield ConnectionBadge(self.connection)  # type: ignore[arg-type]


def shown(app: Badged) -> str:
    return str(app.query_one(ConnectionBadge).content)


@pytest.mark.parametrize("language", ["en", "zh"])
async def test_the_badge_fits_80_columns_and_follows_a_sign_in(language: Any) -> None:
    wording.use_language(language)
    connection = FakeConnection()
    app = Badged(connection)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        room = app.query_one(ConnectionBadge).content_size.width
        assert "itdeclare review" in shown(app)
        assert cell_len(shown(app)) <= room, shown(app)
        assert {"en": "not signed in", "zh": "未登录"}[language] in shown(app)

        connection.signed_in, connection.phone = True, "+14155550123"
        await pilot.pause(ConnectionBadge.FOLLOW_EVERY * 2 + 0.2)
        assert "+14155550123" in shown(app)
        assert cell_len(shown(app)) <= room, shown(app)
    wording.use_language("en")


async def test_the_whole_sentence_where_it_fits() -> None:
    wording.use_language("en")
    app = Badged(FakeConnection())
    async with app.run_test(size=(120, 24)) as pilot:
        await pilot.pause()
        assert shown(app).startswith("LOCAL MODE: declarations are reviewed on this computer")
