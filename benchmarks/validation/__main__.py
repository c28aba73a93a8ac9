"""``python -m benchmarks.validation [--quick] [--jobs N] [--no-clips]``.

See the package docstring.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from benchmarks.validation import body, camera, checks, rbds, truth, write
from benchmarks.validation.run import CONDITIONS, pooled, run_all

#: Published figures to set beside formcheck's (their words, read into ACCURACY.md).
ANCHORS = (Path(__file__).resolve().parent / "anchors.md").read_text()

CAVEATS = """\
- **No real pose-model error.** The landmarks are the lab's joint centres, exact or
  with independent 4 px noise. A pose model's errors that last over frames (a heel
  point above the sole that drifts as the foot rolls, a leg swapped or copied onto the
  other, a hidden far leg) are not in these figures; on video they add to them. The
  figures are a floor for formcheck's error, not a promise.
- **No occlusion.** Both legs are seen in every frame; on video the far leg is often
  hidden and its steps are marked less certain.
- **No trunk, arm or head markers.** The upper body is synthetic (a fixed 5 deg lean),
  so trunk lean, head position and arm carriage are not validated here, and the
  running view, facing and leg-swap checks see an idealised body.
- **No toe tip.** The forefoot point is the midpoint of the first and fifth metatarsal
  heads; the toes stay on the belt about 30 ms after these lift, so toe-off (and with it
  contact time and duty factor) reads early here by an amount this data set cannot
  separate from formcheck's own error. The toe-off rule was not tuned to it.
- **Treadmill, one camera placement.** A fixed camera 3 m to the side, level with the
  hips, runner centred; overground running, a panning camera, a high or oblique camera
  and lens distortion are not covered.
- **A few runners, three speeds.** The limits of agreement are estimates: the tables give
  the 95 % interval of each limit, which treats clips as independent although three come
  from each trial and three trials from each runner; the true uncertainty is larger.
- **Foot-strike labels** use the strike index (centre of pressure), formcheck the
  strike angle (foot orientation); the two agree for clear heel and forefoot strikes and
  differ for flat landings.
"""


def method_text() -> str:
    parts = [
        "### Joint centres and foot points",
        body.__doc__.strip(),
        "### The virtual camera",
        camera.__doc__.strip(),
        "### The truth",
        truth.__doc__.strip(),
    ]
    return "\n\n".join(parts)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.validation", description=__doc__)
    ap.add_argument("--quick", action="store_true", help="one trial at 60 fps (a smoke run)")
    ap.add_argument("--jobs", type=int, default=2, help="worker processes (default 2)")
    ap.add_argument("--no-clips", action="store_true", help="skip the real clips (pose model)")
    ap.add_argument("--data", type=Path, default=rbds.DATA_DIR, help="the RBDS folder")
    ap.add_argument(
        "--out",
        type=Path,
        default=None,
        help="write results.json, accuracy.json and ACCURACY.md here instead of over the "
        "shipped ones (for runners other than the shared ones)",
    )
    args = ap.parse_args(argv)
    import formcheck

    version = getattr(formcheck, "__version__", "?")
    if not args.data.is_dir():
        print(f"no data set at {args.data}: put shared/ beside the checkout", file=sys.stderr)
        return 2
    t0 = time.time()
    if args.quick:
        runs = run_all(
            [(rbds.runners(args.data)[0], "35")], (camera.Condition(60.0),), args.data, 1
        )
        for p in pooled(runs):
            for k, a in p["step"].items():
                print(f"{k:28} n {a['n']:4} bias {a['bias']:+9.4f} MAE {a['mae']:8.4f}")
        return 0
    runs = run_all(None, CONDITIONS, args.data, args.jobs)
    pool = pooled(runs)
    print(f"{len(runs)} runs in {time.time() - t0:.0f} s")
    paths = (write.RESULTS, write.ACCURACY_JSON, write.ACCURACY_MD)
    if args.out is not None:
        args.out.mkdir(parents=True, exist_ok=True)
        paths = tuple(args.out / p.name for p in paths)
    write.write_results(runs, pool, version, paths[0])
    write.write_accuracy(pool, version, paths[1])
    clips = ["(skipped: --no-clips)"] if args.no_clips else write_clips()
    write.write_markdown(
        pool,
        version,
        method_text(),
        CAVEATS,
        ANCHORS,
        clips,
        sorted({str(r["runner"]) for r in runs}),
        paths[2],
        elapsed_s=time.time() - t0,
    )
    for what, ok, fig in checks.targets(pool):
        print(f"{'info' if ok is None else 'met ' if ok else 'NOT '} {what}: {fig}")
    print("wrote " + ", ".join(map(str, paths)))
    return 0


def write_clips() -> list[str]:
    from benchmarks.validation.clips import clip_rows

    return clip_rows()


if __name__ == "__main__":
    raise SystemExit(main())
