"""The house's floors, read from the source with ``ast`` (nothing is imported).

formcheck is a stack of floors (``../shared/docs/style.md``, "Layout"): a module
imports only from its own floor or below, no two modules import each other (even
through others), only the Streamlit pages import ``formcheck.ui``, and no module
grows past 500 lines. Every import counts: module level, inside functions, under
``if TYPE_CHECKING:``, relative ones, ``importlib.import_module("formcheck.x")``
and the ``"formcheck.x:name"`` strings that registries resolve with importlib.

The checker functions take a folder, so the self-tests at the end run them on a
small fake package to show they can fail.
"""

from __future__ import annotations

import ast
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

from tests.fixtures.clips import REPO
from tests.fixtures.imports import from_base, module_name

PACKAGE = REPO / "formcheck"

#: Top-level module or package of formcheck -> its floor (low -> high). A module
#: may import from its own floor or any lower one, never from a higher one. Every
#: top-level module or package must be named here (``test_every_top_level_module_has_a_floor``),
#: so a new one cannot slip in unplaced. Names that do not exist yet are allowed
#: (the table is the plan, the tree catches up).
FLOORS: dict[str, int] = {
    # 0 ground: the shared types and settings
    "errors": 0,
    "io": 0,
    "results": 0,
    "metric_extras": 0,
    "settings": 0,
    "profile": 0,
    "framestates": 0,
    "live": 0,
    "video": 1,  # decode, rotation, timestamps, webcam
    "cues": 2,  # thresholds, judgement, every sentence a user reads
    "pose": 3,  # PoseLandmarker wrapper, PoseSeries, tracking, model pool
    "signal": 4,  # masking, gap filling, smoothing
    "kinematics": 5,  # angles, tilts, velocities
    "gait": 6,  # running events and metrics, the live rolling window
    "exercises": 7,  # one module per exercise, the rep/hold state machine
    "activities": 8,  # the one activity table
    "activity": 8,  # one entry of it
    "activities_moves": 8,  # the warm-up, floor and cool-down entries of it
    "routines": 8,  # the one routine table (moves and doses)
    "render": 9,  # annotators, the annotated video
    "report": 10,  # the Report type and its presenters
    "store": 11,  # SQLite history
    "pipeline": 12,  # the use cases, each written once
    "ui": 13,  # Streamlit pages
    "cli": 14,  # argument parsing and printing
}

#: ``formcheck/__init__.py`` is the lazy public face (``formcheck.analyze``); it
#: may reach down to the use cases. A module that imports a name from the face
#: itself reaches that high too.
FACE_FLOOR = FLOORS["pipeline"]
#: ``formcheck/__main__.py`` (``python -m formcheck``) runs the command line.
MAIN_FLOOR = FLOORS["cli"]

#: The Streamlit layer (its entry script is formcheck/ui/app.py): only it imports formcheck.ui.
UI_NAMES = frozenset({"ui"})

MAX_LINES = 500
#: The threshold table is one long list of numbers with their sources; splitting
#: it would scatter the values it exists to keep together.
LONG_ALLOWED = frozenset({"cues/thresholds.py"})

#: ``"formcheck.gait.live:LiveRunAnalyzer"``: a registry entry resolved with importlib.
_REGISTRY_STRING = re.compile(r"^(formcheck(?:\.\w+)*):\w+(?:\.\w+)*$")
_IMPORT_CALLS = frozenset({"import_module", "__import__"})


@dataclass(frozen=True)
class Import:
    """One import in one module: the formcheck module it reaches and how it was written."""

    source: str  # importing module, e.g. "formcheck.gait.live"
    target: str  # imported formcheck module, e.g. "formcheck.cues.thresholds"
    line: int
    text: str  # the statement as written, for messages
    #: ``from formcheck.store import db`` runs the package face ``formcheck.store``
    #: and takes ``db`` from it: an import of the face as well as of
    #: ``formcheck.store.db``. That face edge counts for cycles (a package's
    #: modules must not import through their own face), not for floors (the
    #: module taken, ``db``, is what the floor check judges).
    through_face: bool = False

    def describe(self) -> str:
        face = " (the package face)" if self.through_face else ""
        return f"{self.source} (line {self.line}: {self.text}) -> {self.target}{face}"


@dataclass
class Graph:
    """The formcheck modules under ``root`` and the imports between them."""

    root: Path  # the package folder, e.g. .../formcheck
    files: dict[str, Path] = field(default_factory=dict)  # module name -> file
    imports: list[Import] = field(default_factory=list)

    @property
    def package(self) -> str:
        return self.root.name

    def resolve(self, dotted: str) -> str | None:
        """The longest prefix of ``dotted`` that is a module of the package, if any."""
        if dotted != self.package and not dotted.startswith(self.package + "."):
            return None
        parts = dotted.split(".")
        while parts:
            name = ".".join(parts)
            if name in self.files:
                return name
            parts.pop()
        return None


def _targets(graph: Graph, node: ast.AST, module: str, is_package: bool) -> list[tuple[str, bool]]:
    """The package's modules an AST node imports, each with its ``through_face`` flag."""
    dotted: list[str] = []
    if isinstance(node, ast.Import):
        dotted = [alias.name for alias in node.names]
    elif isinstance(node, ast.ImportFrom):
        base = from_base(module, is_package, node)
        owner = graph.resolve(base)
        found: list[tuple[str, bool]] = []
        for alias in node.names:
            sub = f"{base}.{alias.name}"
            if sub in graph.files:  # a submodule, taken through its package's face
                found += [(sub, False), (base, True)]
            elif owner is not None:  # a name defined in the module
                found.append((owner, False))
        return found
    elif isinstance(node, ast.Call):
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
        if name in _IMPORT_CALLS and node.args:
            arg = node.args[0]
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                dotted = [arg.value]
    elif isinstance(node, ast.Constant) and isinstance(node.value, str):
        m = _REGISTRY_STRING.match(node.value)
        if m:
            dotted = [m.group(1)]
    resolved = [graph.resolve(d) for d in dotted]
    return [(t, False) for t in resolved if t is not None]


def scan(root: Path) -> Graph:
    """Every module under ``root`` (a package folder) and its imports of the package."""
    graph = Graph(root=root)
    for path in sorted(root.rglob("*.py")):
        graph.files[module_name(root, path)] = path
    seen: set[Import] = set()
    for module, path in graph.files.items():
        is_package = path.name == "__init__.py"
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            for target, through_face in _targets(graph, node, module, is_package):
                if target == module:
                    continue
                text = repr(node.value) if isinstance(node, ast.Constant) else ast.unparse(node)
                imp = Import(module, target, node.lineno, text, through_face)  # type: ignore[attr-defined]
                if imp not in seen:  # ``from x import a, b``: one import of x
                    seen.add(imp)
                    graph.imports.append(imp)
    return graph


@functools.cache
def real_graph() -> Graph:
    """formcheck's own module graph, read once for all the tests of the real tree."""
    return scan(PACKAGE)


def top_name(module: str) -> str:
    """``formcheck.gait.live`` -> ``gait``; the face is ``__init__``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def floor_of(module: str, floors: dict[str, int]) -> int | None:
    top = top_name(module)
    if top == "__init__":
        return FACE_FLOOR
    if top == "__main__":
        return MAIN_FLOOR
    return floors.get(top)


# ------------------------------------------------------------------------------ checks


def upward_imports(graph: Graph, floors: dict[str, int]) -> list[str]:
    """Imports from a higher floor than the importer's own."""
    found = []
    for imp in graph.imports:
        if imp.through_face:
            continue
        here, there = floor_of(imp.source, floors), floor_of(imp.target, floors)
        if here is None or there is None:
            continue  # an unplaced module: test_every_top_level_module_has_a_floor says so
        if there > here:
            found.append(
                f"{imp.describe()}: floor {here} ({top_name(imp.source)}) imports "
                f"floor {there} ({top_name(imp.target)})"
            )
    return found


def _strongly_connected(nodes: list[str], edges: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's strongly connected components (iterative, so deep graphs are fine)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    components: list[list[str]] = []
    counter = 0
    for start in nodes:
        if start in index:
            continue
        work = [(start, iter(sorted(edges.get(start, ()))))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                components.append(sorted(component))
    return components


def import_cycles(graph: Graph) -> list[str]:
    """Groups of modules that import each other, directly or through others."""
    edges: dict[str, set[str]] = {}
    for imp in graph.imports:
        edges.setdefault(imp.source, set()).add(imp.target)
    found = []
    for component in _strongly_connected(sorted(graph.files), edges):
        if len(component) < 2:
            continue
        members = set(component)
        inside = sorted(
            {
                imp.describe()
                for imp in graph.imports
                if imp.source in members and imp.target in members
            }
        )
        found.append(f"cycle between {', '.join(component)}:\n      " + "\n      ".join(inside))
    return found


def ui_imports_outside_ui(graph: Graph) -> list[str]:
    """Imports of ``formcheck.ui`` by a module that is not part of the Streamlit layer."""
    return [
        imp.describe()
        for imp in graph.imports
        if top_name(imp.target) == "ui"
        and top_name(imp.source) not in UI_NAMES
        and not imp.through_face
    ]


def long_modules(root: Path) -> list[str]:
    found = []
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root).as_posix()
        n = len(path.read_text(encoding="utf-8").splitlines())
        if n > MAX_LINES and rel not in LONG_ALLOWED:
            found.append(f"{root.name}/{rel}: {n} lines (limit {MAX_LINES})")
    return found


def unplaced(root: Path, floors: dict[str, int]) -> list[str]:
    """Top-level modules and packages of ``root`` missing from the floor table."""
    found = []
    for path in sorted(root.iterdir()):
        if path.is_file() and path.suffix == ".py":
            name = path.stem
        elif path.is_dir() and any(path.rglob("*.py")):
            name = path.name
        else:
            continue
        if name not in {"__init__", "__main__"} and name not in floors:
            found.append(f"{root.name}/{path.relative_to(root).as_posix()} ({name!r})")
    return found


def _fail(what: str, found: list[str]) -> str:
    return f"{len(found)} {what}:\n  " + "\n  ".join(found)


# ----------------------------------------------------------------------- the real tree


def test_every_top_level_module_has_a_floor() -> None:
    found = unplaced(PACKAGE, FLOORS)
    assert not found, _fail("top-level module(s) with no floor in test_layers.FLOORS", found)


def test_no_upward_import() -> None:
    found = upward_imports(real_graph(), FLOORS)
    assert not found, _fail("upward import(s); a module imports only its own floor or below", found)


def test_no_import_cycle() -> None:
    found = import_cycles(real_graph())
    assert not found, _fail("import cycle(s)", found)


def test_only_the_streamlit_layer_imports_ui() -> None:
    found = ui_imports_outside_ui(real_graph())
    assert not found, _fail("import(s) of formcheck.ui outside formcheck/ui/", found)


def test_no_module_over_the_line_limit() -> None:
    found = long_modules(PACKAGE)
    assert not found, _fail(f"module(s) over {MAX_LINES} lines; split along their seams", found)


def test_the_scan_sees_the_package() -> None:
    """Guard the guard: the real tree yields modules and imports to check."""
    graph = real_graph()
    assert "formcheck.gait" in graph.files and "formcheck" in graph.files
    assert any(imp.source.startswith("formcheck.gait.") for imp in graph.imports)
