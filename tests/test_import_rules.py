"""The package's layering (``docs/architecture.md``), read from the source with ``ast``.

Every import counts, wherever it is written (module top, inside a function, under
``TYPE_CHECKING``): a lazy import still ties two modules together. Run this file as a script to
print the layer graph with edge counts and the largest modules.
"""

from __future__ import annotations

import ast
import sys
from collections import Counter
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "itdeclare"

#: The modules at the package's top that make up the apps (wiring only).
APP_MODULES = {
    "__main__",
    "app",
    "review_app",
    "commands",
    "cli",
    "cli_parser",
    "import_cli",
    "plan_cli",
    "trust_update",
    "verify_cli",
}

#: What each layer may import besides itself (the package root, for its version, is free).
ALLOWED: dict[str, set[str]] = {
    "i18n": set(),
    "locations": set(),
    "plain": {"i18n"},
    "output": {"i18n"},
    "models": {"i18n"},
    "config": {"i18n", "plain", "locations"},
    "certificate": {"models", "i18n", "config", "locations"},
    "storage": {"models", "certificate", "i18n", "plain", "locations"},
    "client": {"models", "i18n"},
    "server": {"models", "certificate", "i18n", "config", "locations", "output"},
    # The one place the embedded backend is wired.
    "local_backend": {"server", "config"},
    # The UI-free layer: what the apps do without drawing.
    "wording": {"i18n"},
    "journey": {
        "models",
        "certificate",
        "storage",
        "client",
        "config",
        "i18n",
        "locations",
        "local_backend",
        "wording",
    },
    "reviewing": {
        "models",
        "certificate",
        "storage",
        "client",
        "config",
        "i18n",
        "locations",
        "local_backend",
        "wording",
    },
    # Textual code.
    "widgets": {
        "models",
        "certificate",
        "storage",
        "client",
        "config",
        "i18n",
        "wording",
        "journey",
        "reviewing",
    },
    "screens": {
        "models",
        "certificate",
        "storage",
        "client",
        "config",
        "i18n",
        "locations",
        "local_backend",
        "wording",
        "journey",
        "reviewing",
        "widgets",
    },
    "app": {
        "models",
        "certificate",
        "storage",
        "client",
        "config",
        "i18n",
        "locations",
        "output",
        "local_backend",
        "wording",
        "journey",
        "reviewing",
        "widgets",
        "screens",
    },
}

#: Layers that must not import Textual (nor Rich, which draws for it).
UI_FREE = set(ALLOWED) - {"widgets", "screens", "app"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@cache
def modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def layer(module: str) -> str:
    top = module.split(".")[1] if "." in module else ""
    return "app" if top in APP_MODULES else top


def _owner(name: str) -> str:
    """The package module that defines ``name`` (``a.b.c`` may be the class ``c`` of ``a.b``)."""
    known = modules()
    while name and name not in known:
        name = name.rpartition(".")[0]
    return name


def _imported(module: str, node: ast.Import | ast.ImportFrom) -> Iterator[str]:
    """The names an import statement brings in, as absolute dotted names."""
    if isinstance(node, ast.Import):
        yield from (alias.name for alias in node.names)
        return
    base = node.module or ""
    if node.level:
        package = module.split(".")
        if modules()[module].name != "__init__.py":
            package.pop()
        package = package[: len(package) - node.level + 1]
        base = ".".join([*package, base] if base else package)
    for alias in node.names:
        yield f"{base}.{alias.name}"


@cache
def imports() -> dict[str, set[str]]:
    """Each package module's imports: package modules by name, other packages by top name."""
    graph: dict[str, set[str]] = {}
    for module, path in modules().items():
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import | ast.ImportFrom):
                for name in _imported(module, node):
                    owner = _owner(name) if name.startswith("itdeclare") else name
                    if owner != module:
                        found.add(owner)
        graph[module] = found
    return graph


def package_edges() -> list[tuple[str, str]]:
    return [
        (module, target)
        for module, targets in imports().items()
        for target in sorted(targets)
        if target.startswith("itdeclare")
    ]


def layer_edges() -> Counter[tuple[str, str]]:
    return Counter(
        (layer(module), layer(target))
        for module, target in package_edges()
        if target != "itdeclare" and layer(module) != layer(target)
    )


def cycles() -> list[list[str]]:
    """The package's strongly connected groups of more than one module (Tarjan)."""
    graph = {
        module: [t for t in targets if t in modules()] for module, targets in imports().items()
    }
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for target in graph[module]:
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            group: list[str] = []
            while not group or group[-1] != module:
                group.append(stack.pop())
            if len(group) > 1:
                found.append(sorted(group))

    for module in graph:
        if module not in index:
            visit(module)
    return found


def test_every_module_belongs_to_a_layer() -> None:
    unknown = sorted(m for m in modules() if m != "itdeclare" and layer(m) not in ALLOWED)
    assert unknown == [], "add the new layer to ALLOWED and to docs/architecture.md"


def test_layers_import_only_what_they_may() -> None:
    wrong = sorted(
        f"{module} imports {target}"
        for module, target in package_edges()
        if target != "itdeclare"
        and layer(module) != layer(target)
        and layer(target) not in ALLOWED.get(layer(module), set())
    )
    assert wrong == []


@pytest.mark.parametrize("forbidden", ["textual", "rich"])
def test_the_ui_free_layers_do_not_draw(forbidden: str) -> None:
    wrong = sorted(
        module
        for module, targets in imports().items()
        if layer(module) in UI_FREE
        and any(t == forbidden or t.startswith(forbidden + ".") for t in targets)
    )
    assert wrong == []


def test_screens_and_widgets_hold_textual_code() -> None:
    """A module there draws: what works without Textual belongs in the UI-free layer."""
    idle = sorted(
        module
        for module, targets in imports().items()
        if layer(module) in {"widgets", "screens"}
        and modules()[module].name != "__init__.py"
        and not any(t == "textual" or t.startswith("textual.") for t in targets)
    )
    assert idle == []


def test_widgets_never_import_screens() -> None:
    wrong = sorted(
        f"{module} imports {target}"
        for module, target in package_edges()
        if layer(module) == "widgets" and layer(target) == "screens"
    )
    assert wrong == []


def test_no_import_cycles() -> None:
    assert cycles() == []


def test_the_rules_see_imports_of_every_kind() -> None:
    """Lazy, relative and TYPE_CHECKING imports are all read (the rules would be blind
    without them)."""
    graph = imports()
    assert "itdeclare.screens.status" in graph["itdeclare.screens.home_journey"]  # in a method
    assert "itdeclare.storage.saver" in graph["itdeclare.journey.context"]  # TYPE_CHECKING
    assert "itdeclare.journey.form" in graph["itdeclare.journey.form_checks"]


def _report() -> None:
    print("layer -> layer (imports)")
    for (source, target), count in sorted(layer_edges().items()):
        print(f"  {source} -> {target}: {count}")
    sizes = sorted(
        ((len(path.read_text(encoding="utf-8").splitlines()), m) for m, path in modules().items()),
        reverse=True,
    )
    print("largest modules (lines)")
    for lines, module in sizes[:15]:
        print(f"  {lines:4d} {module}")


if __name__ == "__main__":
    _report()
    sys.exit(0)
