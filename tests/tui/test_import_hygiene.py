"""Starting the traveller app must not load the backend, the crypto primitives, the QR code,
pydantic or the HTTP client: each of them would cost the start-up tens of milliseconds."""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ("fastapi", "sqlalchemy", "cryptography.hazmat", "qrcode", "pydantic", "httpx")


def imported_after(statement: str) -> set[str]:
    script = f"import json, sys\n{statement}\nprint(json.dumps(sorted(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    )
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
