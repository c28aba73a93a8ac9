"""Every general sentence a formcheck user reads: disclaimers, statuses, set-up tips,
notes about a recording, training context. One place for words: the running and
exercise cues and findings are in :mod:`formcheck.cues.words_running` and
:mod:`formcheck.cues.words_exercises`, the running analysis's notices and notes on its
numbers in :mod:`formcheck.cues.words_running_notes` (split to keep each module short).

Error messages (with their next step) stay with the errors in :mod:`formcheck.errors`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from types import MappingProxyType

from formcheck.cues import judge, words_floor, words_stretches, words_warmup
from formcheck.results import MetricStatus, Status

#: Before a finding's sustained stretches past its flag (text report, HTML, Review).
STRETCHES_LABEL = "sustained stretches past the flag"
#: The heading of a finding's worst sustained stretch (HTML report).
OVER_TIME = "Over time"


def stretch_worst(
    value: str, unit: str, a: float, b: float, key_t_s: float, window_s: float
) -> str:
    """The worst sustained stretch beside the typical value (``value`` formatted)."""
    return (
        f"worst sustained ({window_s:g} s window): {value} {unit}, {a:.1f}-{b:.1f} s "
        f"(key moment {key_t_s:.1f} s)"
    )


def stretch_jump(a: float, b: float) -> str:
    """The Review button that jumps to a sustained stretch."""
    return f"Go to {a:.1f}-{b:.1f} s"


# ---- disclaimers --------------------------------------------------------------------------
#: Shown in every report: formcheck gives form feedback, not a diagnosis.
NOT_MEDICAL_ADVICE = (
    "formcheck gives feedback on movement form from video; it is not medical advice. "
    "Sharp or lasting pain, pain spreading down a leg, or pain that stops daily "
    "activity needs a physiotherapist or doctor."
)
#: The short form, under every page of the app.
NOT_MEDICAL_ADVICE_SHORT = "formcheck gives feedback on movement form; it is not medical advice."
PRIVACY_NOTE = (
    "Private by design: video, landmarks and history stay on this computer. "
    "formcheck sends nothing anywhere (no uploads to a server, no usage statistics)."
)

# ---- statuses -----------------------------------------------------------------------------
#: A finding's status as a badge or heading (the HTML, the app, the text summary's mark).
FINDING_STATUS_WORDS: Mapping[Status, str] = MappingProxyType(
    {"flag": "Work on this", "ok": "On target", "not_measurable": "Not measured"}
)
#: A finding's status as the text summary's two-character mark.
FINDING_STATUS_MARKS: Mapping[Status, str] = MappingProxyType(
    {"flag": "!!", "ok": "ok", "not_measurable": "--"}
)
#: A judged number's status (:func:`formcheck.cues.judge.judge`) in words.
METRIC_STATUS_WORDS: Mapping[MetricStatus, str] = MappingProxyType(
    {"good": "good", "watch": "watch", "work_on": "work on"}
)


def _g(x: float) -> str:
    return f"{x:g}"


def target_text(activity: str, name: str, overrides: Mapping[str, float] | None = None) -> str:
    """The bounds a metric is judged by, in words: ``"good -2 to 12, work on above 25"``
    (the live page's caption under a number); empty when it has no target."""
    r = judge.rule(activity, name)
    if r is None:
        return ""
    lo = r.watch_below or r.work_on_below
    hi = r.watch_above or r.work_on_above
    lo_v = None if lo is None else lo.value(overrides)
    hi_v = None if hi is None else hi.value(overrides)
    if lo_v is not None and hi_v is not None:
        if r.work_on_below is not None and r.work_on_above is not None and lo_v == -hi_v:
            good = f"good within ±{_g(hi_v)}"
        else:
            good = f"good {_g(lo_v)} to {_g(hi_v)}"
    elif hi_v is not None:
        good = f"good up to {_g(hi_v)}"
    else:
        good = f"good from {_g(lo_v)}"  # type: ignore[arg-type]
    parts = [good]
    if r.watch_above is not None and r.work_on_above is not None:
        parts.append(f"work on above {_g(r.work_on_above.value(overrides))}")
    if r.watch_below is not None and r.work_on_below is not None:
        parts.append(f"work on below {_g(r.work_on_below.value(overrides))}")
    return ", ".join(parts)


# ---- set-up -------------------------------------------------------------------------------
#: How to stand and place the camera, per activity (the live pages).
SETUP_TIPS: Mapping[str, str] = MappingProxyType(
    {
        "glute-bridge": "Lie on your back, knees bent, side-on to the camera with your whole "
        "body in view. Lift your hips until shoulders, hips and knees line up, pause, lower "
        "slowly.",
        "plank": "Side-on to the camera, whole body in view, on forearms or hands. Keep a "
        "straight line from shoulders to ankles.",
        "side-plank": "Face the camera, on one forearm, feet stacked. Keep shoulders, hips and "
        "feet in one line.",
        "bird-dog": "On all fours, side-on to the camera. Reach one arm and the opposite leg "
        "out level, hold a few seconds, swap sides.",
        "run": "Put the laptop side-on to the treadmill, at hip height, 2-3 m away, so your "
        "whole body (feet included) stays in view while you run.",
        **words_stretches.SETUP_TIPS,
        **words_warmup.SETUP_TIPS,
        **words_floor.SETUP_TIPS,
    }
)


#: Said after a finding whose number is only a hair past its line (judge: ``near``).
NEAR_LINE = (
    "That is only just past the line, by less than the margin that matters here: "
    "keep an eye on it rather than change your form for it."
)
#: The praise a cue's sentence ends with when its number is not to be worked on.
PRAISE = (" Good.", " Fine.")


def near_line(message: str) -> str:
    """A cue's sentence for a number just past its line ("watch"): its praise taken
    off (a number past the line is not "Good.") and :data:`NEAR_LINE` added."""
    for praise in PRAISE:
        if message.endswith(praise):
            message = message[: -len(praise)]
            break
    return f"{message} {NEAR_LINE}"


#: How a number changed between two sessions, against its target (judge.change).
CHANGE_WORDS: Mapping[str, str] = MappingProxyType(
    {"better": "better", "worse": "worse", "same": "no change against the target"}
)

#: The start page: the three ways in, each with where to put the camera.
START_INTRO = (
    "formcheck watches you through a camera or a clip and tells you, with numbers, how "
    "your running or strength work compares with common coaching cues. Everything runs on "
    "this computer; no picture leaves it."
)
START_WAYS: tuple[tuple[str, str, str], ...] = (
    (
        "live",
        "Coach me live: strength exercise",
        "Glute bridge, plank, side plank or bird dog with counted reps or a timed hold and "
        "spoken cues. Camera at floor or hip height, 2-3 m away, side-on (front-on for the "
        "side plank), your whole body in view.",
    ),
    (
        "live_run",
        "Coach me live: running",
        "Cadence, trunk lean and overstride over the last seconds, large enough to read "
        "from a treadmill. " + SETUP_TIPS["run"],
    ),
    (
        "review",
        "Review a clip",
        "Upload a clip filmed side-on at hip height with the camera still; step through "
        "it frame by frame and get a report. Or try the bundled sample run first.",
    ),
)
START_SAMPLE_BUTTON = "Analyse the sample run"
START_SAMPLE_HELP = (
    "A 12 s treadmill run filmed side-on, published with the runner's consent (MIT "
    "licence); its cadence was counted by hand at 168.9 steps/min."
)


LIVE_NOBODY_YET = "nobody in view yet"
#: The live picture's and page's line once the set's reps are counted (no more are).
LIVE_SET_DONE = "set done: press STOP to save it"
SPEAK_CUES = "Speak cues"


def live_stats(t_s: float, frames: int, with_pose: int, fps: float | None = None,
               proc_ms: float | None = None, rate: bool = False) -> str:  # fmt: skip
    """The live pages' stats line: seconds (s), frames (with ``rate``: frames per second
    and milliseconds a frame, or "starting") and the share of frames with a person."""
    seen = with_pose / frames if frames else 0.0
    how = ""
    if rate:
        how = f"{fps:.0f} frames/s" if fps else "starting"
        how = f" ({how}, {proc_ms:.0f} ms each)" if proc_ms is not None else f" ({how})"
    return f"{t_s:.0f} s, {frames} frames{how}, person found in {seen:.0%}"


def history_problem(error: str) -> str:
    """A history database problem shown on a live page."""
    return f"History: {error}"


def notice_live_ended_early(reason: str) -> str:
    return f"Live session ended early: {reason}"


def notice_live_errors(n_frames: int, last_error: str | None) -> str:
    return f"{n_frames} frame(s) could not be analysed: {last_error}"


def live_window(window_s: float) -> str:
    """Why a live number can differ from the whole clip's: it covers the last seconds."""
    return f"over the last {window_s:.0f} s"


def live_busy(fps: float, need_fps: float) -> str:
    """The live page when frames come too slowly for the numbers (issue 20, item 11)."""
    return (
        f"This computer is busy: {fps:.0f} frames/s; the numbers need about "
        f"{need_fps:.0f}. Close other programs or tabs; the last good values stay, greyed."
    )


#: Beside a live number kept greyed because the last window could not give it.
LIVE_HELD = "last good value"


def live_whole_session(duration_s: float) -> str:
    """What a saved live session's numbers cover (the live numbers cover the last
    seconds only: :func:`live_window`)."""
    m, s = divmod(round(duration_s), 60)
    span = f"{m} min {s} s" if m else f"{s} s"
    return f"over the whole session ({span})"


def clip_whole(duration_s: float) -> str:
    """What a clip's numbers cover (the live numbers cover the last seconds only)."""
    return f"Numbers over the whole clip ({duration_s:.1f} s)."


# ---- notes about a recording (capture notices) ------------------------------------------------
def notice_damaged(n_ranges: int) -> str:
    return (
        f"Part of the video could not be decoded ({n_ranges} damaged "
        "range(s)); everything before and after was analysed."
    )


def notice_ended_early(ended_at_s: float, duration_s: float) -> str:
    return (
        f"The file ends at {ended_at_s:.1f} s although its header says "
        f"{duration_s:.1f} s (an incomplete copy or recording); the "
        "part that exists was analysed."
    )


NOTICE_VFR = "Variable frame rate: timings use each frame's own timestamp."
NOTICE_SEVERAL_PEOPLE = (
    "Several people were in view; formcheck followed one person "
    "(the one seen longest). Film with only the athlete in frame for "
    "the most reliable numbers."
)
NOTICE_INTERRUPTED = "Analysis was stopped early; this covers the part analysed."


def notice_tracker_switched(left_out_s: float) -> str:
    """Several people in view (the notice's times), and ``left_out_s`` seconds in all
    in which the tracker followed someone else (those frames left out)."""
    return (
        "Several people were in view (the times given), and for "
        f"{left_out_s:.1f} s in all the tracker followed someone else; formcheck "
        "followed the person seen longest and left those frames out. Film with only "
        "the athlete in frame for the most reliable numbers."
    )


def notice_spurious(n: int) -> str:
    return (
        f"{n} brief false detection(s) (a pose found for a moment "
        "away from the person) were ignored."
    )


def _span(r: tuple[float, float]) -> str:
    return f"{r[0]:.1f}-{r[1]:.1f} s"


def notice_shots(
    shots: Sequence[tuple[float, float]], unused: Sequence[tuple[float, float]] = ()
) -> str:
    """The shots of an edited clip, and those that showed nobody (not used)."""
    listed = ", ".join(_span(r) for r in shots)
    text = (
        f"This clip is edited: {len(shots)} shots ({listed}). Each shot was analysed "
        "as its own stretch: the person was found again after every cut, a change of "
        "place or size in the picture at a cut is not taken for someone else, and the "
        "first moment after a cut, while the pose settles, is left out."
    )
    if unused:
        text += f" Not used (nobody in view): {', '.join(_span(r) for r in unused)}."
    return text


def notice_timestamps(n: int) -> str:
    return f"{n} frame timestamp(s) did not increase and were corrected."


def notice_pose_problems(problems: Iterable[str]) -> str:
    return (
        "Something went wrong during the pose pass without spoiling the results "
        f"(they are complete): {'; '.join(problems)[:300]}. If this repeats, "
        "set pose_workers = 1 in the settings file."
    )


def notice_gaps(total_s: float, n_gaps: int) -> str:
    return (
        f"The person was not found for {total_s:.1f} s in {n_gaps} stretch(es) "
        "(out of frame or hidden); those parts are left out, never filled in."
    )


def notice_stopped(analysed_s: float) -> str:
    """The analysis of a clip was stopped part way (a partial report)."""
    return (
        "The analysis stopped before the end of the clip; this covers the "
        f"{analysed_s:.0f} s analysed (not analysed: the ranges given). "
        "Analyse the clip again for the whole of it."
    )


_FILE_KINDS = {
    "upload": "uploaded clip",
    "annotated_video": "annotated video",
    "landmark_cache": "landmark cache",
    "report_json": "report (JSON)",
    "report_html": "report (HTML)",
    "json": "report copy (JSON)",
}


def file_kind(kind: str) -> str:
    """What a session's file is, in words (``keyframe_*`` are key frames)."""
    return "key frame" if kind.startswith("keyframe_") else _FILE_KINDS.get(kind, kind)


def session_files_removed(
    removed: Iterable[tuple[str, object]], kept: Iterable[tuple[str, object, str]]
) -> list[str]:
    """Lines saying which of a deleted session's files were removed and which kept."""
    removed, kept = list(removed), list(kept)
    why = {
        "yours": "outside formcheck's data folder, or your own clip: yours to keep or delete",
        "shared": "another saved session uses it",
    }
    lines = []
    if removed:
        lines.append(f"Removed {len(removed)} file(s) formcheck made for it:")
        lines += [f"  {file_kind(k)}: {p}" for k, p in removed]
    else:
        lines.append("No files of it were in formcheck's data folder.")
    if kept:
        lines.append("Left in place:")
        lines += [f"  {file_kind(k)}: {p} ({why.get(w, 'could not remove: ' + w)})"
                  for k, p, w in kept]  # fmt: skip
    return lines


def report_video_missing(name: str) -> str:
    """The HTML report's words when its annotated video is not beside it."""
    return (
        f"The annotated video ({name}) is not beside this report, so it cannot play here. "
        f"Keep {name} in the same folder as this file (unzip the whole download), then "
        "open the report again. The key frames below still show each moment."
    )
