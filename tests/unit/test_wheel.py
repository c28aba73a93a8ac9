"""An installed wheel works as well as the checkout.

The wheel is built from this checkout, installed (without its dependencies) into a
fresh venv in a temporary folder, and run from that folder, where no ``formcheck/``
source tree is in reach: it must analyse the bundled sample with its own shipped
model, and ``formcheck app --server.port PORT`` (the example its ``--help`` gives)
must serve the app until Streamlit's health endpoint answers.

The dependencies (MediaPipe, OpenCV, Streamlit ...) are taken from the test
environment's site-packages through a ``.pth`` line: an added site directory's own
``.pth`` files are not run, so the checkout's editable install stays out of reach
and ``import formcheck`` can only find the wheel's copy (checked).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

from tests.fixtures import truths
from tests.fixtures.clips import REPO
from tests.fixtures.processes import free_port, stop, wait_until_healthy

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """(the fresh venv's bin folder, an environment for running it)."""
    root = tmp_path_factory.mktemp("wheel")
    dist = root / "dist"
    # setuptools builds in the source tree (build/, *.egg-info): build from a copy, so
    # the checkout is left as it was and no stale build/lib is linted or imported
    src = root / "src"
    shutil.copytree(
        REPO,
        src,
        ignore=shutil.ignore_patterns(
            ".git", ".venv", "build", "*.egg-info", "__pycache__", "test-artifacts", "tests"
        ),
    )
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(dist),
            str(src),
        ],
        check=True,
        cwd=root,
    )
    (wheel,) = dist.glob("formcheck-*.whl")
    env_dir = root / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    bin_dir = env_dir / "bin"
    py = bin_dir / "python"
    site = subprocess.run(
        [str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    # the dependencies of the test environment, after the venv's own packages
    Path(site, "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(py),
            "install",
            "--no-deps",
            "--no-index",
            "-q",
            str(wheel),
        ],
        check=True,
        cwd=root,
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env.update(
        FORMCHECK_HOME=str(root / "home"),
        FORMCHECK_DB=str(root / "home" / "history.sqlite3"),
        HOME=str(root / "home"),
        PATH=f"{bin_dir}{os.pathsep}{env.get('PATH', '')}",
    )
    return bin_dir, env


def test_the_wheel_is_imported_from_its_own_venv(
    installed: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    bin_dir, env = installed
    out = subprocess.run(
        [
            str(bin_dir / "python"),
            "-c",
            "import formcheck, formcheck.pose.model as m, formcheck.ui.clips as c; "
            "print(formcheck.__file__); print(m.default_model_path()); print(c.SAMPLE_CLIP)",
        ],
        check=True,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
    ).stdout.split()
    venv_dir = str(bin_dir.parent)
    assert out[0].startswith(venv_dir), out  # not the checkout
    assert out[1].startswith(venv_dir) and Path(out[1]).is_file()  # the model ships inside
    assert out[2].startswith(venv_dir) and Path(out[2]).is_file()  # and the Review page's sample


def test_the_wheel_analyses_the_sample_from_another_folder(
    installed: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    bin_dir, env = installed
    proc = subprocess.run(
        [
            str(bin_dir / "formcheck"),
            "analyze",
            str(truths.SAMPLE),
            "--activity",
            "run",
            "--no-video",
            "--out",
            "out",
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    assert report["activity"] == "run"
    truth = truths.sample().cadence_spm
    assert abs(report["metrics"]["cadence_spm"]["value"] - truth.value) <= 1.0  # as test_pages
    # the validated uncertainty ships in the wheel (formcheck/cues/accuracy.json): a
    # missing file would silently turn every number into "not validated"
    assert report["metrics"]["cadence_spm"]["accuracy"]["fps"] == 30
    assert (tmp_path / "out" / "report.html").is_file()
    assert "saved to history" in proc.stdout


def test_the_wheel_serves_the_app_with_streamlit_options(
    installed: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    bin_dir, env = installed
    port = free_port()
    log = tmp_path / "app.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [str(bin_dir / "formcheck"), "app", "--server.port", str(port)],
            cwd=tmp_path,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_until_healthy(proc, f"http://127.0.0.1:{port}", log, timeout_s=90)
    finally:
        stop(proc, timeout_s=20)
