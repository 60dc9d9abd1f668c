"""The layers point one way: core (optimizers, surfaces, models, classroom) ← figures ← view model ← pages
(views) ← app.py; no page imports another page; no import cycle, counting imports inside
functions. Read from the source, so a new module is checked as soon as it exists."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("optimizers", "surfaces", "models", "classroom", "figures", "ui", "viewmodel", "views")
CORE = ("optimizers", "surfaces", "models", "classroom")


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """Every module `path` imports, anywhere in it (inside functions too), relative ones resolved."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in _runtime_nodes(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, base] if base else parent)
            # `from views import explorer` imports the module views.explorer; `from ui.state import Run`, ui.state
            found |= {f"{base}.{alias.name}" if _is_module(f"{base}.{alias.name}") else base for alias in node.names}
    return found


def _runtime_nodes(tree):
    """ast.walk, without the blocks under `if TYPE_CHECKING:` (imports for annotations only)."""
    todo = [tree]
    while todo:
        node = todo.pop()
        yield node
        if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING":
            todo.extend(node.orelse)
            continue
        todo.extend(ast.iter_child_nodes(node))


def _is_module(name: str) -> bool:
    path = ROOT / name.replace(".", "/")
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


def project_graph() -> dict[str, set[str]]:
    files = [p for package in PACKAGES for p in (ROOT / package).rglob("*.py")] + [ROOT / "app.py"]
    modules = {module_name(p): p for p in files}
    return {name: {m for m in imports_of(path) if m in modules and m != name} for name, path in modules.items()}


def test_no_import_cycle():
    graph = project_graph()
    state = {}  # 1: on the current path, 2: done

    def visit(node, path):
        state[node] = 1
        for nxt in graph[node]:
            if state.get(nxt) == 1:
                cycle = path[path.index(nxt):] + [nxt]
                raise AssertionError("import cycle: " + " → ".join(cycle))
            if nxt not in state:
                visit(nxt, path + [nxt])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])


def test_layers_point_one_way():
    graph = project_graph()
    everything = {name: imports_of(ROOT / (name.replace(".", "/") + ".py")) if not (ROOT / name).is_dir()
                  else imports_of(ROOT / name / "__init__.py") for name in graph if name != "app"}
    for name, imported in everything.items():
        top = name.split(".")[0]
        used = {m.split(".")[0] for m in imported}
        if top in CORE:
            assert not used & {"streamlit", "plotly", "figures", "ui", "viewmodel", "views"}, name
        if top == "figures":
            assert not used & {"streamlit", "ui", "viewmodel", "views"}, name
        if top == "viewmodel":
            assert not used & {"streamlit", "views"}, name
        if top == "views" and name != "views.navigation":
            pages = {m for m in graph[name] if m.startswith("views.")}
            assert not pages, f"{name} imports the pages {pages}"
