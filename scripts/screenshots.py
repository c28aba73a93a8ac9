"""Make the README's screenshots: the HTML report and three annotated key frames (PNG).

Runs the bundled sample clip (``sample_videos/run_treadmill_male_side.mp4``, MIT,
runner consented) through ``formcheck.analyze`` and ``export_artifacts``, opens
the report in headless Debian Chromium (offline flags, every request recorded,
none may leave the machine) and writes:

    docs/screenshots/report.png          the top of the report (findings)
    docs/screenshots/report_charts.png   the charts section
    docs/screenshots/keyframe_1..3.png   three annotated key frames (worst overstride
                                         first; their captions are printed)

Only the bundled clip is used: the test clips in ../shared are third-party
footage and stay out of the repository.

Usage (needs the test extras and Debian's chromium: ``bash scripts/install.sh --test``)::

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots] [--clip PATH]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import cv2

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

#: Key frames shown in the README, in order of preference (the first three found).
KEYFRAME_ORDER = (
    "overstride_worst",
    "overstride_typical",
    "finding_head_forward",
    "finding_knee_flexion",
    "finding_bounce",
    "finding_cadence",
)
#: Width of the key-frame PNGs in the README (pixels); the frames are 720x1280.
KEYFRAME_WIDTH = 360


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=REPO / "docs" / "screenshots")
    ap.add_argument(
        "--clip", type=Path, default=REPO / "sample_videos" / "run_treadmill_male_side.mp4"
    )
    args = ap.parse_args(argv)

    import formcheck
    from formcheck.pipeline.export import export_artifacts
    from tests.browser import CHROMIUM, OFFLINE_FLAGS, RequestLog

    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        import os

        os.environ.setdefault("FORMCHECK_HOME", str(Path(tmp) / "home"))
        report = formcheck.analyze(args.clip, activity="run")
        out = Path(tmp) / "report"
        arts = export_artifacts(report, out, args.clip, quiet=False)
        report.save_json(out / "report.json")

        names = [k.removeprefix("keyframe_") for k in arts if k.startswith("keyframe_")]
        chosen = [n for n in KEYFRAME_ORDER if n in names]
        chosen += [n for n in names if n not in chosen]
        for old in args.out.glob("keyframe_*.png"):
            old.unlink()
        for i, n in enumerate(chosen[:3], start=1):
            img = cv2.imread(str(arts[f"keyframe_{n}"]))
            h, w = img.shape[:2]
            small = cv2.resize(
                img, (KEYFRAME_WIDTH, round(h * KEYFRAME_WIDTH / w)), interpolation=cv2.INTER_AREA
            )
            dest = args.out / f"keyframe_{i}.png"
            cv2.imwrite(str(dest), small, [cv2.IMWRITE_PNG_COMPRESSION, 9])
            print(f"{dest}: {n}")

        from playwright.sync_api import sync_playwright

        log = RequestLog()
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=list(OFFLINE_FLAGS)
            )
            try:
                page = browser.new_page(viewport={"width": 1000, "height": 1300})
                page.on("request", lambda r: log.urls.append(r.url))
                page.goto(arts["report_html"].as_uri())
                page.wait_for_load_state("load")
                page.screenshot(path=str(args.out / "report.png"))
                page.locator("#charts").screenshot(path=str(args.out / "report_charts.png"))
            finally:
                browser.close()
        if log.external:
            print(f"requests left the machine: {log.external}", file=sys.stderr)
            return 1
        print(args.out / "report.png")
        print(args.out / "report_charts.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
