"""No import cycle in the eventledger package (issue 11): the graph of which module imports
which, built from the source with ``ast`` (imports inside functions count too: a cycle that
only a lazy import hides is still a cycle), must have no strongly connected component of
more than one module. Imports under ``if TYPE_CHECKING:`` never run and do not count.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import eventledger

PACKAGE = Path(eventledger.__file__).resolve().parent


def _modules(root: Path, name: str) -> dict[str, tuple[Path, bool]]:
    mods: dict[str, tuple[Path, bool]] = {}
    for p in sorted(root.rglob("*.py")):
        parts = [name, *p.relative_to(root).with_suffix("").parts]
        is_pkg = parts[-1] == "__init__"
        mods[".".join(parts[:-1] if is_pkg else parts)] = (p, is_pkg)
    return mods


def _type_checking_only(tree: ast.AST) -> set[int]:
    """ids of the import nodes inside ``if TYPE_CHECKING:`` / ``if typing.TYPE_CHECKING:`` blocks."""
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If):
            test = node.test
            name = test.id if isinstance(test, ast.Name) else test.attr if isinstance(test, ast.Attribute) else ""
            if name == "TYPE_CHECKING":
                skip.update(id(n) for stmt in node.body for n in ast.walk(stmt))
    return skip


def import_graph(root: Path, name: str) -> dict[str, set[str]]:
    """module -> the modules of the same package it imports (``from a import b`` is an edge to
    ``a.b`` when that is a module, else to ``a``)."""
    mods = _modules(root, name)

    def owner(dotted: str) -> str | None:
        while dotted not in mods and "." in dotted:
            dotted = dotted.rsplit(".", 1)[0]
        return dotted if dotted in mods else None

    graph: dict[str, set[str]] = {}
    for mod, (path, is_pkg) in mods.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        skip = _type_checking_only(tree)
        edges: set[str] = set()
        for node in ast.walk(tree):
            if id(node) in skip:
                continue
            if isinstance(node, ast.Import):
                edges.update(o for a in node.names if (o := owner(a.name)))
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = mod.split(".") if is_pkg else mod.split(".")[:-1]
                    base = base[: len(base) - (node.level - 1)]
                    target = ".".join(base + ([node.module] if node.module else []))
                else:
                    target = node.module or ""
                if target != name and not target.startswith(name + "."):
                    continue
                for a in node.names:
                    o = f"{target}.{a.name}" if f"{target}.{a.name}" in mods else owner(target)
                    if o:
                        edges.add(o)
        edges.discard(mod)
        graph[mod] = edges
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each sorted."""
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10 * len(graph) + 100))
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def _describe(graph: dict[str, set[str]], comp: list[str]) -> str:
    inside = set(comp)
    return "; ".join(f"{m} -> {', '.join(sorted(graph[m] & inside))}" for m in comp)


def test_the_package_has_no_import_cycle():
    graph = import_graph(PACKAGE, "eventledger")
    assert len(graph) > 50 and "eventledger.web.app" in graph["eventledger.web"]  # the whole package was read
    found = cycles(graph)
    assert not found, "import cycles:\n" + "\n".join(_describe(graph, c) for c in found)


def test_the_web_routers_import_the_context_not_the_app():
    graph = import_graph(PACKAGE, "eventledger")
    routers = ("api", "pages", "auth", "review", "kit_pages")
    for r in routers:
        deps = graph[f"eventledger.web.{r}"]
        assert "eventledger.web.app" not in deps, r
        assert "eventledger.web.context" in deps, r
    assert {f"eventledger.web.{r}" for r in routers} <= graph["eventledger.web.app"]


def _package(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "pkg"
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


def test_the_check_finds_a_cycle_hidden_in_a_function_and_through_a_relative_import(tmp_path):
    root = _package(tmp_path, {
        "__init__.py": "",
        "a.py": "def f():\n    from pkg.sub import b\n",
        "sub/__init__.py": "",
        "sub/b.py": "from ..c import thing\n",
        "c.py": "import pkg.a\nthing = 1\n",
        "d.py": "from pkg import c\n",
    })
    graph = import_graph(root, "pkg")
    assert graph["pkg.d"] == {"pkg.c"} and graph["pkg.sub.b"] == {"pkg.c"}
    assert cycles(graph) == [["pkg.a", "pkg.c", "pkg.sub.b"]]


def test_imports_only_for_type_checkers_are_not_a_cycle(tmp_path):
    root = _package(tmp_path, {
        "__init__.py": "",
        "a.py": "from typing import TYPE_CHECKING\nimport pkg.b\n",
        "b.py": "import typing\nif typing.TYPE_CHECKING:\n    from pkg.a import x\n",
    })
    assert cycles(import_graph(root, "pkg")) == []


def test_the_ledger_policy_does_not_drive_the_store():
    """ledger/ is pure policy (copies, grouping, comparison) that the store calls; the batch
    runners that drive the store live in runner/."""
    graph = import_graph(PACKAGE, "eventledger")
    policy = {m for m in graph if m == "eventledger.ledger" or m.startswith("eventledger.ledger.")}
    assert {"eventledger.ledger.grouping", "eventledger.ledger.compare", "eventledger.ledger.dedup"} <= policy
    for m in sorted(policy):
        bad = {d for d in graph[m] if d.startswith(("eventledger.store", "eventledger.runner", "eventledger.web"))}
        assert not bad, f"{m} imports {sorted(bad)}"
    assert "eventledger.runner.run" in graph and "eventledger.runner.dask_run" in graph["eventledger.runner.run"]
