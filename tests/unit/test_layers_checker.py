"""The layer checker itself, on fake trees: it catches upward imports, cycles, UI imports,
long and unplaced modules."""

from __future__ import annotations

from pathlib import Path

from tests.unit.test_layers import (
    FLOORS,
    MAX_LINES,
    import_cycles,
    long_modules,
    scan,
    ui_imports_outside_ui,
    unplaced,
    upward_imports,
)

# ---------------------------------------------------------- the checker on a fake tree


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "formcheck"
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def test_checker_catches_upward_imports_in_every_form(tmp_path: Path) -> None:
    root = _tree(
        tmp_path,
        {
            "__init__.py": "from formcheck.pipeline import run\n",
            "errors.py": "",
            "settings.py": (
                "from typing import TYPE_CHECKING\n"
                "if TYPE_CHECKING:\n"
                "    from formcheck.gait import live\n"
            ),
            "results.py": "def f():\n    import formcheck.store.db\n",
            "io.py": 'import importlib\nM = importlib.import_module("formcheck.render")\n',
            "live.py": 'TABLE = {"run": "formcheck.gait.live:LiveRunAnalyzer"}\n',
            "gait/__init__.py": "from . import live\n",
            "gait/live.py": "from ..errors import E\nfrom ..exercises.base import X\n",
            "exercises/__init__.py": "",
            "exercises/base.py": "from formcheck.gait.live import Y\n",  # downward: fine
            "render/__init__.py": "",
            "store/__init__.py": "",
            "store/db.py": "",
            "pipeline/__init__.py": "run = 1\n",
        },
    )
    found = upward_imports(scan(root), FLOORS)
    text = "\n".join(found)
    assert "formcheck.settings (line 3" in text  # under TYPE_CHECKING
    assert "formcheck.results (line 2: import formcheck.store.db)" in text  # in a function
    assert "formcheck.io" in text and "-> formcheck.render" in text  # importlib string
    assert "formcheck.live" in text and "-> formcheck.gait.live" in text  # registry string
    assert "formcheck.gait.live (line 2: from ..exercises.base" in text  # relative, resolved
    assert not any(f.startswith("formcheck.exercises.base") for f in found)  # downward
    assert len(found) == 5, text  # the face importing pipeline is allowed


def test_checker_catches_cycles_and_ui_imports(tmp_path: Path) -> None:
    root = _tree(
        tmp_path,
        {
            "__init__.py": "",
            "report/__init__.py": "from .html import page\n",
            "report/html.py": "def page():\n    from formcheck.report.export import x\n",
            "report/export.py": "from formcheck.report import html\n",
            "store/__init__.py": "from formcheck.store.db import DB\n",
            "store/db.py": "from formcheck.store import records\n",
            "store/records.py": "from formcheck import store\n",
            "ui/__init__.py": "",
            "ui/nav.py": "",
            "pipeline/__init__.py": "import formcheck.ui.nav\n",
        },
    )
    graph = scan(root)
    cycles = import_cycles(graph)
    assert len(cycles) == 2, cycles
    assert any("formcheck.report.export, formcheck.report.html" in c for c in cycles)
    # a package's face counts as a module: store -> db -> records -> store
    assert any("formcheck.store, formcheck.store.db, formcheck.store.records" in c for c in cycles)
    assert ui_imports_outside_ui(graph) == [
        "formcheck.pipeline (line 1: import formcheck.ui.nav) -> formcheck.ui.nav"
    ]


def test_checker_catches_long_and_unplaced_modules(tmp_path: Path) -> None:
    long_text = "x = 1\n" * (MAX_LINES + 1)
    root = _tree(
        tmp_path,
        {
            "__init__.py": "",
            "bench.py": "",
            "tools/__init__.py": "",
            "cues/thresholds.py": long_text,
            "gait/analysis.py": long_text,
            "models/README.md": "not code",
        },
    )
    assert long_modules(root) == [f"formcheck/gait/analysis.py: {MAX_LINES + 1} lines (limit 500)"]
    assert unplaced(root, FLOORS) == ["formcheck/bench.py ('bench')", "formcheck/tools ('tools')"]
