"""The queue as first drawn and once the declarations behind it have arrived: the columns grow to
what they hold (no number cut to its heading's width) without a refresh key."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from textual.geometry import Region

from itdeclare.client import ApiClient
from itdeclare.config import Settings
from itdeclare.review_app import ReviewerApp
from itdeclare.widgets.review.queue import QueueTable
from tests.review.conftest import settle
from tests.review.scripted import NOW, SERVER, ScriptedReview


class SlowDetails(ScriptedReview):
    """Answers the queue at once and each declaration only once ``released`` is set, as a
    backend answering the queue before the documents behind it."""

    def __init__(self) -> None:
        super().__init__()
        self.released = asyncio.Event()

    async def answer(self, request: httpx.Request) -> httpx.Response:
        if request.url.path != "/api/v1/review/queue" and "/review/" in request.url.path:
            await self.released.wait()
        return self(request)


def slow_app(server: SlowDetails) -> ReviewerApp:
    def connect(url: str, given: str) -> ApiClient:
        return ApiClient(url, token=given, transport=httpx.MockTransport(server.answer))

    return ReviewerApp(
        Settings(language="en", server=SERVER),
        token="token",
        clock=lambda: NOW,
        find_opener=lambda: None,
        make_client=connect,
    )


def drawn_now(table: QueueTable) -> str:
    """The table as a repaint would draw it at this moment."""
    width, height = table.size
    return "\n".join(strip.text for strip in table.render_lines(Region(0, 0, width, height)))


async def test_the_queue_is_drawn_whole_as_soon_as_the_declarations_arrive(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A repaint may come between the rows changing and the table being idle: what it draws
    then must already show whole numbers and flight dates, not cells cut to the headings."""
    drawn: list[str] = []
    show = QueueTable.show

    def show_and_draw(table: QueueTable, *args: Any) -> None:
        show(table, *args)
        drawn.append(drawn_now(table))

    monkeypatch.setattr(QueueTable, "show", show_and_draw)
    server = SlowDetails()
    app = slow_app(server)
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(100):
            await pilot.pause(0.01)
            if any("ZHANG SAN" in text for text in drawn):
                break
        assert "E12345678" not in drawn[-1]  # drawn before the declarations came
        server.released.set()
        await settle(pilot)
        last = drawn[-1]
        assert "ZHANG SAN 张三" in last and "LI SI 李四" in last
        assert "E12345678" in last and "E1234567 " not in last
        assert "UA857 1 Dec" in last
