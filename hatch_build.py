"""Building the editable wheel (what ``uv sync`` and ``uv run`` install the package as) writes
the package's bytecode, as ``compile-bytecode`` in pyproject.toml does for every dependency.

uv compiles what it installs into the environment; an editable install puts only a path there,
so without this the first ``itdeclare`` after a clone compiled the modules it imports before
showing anything (``bench/terminal.py``, "after uv sync"). The build runs on the interpreter of
the environment being installed, so the bytecode is the one it will read; under any other
interpreter the files are simply not used. Like uv's option, this writes bytecode whatever
``PYTHONDONTWRITEBYTECODE`` says: it is an install step the project asks for, not an import.
"""

from __future__ import annotations

import compileall
import py_compile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CompileOnEditableInstall(BuildHookInterface):
    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if version != "editable":  # a wheel's installer compiles what it unpacks
            return
        # One process: 0.6 s for the whole package. Checked by timestamp whatever
        # SOURCE_DATE_EPOCH says (it would make every import hash the source): the tree is
        # edited, and a module edited later is compiled again on import. Quiet: a module that
        # cannot be written here (a read-only tree) is compiled on import as before, and the
        # install must not fail for it.
        for package in self.build_config.packages:  # as pyproject.toml names them
            compileall.compile_dir(
                Path(self.root) / package,
                quiet=2,
                invalidation_mode=py_compile.PycInvalidationMode.TIMESTAMP,
            )
