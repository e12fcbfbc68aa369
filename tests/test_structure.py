"""The package's shape: no import cycles, each step importing only the steps below it, no module reaching into
another's private names, public names stated."""

import ast
from pathlib import Path

import pytest

from tests.conftest import ROOT

PACKAGE = ROOT / "lib" / "newsframe"


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imports(name: str) -> list[tuple[str, list[str]]]:
    """Return (module imported, names taken from it) for every import in a module, at any depth (an import inside
    a function is still a dependency)."""
    tree = ast.parse(MODULES[name].read_text("utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, []) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from the module's own package
                package = name.split(".") if MODULES[name].name == "__init__.py" else name.split(".")[:-1]
                base = ".".join(package[: len(package) - node.level + 1] + ([base] if base else []))
            for alias in node.names:  # `from a.b import c` imports the module a.b.c when there is one
                found.append((f"{base}.{alias.name}", []) if f"{base}.{alias.name}" in MODULES
                             else (base, [alias.name]))
    return [(module, names) for module, names in found if module.split(".")[0] == "newsframe"]


def graph() -> dict[str, set[str]]:
    return {name: {module for module, _ in imports(name) if module in MODULES and module != name} for name in MODULES}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Return the import cycles (strongly connected components of more than one module, or a module importing
    itself), by Tarjan's algorithm."""
    index, low, stack, on_stack, found, counter = {}, {}, [], set(), [], [0]

    def visit(node):
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for target in edges.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_the_package_has_no_import_cycle():
    assert cycles(graph()) == []


def test_the_cycle_check_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def module_aliases(name: str) -> set[str]:
    """Return the local names a module binds to other newsframe modules (`from newsframe.analysis import terms as
    termops` binds `termops`)."""
    tree = ast.parse(MODULES[name].read_text("utf-8"))
    bound = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("newsframe"):
            bound |= {alias.asname or alias.name for alias in node.names if f"{node.module}.{alias.name}" in MODULES}
    return bound


def test_no_module_reaches_into_another_modules_private_names():
    taken = [f"{name} imports {module}.{n}" for name in MODULES for module, names in imports(name)
             for n in names if private(n) and module != name]
    for name in MODULES:
        aliases = module_aliases(name)
        taken += [f"{name} uses {node.value.id}.{node.attr}" for node in ast.walk(ast.parse(MODULES[name].read_text()))
                  if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                  and node.value.id in aliases and private(node.attr)]
    assert taken == []


@pytest.mark.parametrize("name", sorted(MODULES))
def test_every_module_states_its_public_names(name):
    tree = ast.parse(MODULES[name].read_text("utf-8"))
    targets = [t for node in tree.body if isinstance(node, ast.Assign) for t in node.targets]
    targets += [node.target for node in tree.body if isinstance(node, ast.AnnAssign)]
    stated = [t for t in targets if isinstance(t, ast.Name) and t.id == "__all__"]
    assert stated, f"{MODULES[name]} has no __all__"


def test_the_tree_shows_the_pipeline():
    assert {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists()} == {"ingest", "corpus", "analysis",
                                                                                     "reports"}


# What each step may import. corpus/ is the floor: ingest writes its schema, analysis reads its frames, reports show
# both. The modules beside the steps (words, arrays, atomic, errors, memory, paths) import no step; cli and demo sit on
# top.
STEPS_BELOW = {"corpus": set(), "ingest": {"corpus"}, "analysis": {"corpus"}, "reports": {"corpus", "analysis"}}
SHARED = {"newsframe.words", "newsframe.arrays", "newsframe.atomic", "newsframe.errors", "newsframe.memory",
          "newsframe.paths"}


def step(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in STEPS_BELOW else None


def test_each_step_imports_only_the_steps_below_it():
    upward = [f"{name} imports {target}" for name, targets in graph().items() for target in targets
              if step(name) and step(target) and step(target) != step(name)
              and step(target) not in STEPS_BELOW[step(name)]]
    upward += [f"{name} imports {target}" for name in SHARED for target in graph()[name] if step(target)]
    assert upward == []
