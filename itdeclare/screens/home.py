"""Home: the people this user files for, the state of each one's declaration, and the way in.

This class shows the list (read from the local state, followed on the backend); editing the
people is ``screens/home_people.py``'s, opening what a person goes on to
``screens/home_journey.py``'s."""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.worker import get_current_worker

from itdeclare.journey.context import TravellerContext
from itdeclare.journey.people import (
    DeclarationView,
    PersonRow,
    kept_views,
    person_rows,
)
from itdeclare.screens.home_journey import HomeJourney
from itdeclare.screens.home_people import LocalData
from itdeclare.widgets.failures import tell_error
from itdeclare.widgets.footer import KeyFooter
from itdeclare.widgets.journey.messages import LookFailed, Refreshed
from itdeclare.widgets.people.table import ColumnHeadings, PeopleTable
from itdeclare.wording import language, tr

#: Seconds after the list is shown before the wizard's reference data starts loading (in a
#: thread, but it competes for the interpreter: the list is painted first).
WARM_UP_AFTER = 0.3
#: Seconds after the list is painted before the backend is reached. Textual writes a frame
#: to the terminal from a thread of its own, which needs the interpreter too: starting the
#: backend at once (the embedded one imports the whole server, and a module being compiled
#: holds the interpreter until it is done) would keep the painted list off the screen.
FOLLOW_AFTER = 0.1


class HomeScreen(HomeJourney):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "add", "Add", id="home.add"),
        Binding("e", "edit", "Edit", id="home.edit"),
        Binding("x,delete", "remove", "Remove", id="home.remove"),
        # Enter (file for the selected person) is the list's: see PeopleTable.
        # Enter opens the status once a declaration is filed: no room taken in the footer.
        Binding("s", "status", "Status", id="journey.home.status", show=False),
        Binding("g", "code", "Green code", id="journey.home.code"),
        Binding("o", "outbound", "Outbound", id="journey.home.outbound"),
    ]

    class Loaded(Message):
        def __init__(self, data: LocalData, select: str | None = None) -> None:
            super().__init__()
            self.data = data
            self.select = select

    class Unavailable(Message):
        def __init__(self, reason: str) -> None:
            super().__init__()
            self.reason = reason

    def __init__(self, context: TravellerContext) -> None:
        super().__init__(id="home", classes="-badge" if context.connection else None)
        self.context = context
        self.data: LocalData | None = None
        self._away = False
        self._warmed = False
        self._answered = False

    def compose(self) -> ComposeResult:
        yield from self.heading(tr("app.title"), self.context.connection)
        yield Static(tr("app.home.heading"), classes="heading")
        yield Static(tr("app.home.loading"), id="home-status", markup=False)
        headings = ColumnHeadings()
        yield headings
        yield PeopleTable(headings)
        yield Static("", id="home-notice", markup=False)
        # With every key offered, 80 columns are too few (87 in Chinese): quit's key goes first,
        # since ctrl+c says how to quit and the command palette offers it.
        yield KeyFooter(compact=True, spare=["quit"])

    def on_mount(self) -> None:
        self._load_first()

    def on_screen_suspend(self) -> None:
        self._away = True
        self.workers.cancel_group(self, "status-poll")

    def on_screen_resume(self) -> None:
        """Back from the wizard or a dialog: read again what may have changed."""
        if self._away:
            self._away = False
            self.load()
            self.follow()
            self._show_connection()

    # --- reading the local state (in a thread when the keyring may block) ---

    def load(self, select: str | None = None) -> None:
        """Read people and drafts again, in a thread (the disk, the saver's lock, or the OS
        keyring may keep it waiting); ``select`` is the person to put the cursor on."""
        self._read_local_in_thread(select)

    def _load_first(self) -> None:
        """The first reading: here and now when the key is in a file (a few milliseconds, and
        the list is in the first frame), else in a thread, since the OS keyring may prompt."""
        try:
            at_once = self.context.state().opens_at_once
            read = self._read_local(None) if at_once else None
        except Exception as error:  # as from the thread: told, and the app goes on
            tell_error(self, error)
            return
        if isinstance(read, self.Loaded):
            self._loaded(read)  # not posted: a frame could be painted before it is handled
        elif isinstance(read, self.Unavailable):
            self._unavailable(read)
        else:
            self.load()

    @work(thread=True, exclusive=True, group="people-load", exit_on_error=False)
    def _read_local_in_thread(self, select: str | None) -> None:
        read = self._read_local(select)
        # A newer reading (a person just saved) cancels this one, but a thread runs on: its
        # older answer, posted after the newer one, would show the list as it was before.
        if not get_current_worker().is_cancelled:
            self.post_message(read)

    def _read_local(self, select: str | None) -> Loaded | Unavailable:
        from itdeclare.storage.errors import StorageError

        try:
            state = self.context.state()
            # the records first: reading them is what finds the ones set aside
            data = LocalData(
                state.people.list(),
                state.drafts.list(),
                state.certificates.list(),
                state.key_source,
                state.problems,
            )
        except StorageError as error:
            return self.Unavailable(error.message(language()))
        return self.Loaded(data, select)

    @on(Loaded)
    def _loaded(self, event: Loaded) -> None:
        self.data = event.data
        if event.data.set_aside:
            self.notify("\n".join(self._set_aside_lines()), severity="warning", timeout=15)
        self._show_data(event.select)
        if not self._warmed:
            self._warmed = True
            self.set_timer(WARM_UP_AFTER, self.warm_up)
            self.call_after_refresh(self.set_timer, FOLLOW_AFTER, self.follow)

    @on(Unavailable)
    def _unavailable(self, event: Unavailable) -> None:
        text = tr("app.home.unavailable", reason=event.reason)
        self.query_one("#home-status", Static).update(text)
        self.notify(text, severity="error", timeout=30)

    @work(thread=True, exclusive=True, group="warm-up", exit_on_error=False)
    def warm_up(self) -> None:
        """Load the reference data the wizard needs while the user reads the list."""
        from itdeclare.journey.airports import search_airports
        from itdeclare.models import reference

        reference.countries()
        search_airports("xx")

    def rows(self) -> list[PersonRow]:
        if self.data is None:
            return []
        return person_rows(self.data.people, self.data.drafts, self._declarations())

    # --- what the backend says (when the app has one) ---

    def _declarations(self) -> dict[str, DeclarationView]:
        connection = self.context.connection
        if connection is None or self.data is None:
            return {}
        if not self._answered and not connection.snapshot.summaries:
            data = self.data  # the backend has not answered yet: what was last known here
            return kept_views(data.people, data.drafts, data.certificates, self.context.clock())
        views = {}
        for person in self.data.people:
            latest = connection.snapshot.latest(person.id)
            if latest is not None:
                views[person.id] = DeclarationView(
                    latest.status, latest.queue_position, latest.redeclarations_left
                )
        return views

    @work(exclusive=True, group="status-poll", exit_on_error=False)
    async def follow(self) -> None:
        """Start the backend (the embedded one on first use) once the list is shown, then keep
        the rows' states fresh while this screen is shown."""
        from itdeclare.journey.poll import keep_looking

        connection = self.context.connection
        if connection is None:
            return

        async def look() -> None:
            await connection.start()
            self.post_message(Refreshed(await connection.refresh()))

        def failed(text: str, signed_out: bool) -> None:
            self.post_message(LookFailed(text, signed_out))

        await keep_looking(connection, look, failed)

    @on(Refreshed)
    def _refreshed(self, event: Refreshed) -> None:
        from itdeclare.widgets.journey.notices import tell_changes

        first_answer, self._answered = not self._answered, True
        names = {row.person_id: row.name for row in self.rows()}
        tell_changes(self.app, event.changes, lambda person_id: names.get(person_id, ""))
        self.show_rows()
        if first_answer or event.changes:
            self.load()  # the look may have kept a new code (an approval): what `g` shows
        self._show_connection()

    @on(LookFailed)
    def _look_failed(self, event: LookFailed) -> None:
        key = "journey.home.signed_out" if event.signed_out else "journey.home.offline"
        self.notify(tr(key, reason=event.text), severity="warning", timeout=10)
        self._show_connection()

    def _show_connection(self) -> None:
        from itdeclare.widgets.journey.badge import ConnectionBadge

        for badge in self.query(ConnectionBadge):
            badge.show()

    def _show_data(self, select: str | None = None) -> None:
        """The rows and the notice under them; not while the screen is being made anew (a
        language switch: ``relabel`` shows them once it is)."""
        if self.data is None:
            return
        self.show_rows(select)
        source = self.data.key_source
        notice = [source.describe(language()) if source else "", *self._set_aside_lines()]
        for shown in self.query("#home-notice").results(Static):
            shown.update("\n".join(notice))

    def _set_aside_lines(self) -> list[str]:
        if self.data is None or not self.data.set_aside:
            return []
        problems = [problem.message(language()) for problem in self.data.set_aside]
        return [tr("app.home.set_aside"), *problems]

    def show_rows(self, select: str | None = None) -> None:
        """The rows as they are now; nothing while the screen is being made anew (``relabel``
        shows them once it is)."""
        tables, statuses = self.query(PeopleTable), self.query("#home-status").results(Static)
        if not tables or not (status := next(statuses, None)):
            return
        rows = self.rows()
        tables.first().show(rows, select)
        hint = "journey.home.hint" if self.context.connection else "app.home.hint"
        status.update(tr(hint) if rows else tr("app.home.empty"))
        self.refresh_bindings()

    # --- actions ---

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("status", "code", "outbound"):
            return self._journey_allows(action)
        if action in ("edit", "remove"):
            return self._selected() is not None
        if action == "add":
            return self.data is not None
        return True

    @on(OptionList.OptionSelected, "#people")
    def _row_chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_file()

    async def show_again(self) -> None:
        selected = self.query_one(PeopleTable).selected_person_id
        await self.recompose()  # the table is made anew, with its bindings in the new language
        self._show_data(selected)
        self.query_one(PeopleTable).focus()
