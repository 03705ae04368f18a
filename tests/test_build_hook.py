"""Installing the package editable writes its bytecode (``hatch_build.py``), so the first start
after ``uv sync`` reads it rather than compiling; a wheel leaves that to its installer."""

from __future__ import annotations

import importlib.util
import shutil
import zipfile
from pathlib import Path

import pytest
from hatchling.builders.wheel import WheelBuilder

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the project's build inputs, without any bytecode."""
    root = tmp_path / "project"
    root.mkdir()
    for name in ("pyproject.toml", "hatch_build.py", "README.md"):
        shutil.copy(ROOT / name, root / name)
    shutil.copytree(
        ROOT / "itdeclare", root / "itdeclare", ignore=shutil.ignore_patterns("__pycache__")
    )
    return root


def _modules(root: Path) -> list[Path]:
    return sorted((root / "itdeclare").rglob("*.py"))


def _compiled(module: Path) -> bool:
    return Path(importlib.util.cache_from_source(str(module))).is_file()


def _build(root: Path, version: str, out: Path) -> None:
    """The build's hooks, as ``uv sync`` runs them (the editable wheel itself needs the
    ``editables`` package, which only the build's own environment has)."""
    for _ in WheelBuilder(str(root)).build(directory=str(out), versions=[version], hooks_only=True):
        pass


def test_an_editable_install_compiles_every_module(project: Path, tmp_path: Path) -> None:
    modules = _modules(project)
    assert len(modules) > 100 and not any(map(_compiled, modules))
    _build(project, "editable", tmp_path / "dist")
    assert [module for module in modules if not _compiled(module)] == []


def test_the_bytecode_written_is_what_python_reads(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # reproducible-build setups set this, which would make every import hash the source
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1")
    _build(project, "editable", tmp_path / "dist")
    module = project / "itdeclare" / "wording.py"
    cached = Path(importlib.util.cache_from_source(str(module)))
    # a .pyc of the running interpreter, stamped with the source it was compiled from
    data = cached.read_bytes()
    assert data[:4] == importlib.util.MAGIC_NUMBER
    assert data[4:8] == bytes(4)  # checked by timestamp, not by hashing the source
    assert int.from_bytes(data[8:12], "little") == int(module.stat().st_mtime)
    assert int.from_bytes(data[12:16], "little") == module.stat().st_size


def test_a_wheel_leaves_compiling_to_its_installer(project: Path, tmp_path: Path) -> None:
    built = list(WheelBuilder(str(project)).build(directory=str(tmp_path), versions=["standard"]))
    assert not any(map(_compiled, _modules(project)))
    with zipfile.ZipFile(built[0]) as wheel:
        names = wheel.namelist()
    assert "itdeclare/cli.py" in names
    assert [name for name in names if name.endswith(".pyc")] == []
