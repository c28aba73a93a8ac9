"""What a live session shows and leaves: snapshots, cues, the outcome, the report.

Plain data and pure assembly, shared by :class:`formcheck.pipeline.live.LiveSession`
(which fills them, frame by frame) and the pages and command line (which read them).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import formcheck.activities as activities
from formcheck.cues import words
from formcheck.cues.format import fmt, fmt_value
from formcheck.errors import FormcheckError
from formcheck.live import LiveAnalyzer
from formcheck.pipeline.analysis import versions
from formcheck.report.model import PoseInfo, Report, SourceInfo
from formcheck.results import MetricStatus, Notice
from formcheck.settings import Settings

#: The live running numbers, most important first: (metric key, label, unit).
#: Their decimals come from :mod:`formcheck.cues.format`, their statuses from the
#: analyzer (:func:`formcheck.cues.judge.judge`).
RUN_METRICS: tuple[tuple[str, str, str], ...] = (
    ("cadence_spm", "Cadence", "steps/min"),
    ("trunk_lean_deg", "Trunk lean", "deg"),
    ("overstride_leg_lengths", "Overstride", "leg lengths"),
)


# -----------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class SpokenCue:
    """A cue to show and say once. serial increases within a session.

    reps : the rep count of the frame it was given at (None: the activity counts
        none); it is shown only while the count is still that.
    interrupt : said even over a cue still being spoken (the end of the set).
    """

    serial: int
    t_s: float
    text: str
    reps: int | None = None
    interrupt: bool = False


@dataclass(frozen=True, slots=True)
class LiveSnapshot:
    """What the page shows now (a copy; safe to read from any thread).

    t_s : seconds since the session's first frame.
    metrics : headline numbers from the analyzer (name -> value in its unit).
    statuses : each headline number's status, as the analyzer judged it
        (:func:`formcheck.cues.judge.judge`, the same judgement as the report's).
    accuracy : each headline number's validated uncertainty in words, as the analyzer
        gave it ("±20 ms at 30 fps", "not validated").
    reps / hold_s : exercise counters (None when the activity has none).
    cue : the cue on screen now (given in the last :data:`CUE_SHOW_S`), or None.
    errors : frames whose analysis failed; ``last_error`` is the latest message.
    stopped : analysis stopped (too many errors); the reason is in ``last_error``.
    set_done : the set's target reps were counted; no more are (the count said,
        shown and saved stays the target's).
    wall_last_frame : ``time.monotonic()`` of the last frame received (0 = none).
    held : the last good value of each headline number the latest window could not
        give (shown greyed, without a status, rather than blank).
    busy : in words, when frames come too slowly for the numbers (the computer is
        busy), else None.
    """

    activity: str
    frames: int = 0
    frames_with_pose: int = 0
    t_s: float = 0.0
    fps: float | None = None
    proc_ms: float | None = None
    metrics: dict[str, float] = field(default_factory=dict)
    statuses: dict[str, MetricStatus] = field(default_factory=dict)
    accuracy: dict[str, str] = field(default_factory=dict)
    reps: int | None = None
    hold_s: float | None = None
    phase: str | None = None
    form: str | None = None
    cue: str | None = None
    cues_given: int = 0
    errors: int = 0
    last_error: str | None = None
    stopped: bool = False
    set_done: bool = False
    wall_last_frame: float = 0.0
    width: int = 0
    height: int = 0
    held: dict[str, float] = field(default_factory=dict)
    busy: str | None = None


@dataclass(slots=True)
class LiveOutcome:
    """A finished session: the report (None when nothing usable was recorded), and
    the history session it was saved as (or what went wrong with the history)."""

    report: Report | None
    partial: bool
    reason: str
    frames: int
    error: str | None = None
    session_id: int | None = None
    store_error: str | None = None


def describe_error(exc: BaseException) -> str:
    """One line for the UI: FormcheckError text, else the exception type and message."""
    if isinstance(exc, FormcheckError):
        return str(exc)
    msg = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {msg}"[:200] if msg else type(exc).__name__


def headline_text(snap: LiveSnapshot) -> tuple[str, list[str]]:
    """The big number and the small lines of the live panel, for any activity."""
    lines: list[str] = []
    if snap.activity == "run":
        # a number the last window could not give keeps its last good value, said so
        # (as the page shows it greyed), rather than "--"
        cad = snap.metrics.get("cadence_spm")
        old = snap.held.get("cadence_spm") if cad is None else None
        headline = f"{fmt(cad if old is None else old, 'steps/min', '--')} spm"
        if old is not None:
            headline += f" ({words.LIVE_HELD})"
        for key, label, unit in RUN_METRICS[1:]:
            v = snap.metrics.get(key)
            status = snap.statuses.get(key)
            if v is None and key in snap.held:
                v, status = snap.held[key], None
                said = f" ({words.LIVE_HELD})"
            else:
                said = f" ({words.METRIC_STATUS_WORDS[status]})" if status else ""
            if v is not None and math.isfinite(v):
                lines.append(f"{label} {fmt_value(v, unit)}{said}")
    elif activities.is_hold(snap.activity):
        headline = f"{snap.hold_s or 0.0:.0f} s hold"
        if snap.form:
            lines.append(f"form: {snap.form.replace('_', ' ')}")
    else:
        headline = f"{snap.reps or 0} reps"
        if snap.set_done:
            lines.append(words.LIVE_SET_DONE)
        elif snap.phase:
            lines.append(f"phase: {snap.phase.replace('_', ' ')}")
    if snap.frames and snap.frames_with_pose == 0:
        lines.append(words.LIVE_NOBODY_YET)
    return headline, lines


def session_numbers(report: Report) -> list[str]:
    """A finished live session's main numbers, for the page's "Last session" box: all
    three running numbers (issue 20, item 12), or the reps and the hold."""
    if report.activity == "run":
        shown = tuple((key, f"{label.lower()} {{}}") for key, label, _ in RUN_METRICS)
    else:
        shown = (("reps", "{}"), ("hold_s", "{} held"))
    return [
        what.format(fmt_value(m.value, m.unit))
        for name, what in shown
        if (m := report.metrics.get(name)) is not None and m.value is not None
    ]


def build_report(
    analyzer: LiveAnalyzer, snap: LiveSnapshot, partial: bool, reason: str, settings: Settings
) -> Report:
    """The analyzer's result as a :class:`~formcheck.report.model.Report` (source: webcam)."""
    result = analyzer.result()
    fps = snap.frames / snap.t_s if snap.t_s > 0 else None
    source = SourceInfo(
        kind="webcam",
        width=snap.width or None,
        height=snap.height or None,
        fps=fps,
        duration_s=snap.t_s,
        decoded_s=snap.t_s,
        frames=snap.frames,
    )
    warnings = []
    if partial:
        warnings.append(Notice("partial", words.notice_live_ended_early(reason)))
    if snap.errors:
        warnings.append(
            Notice("live_errors", words.notice_live_errors(snap.errors, snap.last_error))
        )
    return Report.from_result(
        result,
        source,
        PoseInfo(snap.frames, snap.frames_with_pose),
        warnings,
        activity_requested=analyzer.activity,
        activity_reason="live session",
        versions=versions(),
        partial=partial,
    )
