"""Running analysis: from a landmark series to a stride and posture report.

``analyze_run(series, settings)`` is the analyzer the pipeline calls for
``activity="run"``. It runs the core pass (:func:`formcheck.gait.core.run_core`,
shared with the live window :class:`formcheck.gait.live.LiveRunAnalyzer`, so the
live numbers and the offline report come from the same event and metric code),
the metrics (:func:`formcheck.gait.metrics.compute_metrics`), then assembles the
result here (:func:`result_from_core`: findings, notices, events, per-frame
states, step and per-minute tables, plot series).

Steps (all pure; see each module for the method and its references):

1. time base: a slow-motion clip's true capture rate (``Settings.profile.
   capture_fps``) rescales the timestamps; otherwise the physics check of
   :mod:`formcheck.gait.timebase` decides whether the clip plays slower than
   real time, and if so every per-second figure is reported as not measurable
   (with the estimated factor) while posture still is;
2. smoothing (gaps up to ``max_gap_s`` filled, zero-phase low-pass at
   ``run_cutoff_hz``), leg length, leg-swap relabelling
   (:mod:`formcheck.gait.legs`), view (:mod:`formcheck.gait.view`);
3. side view: the far foot blanked where the model copied it onto the near
   one, the running rhythm, gait events, per-step measurements, cadence fit,
   summaries, drift and per-minute trends; front/rear view: approximate
   contacts from the vertical foot path, cadence, arm crossing, hip drop and
   step width. Metrics that the view cannot show are "not measurable", with
   the reason (:mod:`formcheck.gait.metrics`);
4. each metric's validated uncertainty at the clip's frame rate
   (:func:`formcheck.cues.accuracy.attach_accuracy`), then the judgement and the
   findings against the cues (:mod:`formcheck.cues.running`).
"""

from __future__ import annotations

import numpy as np

from formcheck.cues import thresholds as th
from formcheck.cues import words_running_notes as words
from formcheck.cues.accuracy import attach_accuracy
from formcheck.cues.judge import judge_metrics
from formcheck.cues.running import running_findings
from formcheck.framestates import FrameStates
from formcheck.gait._nan import nanmedian
from formcheck.gait.cadence import PER_STEP_CADENCE, windowed_cadence
from formcheck.gait.core import RunCore, median_dt, run_core
from formcheck.gait.metrics import compute_metrics
from formcheck.gait.steps import COLUMNS, head_forward_deg, trunk_lean_deg
from formcheck.gait.stretches import waist_bend
from formcheck.gait.summary import per_minute
from formcheck.kinematics import joint_angle_deg
from formcheck.pose.landmarks import Landmark
from formcheck.pose.series import PoseSeries
from formcheck.results import ActivityResult, Event, Metric, Notice, Table
from formcheck.settings import Settings

#: At most this many points per per-frame plot series (longer runs are block medians).
MAX_PLOT_POINTS = 1500


# ---------------------------------------------------------------------------------------
def _events(core: RunCore) -> list[Event]:
    out = []
    t_clip = core.series.t_s * core.time_factor
    for side in ("left", "right"):
        e = core.events.side(side)
        for i in range(e.n):
            for kind, tt in (("initial_contact", e.ic_t_s[i]), ("toe_off", e.to_t_s[i])):
                if not np.isfinite(tt):
                    continue
                tc = float(tt * core.time_factor)
                frame = int(np.argmin(np.abs(t_clip - tc)))
                label = "approximate" if e.approximate[i] else ""
                out.append(Event(kind, tc, frame, side, float(e.visibility[i]), label))
    return sorted(out, key=lambda ev: (ev.t_s, ev.kind))


def _phases(core: RunCore) -> np.ndarray:
    t = core.series.t_s
    on = {}
    for side in ("left", "right"):
        e = core.events.side(side)
        m = np.zeros(t.size, bool)
        for ic, to in zip(e.ic_t_s, e.to_t_s, strict=True):
            if np.isfinite(ic) and np.isfinite(to):
                m |= (t >= ic) & (t < to)
        on[side] = m
    phase = np.full(t.size, None, object)
    phase[on["left"]] = "stance_left"
    phase[on["right"]] = "stance_right"
    phase[on["left"] & on["right"]] = "double_support"
    first = min(
        (core.events.side(s).ic_t_s.min() for s in ("left", "right") if core.events.side(s).n),
        default=np.inf,
    )
    last = max(
        (
            np.nanmax(core.events.side(s).to_t_s)
            for s in ("left", "right")
            if np.isfinite(core.events.side(s).to_t_s).any()
        ),
        default=-np.inf,
    )
    flight = ~on["left"] & ~on["right"] & (t > first) & (t < last)
    if core.view.is_side:
        phase[flight] = "flight"
    return phase


def _frames(core: RunCore) -> FrameStates:
    s = core.series
    facing = core.view.facing or 1
    t_clip = s.t_s * core.time_factor
    angles: dict[str, np.ndarray] = {}
    if core.view.is_side:
        angles["trunk_lean_deg"] = trunk_lean_deg(s, facing)
        angles["head_forward_deg"] = head_forward_deg(s, facing)
        angles["waist_bend_deg"], _ = waist_bend(s, core.events, facing)
        for side in ("left", "right"):
            up = side.upper()
            angles[f"knee_flexion_{side}_deg"] = 180.0 - joint_angle_deg(
                s.xy(Landmark[f"{up}_HIP"]),
                s.xy(Landmark[f"{up}_KNEE"]),
                s.xy(Landmark[f"{up}_ANKLE"]),
            )
    elif core.view.view in ("front", "rear"):
        lh, rh = s.xy(Landmark.LEFT_HIP), s.xy(Landmark.RIGHT_HIP)
        angles["pelvis_tilt_deg"] = np.degrees(
            np.arctan2(-(lh[:, 1] - rh[:, 1]), np.abs(lh[:, 0] - rh[:, 0]))
        )
    # one state per frame: its phase and its finite angles, kept as columns
    return FrameStates.from_columns(np.arange(s.n_frames), t_clip, _phases(core), angles)


def _decimate(t: np.ndarray, v: np.ndarray) -> tuple[tuple[float, ...], tuple[float, ...]]:
    if t.size > MAX_PLOT_POINTS:
        k = int(np.ceil(t.size / MAX_PLOT_POINTS))
        n = t.size // k * k
        with np.errstate(all="ignore"):
            t = nanmedian(t[:n].reshape(-1, k), axis=1)
            v = nanmedian(v[:n].reshape(-1, k), axis=1)
    return tuple(float(x) for x in t), tuple(float(x) for x in v)


def _plots(
    core: RunCore, metrics: dict[str, Metric]
) -> dict[str, tuple[tuple[float, ...], tuple[float, ...], str]]:
    s, st = core.series, core.steps
    k = core.time_factor
    out = {}
    t_clip = s.t_s * k
    if st.n and core.timed_ok:
        # the line: a stride fit over a few seconds around each step; the dots: each
        # step's own rate (jumps by a frame's worth at 25-30 fps, so not the line)
        win = windowed_cadence(st.t_ic, st.side, core.stride_guess_s, breaks_s=core.breaks_s)
        out["cadence_spm"] = (tuple(st.t_ic * k), tuple(win), "steps/min")
        cad = np.where(np.isfinite(st.step_time_s), 60.0 / st.step_time_s, np.nan)
        out[PER_STEP_CADENCE] = (tuple(st.t_ic * k), tuple(cad), "steps/min")
    if core.view.is_side:
        out["trunk_lean_deg"] = (*_decimate(t_clip, trunk_lean_deg(s, core.view.facing)), "deg")
        bend, _ = waist_bend(s, core.events, core.view.facing or 1)
        if np.isfinite(bend).any():
            out["waist_bend_deg"] = (*_decimate(t_clip, bend), "deg")
        out["head_forward_deg"] = (
            *_decimate(t_clip, head_forward_deg(s, core.view.facing)),
            "deg",
        )
        hip = s.midpoint(Landmark.LEFT_HIP, Landmark.RIGHT_HIP)[:, 1]
        up = (np.nanmean(hip) - hip) / core.leg_px if np.isfinite(hip).any() else hip
        out["hip_vertical_leg_lengths"] = (*_decimate(t_clip, up), "leg lengths")
        for side in ("left", "right"):
            sel = st.side == side
            if sel.any():
                out[f"overstride_{side}_leg_lengths"] = (
                    tuple(st.t_ic[sel] * k),
                    tuple(st.overstride[sel]),
                    "leg lengths",
                )
                if core.timed_ok:
                    out[f"contact_time_{side}_ms"] = (
                        tuple(st.t_ic[sel] * k),
                        tuple(st.contact_time_ms[sel]),
                        "ms",
                    )
    elif core.view.view in ("front", "rear"):
        lh, rh = s.xy(Landmark.LEFT_HIP), s.xy(Landmark.RIGHT_HIP)
        tilt = np.degrees(np.arctan2(-(lh[:, 1] - rh[:, 1]), np.abs(lh[:, 0] - rh[:, 0])))
        out["pelvis_tilt_deg"] = (*_decimate(t_clip, tilt), "deg")
    return out


def _trends(core: RunCore, settings: Settings) -> tuple[dict[str, Metric], Table | None, dict]:
    """Per-minute trends for runs of at least ``trend_min_duration_s``."""
    st = core.steps
    if core.span_s is not None:
        t0, t1 = core.span_s
    elif core.series.n_frames:
        t0, t1 = float(core.series.t_s[0]), float(core.series.t_s[-1])
    else:
        return {}, None, {}
    if st.n == 0 or t1 - t0 < th.value("trend_min_duration_s", settings.thresholds):
        return {}, None, {}
    cad = np.where(np.isfinite(st.step_time_s), 60.0 / st.step_time_s, np.nan)
    series_by = {
        "trunk_lean_deg": (st.trunk_lean_deg, "deg"),
        "overstride_leg_lengths": (np.where(st.good, st.overstride, np.nan), "leg lengths"),
        "vertical_oscillation_leg_lengths": (st.vert_osc, "leg lengths"),
    }
    if core.timed_ok:
        series_by["cadence_spm"] = (cad, "steps/min")
        series_by["contact_time_ms"] = (st.contact_time_ms, "ms")
    trends = {n: per_minute(st.t_ic, v, t0, t1) for n, (v, _) in series_by.items()}
    metrics = {}
    plots = {}
    k = core.time_factor
    for n, tr in trends.items():
        unit = series_by[n][1]
        if tr.slope_per_min is not None:
            metrics[f"{n.rsplit('_', 1)[0]}_trend_per_min"] = Metric(
                tr.slope_per_min,
                f"{unit}/min",
                n=int(sum(tr.n)),
                confidence="medium",
                note=words.NOTE_TREND,
            )
        mids = tuple((a + 30.0) * k for a in tr.minute_start_s)
        plots[f"{n}_per_minute"] = (
            mids,
            tuple(np.nan if x is None else x for x in tr.median),
            unit,
        )
    names = list(trends)
    cols = ("minute", *(f"{n}_median" for n in names), *(f"{n}_spread" for n in names))
    units = ("min", *(series_by[n][1] for n in names), *(series_by[n][1] for n in names))
    rows = []
    for i, a in enumerate(next(iter(trends.values())).minute_start_s):
        rows.append(
            (
                float((a - t0) / 60.0 + 1),
                *(trends[n].median[i] for n in names),
                *(trends[n].spread[i] for n in names),
            )
        )
    return metrics, Table(cols, units, tuple(rows)), plots


def result_from_core(
    core: RunCore, settings: Settings, *, with_frames: bool = True
) -> ActivityResult:
    """The :class:`ActivityResult` of a core: metrics, findings, events, frames, plots."""
    metrics = compute_metrics(core, settings)
    trend_metrics, trend_table, trend_plots = _trends(core, settings)
    metrics.update(trend_metrics)
    fps = 1.0 / median_dt(core.series.t_s) if core.series.n_frames > 1 else float("nan")
    metrics = attach_accuracy(
        metrics,
        _sampled_fps(core, fps),
        side_view=core.view.is_side,
        far_leg_clear=core.events.refined,
    )
    metrics = judge_metrics("run", metrics, settings.thresholds)
    findings = running_findings(metrics, settings.thresholds)
    notices = list(core.notices)
    if core.reason and not core.rhythm.found:
        notices.append(Notice("no_steps", words.notice_no_steps(core.reason)))
    if core.view.is_side and np.isfinite(fps) and fps < 60 and core.steps.n:
        notices.append(Notice("frame_rate", words.notice_frame_rate(fps)))
    tilt = np.degrees(np.arctan(core.events.ground_slope)) if core.view.is_side else 0.0
    if abs(tilt) > 5.0:
        notices.append(Notice("ground_tilt", words.notice_ground_tilt(tilt)))
    tables = {}
    if core.steps.n:
        tables["steps"] = Table(
            tuple(c for c, _ in COLUMNS), tuple(u for _, u in COLUMNS), _scaled_rows(core)
        )
    if trend_table is not None:
        tables["minutes"] = trend_table
    plots = _plots(core, metrics)
    plots.update(trend_plots)
    return ActivityResult(
        activity="run",
        view=core.view.view,
        metrics=metrics,
        findings=findings,
        notices=notices,
        events=_events(core),
        frames=_frames(core) if with_frames else [],
        tables=tables,
        series=plots,
    )


def _sampled_fps(core: RunCore, analysis_fps: float) -> float:
    """Frames per second of the running itself, for the validated uncertainty: the
    analysis clock's rate (a slow-motion clip of known capture rate is on it already);
    for slow motion of unknown rate, only the clip's own rate is sure (conservative)."""
    return analysis_fps if core.timed_ok else analysis_fps / core.time_factor


def _scaled_rows(core: RunCore) -> tuple[tuple[float | str | None, ...], ...]:
    """Step rows with times on the clip's clock; timings blanked for unknown slow motion."""
    k = core.time_factor
    rows = []
    timed = {"step_time_s", "cadence_spm", "contact_time_ms"}
    names = [c for c, _ in COLUMNS]
    for row in core.steps.rows():
        r = list(row)
        for j, n in enumerate(names):
            if n in ("t_s", "toe_off_t_s") and r[j] is not None:
                r[j] = float(r[j]) * k  # type: ignore[arg-type]
            elif n in timed and not core.timed_ok:
                r[j] = None
        rows.append(tuple(r))
    return tuple(rows)


def analyze_run(series: PoseSeries, settings: Settings) -> ActivityResult:
    """Analyse a running clip's landmarks into metrics, findings, events and plots.

    Parameters
    ----------
    series : PoseSeries
        One runner's landmarks with real timestamps (pixels, y down).
    settings : Settings
        ``view`` overrides the detected view; ``profile`` gives height / leg
        length (cm figures), treadmill speed (vertical ratio) and the capture
        rate of slow-motion clips; ``thresholds`` overrides cue thresholds.
    """
    return result_from_core(run_core(series, settings), settings)
