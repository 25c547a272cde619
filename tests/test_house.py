"""Issue 13: the house in order, checked on the code itself.

- the import graph (AST, imports inside functions included): no cycle anywhere in the
  package (read/ is layered since issue 13.1), write/ never imports read/, assess/
  imports neither read/ nor write/;
- `kaohe run` on the demo imports neither openpyxl, numpy nor pandas (nor the page's starlette/uvicorn);
- every declared dependency is imported by the package, and nothing the package imports
  from outside the standard library is undeclared."""

from __future__ import annotations

import ast
import json
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PKG = ROOT / "kaohe_excel"

# modules that still import each other (none: issue 13.1 layered read/)
KNOWN_CYCLES = []


def _modules() -> dict[str, Path]:
    out = {}
    for p in PKG.rglob("*.py"):
        name = ".".join(p.relative_to(ROOT).with_suffix("").parts)
        out[name.removesuffix(".__init__")] = p
    return out


def _imports(path: Path) -> list[ast.AST]:
    return [n for n in ast.walk(ast.parse(path.read_text(encoding="utf-8"))) if isinstance(n, (ast.Import, ast.ImportFrom))]


def _graph() -> dict[str, set[str]]:
    """module -> package modules it imports; `from pkg import submodule` points at the submodule."""
    mods = _modules()
    edges: dict[str, set[str]] = {m: set() for m in mods}
    for m, p in mods.items():
        for node in _imports(p):
            if isinstance(node, ast.Import):
                edges[m].update(a.name for a in node.names if a.name in mods)
            elif node.module and node.module.startswith("kaohe_excel"):
                subs = [f"{node.module}.{a.name}" for a in node.names if f"{node.module}.{a.name}" in mods]
                if subs:
                    edges[m].update(subs)
                if len(subs) < len(node.names) and node.module in mods:
                    edges[m].add(node.module)
        edges[m].discard(m)
    return edges


def _cycles(edges: dict[str, set[str]]) -> list[set[str]]:
    """Strongly connected components of more than one module (Tarjan, without recursion)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[set[str]] = []
    counter = 0
    for root in edges:
        if root in index:
            continue
        work = [(root, iter(sorted(edges[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on.add(root)
        while work:
            v, it = work[-1]
            w = next(it, None)
            if w is not None:
                if w not in index:
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on.add(w)
                    work.append((w, iter(sorted(edges[w]))))
                elif w in on:
                    low[v] = min(low[v], index[w])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[v])
            if low[v] == index[v]:
                comp = set()
                while True:
                    x = stack.pop()
                    on.discard(x)
                    comp.add(x)
                    if x == v:
                        break
                if len(comp) > 1:
                    out.append(comp)
    return out


def test_the_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [{"a", "b", "c"}]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycle_but_the_known_one():
    assert sorted(map(sorted, _cycles(_graph()))) == sorted(map(sorted, KNOWN_CYCLES))


def test_layers_point_one_way():
    bad = [(m, t) for m, ts in _graph().items() for t in ts
           if (m.startswith("kaohe_excel.write") and t.startswith("kaohe_excel.read"))
           or (m.startswith("kaohe_excel.assess") and t.startswith(("kaohe_excel.read", "kaohe_excel.write")))]
    assert not bad, bad


def test_layers_point_one_way_through_any_module():
    """Not even by way of another module: what write/ uses never reaches read/, what assess/
    uses never reaches read/ or write/ (units.py and text.py sit beside the model for that)."""
    g = _graph()

    def reach(m: str) -> set[str]:
        seen, todo = set(), [m]
        while todo:
            for t in g.get(todo.pop(), ()):
                if t not in seen:
                    seen.add(t)
                    todo.append(t)
        return seen

    bad = []
    for m in g:
        if m.startswith("kaohe_excel.write"):
            bad += [(m, t) for t in reach(m) if t.startswith("kaohe_excel.read")]
        if m.startswith("kaohe_excel.assess"):
            bad += [(m, t) for t in reach(m) if t.startswith(("kaohe_excel.read", "kaohe_excel.write", "kaohe_excel.flows"))]
    assert not bad, bad[:10]


def _declared() -> dict[str, str]:
    """import name -> distribution, for the package's declared dependencies."""
    names = {"python-calamine": "python_calamine", "pyyaml": "yaml", "msoffcrypto-tool": "msoffcrypto"}
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    out = {}
    for d in deps:
        dist = re.match(r"[A-Za-z0-9_.\-]+", d).group(0).lower()
        out[names.get(dist, dist.replace("-", "_"))] = dist
    return out


def test_every_declared_dependency_is_used_and_nothing_used_is_undeclared():
    used: set[str] = set()
    for p in _modules().values():
        for node in _imports(p):
            if isinstance(node, ast.Import):
                used.update(a.name.split(".")[0] for a in node.names)
            elif node.module and node.level == 0:
                used.add(node.module.split(".")[0])
    third = {u for u in used if u not in sys.stdlib_module_names and u != "kaohe_excel"}
    declared = _declared()
    assert set(declared) <= third, f"declared, never imported: {set(declared) - third}"
    assert third <= set(declared), f"imported, not declared: {third - set(declared)}"


def test_run_on_the_demo_imports_no_openpyxl_numpy_or_pandas(tmp_path):
    shutil.copytree(ROOT / "input", tmp_path / "input")
    code = ("import sys, json\n"
            "from kaohe_excel.cli import main\n"
            "sys.argv = ['kaohe', 'run', '--month', '2023-08']\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))\n")
    p = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, encoding="utf-8",
                       env={**__import__("os").environ, "PYTHONPATH": str(ROOT)}, timeout=300)
    assert list((tmp_path / "output" / "2023-08").glob("*.xlsx")), p.stdout + p.stderr
    loaded = set(json.loads(p.stdout.strip().splitlines()[-1]))
    heavy = {"openpyxl", "numpy", "pandas", "xlsxwriter", "starlette", "uvicorn", "python_multipart", "multipart"}
    assert not loaded & heavy, loaded & heavy  # the page's stack loads for `kaohe serve` only
