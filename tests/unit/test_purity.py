"""The analysis core is pure: no video, no pose model, no UI, no files.

``signal``, ``kinematics``, ``gait``, ``exercises`` and ``cues`` compute on numbers
(style.md, "Layout"), so they test without video and run anywhere. Every module
of theirs is imported in a fresh interpreter (so this test's own ``sys.modules``
cannot hide or fake anything) and none may bring in, even through another
module, one of the libraries below.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

PURE = ("signal", "kinematics", "gait", "exercises", "cues")
FORBIDDEN = ("cv2", "mediapipe", "streamlit", "PIL", "matplotlib", "sqlite3")

_SCRIPT = """
import importlib, json, sys
forbidden, modules = json.loads(sys.argv[1])
found = {}
for name in modules:
    before = set(sys.modules)
    importlib.import_module(name)
    for lib in forbidden:
        if lib in sys.modules and lib not in before:
            found[lib] = name
print(json.dumps(found))
"""


def pure_modules() -> list[str]:
    """Every module of the pure packages, packages' faces included."""
    names = []
    for top in PURE:
        single = REPO / "formcheck" / f"{top}.py"
        if single.is_file():
            names.append(f"formcheck.{top}")
            continue
        folder = REPO / "formcheck" / top
        for path in sorted(folder.rglob("*.py")):
            parts = path.relative_to(REPO).with_suffix("").parts
            names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


def loaded(modules: list[str]) -> dict[str, str]:
    """Forbidden library -> the first of ``modules`` whose import brought it in."""
    proc = subprocess.run(
        [sys.executable, "-c", _SCRIPT, json.dumps([FORBIDDEN, modules])],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=True,
    )
    return json.loads(proc.stdout)  # type: ignore[no-any-return]


def test_every_pure_package_is_found() -> None:
    modules = pure_modules()
    for top in PURE:
        assert any(m == f"formcheck.{top}" or m.startswith(f"formcheck.{top}.") for m in modules)


def test_the_analysis_core_imports_no_video_pose_ui_or_files() -> None:
    found = loaded(pure_modules())
    assert not found, "the pure core loads: " + "; ".join(
        f"{lib} (first brought in by importing {module})" for lib, module in sorted(found.items())
    )


def test_the_check_sees_an_impure_module() -> None:
    """Guard the guard: the video reader does load OpenCV, and is reported."""
    assert loaded(["formcheck.kinematics", "formcheck.video.reader"]) == {
        "cv2": "formcheck.video.reader"
    }
