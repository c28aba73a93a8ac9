"""Profile one clip's analysis.

``python -m pyinstrument -r text benchmarks/profile_clip.py CLIP [ACTIVITY]``

One pose process, landmark cache off, so the profile shows every stage.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from formcheck.pipeline import analyze
from formcheck.settings import Settings

if __name__ == "__main__":
    clip = sys.argv[1]
    activity = sys.argv[2] if len(sys.argv) > 2 else "auto"
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(cache_landmarks=False, pose_workers=1, cache_dir=Path(tmp))
        report = analyze(clip, activity=activity, settings=settings)
    print(f"{clip}: {report.activity}, {report.source.frames} frames")
