"""Helper process of ``test_sigkill.py``: the real app, headless, typing until it is killed.

It opens the first person's draft in the wizard (which resumes at the saved field) and types
letters at the end of that field, one key at a time, for a bounded number of keys. Each time a
draft save has returned (so the file is on disk) it prints ``saved REVISION TEXT``.

Usage: ``python autosave_app_child.py`` with the ``ITDECLARE_*`` directories set (POSIX only).
"""

from __future__ import annotations

import asyncio
import os
import string
from datetime import UTC, datetime

from itdeclare.app import TravellerApp
from itdeclare.config import Settings
from itdeclare.storage.records import Draft
from itdeclare.storage.stores import DraftStore

#: A helper that is never killed stops after this many keys (loops are bounded).
MAX_KEYS = 3000
LOC = "residence.address"
OUT = os.dup(1)  # Textual takes over stdout; reports go to the original descriptor


def say(line: str) -> None:
    os.write(OUT, (line + "\n").encode())


def report_saves() -> None:
    """Say each save once it has returned: from then on the file holds at least that."""
    save = DraftStore.save

    def reporting(store: DraftStore, draft: Draft) -> Draft:
        saved = save(store, draft)
        text = saved.declaration["residence"]["address"]
        say(f"saved {saved.revision} {text}")
        return saved

    DraftStore.save = reporting  # type: ignore[method-assign]


async def main() -> None:
    report_saves()
    app = TravellerApp(Settings(language="en"), clock=lambda: datetime(2026, 11, 30, tzinfo=UTC))
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        focused = app.focused
        assert focused is not None and focused.name == LOC, f"resumed at {focused}"
        await pilot.press("end")
        say("typing")
        for index in range(MAX_KEYS):
            await pilot.press(string.ascii_lowercase[index % 26])


if __name__ == "__main__":
    asyncio.run(main())
