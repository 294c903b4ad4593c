"""The floors and wings of docs/ARCHITECTURE.md, held by the import contract in pyproject.toml."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[1]


def test_the_import_contract_is_kept() -> None:
    lint = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run([str(lint), "--no-cache", str(ROOT / "pyproject.toml")], cwd=ROOT,
                          capture_output=True, text=True, encoding="utf-8")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "BROKEN" not in done.stdout and "Contracts: 5 kept, 0 broken." in done.stdout


def test_no_dead_code() -> None:
    vulture = Path(sys.executable).with_name("vulture")
    done = subprocess.run([str(vulture), "wuye_desktop", "vulture_whitelist.py", "--min-confidence", "60"], cwd=ROOT,
                          capture_output=True, text=True, encoding="utf-8")
    assert done.returncode == 0 and done.stdout == "", done.stdout + done.stderr


def _circles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Strongly connected sets of more than one module (Tarjan), each a circle of imports."""
    imports = {m: graph.find_modules_directly_imported_by(m) for m in graph.modules}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for other in imports[module]:
            if other not in index:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in stack:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            circle = []
            while True:
                member = stack.pop()
                circle.append(member)
                if member == module:
                    break
            if len(circle) > 1:
                found.append(sorted(circle))

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    for module in imports:
        if module not in index:
            visit(module)
    return found


def test_no_circle_of_imports_across_files_but_the_models_relationships() -> None:
    graph = grimp.build_graph("wuye_desktop", cache_dir=None)
    circles = [c for c in _circles(graph) if not all(m.startswith("wuye_desktop.models.") for m in c)]
    assert circles == []


def test_services_hold_only_wings_and_a_handful_of_shared_modules() -> None:
    services = ROOT / "wuye_desktop" / "services"
    top = sorted(p.stem for p in services.glob("*.py"))
    assert top == ["__init__", "audit", "changes", "context", "outputs", "permissions", "settings", "validation"]
    for wing in (p for p in services.iterdir() if p.is_dir() and (p / "__init__.py").exists()):
        modules = [p.stem for p in wing.glob("*.py") if p.stem != "__init__"]
        assert len(modules) <= 12, f"{wing.name} has {len(modules)} modules: split it"
        assert not [m for m in modules if m.lstrip("_").startswith(wing.name + "_")], "no module named after its wing"
