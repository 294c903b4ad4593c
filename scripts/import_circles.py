"""List the import circles across files in wuye_desktop: the strongly connected components of its import graph.

Needs grimp (``pip install grimp``); run from the repository root:

    python scripts/import_circles.py

Imports under ``if TYPE_CHECKING:`` count: they tie the files together for
the reader and the type checker all the same. Prints each circle with the
imports inside it, then how many there are.
"""

from __future__ import annotations

import sys

import grimp


def circles(package: str) -> tuple[list[list[str]], dict[str, list[str]]]:
    graph = grimp.build_graph(package)
    edges = {m: sorted(graph.find_modules_directly_imported_by(m)) for m in sorted(graph.modules)}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:  # Tarjan's algorithm
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in edges[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10 * len(edges)))
    for module in edges:
        if module not in index:
            visit(module)
    return sorted(found), edges


def main() -> None:
    found, edges = circles("wuye_desktop")
    for component in found:
        members = set(component)
        print(f"{len(component)} modules:")
        for module in component:
            print(f"  {module} -> {', '.join(w for w in edges[module] if w in members)}")
    print(f"{len(found)} circle(s)")


if __name__ == "__main__":
    main()
