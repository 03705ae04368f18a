"""Installing the package editable (``uv sync``, ``uv run``) writes its bytecode, as
``compile-bytecode`` in pyproject.toml does for every dependency.

uv compiles what it installs into the environment; an editable install puts only a path there,
so without this the first ``itdeclare`` after a clone compiled the modules it imports before
showing anything (``bench/terminal.py``, "after uv sync"). The build runs on the interpreter of
the environment being installed, so the bytecode is the one it will read; under any other
interpreter the files are simply not used.
"""

from __future__ import annotations

import compileall
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

PACKAGE = "itdeclare"


class CompileOnEditableInstall(BuildHookInterface):
    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if version != "editable":  # a wheel's installer compiles what it unpacks
            return
        # one process: 0.6 s for the whole package, and nothing to go wrong where a build runs
        compileall.compile_dir(Path(self.root) / PACKAGE, quiet=1)
