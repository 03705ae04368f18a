"""The trivial Textual app the start-up benchmarks compare the traveller app with: a header, a
label and a footer. It imports nothing but Textual, so the baseline carries none of a
benchmark's own imports."""

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Label

#: What its first screen shows.
MARKER = "trivial app ready"


class Trivial(App[None]):
    def compose(self) -> ComposeResult:
        yield Header()
        yield Label(MARKER)
        yield Footer()


if __name__ == "__main__":
    Trivial().run()
