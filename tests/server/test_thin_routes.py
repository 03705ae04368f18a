"""Routes parse and answer; the transactions, and what differs between SQLite and PostgreSQL,
are the services' (``server/services/operations/``). Read from the routers' source."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROUTERS = Path(__file__).resolve().parents[2] / "itdeclare" / "server" / "routers"


def _routers() -> list[Path]:
    return sorted(p for p in ROUTERS.glob("*.py") if p.name != "__init__.py")


def _offences(tree: ast.AST) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in ("db", "sqlite"):
            found.append(f"line {node.lineno}: .{node.attr}")
        elif isinstance(node, ast.Lambda):
            found.append(f"line {node.lineno}: a lambda")
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("sqlalchemy"):
            found.append(f"line {node.lineno}: imports {node.module}")
    return found


@pytest.mark.parametrize("router", _routers(), ids=lambda p: p.stem)
def test_a_route_opens_no_transaction_and_picks_no_database(router: Path) -> None:
    assert _offences(ast.parse(router.read_text(encoding="utf-8"))) == []


@pytest.mark.parametrize("router", _routers(), ids=lambda p: p.stem)
def test_every_route_is_a_coroutine(router: Path) -> None:
    """A plain-function route would go through anyio's thread pool, whose bookkeeping costs
    every request; what blocks goes to ``threads.run`` instead."""
    tree = ast.parse(router.read_text(encoding="utf-8"))
    routes = [
        node.name
        for node in tree.body
        if isinstance(node, ast.FunctionDef)
        and any(isinstance(d, ast.Call) and ast.unparse(d.func).startswith("router.")
                for d in node.decorator_list)
    ]  # fmt: skip
    assert routes == []


def test_the_check_finds_what_it_looks_for() -> None:
    source = (
        "from sqlalchemy import select\n"
        "def route(state):\n"
        "    if state.db.sqlite:\n"
        "        return state.db.write(lambda session: session)\n"
    )
    assert len(_offences(ast.parse(source))) == 5


def test_both_attachment_downloads_share_one_handler() -> None:
    """The traveller's and the reviewer's download differ only in who may ask."""
    calls = []
    for name in ("declarations.py", "review.py"):
        tree = ast.parse((ROUTERS / name).read_text(encoding="utf-8"))
        route = next(
            node
            for node in ast.walk(tree)
            if isinstance(node, ast.AsyncFunctionDef)
            and node.name in ("download", "review_attachment")
        )
        [statement] = route.body
        assert isinstance(statement, ast.Return)
        calls.append(ast.unparse(statement))
    assert (
        calls[0]
        == calls[1]
        == (
            "return await threads.run(attachments.download, state, account, declaration_id, "
            "attachment_id)"
        )
    )
