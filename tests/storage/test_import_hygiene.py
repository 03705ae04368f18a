"""Importing the storage API costs no cryptography and no keyring until a store is opened."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

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


def test_reading_a_record_imports_no_other_cipher(tmp_path: Path) -> None:
    """The home list waits for the first record read: it loads AES-GCM alone, not the package
    of every cipher and mode that its public module sits in."""
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from itdeclare.storage.data_key import DataKey, KeySource\n"
        "from itdeclare.storage.vault import Vault\n"
        f"root = Path({str(tmp_path)!r})\n"
        "vault = Vault(root / 'drafts', DataKey(bytes(32), KeySource.FILE, 't'), 'drafts',"
        " root / 'quarantine')\n"
        "vault.put('a', b'x')\n"
        "assert vault.get('a') == b'x'\n"
        "loaded = [m for m in sys.modules if m.startswith('cryptography.hazmat.primitives')]\n"
        "print(' '.join(loaded))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == []


def test_the_vault_seals_with_cryptographys_public_aes_gcm(tmp_path: Path) -> None:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    from itdeclare.storage.data_key import DataKey, KeySource
    from itdeclare.storage.vault import Vault

    key = DataKey(bytes(32), KeySource.FILE, "t")
    vault = Vault(tmp_path / "drafts", key, "drafts", tmp_path / "quarantine")
    assert type(vault._aead()) is AESGCM
