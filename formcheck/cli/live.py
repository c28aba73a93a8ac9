"""``formcheck live``: live coaching from a camera on this machine, in an OpenCV window.

For when the browser path is not wanted: the same live analyzers, overlay
and cues as the app's Live pages (:mod:`formcheck.pipeline.live`), reading a
local camera (``--camera N``) or a clip played as if it were one
(``--video FILE``). A camera that stops sending pictures, or freezes on one
picture, for 2 s is "lost": the session stops cleanly and what was recorded
is kept and saved, marked partial.

``--headless-out DIR`` writes the annotated frames (JPEG) and ``report.json``
into DIR instead of opening a window (for tests, or a machine with no screen).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from formcheck.cli.common import add_profile_flags, settings_from_args
from formcheck.errors import FormcheckError
from formcheck.settings import Settings

if TYPE_CHECKING:
    from formcheck.pipeline.live import LiveSession
    from formcheck.video.camera import CameraStream

LIVE_HELP = """\
Live coaching from a camera on this machine, in a window.

Stand side-on to the camera (front-on for a side plank), whole body in view.
The window shows your skeleton, the rep count / hold time / running numbers
and the current cue; cues are also printed here. Press q or Esc (or close the
window) to stop; the session is saved to your history. Nothing leaves this
machine.

examples:
  formcheck live --activity glute-bridge            (default camera)
  formcheck live --camera 1 --activity run --height-cm 178
  formcheck live --video bridges.mp4 --activity glute-bridge --headless-out frames/
"""

WINDOW = "formcheck live (q to stop)"


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``formcheck live`` to the CLI (called by formcheck.cli)."""
    from formcheck.activities import BY_NAME

    p = sub.add_parser(
        "live",
        help="live coaching from a local camera (or a clip) in a window",
        description=LIVE_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    src = p.add_mutually_exclusive_group()
    src.add_argument("--camera", type=int, default=None, metavar="N", help="camera index (0)")
    src.add_argument("--video", type=Path, default=None, metavar="FILE", help="play a clip instead")
    p.add_argument("--activity", choices=list(BY_NAME), required=True)
    p.add_argument(
        "--headless-out",
        type=Path,
        default=None,
        metavar="DIR",
        help="no window: write annotated frames and report.json into DIR",
    )
    p.add_argument(
        "--every", type=int, default=1, metavar="K", help="headless: keep every K-th frame"
    )
    p.add_argument("--seconds", type=float, default=None, help="stop after this many seconds")
    add_profile_flags(p)
    p.add_argument("--model", type=Path, default=None, help="another PoseLandmarker .task file")
    p.add_argument("--db", type=Path, default=None, help="history database (default: data dir)")
    p.add_argument("--no-save", action="store_true", help="do not add this session to history")
    p.set_defaults(func=cmd_live)


def _settings(args: argparse.Namespace) -> Settings:
    return settings_from_args(args)


def _has_display() -> bool:
    if sys.platform.startswith("linux"):
        return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return True


def _gui_needs_fresh_process() -> bool:
    """True when PyAV was imported before OpenCV on Linux.

    Both wheels bundle their own libxcb; when PyAV's is loaded first, OpenCV's
    Qt window binds to it and hangs for ever inside ``xcb_shm_query_version``
    at the first ``cv2.imshow`` (seen here with opencv-contrib 5.0 + av 18 on
    X11 and Xvfb). Importing cv2 first avoids it, so the window then runs in a
    fresh interpreter that does (see ``__main__`` below).
    """
    if not sys.platform.startswith("linux") or "av" not in sys.modules:
        return False
    names = list(sys.modules)
    return "cv2" not in sys.modules or names.index("av") < names.index("cv2")


def cmd_live(args: argparse.Namespace) -> int:
    if (
        args.headless_out is None
        and _has_display()
        and _gui_needs_fresh_process()
        and not os.environ.get("FORMCHECK_LIVE_FRESH")
    ):
        import subprocess

        env = dict(os.environ, FORMCHECK_LIVE_FRESH="1")
        argv = [sys.executable, "-m", "formcheck.cli", *_argv_of(args)]
        try:
            return subprocess.call(argv, env=env)
        except KeyboardInterrupt:
            return 130
    try:
        return _run(args)
    except FormcheckError as exc:
        print(f"formcheck: {exc}", file=sys.stderr)
        return exc.exit_code


def _run(args: argparse.Namespace) -> int:
    from formcheck.pipeline.live import LiveSession, new_analyzer, start_recording
    from formcheck.pose.estimator import PoseEstimator
    from formcheck.video.camera import CameraStream
    from formcheck.video.checks import check_path

    headless = args.headless_out is not None
    if not headless and not _has_display():
        raise FormcheckError(
            "There is no screen to open the live window on.",
            "Run it from a desktop session, or pass --headless-out DIR to write the frames.",
            code="no_display",
        )
    if args.video is not None:
        check_path(args.video)  # a link, a missing file, a folder or pipe: said clearly
    source: int | Path = args.video if args.video is not None else (args.camera or 0)
    settings = _settings(args)
    analyzer = new_analyzer(args.activity, settings)
    if args.headless_out is not None:
        try:
            args.headless_out.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise FormcheckError(
                f"The frames cannot be written to {args.headless_out} ({exc}).",
                "Pass a folder you can write to with --headless-out.",
                code="bad_output",
            ) from exc
    try:
        stream = CameraStream(source).start()
    except OSError as exc:
        hint = (
            "Check that the camera is plugged in and not used by another app "
            "(try --camera 1 for a second camera)."
            if args.video is None
            else "Use an MP4, MOV, WebM or MKV clip."
        )
        raise FormcheckError(f"{exc}", hint, code="camera_unavailable") from exc

    try:
        estimator = PoseEstimator(settings.model_path, crowd_check_every_s=0.0)
    except BaseException:
        stream.stop()
        raise
    rec = None
    if not args.no_save:
        rec, problem = start_recording(args.activity, settings, args.db)
        if problem is not None:
            print(f"formcheck: this session will not be saved: {problem}", file=sys.stderr)
    session = LiveSession(
        args.activity, settings, estimate=estimator.process, analyzer=analyzer, recording=rec
    )
    try:
        return _loop(args, stream, session, source)
    finally:
        estimator.close()


def _loop(
    args: argparse.Namespace, stream: CameraStream, session: LiveSession, source: int | Path
) -> int:
    import cv2

    out_dir: Path | None = args.headless_out  # made by _run
    every = max(1, int(args.every))
    reason, partial = "stopped", False
    written = 0
    t_start = time.monotonic()
    print(f"formcheck live: {args.activity} from {source}; q or Esc stops.", file=sys.stderr)
    try:
        for frame in stream.frames():
            out = session.process(frame.image, frame.t_s)
            for cue in session.take_cues():
                print(f"[{cue.t_s:6.1f} s] {cue.text}", flush=True)
            problem = session.save_progress()
            if problem is not None:
                print(f"formcheck: progress not saved ({problem}); will retry.", file=sys.stderr)
            if out_dir is not None:
                if frame.index % every == 0:
                    cv2.imwrite(str(out_dir / f"frame_{frame.index:06d}.jpg"), out)
                    written += 1
            else:
                cv2.imshow(WINDOW, out)
                key = cv2.waitKey(1) & 0xFF
                closed = cv2.getWindowProperty(WINDOW, cv2.WND_PROP_VISIBLE) < 1
                if key in (ord("q"), 27) or closed:
                    break
            limit = args.seconds
            if limit is not None and (
                frame.t_s >= limit
                if args.video is not None
                else time.monotonic() - t_start >= limit
            ):
                break
    except KeyboardInterrupt:
        reason, partial = "stopped with Ctrl-C", True
    except BaseException:
        session.finish(partial=True, reason="stopped by an error")  # keep the set so far
        raise
    finally:
        stream.close()
        if out_dir is None:
            cv2.destroyAllWindows()
            cv2.waitKey(1)  # let the GUI close the window before the process exits
    if stream.status == "lost":
        reason, partial = stream.reason, True
        print(f"formcheck: {stream.reason} The session so far is kept.", file=sys.stderr)
    elif stream.status == "ended":
        reason = "end of the clip"
    outcome = session.finish(partial=partial, reason=reason)
    snap = session.snapshot()
    print(f"frames: {snap.frames} ({snap.frames_with_pose} with a person), {snap.t_s:.1f} s")
    if snap.errors:
        print(f"frames not analysed: {snap.errors} ({snap.last_error})", file=sys.stderr)
    if outcome.report is None:
        print(f"formcheck: {outcome.error}", file=sys.stderr)
        return 1
    report = outcome.report
    from formcheck.report.text import format_summary

    print(format_summary(report))
    artefacts: dict[str, Path] = {}
    if out_dir is not None:
        artefacts["report_json"] = report.save_json(out_dir / "report.json")
        (out_dir / "live.json").write_text(
            json.dumps(
                {
                    "frames": snap.frames,
                    "frames_with_pose": snap.frames_with_pose,
                    "frames_written": written,
                    "duration_s": snap.t_s,
                    "reps": snap.reps,
                    "hold_s": snap.hold_s,
                    "metrics": snap.metrics,
                    "errors": snap.errors,
                    "camera_status": stream.status,
                    "partial": outcome.partial,
                },
                indent=1,
            )
        )
        print(f"frames and report: {out_dir}")
    if outcome.store_error is not None:
        print(f"formcheck: not saved to history: {outcome.store_error}", file=sys.stderr)
    elif outcome.session_id is not None:
        state = "partial " if outcome.partial else ""
        print(f"saved to history as {state}session {outcome.session_id}")
    return 1 if stream.status == "lost" else 0


def _argv_of(args: argparse.Namespace) -> list[str]:
    """Rebuild ``formcheck live`` arguments from a parsed namespace."""
    out = ["live", "--activity", args.activity]
    if args.video is not None:
        out += ["--video", str(args.video)]
    elif args.camera is not None:
        out += ["--camera", str(args.camera)]
    for flag, val in (
        ("--every", args.every),
        ("--seconds", args.seconds),
        ("--height-cm", args.height_cm),
        ("--leg-length-cm", args.leg_length_cm),
        ("--treadmill-kmh", args.treadmill_kmh),
        ("--model", args.model),
        ("--db", args.db),
    ):
        if val is not None and not (flag == "--every" and val == 1):
            out += [flag, str(val)]
    if args.no_save:
        out.append("--no-save")
    return out
