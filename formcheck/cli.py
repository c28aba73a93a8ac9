"""``formcheck``: analyse clips, browse history, start the app, run benchmarks.

Exit codes: 0 success; 1 unusable input (one clear line on stderr, never a
traceback); 2 usage error; 130 stopped (Ctrl-C). In a batch, every clip is tried
and the exit code is 1 if any failed; Ctrl-C keeps what the clips being analysed
had (partial sessions) and starts no more.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import subprocess
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from formcheck import __version__
from formcheck.activities import ACTIVITIES
from formcheck.errors import FormcheckError
from formcheck.report.model import Report
from formcheck.settings import Settings

if TYPE_CHECKING:
    from formcheck.batch import ClipOutcome

VIEWS = ("side-left", "side-right", "front", "rear")

ANALYZE_HELP = """\
Analyse a clip of a run or an exercise set and write a report.

Film from the side (hip height, whole body in frame, camera still) for running,
glute bridge, plank and bird dog; from the front for a side plank (and for arm
crossing / hip drop in running). Results go to --out (report.json, and the HTML
report, annotated video and key frames when available) and a summary is
printed. Nothing leaves this machine.

examples:
  formcheck analyze myrun.mp4 --activity run --height-cm 178
  formcheck analyze bridges.mp4 --activity glute-bridge
  formcheck analyze clips/*.mp4 --out reports/      (a batch)
"""


def _add_analyze(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "analyze",
        help="analyse a clip (or several) and write a report",
        description=ANALYZE_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("videos", nargs="+", metavar="VIDEO", type=Path, help="clip(s) or a photo")
    p.add_argument(
        "--activity",
        choices=ACTIVITIES,
        default="auto",
        help="what the clip shows (default: auto, recognised from posture)",
    )
    p.add_argument(
        "--out",
        type=Path,
        default=None,
        help="folder for the results (default: ./formcheck-reports/<clip name>/)",
    )
    p.add_argument("--json", type=Path, default=None, help="also write the JSON report here")
    p.add_argument("--no-save", action="store_true", help="do not add this to your history")
    p.add_argument("--no-video", action="store_true", help="skip the annotated video (faster)")
    p.add_argument("--view", choices=VIEWS, default=None, help="override the detected camera view")
    p.add_argument("--height-cm", type=float, default=None, help="your height, for cm figures")
    p.add_argument("--leg-length-cm", type=float, default=None, help="hip-to-floor leg length")
    p.add_argument("--treadmill-kmh", type=float, default=None, help="belt speed (km/h)")
    p.add_argument(
        "--capture-fps",
        type=float,
        default=None,
        help="true capture rate of a slow-motion clip (e.g. 240)",
    )
    p.add_argument("--model", type=Path, default=None, help="another PoseLandmarker .task file")
    p.add_argument("--config", type=Path, default=None, help="settings TOML (see README)")
    p.add_argument("--db", type=Path, default=None, help="history database (default: data dir)")
    p.add_argument(
        "--combine-sides",
        action="store_true",
        help="two running clips, one filmed from each side: also write one combined report "
        "(each leg measured from the side that sees it)",
    )
    p.add_argument(
        "--jobs",
        type=int,
        default=1,
        metavar="N",
        help="analyse N clips of a batch at a time, each in its own process on one core "
        "(0: one per core). On 2 cores a batch with annotated videos took 15 %% less time "
        "with --jobs 2; each process holds its own model (about 430 MB). Default: 1, "
        "one clip at a time with both cores on each",
    )
    p.add_argument("--quiet", action="store_true", help="print only where the results are")
    p.set_defaults(func=cmd_analyze)


def settings_from_args(args: argparse.Namespace) -> Settings:
    """Settings for a command: the TOML file (``--config``) if given, the runner's
    saved profile overridden by the file's ``[profile]`` and then by the flags
    (``--height-cm`` ...), and ``--model``/``--view``. Shared by analyze and live."""
    from formcheck.profile import load_profile, merged_profile

    config = getattr(args, "config", None)
    settings = Settings.from_toml(config) if config else Settings()
    flags = {
        name: getattr(args, name, None)
        for name in ("height_cm", "leg_length_cm", "treadmill_kmh", "capture_fps")
    }
    changes: dict[str, object] = {
        "profile": merged_profile(load_profile(), settings.profile, flags)
    }
    if getattr(args, "model", None) is not None:
        changes["model_path"] = args.model
    if getattr(args, "view", None) is not None:
        changes["view"] = args.view
    return settings.replace(**changes)


class _Progress:
    """A tqdm bar on stderr: frames when the count is believable, else indeterminate."""

    def __init__(self, name: str, quiet: bool) -> None:
        self.name = name
        self.quiet = quiet
        self.bar = None

    def __call__(self, done: int, expected: int | None, t_s: float) -> None:
        if self.quiet:
            return
        if self.bar is None:
            from tqdm import tqdm

            self.bar = tqdm(
                total=expected,
                desc=f"pose {self.name}",
                unit="frame",
                file=sys.stderr,
                dynamic_ncols=True,
                leave=False,
            )
        self.bar.n = done
        self.bar.set_postfix_str(f"{t_s:.1f} s", refresh=False)
        self.bar.refresh() if done % 10 == 0 else None

    def close(self) -> None:
        if self.bar is not None:
            self.bar.n = self.bar.total or self.bar.n
            self.bar.close()


def _optional(module: str) -> object | None:
    try:
        return importlib.import_module(module)
    except ImportError:
        return None


def _analyze_one(video: Path, args: argparse.Namespace, settings: Settings) -> Report:
    """Analyse one clip, write its results, save it to history.

    The history session starts *before* the analysis (status "running"), so a
    crash or Ctrl-C leaves a partial session rather than nothing.
    """
    from formcheck.pipeline import analyze
    from formcheck.store import cli_recording as history

    out_dir = args.out or Path("formcheck-reports")
    if args.out is None or len(args.videos) > 1:
        out_dir = out_dir / video.stem
    quiet_bars = args.quiet or not getattr(args, "progress", True)  # no bars in a batch's workers
    progress = _Progress(video.name, quiet_bars)
    rec = None if args.no_save else history.begin_from_cli(video, args.activity, args.db, settings)
    with rec if rec is not None else contextlib.nullcontext():
        try:
            report = analyze(
                video,
                activity=args.activity,
                settings=settings,
                progress=rec.wrap(progress) if rec is not None else progress,
                checkpoint=rec.update if rec is not None else None,
            )
        finally:
            progress.close()
        artefacts: dict[str, Path] = {"report_json": report.save_json(out_dir / "report.json")}
        if args.json is not None:
            artefacts["json"] = report.save_json(args.json)
        from formcheck.report.export import export_artifacts

        artefacts.update(
            export_artifacts(
                report, out_dir, video=None if args.no_video else video, quiet=quiet_bars
            )
        )
        if not args.quiet:
            from formcheck.report.text import format_summary

            print(format_summary(report))
            print()
        for kind, path in artefacts.items():
            print(f"{kind}: {path}")
        if rec is not None:
            sid = history.save_from_cli(
                report, args.db, artefacts, settings=settings, recording=rec
            )
            if sid is not None:
                state = "partial session" if report.partial else "session"
                print(f"saved to history as {state} {sid}")
    return report


def _combine(reports: list[Report], args: argparse.Namespace, settings: Settings) -> None:
    from formcheck.pipeline import combine_side_views
    from formcheck.report.text import format_summary

    combined = combine_side_views(reports[0], reports[1], settings)
    out = (args.out or Path("formcheck-reports")) / "combined"
    path = combined.save_json(out / "report.json")
    if not args.quiet:
        print(format_summary(combined))
        print()
    print(f"combined_report_json: {path}")


def _one_by_one(
    videos: list[Path], args: argparse.Namespace, settings: Settings
) -> Iterator[ClipOutcome]:
    """The clips analysed in this process, one after another (each prints as it goes)."""
    from formcheck.batch import ClipOutcome, was_stopped

    for video in videos:
        try:
            report = _analyze_one(video, args, settings)
        except FormcheckError as exc:
            yield ClipOutcome(video, "", str(exc), None)
            continue
        outcome = ClipOutcome(video, "", None, report, was_stopped(report))
        yield outcome
        if outcome.stopped:
            return  # Ctrl-C stopped this clip: the batch ends with it


def cmd_analyze(args: argparse.Namespace) -> int:
    try:
        settings = settings_from_args(args)
    except (OSError, ValueError, TypeError) as exc:
        print(f"formcheck: cannot read settings: {exc}", file=sys.stderr)
        return 2
    if args.combine_sides and len(args.videos) != 2:
        print(
            "formcheck: --combine-sides takes exactly two clips (left side, right side).",
            file=sys.stderr,
        )
        return 2
    if args.jobs < 0:
        print("formcheck: --jobs takes 0 (one per core) or more.", file=sys.stderr)
        return 2
    from formcheck.batch import analyse_clips, default_jobs

    jobs = args.jobs or default_jobs()
    videos = list(args.videos)
    outcomes = (
        analyse_clips(videos, args, settings, jobs)
        if jobs > 1 and len(videos) > 1
        else _one_by_one(videos, args, settings)
    )
    failed = 0
    stopped = False
    reports: list[Report] = []
    try:
        for outcome in outcomes:  # after Ctrl-C: what the running clips kept, then the end
            print(outcome.output, end="", flush=True)
            stopped = stopped or outcome.stopped
            if outcome.error is not None:
                failed += 1
                print(f"formcheck: {outcome.error}", file=sys.stderr, flush=True)
            elif outcome.report is not None:
                reports.append(outcome.report)
    except KeyboardInterrupt:
        outcomes.close()  # ends a batch's processes (a clip being analysed keeps its part)
        stopped = True
    if stopped:
        print("formcheck: stopped.", file=sys.stderr)
        return 130
    if args.combine_sides and len(reports) == 2:
        try:
            _combine(reports, args, settings)
        except FormcheckError as exc:
            print(f"formcheck: {exc}", file=sys.stderr)
            return 1
    return 1 if failed else 0


def _add_app(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "app",
        help="start the web app on this machine (http://127.0.0.1:8501)",
        description="Start the formcheck app. Options after 'app' go to Streamlit "
        "(e.g. --server.port 8600). It listens on 127.0.0.1 only unless you pass "
        "--server.address 0.0.0.0; usage statistics are off.",
    )
    p.add_argument("streamlit_args", nargs=argparse.REMAINDER)
    p.set_defaults(func=cmd_app)


def app_command(extra: Sequence[str] = ()) -> list[str]:
    """The streamlit command line: privacy flags first, the user's options after."""
    app = Path(__file__).resolve().parents[1] / "app.py"
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(app),
        "--browser.gatherUsageStats",
        "false",
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
        *extra,
    ]


def cmd_app(args: argparse.Namespace) -> int:
    env = dict(os.environ, STREAMLIT_BROWSER_GATHER_USAGE_STATS="false")
    cmd = app_command(args.streamlit_args)
    print("formcheck app: " + " ".join(cmd[3:5]) + " on http://127.0.0.1 (Ctrl-C stops)")
    try:
        return subprocess.call(cmd, env=env, cwd=Path(cmd[4]).parent)
    except KeyboardInterrupt:
        return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="formcheck",
        description="Running-form and strength-exercise feedback from video, on your machine.",
    )
    parser.add_argument("--version", action="version", version=f"formcheck {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    _add_analyze(sub)
    for module in ("formcheck.store.commands", "formcheck.live_cli", "formcheck.bench"):
        mod = _optional(module)
        if mod is not None and hasattr(mod, "register"):
            mod.register(sub)  # type: ignore[attr-defined]
    _add_app(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
