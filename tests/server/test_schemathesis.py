"""``/openapi.json`` tells the truth: schemathesis, every check, every phase, zero failures.

Every operation, with requests drawn from the API document: its examples, the boundaries of
every constraint (coverage), random valid and invalid data (fuzzing), and sequences that follow
the document's links (stateful). The checks: no 5xx, only documented statuses, bodies and
headers as documented, schema-valid requests accepted (or refused for a documented reason),
invalid ones refused, authentication enforced, a deleted or made resource behaving as such.

The same run by hand, against a server started with ``itdeclare serve --dev``: see
docs/server.md ("Tests and measurements").
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.server import schemathesis_hooks
from tests.server.conftest import LiveServer

pytestmark = pytest.mark.slow

#: The run's settings (examples per phase, the seed, what departs from the defaults and why).
CONFIG = Path(__file__).with_name("schemathesis.toml")
ROOT = Path(__file__).parents[2]


def test_every_operation_as_documented(server: LiveServer) -> None:
    env = {
        **os.environ,
        "SCHEMATHESIS_HOOKS": "tests.server.schemathesis_hooks",
        schemathesis_hooks.URL_ENV: server.url,
        schemathesis_hooks.REVIEWER_ENV: server.reviewer_token("USA"),
        "PYTHONPATH": str(ROOT),
        "NO_COLOR": "1",
    }
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "schemathesis.cli",
            "--config-file",
            str(CONFIG),
            "run",
            f"{server.url}/openapi.json",
            "--checks",
            "all",
            "--phases",
            "examples,coverage,fuzzing,stateful",
            "--workers",
            "1",
        ],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert run.returncode == 0, run.stdout[-20_000:] + run.stderr[-5_000:]
    operations = sum(
        len(methods) for methods in httpx.get(f"{server.url}/openapi.json").json()["paths"].values()
    )
    summary = run.stdout[run.stdout.index("SUMMARY") :]
    assert f"Tested: {operations}\n" in summary, summary
    for phase in ("Coverage", "Fuzzing", "Stateful"):
        assert f"✅ {phase}" in summary, summary
