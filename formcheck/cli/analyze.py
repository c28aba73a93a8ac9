"""``formcheck analyze``: one clip or a batch, results written and saved to history.

Exit codes: 0 success; 1 unusable input (one clear line on stderr, never a
traceback); 2 usage error; 130 stopped (Ctrl-C). In a batch, every clip is tried
and the exit code is 1 if any failed; Ctrl-C keeps what the clips being analysed
had (partial sessions) and starts no more.
"""

from __future__ import annotations

import argparse
import sys
import threading
from contextlib import nullcontext
from pathlib import Path

from formcheck.activities import ACTIVITIES
from formcheck.cli.common import (
    PoseProgress,
    add_profile_flags,
    out_folder_problem,
    profile_flag,
    settings_from_args,
    stop_on_signals,
)
from formcheck.errors import FormcheckError
from formcheck.pipeline.clip import ClipCallbacks, ClipJob, ClipOutcome
from formcheck.report.model import Report
from formcheck.settings import Settings

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


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
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
    add_profile_flags(p)
    p.add_argument(
        "--capture-fps",
        type=profile_flag("capture_fps"),
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


def _job(video: Path, args: argparse.Namespace) -> ClipJob:
    out_dir = args.out or Path("formcheck-reports")
    if args.out is None or len(args.videos) > 1:
        out_dir = out_dir / video.stem
    return ClipJob(
        video,
        args.activity,
        out_dir,
        json_copy=args.json,
        draw_video=not args.no_video,
        save=not args.no_save,
        db=args.db,
        show_bars=not args.quiet,
    )


class _HistoryProblems:
    """History problems of the clips, each said once, as soon as known."""

    def __init__(self) -> None:
        self.said: set[tuple[Path, str]] = set()

    def say(self, video: Path, problem: str) -> None:
        if (video, problem) not in self.said:
            self.said.add((video, problem))
            print(f"formcheck: history (the analysis goes on): {problem}", file=sys.stderr)


def _print_outcome(outcome: ClipOutcome, job: ClipJob, quiet: bool, hp: _HistoryProblems) -> None:
    """What a clip gave: its summary, where its files are, its history session."""
    from formcheck.report.text import format_summary

    for problem in outcome.store_errors:  # those of worker processes arrive here
        hp.say(outcome.video, problem)
    report = outcome.report
    if report is None:
        return
    if not quiet:
        print(format_summary(report))
        print()
    for kind, path in outcome.artefacts.items():
        print(f"{kind}: {path}")
    for problem in outcome.export_errors:
        print(f"formcheck: {problem}", file=sys.stderr)
    if outcome.session_id is not None:
        state = "partial session" if report.partial else "session"
        print(f"saved to history as {state} {outcome.session_id}")
    elif job.save:
        print("formcheck: not saved to history (see above).", file=sys.stderr)
    sys.stdout.flush()


def _error_line(outcome: ClipOutcome, n_clips: int) -> str:
    """A clip's error; in a batch, named by its clip unless the error names it."""
    text = str(outcome.error)
    if n_clips > 1 and outcome.video.name not in text:
        return f"formcheck: {outcome.video}: {text}"
    return f"formcheck: {text}"


def _combine(reports: list[Report], args: argparse.Namespace, settings: Settings) -> None:
    from formcheck.pipeline.combine import combine_side_views
    from formcheck.report.text import format_summary

    combined = combine_side_views(reports[0], reports[1], settings)
    out = (args.out or Path("formcheck-reports")) / "combined"
    path = combined.save_json(out / "report.json")
    if not args.quiet:
        print(format_summary(combined))
        print()
    print(f"combined_report_json: {path}")


class _ClipBar:
    """A bar over the clips of a batch run in processes (on a terminal only)."""

    def __init__(self, n: int, jobs: int, quiet: bool) -> None:
        self.bar = None
        if not quiet and jobs > 1 and n > 1:
            from tqdm import tqdm

            self.bar = tqdm(
                total=n,
                desc=f"{n} clips, {jobs} at a time",
                unit="clip",
                file=sys.stderr,
                leave=False,
                disable=None,  # no bar when stderr is not a terminal (logs, scripts)
            )

    def __call__(self, done: int, total: int) -> None:
        if self.bar is not None:
            self.bar.n = done
            self.bar.refresh()

    def clear(self) -> None:
        if self.bar is not None:
            self.bar.clear()

    def refresh(self) -> None:
        if self.bar is not None:
            self.bar.refresh()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


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
    folders = [(args.out or Path("formcheck-reports"), "--out")]
    if args.json is not None:
        folders.append((args.json.parent, "--json"))
    problem = out_folder_problem(*folders)
    if problem:
        print(f"formcheck: {problem}", file=sys.stderr)
        return 2
    from formcheck.pipeline.batch import analyse_batch, default_jobs, in_processes

    jobs = args.jobs or default_jobs()
    clips = [_job(video, args) for video in args.videos]
    by_video = {job.video: job for job in clips}
    bars: dict[Path, PoseProgress] = {}
    hp = _HistoryProblems()

    def follow(job: ClipJob) -> ClipCallbacks:
        bar = bars[job.video] = PoseProgress(job.video.name, args.quiet)
        return ClipCallbacks(
            progress=bar,
            on_stage=lambda _stage: bar.close(),  # the export draws its own bar
            on_store_error=lambda problem: hp.say(job.video, problem),
        )

    clip_bar = _ClipBar(len(clips), jobs, args.quiet)
    stop = threading.Event()
    outcomes = analyse_batch(clips, settings, jobs, follow, clip_bar, stop)
    # in processes Ctrl-C (and SIGTERM) sets ``stop``, so the running clips' parts come
    # back; one clip after another, it stops the clip being analysed where it is
    signals = stop_on_signals(stop) if in_processes(len(clips), jobs) else nullcontext()
    failed = 0
    stopped = False
    reports: list[Report] = []
    try:
        with signals:
            for outcome in outcomes:  # after Ctrl-C: what the running clips kept, then the end
                if outcome.video in bars:
                    bars.pop(outcome.video).close()
                clip_bar.clear()  # the outcome is printed next
                _print_outcome(outcome, by_video[outcome.video], args.quiet, hp)
                clip_bar.refresh()
                stopped = stopped or outcome.stopped
                if outcome.error is not None:
                    failed += 1
                    print(_error_line(outcome, len(clips)), file=sys.stderr, flush=True)
                elif outcome.report is not None:
                    reports.append(outcome.report)
                if outcome.export_errors:
                    failed += 1
    except KeyboardInterrupt:
        outcomes.close()  # ends a batch's processes (a clip being analysed keeps its part)
        stopped = True
    finally:
        for bar in bars.values():
            bar.close()
        clip_bar.close()
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
