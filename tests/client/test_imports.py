"""The client is what the TUI loads to reach the backend: it must not drag the backend in."""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = (
    "fastapi",
    "starlette",
    "sqlalchemy",
    "uvicorn",
    "cryptography.hazmat",
    "qrcode",
    "textual",
)


def test_importing_the_client_loads_no_backend_or_ui() -> None:
    probe = "import json, sys, itdeclare.client; print(json.dumps(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    loaded = set(json.loads(out))
    heavy = [name for name in loaded if any(name == h or name.startswith(f"{h}.") for h in HEAVY)]
    assert heavy == []
