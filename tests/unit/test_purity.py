"""The pure floors stay pure: ``signal``, ``kinematics``, ``gait``, ``exercises`` and
``cues`` draw nothing, read no video, and touch no files (style.md, Layout), so they
test without video and the live and clip paths can share them.

Two checks: importing every module of those packages in a fresh interpreter loads no
OpenCV, MediaPipe, Streamlit, Pillow, Matplotlib, SQLite, nor a formcheck module that
decodes, draws, reports, stores or writes files; and no import statement in them
(function-level and ``if TYPE_CHECKING:`` ones included) names one of those, nor a
file module of the standard library, nor calls ``open()``.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

from tests.fixtures.clips import REPO
from tests.fixtures.imports import from_base, module_name

PACKAGE = REPO / "formcheck"
PURE = ("signal", "kinematics", "gait", "exercises", "cues")

#: Libraries a pure module must not load (directly or through what it imports).
HEAVY = ("cv2", "mediapipe", "streamlit", "PIL", "matplotlib", "sqlite3")
#: formcheck modules that decode video, draw, report, store, run a use case, show a
#: page or write files.
IMPURE_FORMCHECK = (
    "formcheck.video",
    "formcheck.render",
    "formcheck.report",
    "formcheck.store",
    "formcheck.pipeline",
    "formcheck.ui",
    "formcheck.cli",
    "formcheck.io",
)
#: Standard-library modules for files, named nowhere in a pure module's own code
#: (they may still be loaded by NumPy or by ``settings``, a floor below).
FILE_MODULES = ("os", "io", "pathlib", "shutil", "tempfile", "glob", "pickle", "csv", "sqlite3")


def _pure_files() -> list[Path]:
    out = []
    for name in PURE:
        pkg = REPO / "formcheck" / name
        out += sorted(pkg.rglob("*.py")) if pkg.is_dir() else [pkg.with_suffix(".py")]
    return out


def _is_banned(name: str, banned: tuple[str, ...]) -> bool:
    return any(name == b or name.startswith(b + ".") for b in banned)


def _loaded(names: list[str]) -> dict[str, list[str]]:
    """Each module of ``names`` imported in turn in a fresh interpreter -> the banned
    modules it brought in (those already loaded by an earlier one are not repeated)."""
    banned = (*HEAVY, *IMPURE_FORMCHECK)
    code = (
        "import importlib, json, sys\n"
        f"banned = {banned!r}\n"
        "def bad():\n"
        "    return {m for m in sys.modules if any(m == b or m.startswith(b + '.') "
        "for b in banned)}\n"
        "out = {}\n"
        f"for name in {names!r}:\n"
        "    before = bad()\n"
        "    importlib.import_module(name)\n"
        "    new = sorted(bad() - before)\n"
        "    if new:\n"
        "        out[name] = new\n"
        "print(json.dumps(out))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO
    )
    return json.loads(proc.stdout)  # type: ignore[no-any-return]


def test_pure_packages_load_nothing_impure() -> None:
    """Each pure module imported in turn in a fresh interpreter; what each one brought in."""
    loaded = _loaded([module_name(PACKAGE, p) for p in _pure_files()])
    assert not loaded, "\n".join(f"{m} loads {', '.join(v)}" for m, v in loaded.items())


def test_the_load_check_sees_an_impure_module() -> None:
    """Guard the guard: the video reader loads OpenCV, and the check says so."""
    loaded = _loaded(["formcheck.kinematics", "formcheck.video.reader"])
    assert list(loaded) == ["formcheck.video.reader"]
    assert "cv2" in loaded["formcheck.video.reader"]


def test_pure_packages_name_nothing_impure() -> None:
    """Every import statement of a pure module, at any depth, and no ``open()``."""
    problems = []
    for path in _pure_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        where = path.relative_to(REPO)
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = from_base(module_name(PACKAGE, path), path.name == "__init__.py", node)
                names = [base, *(f"{base}.{a.name}" for a in node.names)]
            elif (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "open"
            ):
                problems.append(f"{where}:{node.lineno} calls open()")
            for name in names:
                if _is_banned(name, (*HEAVY, *IMPURE_FORMCHECK, *FILE_MODULES)):
                    problems.append(f"{where}:{node.lineno} imports {name}")
    assert not problems, "\n".join(problems)
