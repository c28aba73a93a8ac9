"""``formcheck batch``: folders of clips analysed once each, resumable, with a summary.

Exit codes: 0 every clip analysed (now or before); 1 some clip failed (the others
are analysed all the same) or nothing to analyse; 2 usage error; 130 stopped
(Ctrl-C or SIGTERM: the clips running keep their part; the same command goes on
where it stopped).
"""

from __future__ import annotations

import argparse
import sys
import threading
from pathlib import Path

from formcheck.activities import ACTIVITIES, plain_label
from formcheck.cli.common import out_folder_problem, stop_on_signals
from formcheck.cues import words_batch
from formcheck.cues.format import fmt_value
from formcheck.errors import FormcheckError
from formcheck.pipeline.batch_summary import SummaryRow
from formcheck.pipeline.clip import ClipOutcome
from formcheck.settings import Settings

BATCH_HELP = """\
Analyse every clip of some folders (or globs) and write one report per clip plus a
summary table (summary.csv, summary.html) in --out.

Resumable: run the same command again after Ctrl-C, a crash or new clips, and only
the clips not analysed yet (with the same model and settings) are analysed. A bad
clip is reported with its reason and skipped. Each clip's results go to its own
folder under --out, named after its path (two IMG_0001.mp4 in different folders
never collide).

examples:
  formcheck batch clips/ --recursive --out reports/
  formcheck batch 'clinic/**/*.mov' --recursive --workers 2 --no-video
  formcheck batch clips/ --executor ray --address 10.0.0.5:6379     (a Ray cluster)
"""


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "batch",
        help="analyse folders of clips, resumably, with a summary table",
        description=BATCH_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("inputs", nargs="+", metavar="DIR_OR_GLOB", help="folders, clips or globs")
    p.add_argument(
        "--activity",
        choices=ACTIVITIES,
        default="auto",
        help="what every clip shows (default: auto, recognised per clip)",
    )
    p.add_argument(
        "--workers",
        type=int,
        default=0,
        metavar="N",
        help="clips analysed at a time, each worker with its own model (about 430 MB) "
        "loaded once (default 0: one per core; on Ray, one per cluster CPU)",
    )
    p.add_argument("--out", type=Path, default=Path("formcheck-batch"), help="results folder")
    p.add_argument("--recursive", action="store_true", help="look into sub-folders too")
    p.add_argument("--executor", choices=("local", "ray"), default="local")
    p.add_argument("--address", default=None, help="Ray cluster address (with --executor ray)")
    p.add_argument("--no-video", action="store_true", help="skip the annotated videos (faster)")
    p.add_argument("--model", type=Path, default=None, help="another PoseLandmarker .task file")
    p.add_argument("--config", type=Path, default=None, help="settings TOML (see README)")
    p.add_argument("--db", type=Path, default=None, help="history database (default: data dir)")
    p.add_argument("--quiet", action="store_true", help="no progress bar, failures only")
    p.set_defaults(func=cmd_batch)


def batch_settings_from_args(args: argparse.Namespace) -> Settings:
    """The settings file and ``--model``; never the saved runner profile (a batch holds
    many people's clips)."""
    from formcheck.cues.thresholds import with_overrides

    settings = Settings.from_toml(args.config) if args.config else Settings()
    with_overrides(settings.thresholds)  # an unknown threshold name raises ValueError
    return settings.replace(model_path=args.model) if args.model else settings


def _detail(row: SummaryRow) -> str:
    if row.status == "failed" or not row.activity:
        return row.reason
    shown = ", ".join(f"{n} {fmt_value(v, u, symbol=True)}" for n, (v, u) in row.metrics.items())
    text = f"{plain_label(row.activity)}: {shown}" if shown else plain_label(row.activity)
    if row.top_finding:
        text += f" | {row.top_finding}"
    return f"{text} | {row.reason}" if row.reason else text


class _Progress:
    """The overall bar (stderr, on a terminal) and one status line per clip (stdout)."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.bar = None
        self.total = self.n = self.failed = 0
        self.left = 0

    def plan(self, rows: list[SummaryRow], to_run: int, workers: str) -> None:
        self.total, self.left = len(rows), to_run
        done = sum(r.status == "skipped-already-done" for r in rows)
        failed = [r for r in rows if r.status == "failed"]
        print(words_batch.plan_line(len(rows), to_run, done, len(failed), workers), flush=True)
        self.n = done
        for r in failed:  # failed before, not tried again: their reason once more
            self.n += 1
            self.failed += 1
            self._line(r)
        if not self.quiet and to_run:
            from tqdm import tqdm

            self.bar = tqdm(
                total=to_run, unit="clip", file=sys.stderr, dynamic_ncols=True, disable=None
            )
            self._postfix()

    def _postfix(self) -> None:
        if self.bar is not None:
            self.bar.set_postfix_str(
                words_batch.bar_counts(self.n - self.failed, self.failed, self.left)
            )

    def _line(self, row: SummaryRow) -> None:
        if self.quiet and row.status != "failed":
            return
        line = words_batch.status_line(self.n, self.total, row.status, row.clip, _detail(row))
        stream = sys.stderr if row.status == "failed" else sys.stdout
        if self.bar is not None:
            self.bar.write(line, file=stream)
        else:
            print(line, file=stream, flush=True)

    def clip(self, row: SummaryRow, outcome: ClipOutcome) -> None:
        self.n += 1
        self.left -= 1
        self.failed += row.status == "failed"
        self._line(row)
        if self.bar is not None:
            self.bar.update(1)
            self._postfix()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def cmd_batch(args: argparse.Namespace) -> int:
    from formcheck.pipeline.batch_run import run_batch
    from formcheck.pipeline.executors import make_executor

    try:
        settings = batch_settings_from_args(args)
    except (OSError, ValueError, TypeError) as exc:
        print(f"formcheck: cannot read settings: {exc}", file=sys.stderr)
        return 2
    if args.workers < 0:
        print("formcheck: --workers takes 0 (one per core) or more.", file=sys.stderr)
        return 2
    problem = out_folder_problem((args.out, "--out"))
    if problem:
        print(f"formcheck: {problem}", file=sys.stderr)
        return 2
    stop = threading.Event()
    progress = _Progress(args.quiet)
    try:
        executor = make_executor(args.executor, args.workers, args.address)
        workers = getattr(executor, "workers", None)
        where = f"{args.executor}, {workers} at a time" if workers else args.executor
        with stop_on_signals(stop):
            result = run_batch(
                args.inputs,
                args.out,
                settings,
                executor,
                activity=args.activity,
                recursive=args.recursive,
                draw_video=not args.no_video,
                db=args.db,
                stop=stop,
                on_plan=lambda rows, to_run: progress.plan(rows, to_run, where),
                on_clip=progress.clip,
            )
    except FormcheckError as exc:
        progress.close()
        print(f"formcheck: {exc}", file=sys.stderr)
        return 2 if exc.code == "usage" else 1
    except KeyboardInterrupt:
        progress.close()
        print(words_batch.STOPPED, file=sys.stderr)
        return 130
    progress.close()
    for text in result.unmatched:
        print(words_batch.unmatched(text), file=sys.stderr)
    for problem in dict.fromkeys(result.problems):
        print(f"formcheck: history: {problem}", file=sys.stderr)
    counts = {s: result.count(s) for s in ("ok", "skipped-already-done", "failed", "stopped")}
    print(words_batch.end_line(counts, str(result.csv_path), str(result.html_path)))
    if result.stopped:
        print(words_batch.STOPPED, file=sys.stderr)
        return 130
    return 1 if counts["failed"] else 0
