"""A QR code drawn in the terminal: half-block characters, black on white, quiet zone included.

The colours are fixed, not the theme's (STYLE point 21): a phone's scanner needs dark modules
on a light ground whatever the theme, light or dark. Each character cell holds two modules, one
above the other, so a code of N modules takes N columns and N/2 rows.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.geometry import Size
from textual.widget import Widget

#: Black modules on a white ground, never themed.
QR_STYLE = Style(color="#000000", bgcolor="#ffffff")


class QrCode(Widget):
    DEFAULT_CSS = """
    QrCode {
        width: auto;
        height: auto;
    }
    """

    def __init__(self, lines: list[str], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.lines = lines

    def show(self, lines: list[str]) -> None:
        """Draw ``lines`` instead (the same code with another quiet zone)."""
        if lines != self.lines:
            self.lines = lines
            self.refresh(layout=True)

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return len(self.lines[0]) if self.lines else 0

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.lines)

    def render(self) -> Text:
        return Text("\n".join(self.lines), style=QR_STYLE, no_wrap=True, overflow="crop")
