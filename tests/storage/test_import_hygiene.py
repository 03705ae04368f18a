"""Importing the storage API costs no cryptography and no keyring until a store is opened."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("cryptography.hazmat", "keyring")


def test_storage_modules_import_lightly() -> None:
    code = (
        "import sys\n"
        "import itdeclare.storage.state, itdeclare.storage.saver, itdeclare.storage.records\n"
        f"heavy = sorted(m for m in sys.modules if m.startswith({HEAVY!r}))\n"
        "print(' '.join(heavy))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == []
