"""The consulate's queue in review order: counts, filters, search, and the declarations."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal
from textual.widgets import DataTable, Input, Label, Select

from itdeclare.client import ApiClient, ApiError, NotFound, ReviewItem
from itdeclare.reviewing.context import ReviewContext
from itdeclare.reviewing.filters import (
    AgeFilter,
    DepartureFilter,
    QueueFilter,
    StatusFilter,
)
from itdeclare.reviewing.text import country_name
from itdeclare.screens.review.base import ConsoleScreen
from itdeclare.widgets.footer import KeyFooter
from itdeclare.widgets.review.bindings import key
from itdeclare.widgets.review.messages import CallFailed
from itdeclare.widgets.review.queue import CountsBar, QueueTable
from itdeclare.wording import follow_language, tr

#: The queue is read in pages of this size, at most this many pages (a bounded read).
PAGE_SIZE = 200
MAX_PAGES = 50
#: Declarations fetched at once in the background, for the document numbers and flights.
FETCH_CONCURRENCY = 4
#: How often the queue is read again while the screen is shown.
REFRESH_SECONDS = 30.0
#: After failures, the periodic refresh skips up to this many periods.
MAX_SKIPPED_TICKS = 8


async def read_queue(api: ApiClient) -> list[ReviewItem]:
    """The whole queue, page after page (bounded)."""
    items: list[ReviewItem] = []
    after: str | None = None
    for _ in range(MAX_PAGES):
        page = await api.review_queue(limit=PAGE_SIZE, after=after)
        items += page
        if len(page) < PAGE_SIZE:
            break
        after = page[-1].id
    return items


class QueueScreen(ConsoleScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        key("search", "slash"),
        key("status_filter", "t", show=False),
        key("age_filter", "g", show=False),
        key("departure_filter", "d", show=False),
        key("clear_filters", "c"),
        key("refresh", "f5"),
        key("back_to_table", "escape", show=False),
    ]

    def __init__(self, context: ReviewContext) -> None:
        super().__init__()
        self.context = context
        self.chosen = QueueFilter()
        self._loaded = False
        self._failures = 0
        self._ticks_to_skip = 0

    def compose(self) -> ComposeResult:
        consulate = self.context.consulate
        where = tr("review.where.local" if self.context.is_local else "review.where.remote")
        yield Label(
            tr("review.queue.title", consulate=country_name(consulate), where=where),
            id="title",
        )
        yield CountsBar(id="counts")
        with Horizontal(id="filters"):
            yield Select(
                [(tr(f"review.filter.status.{s.value}"), s) for s in StatusFilter],
                value=self.chosen.status,
                allow_blank=False,
                id="status",
            )
            yield Select(
                [(tr(f"review.filter.age.{a.value}"), a) for a in AgeFilter],
                value=self.chosen.age,
                allow_blank=False,
                id="age",
            )
            yield Select(
                [(tr(f"review.filter.departure.{d.value}"), d) for d in DepartureFilter],
                value=self.chosen.departure,
                allow_blank=False,
                id="departure",
            )
            yield Input(self.chosen.search, placeholder=tr("review.queue.search"), id="search")
        yield QueueTable(id="queue")
        yield Label(tr("review.queue.empty"), id="empty")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one(QueueTable).focus()
        self.set_interval(REFRESH_SECONDS, self._tick)

    def on_screen_resume(self) -> None:
        """Shown first, or again after a declaration: read the queue (decisions changed it)."""
        self.show_queue()
        self.refresh_queue()

    async def show_again(self) -> None:
        await self.recompose()
        self.query_one(QueueTable).focus()
        self.show_queue()

    # --- showing -----------------------------------------------------------------------------

    def show_queue(self) -> None:
        queue = self.context.queue
        entries = queue.filtered(self.chosen, self.context.clock())
        queue.shown = [entry.id for entry in entries]
        self.query_one(QueueTable).show(entries, self.context.clock())
        self.query_one(CountsBar).show(queue.counts())
        empty = self.query_one("#empty", Label)
        empty.display = self._loaded and not entries
        empty.update(tr("review.queue.none_match" if queue.entries else "review.queue.empty"))

    # --- reading -----------------------------------------------------------------------------

    def _tick(self) -> None:
        """The periodic refresh, which waits longer after each failure (up to eight periods)."""
        if self._ticks_to_skip > 0:
            self._ticks_to_skip -= 1
            return
        self.refresh_queue()

    @work(exclusive=True, group="queue-load", exit_on_error=False)
    async def refresh_queue(self) -> None:
        if self.is_current is False and self._loaded:
            return  # paused while a declaration is open; resumed by on_screen_resume
        api = self.context.api
        if api is None:
            return
        follow_language()
        try:
            items = await read_queue(api)
        except ApiError as error:
            self._failures += 1
            self._ticks_to_skip = min(2 ** (self._failures - 1), MAX_SKIPPED_TICKS) - 1
            self.post_message(CallFailed(error))
            return
        self._failures = self._ticks_to_skip = 0
        self.context.queue.replace_items(items)
        self._loaded = True
        self.show_queue()
        self.fetch_declarations()

    @work(exclusive=True, group="queue-details", exit_on_error=False)
    async def fetch_declarations(self) -> None:
        """Fetch the declarations the queue does not describe yet, a few at a time."""
        api = self.context.api
        if api is None:
            return
        follow_language()
        queue = self.context.queue
        missing = queue.missing_declarations()
        limit = asyncio.Semaphore(FETCH_CONCURRENCY)

        async def fetch(declaration_id: str) -> None:
            async with limit:
                try:
                    detail = await api.get_review(declaration_id)
                except NotFound:
                    return  # it left the consulate's queue meanwhile
                entry = queue.entries.get(declaration_id)
                if entry is not None:
                    entry.declaration = detail.declaration

        for start in range(0, len(missing), FETCH_CONCURRENCY * 4):
            batch = missing[start : start + FETCH_CONCURRENCY * 4]
            try:
                await asyncio.gather(*(fetch(declaration_id) for declaration_id in batch))
            except ApiError as error:
                self.post_message(CallFailed(error))
                return
            self.show_queue()

    # --- choosing ----------------------------------------------------------------------------

    @on(Select.Changed, "#status")
    def _status(self, event: Select.Changed) -> None:
        self._choose(status=StatusFilter(str(event.value)))

    @on(Select.Changed, "#age")
    def _age(self, event: Select.Changed) -> None:
        self._choose(age=AgeFilter(str(event.value)))

    @on(Select.Changed, "#departure")
    def _departure(self, event: Select.Changed) -> None:
        self._choose(departure=DepartureFilter(str(event.value)))

    @on(Input.Changed, "#search")
    def _search(self, event: Input.Changed) -> None:
        self._choose(search=event.value)

    @on(Input.Submitted, "#search")
    def _searched(self) -> None:
        self.query_one(QueueTable).focus()

    def _choose(self, **changes: object) -> None:
        chosen = replace(self.chosen, **changes)  # type: ignore[arg-type]
        if chosen != self.chosen:
            self.chosen = chosen
            self.show_queue()

    @on(DataTable.RowSelected, "#queue")
    def _open(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is not None:
            self.open(event.row_key.value)

    def open(self, declaration_id: str) -> None:
        from itdeclare.screens.review.declaration import DeclarationScreen

        self.app.push_screen(DeclarationScreen(self.context, declaration_id))

    # --- keys --------------------------------------------------------------------------------

    def action_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_status_filter(self) -> None:
        self.query_one("#status", Select).focus()

    def action_age_filter(self) -> None:
        self.query_one("#age", Select).focus()

    def action_departure_filter(self) -> None:
        self.query_one("#departure", Select).focus()

    def action_back_to_table(self) -> None:
        self.query_one(QueueTable).focus()

    async def action_clear_filters(self) -> None:
        self.chosen = QueueFilter()
        await self.recompose()
        self.query_one(QueueTable).focus()
        self.show_queue()

    def action_refresh(self) -> None:
        self.refresh_queue()
