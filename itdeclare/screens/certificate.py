"""The green code: the QR in the terminal, with whose it is and how long it is valid.

It is drawn from the certificate kept (encrypted) on this machine, so it shows with no network.
When the backend can be reached, the screen keeps asking whether the declaration behind it is
still approved: a code revoked by a re-declaration, or past its expiry, is shown as such, never
as green, and has no QR to scan.

A green code takes the whole window: no title bar, the QR at the top left and the holder's
lines beside it (below it in a narrow window), the keys at the bottom. A window short of rows
keeps less of the quiet zone above and below the code (two modules, which scanners read), so a
typical code (QR version 14 and below) shows in 120 columns × 40 rows. A window too small for
the code says which size it needs and offers the exports instead.

Nothing is drawn over the code while it is shown: how each export went is said among the lines
beside it (not as a toast, which would cover the code for its seconds), and any other notice is
kept to the part of the window the code does not take.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Literal

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Static

from itdeclare.certificate.errors import CertificateError
from itdeclare.journey.code import CodeState, Holder, file_stem, holder_of, read_record
from itdeclare.journey.facts import holder_lines, state_line
from itdeclare.journey.poll import keep_looking
from itdeclare.journey.text import incomplete_text
from itdeclare.screens.base import TravellerScreen
from itdeclare.widgets.footer import KeyFooter
from itdeclare.widgets.journey.qr import QrCode
from itdeclare.wording import language, tr

if TYPE_CHECKING:
    from itdeclare.journey.context import TravellerContext
    from itdeclare.journey.export import PageText
    from itdeclare.storage.records import Certificate

Format = Literal["png", "svg", "pdf"]

#: Columns the holder's lines need beside the code; narrower, they go below it.
SIDE_WIDTH = 34
#: Rows the screen takes besides the code: the footer.
FOOTER_ROWS = 1
#: Rows kept for the holder's lines below the code when there is no room beside it.
BELOW_ROWS = 3


@dataclass(frozen=True, slots=True)
class ExportNote:
    """How an export went, as said beside the code."""

    text: str
    failed: bool = False


@dataclass(frozen=True, slots=True)
class Layout:
    """Where the code goes in a window of a given size, or that it does not fit."""

    fits: bool
    side: bool
    quiet_rows: int
    """Blank modules above and below the code: the standard's four when there is room."""
    needed: tuple[int, int]
    """The smallest window (columns, rows) that shows the code with its lines beside it."""


def layout_for(width: int, height: int, modules: int) -> Layout:
    """The layout of a code ``modules`` wide (quiet zone not included) in a window."""
    from itdeclare.certificate.qr import MIN_QUIET_ZONE, QUIET_ZONE

    def rows_for(quiet: int) -> int:
        return (modules + 2 * quiet + 1) // 2

    columns = modules + 2 * QUIET_ZONE
    side = width >= columns + SIDE_WIDTH
    room = height - FOOTER_ROWS - (0 if side else BELOW_ROWS)
    quiet = next(
        (q for q in range(QUIET_ZONE, MIN_QUIET_ZONE - 1, -1) if rows_for(q) <= room), None
    )
    needed = (columns + SIDE_WIDTH, rows_for(MIN_QUIET_ZONE) + FOOTER_ROWS)
    fits = width >= columns and quiet is not None
    return Layout(fits, side, quiet or QUIET_ZONE, needed)


class CertificateScreen(TravellerScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("p", "export('png')", "PNG", id="journey.code.png"),
        Binding("v", "export('svg')", "SVG", id="journey.code.svg"),
        Binding("d", "export('pdf')", "PDF", id="journey.code.pdf"),
        Binding("escape", "back", "Back", id="journey.code.back"),
    ]

    @dataclass
    class Drawn(Message):
        modules: list[list[bool]] | None
        """The QR's modules, quiet zone not included; None when no QR code can hold the
        payload (``undrawable`` says so)."""
        holder: Holder | None
        undrawable: CertificateError | None = None

    @dataclass
    class StatusSeen(Message):
        certificate: Certificate

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, CertificateScreen.StatusSeen)

    @dataclass
    class ExportDone(Message):
        kind: Format
        note: ExportNote

    def __init__(self, context: TravellerContext, certificate: Certificate) -> None:
        super().__init__(id="certificate")
        self.context = context
        self.certificate = certificate
        self.modules: list[list[bool]] | None = None
        self.lines: list[str] | None = None
        """The QR as drawn for the window's size (its quiet zone above and below varies)."""
        self.holder: Holder | None = None
        self._readable = True
        self._note = ""
        self._undrawable: CertificateError | None = None
        self._exports: dict[Format, ExportNote] = {}
        """How each format's latest export went, in the order they were asked for."""

    # --- what is shown -------------------------------------------------------------------------

    @property
    def state(self) -> CodeState:
        from itdeclare.journey.code import state_of

        return state_of(self.certificate, self.context.clock(), readable=self._readable)

    @property
    def green(self) -> bool:
        return self.state is CodeState.VALID and self.lines is not None

    def compose(self) -> ComposeResult:
        green = self.green and self.lines is not None
        if not green:  # a green code takes the whole window: its title goes beside it
            yield from self.heading(self._title(), self.context.connection)
        with Horizontal(id="code-body"):
            if green and self.lines is not None:
                yield QrCode(self.lines, id="qr")
            with Vertical(id="code-facts"):
                if green:
                    yield Static(self._title(), id="code-title", markup=False)
                state = self.state
                yield Static(
                    state_line(state, language()),
                    id="code-state",
                    classes=f"-{state.value}",
                    markup=False,
                )
                if self.certificate.missing:
                    yield Static(
                        incomplete_text(self.certificate.missing),
                        id="code-incomplete",
                        markup=False,
                    )
                yield Static(self._checked(), id="code-checked", markup=False)
                yield Static("\n".join(self._facts()), id="code-holder", markup=False)
                yield Static("", id="code-fit", markup=False)
                yield Static(self._note_text(), id="code-note", markup=False)
                yield Static("", id="code-exports", markup=False)
        yield KeyFooter(compact=True)

    def _title(self) -> str:
        if self.holder is None:
            return tr("journey.code.title_plain")
        return tr("journey.code.title", name=self.holder.title_name(language()))

    def _facts(self) -> list[str]:
        lines = holder_lines(self.holder, self.certificate, language())
        if self.state is CodeState.REVOKED:
            lines.append(tr("journey.code.revoked_why"))
        if self.state is CodeState.EXPIRED:
            lines.append(tr("journey.code.expired_why"))
        return lines

    def _checked(self) -> str:
        """When the backend last confirmed the code's status (its revocation check); nothing
        for an outbound certificate, which has no declaration to ask about."""
        if self.certificate.declaration_id is None:
            return ""
        checked = self.certificate.checked_at
        if checked is None:
            return tr("journey.code.checked_never")
        from itdeclare import i18n

        return tr("journey.code.checked", at=i18n.format_datetime(checked.astimezone(), language()))

    def on_mount(self) -> None:
        self.draw()

    def on_screen_resume(self) -> None:
        self.follow()

    def on_screen_suspend(self) -> None:
        self.workers.cancel_group(self, "status-poll")

    def on_resize(self) -> None:
        self._fit()

    @work(thread=True, exclusive=True, group="qr-draw", exit_on_error=False)
    def draw(self) -> None:
        """Encode the QR and read the holder from the payload (both take a moment)."""
        from itdeclare.certificate import qr

        record = read_record(self.certificate.payload)
        holder = holder_of(record) if record else None
        try:
            modules = qr.matrix(self.certificate.payload, border=0)
        except CertificateError as error:  # said in words beside the code, not as a failure
            self.post_message(self.Drawn(None, holder, error))
            return
        self.post_message(self.Drawn(modules, holder))

    @on(Drawn)
    async def _drawn(self, event: Drawn) -> None:
        from itdeclare.certificate import qr

        self.modules, self.holder = event.modules, event.holder
        self.lines = qr.half_block_lines(self.modules) if self.modules else None
        self._undrawable = event.undrawable
        self._readable = event.holder is not None
        await self._redraw()

    async def _redraw(self) -> None:
        await self.recompose()
        self._show_exports()
        self._fit()
        self.refresh_bindings()

    def _fit(self) -> None:
        """Show the QR only when the whole of it fits; else say how much room it needs."""
        if self.modules is None:
            return
        from itdeclare.certificate import qr

        layout = layout_for(self.size.width, self.size.height, len(self.modules))
        body = self.query_one("#code-body", Horizontal)
        body.set_class(layout.side, "-side")
        fit = self.query_one("#code-fit", Static)
        self.lines = qr.half_block_lines(self.modules, quiet_rows=layout.quiet_rows)
        for qr_code in self.query(QrCode):
            qr_code.show(self.lines)
            qr_code.display = layout.fits
        self._keep_toasts_off(layout if self.green and layout.fits else None)
        if self.green and not layout.fits:
            columns, rows = layout.needed
            fit.update(
                tr(
                    "journey.code.too_small",
                    columns=columns,
                    rows=rows,
                    width=self.size.width,
                    height=self.size.height,
                )
            )
            fit.display = True
        else:
            fit.display = False

    def _keep_toasts_off(self, layout: Layout | None) -> None:
        """Notices (a failure, the hint on how to quit) go beside or below the code shown with
        ``layout``, never over it: a code half covered cannot be scanned. ``None``: no code is
        shown, and they go where they always do."""
        from textual.widgets._toast import ToastRack  # Textual's own: each screen has one

        self.set_class(layout is not None, "-code-shown")
        for rack in self.query(ToastRack):
            if layout is None or self.lines is None:
                rack.styles.margin = (0, 0, 1, 0)
                rack.styles.max_height = None
            elif layout.side:
                rack.styles.margin = (0, 0, 1, len(self.lines[0]) + 2)
                rack.styles.max_height = None
            else:
                rack.styles.margin = (0, 0, 1, 0)
                rack.styles.max_height = max(self.size.height - len(self.lines) - 2, 0)

    # --- is it still valid? ----------------------------------------------------------------------

    @work(exclusive=True, group="status-poll", exit_on_error=False)
    async def follow(self) -> None:
        connection = self.context.connection
        if connection is None or self.certificate.declaration_id is None:
            return
        await keep_looking(connection, self._look, self._failed)

    async def _look(self) -> None:
        connection = self.context.connection
        assert connection is not None
        self.post_message(self.StatusSeen(await connection.status_of(self.certificate)))

    def _failed(self, text: str, signed_out: bool) -> None:
        self.call_later(self._show_note, tr("journey.code.offline", reason=text))

    def _show_note(self, text: str) -> None:
        self._note = text
        self.query_one("#code-note", Static).update(self._note_text())

    def _note_text(self) -> str:
        """Why no QR is drawn stays said when the backend's status cannot be had as well."""
        undrawable = self._undrawable.message(language()) if self._undrawable else ""
        return "\n".join(note for note in (undrawable, self._note) if note)

    @on(StatusSeen)
    async def _status_seen(self, event: StatusSeen) -> None:
        changed = event.certificate.status is not self.certificate.status
        self.certificate = event.certificate
        if changed:
            await self._redraw()
        else:
            self.query_one("#code-checked", Static).update(self._checked())

    # --- exports ---------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "export":
            return self.green
        return True

    def action_export(self, kind: Format) -> None:
        if self.green:
            self._note_export(kind, ExportNote(tr("journey.code.exporting", format=kind.upper())))
            self.export(kind)

    @work(thread=True, group="export", exit_on_error=False)
    def export(self, kind: Format) -> None:
        from itdeclare.journey import export
        from itdeclare.locations import export_dir

        payload = self.certificate.payload
        path = export_dir() / f"{file_stem(self.certificate, self.holder)}.{kind}"
        try:
            if kind == "png":
                done = export.export_png(payload, path)
            elif kind == "svg":
                done = export.export_svg(payload, path)
            else:
                done = export.export_pdf(payload, self._page_text(), path)
        except (OSError, CertificateError) as error:
            if isinstance(error, CertificateError):
                reason = error.message(language())
            else:
                reason = error.strerror or type(error).__name__
            message = tr("journey.code.export_failed", path=path, reason=reason)
            self.post_message(self.ExportDone(kind, ExportNote(message, failed=True)))
            return
        text = tr("journey.code.exported", path=str(done.path))
        self.post_message(self.ExportDone(kind, ExportNote(text)))

    def _page_text(self) -> PageText:
        from itdeclare.journey.export import PageText

        return PageText(
            title=tr("journey.code.page_title"),
            lines=holder_lines(self.holder, self.certificate, language()),
            language=language(),
        )

    @on(ExportDone)
    def _exported(self, event: ExportDone) -> None:
        self._note_export(event.kind, event.note)

    def _note_export(self, kind: Format, note: ExportNote) -> None:
        self._exports.pop(kind, None)  # the latest export goes last
        self._exports[kind] = note
        self._show_exports()

    def _show_exports(self) -> None:
        notes = list(self._exports.values())
        for shown in self.query("#code-exports").results(Static):
            shown.update("\n".join(note.text for note in notes))
            shown.set_class(any(note.failed for note in notes), "-error")
            shown.display = bool(notes)

    def action_back(self) -> None:
        self.dismiss()

    async def show_again(self) -> None:
        await self._redraw()
