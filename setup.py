"""Build hook (everything else is in pyproject.toml).

The bundled sample clip has one home in the repository, ``sample_videos/``. Building
the package copies it, with its README (origin and licence), into the wheel as
``formcheck/samples/``, so an installed formcheck's Review page offers it as a
checkout does (:data:`formcheck.ui.clips.SAMPLE_CLIP` looks there first).
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

SAMPLE_FILES = ("run_treadmill_male_side.mp4", "README.md")


class BuildPyWithSample(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install reads sample_videos/ in place
        src = Path(__file__).resolve().parent / "sample_videos"
        dest = Path(self.build_lib) / "formcheck" / "samples"
        dest.mkdir(parents=True, exist_ok=True)
        for name in SAMPLE_FILES:
            shutil.copy2(src / name, dest / name)


setup(cmdclass={"build_py": BuildPyWithSample})
