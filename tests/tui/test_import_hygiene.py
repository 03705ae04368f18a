"""Starting the traveller app must not load the backend, the crypto primitives, the QR code,
pydantic or the HTTP client: each of them would cost the start-up tens of milliseconds."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

HEAVY = ("fastapi", "sqlalchemy", "cryptography.hazmat", "qrcode", "pydantic", "httpx")


def imported_after(statement: str, environment: dict[str, str] | None = None) -> set[str]:
    script = f"import json, sys\n{statement}\nprint(json.dumps(sorted(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True, text=True, check=True, timeout=60, env=environment,
    )  # fmt: skip
    return set(json.loads(result.stdout))


def test_importing_the_app_loads_nothing_heavy() -> None:
    modules = imported_after("import itdeclare.app, itdeclare.journey.connection, itdeclare.cli")
    loaded = sorted(
        m for m in modules for heavy in HEAVY if m == heavy or m.startswith(heavy + ".")
    )
    assert loaded == []


def test_the_wizard_loads_lazily() -> None:
    """The wizard and the reference data load when first used, not with the app."""
    modules = imported_after("import itdeclare.app")
    assert "itdeclare.screens.wizard" not in modules
    assert "airportsdata" not in modules
    assert "pycountry" not in modules


def test_the_home_screen_needs_no_declaration_models() -> None:
    """The home rows need only the enumerations; the models build their validators later."""
    modules = imported_after("import itdeclare.app")
    assert "itdeclare.models.declaration" not in modules
    assert "itdeclare.models.validation" not in modules


def test_reading_the_settings_and_the_local_records_needs_no_pydantic() -> None:
    modules = imported_after(
        "from itdeclare.config import load_settings; load_settings()\n"
        "import itdeclare.storage.state, itdeclare.storage.saver, itdeclare.storage.reviewers"
    )
    assert "pydantic" not in modules


def test_the_local_backend_loads_no_signing_until_it_signs(tmp_path: Path) -> None:
    """The embedded backend runs in the app's process: a start after the first (which makes
    the keys) unseals no key and loads neither the X.509 module nor the codec until a
    certificate is signed."""
    start = (
        "from itdeclare.server import embedded\n"
        "url, stop = embedded.start()\n"
        "import urllib.request; urllib.request.urlopen(url + '/api/v1/rules').read()\n"
        "stop()"
    )
    environment = {**os.environ, "ITDECLARE_DATA_DIR": str(tmp_path)}
    imported_after(start, environment)  # the first start makes the keys
    modules = imported_after(start, environment)
    assert "itdeclare.server.app" in modules
    for unused in ("cryptography.x509", "cbor2", "itdeclare.certificate.issue"):
        assert unused not in modules
