"""The import graph of the packages: no cycles, and the arrows point one way.

The packages are layered s390 <- cp <- cms, tui; vm370 (the entry points)
sits on top of everything.  tcpip (the TCP/IP engine) imports none of them;
cp and cms may import it.  This test reads every module's source with the
standard library's ast and collects every import statement, at module level
and inside functions alike (an import moved into a function still ties the
two modules together).  ``from package import name`` counts as an import of
``package.name`` when that is a module of the package, else of ``package``.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("s390", "cp", "cms", "tui", "vm370", "tcpip")
#: Cycles and arrows allowed as exceptions (none: the lists may only shrink).
KNOWN_CYCLE_GROUPS: tuple[set[str], ...] = ()
KNOWN_WRONG_ARROWS: set[tuple[str, str]] = set()
#: package -> the packages it must not import (anything else of PACKAGES is allowed).
FORBIDDEN = {
    "tcpip": {"s390", "cp", "cms", "tui", "vm370"},
    "s390": {"cp", "cms", "tui", "vm370"},
    "cp": {"cms", "tui", "vm370"},
    "cms": {"tui", "vm370"},
    "tui": {"cms", "vm370"},
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def all_modules() -> dict[str, Path]:
    modules = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            modules[module_name(path)] = path
    return modules


def _base(name: str, path: Path, node: ast.ImportFrom) -> str:
    """The absolute module a ``from ... import`` names (relative ones resolved)."""
    if not node.level:
        return node.module or ""
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    package = package[: len(package) - (node.level - 1)]
    return ".".join(package + ([node.module] if node.module else []))


def _type_checking(node: ast.AST) -> bool:
    """``if TYPE_CHECKING:``: imports for annotations only, never run."""
    return isinstance(node, ast.If) and (
        (isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING")
        or (isinstance(node.test, ast.Attribute) and node.test.attr == "TYPE_CHECKING")
    )


def _runtime_nodes(tree: ast.AST):
    """Every node of the tree but those under ``if TYPE_CHECKING:``."""
    todo = [tree]
    while todo:
        node = todo.pop()
        yield node
        if _type_checking(node):
            todo.extend(node.orelse)
        else:
            todo.extend(ast.iter_child_nodes(node))


def imports_of(name: str, path: Path, modules) -> set[str]:
    """The modules of PACKAGES that module ``name`` imports anywhere in its source."""
    found = set()
    for node in _runtime_nodes(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = _base(name, path, node)
            targets = [
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base
                for alias in node.names
            ]
        else:
            continue
        found.update(t for t in targets if t in modules and t != name)
    return found


def import_graph() -> dict[str, set[str]]:
    modules = all_modules()
    return {name: imports_of(name, path, modules) for name, path in modules.items()}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of the graph (its modules, the first repeated at the end), or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for target in sorted(graph[node]):
            if state.get(target) == 1:
                return path[path.index(target) :] + [target]
            if target not in state:
                cycle = visit(target)
                if cycle:
                    return cycle
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state:
            cycle = visit(node)
            if cycle:
                return cycle
    return None


def test_the_graph_sees_function_level_imports():
    graph = import_graph()
    assert "s390.cpu" in graph["cp.dispatcher"] or "s390.exits" in graph["cp.dispatcher"]
    assert graph["cp.commands"], "the command package imports its command modules"


def test_find_cycle_finds_a_cycle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def _known_group(module: str):
    """The index of the KNOWN_CYCLE_GROUPS group ``module`` belongs to, or None."""
    return next((index for index, group in enumerate(KNOWN_CYCLE_GROUPS) if module in group), None)


def test_no_import_cycles():
    """No cycle at all in s390, cp, cms and tui; in vm370 only the known one."""
    graph = import_graph()
    known = {name: _known_group(name) for name in graph}
    # Cut the edges inside a known group: any cycle left is a new one.
    cut = {
        name: {t for t in targets if known[name] is None or known[t] != known[name]}
        for name, targets in graph.items()
    }
    cycle = find_cycle(cut)
    assert cycle is None, "import cycle: " + " -> ".join(cycle)


def test_the_known_exceptions_are_still_there():
    """An exception that is gone comes off the lists (they only shrink)."""
    graph = import_graph()
    for a, b in KNOWN_WRONG_ARROWS:
        assert b in graph[a], f"{a} no longer imports {b}: take it off KNOWN_WRONG_ARROWS"
    for group in KNOWN_CYCLE_GROUPS:
        inside = {name: graph[name] & group for name in group}
        assert find_cycle(inside), f"{sorted(group)} has no cycle any more: take it off"


def test_packages_import_only_downwards():
    wrong = [
        f"{name} imports {target}"
        for name, targets in import_graph().items()
        for target in sorted(targets)
        if target.split(".")[0] in FORBIDDEN.get(name.split(".")[0], set())
        and (name, target) not in KNOWN_WRONG_ARROWS
    ]
    assert not wrong, "\n".join(wrong)
