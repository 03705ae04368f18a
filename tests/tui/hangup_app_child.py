"""Helper process of ``test_hangup.py``: the real app, headless, types a few letters into a
draft and waits to be told to stop by a signal.

The autosave waits far longer than the test (set through the environment), so the letters
reach the disk only if the app writes the draft when the signal comes. It prints ``typed
TEXT`` once the letters are in the field.

Usage: ``python hangup_app_child.py`` with the ``ITDECLARE_*`` directories set (POSIX only).
"""

from __future__ import annotations

import asyncio
import os
from datetime import UTC, datetime

from itdeclare.app import TravellerApp
from itdeclare.config import Settings

LOC = "residence.address"
LETTERS = "hup"
#: A helper that is never signalled gives up after this long (loops are bounded).
MAX_WAIT_S = 60.0
OUT = os.dup(1)  # Textual takes over stdout; reports go to the original descriptor


async def main() -> None:
    app = TravellerApp(Settings(language="en"), clock=lambda: datetime(2026, 11, 30, tzinfo=UTC))
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        focused = app.focused
        assert focused is not None and focused.name == LOC, f"resumed at {focused}"
        await pilot.press("end", *LETTERS)
        await pilot.pause()
        os.write(OUT, f"typed {getattr(focused, 'value', '')}\n".encode())
        for _ in range(int(MAX_WAIT_S / 0.05)):
            if not app.is_running:
                return
            await asyncio.sleep(0.05)


if __name__ == "__main__":
    asyncio.run(main())
