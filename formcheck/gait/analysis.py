"""Running analysis: from a landmark series to a stride and posture report.

``analyze_run(series, settings)`` is the analyzer the pipeline calls for
``activity="run"``; :func:`run_core` is the part shared with the live window
(:class:`formcheck.gait.live.LiveRunAnalyzer`), so the live numbers and the
offline report come from the same event and metric code.

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
   the reason;
4. findings against the cues (:mod:`formcheck.cues.running`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from formcheck.cues import thresholds as th
from formcheck.cues.running import running_findings
from formcheck.framestates import FrameStates
from formcheck.gait._nan import nanmedian
from formcheck.gait.cadence import CadenceFit, fit_cadence
from formcheck.gait.events import FootEvents, GaitEvents, detect_events, foot_signals, stance_speed
from formcheck.gait.frontal import FrontMetrics, front_events, front_metrics, vertical_signals
from formcheck.gait.legs import apply_swaps, hide_copied_far_foot, swap_states
from formcheck.gait.prep import smooth_series
from formcheck.gait.rhythm import Rhythm, amplitude_at, dominant_period, spectral_peak_hz
from formcheck.gait.steps import (
    COLUMNS,
    Steps,
    empty_steps,
    head_forward_deg,
    measure_steps,
    trunk_lean_deg,
)
from formcheck.gait.summary import drift, per_minute, summarise, symmetry_index_pct
from formcheck.gait.timebase import TimeScale, estimate_time_scale, leg_length_m
from formcheck.gait.view import ViewResult, detect_view
from formcheck.kinematics import joint_angle_deg, leg_length_px
from formcheck.pose.landmarks import Landmark
from formcheck.pose.series import PoseSeries
from formcheck.results import (
    ActivityResult,
    Event,
    Metric,
    Notice,
    Table,
    not_measurable,
)
from formcheck.settings import Settings

#: Side-view metrics (name -> unit): not measurable from the front or rear.
SIDE_METRICS: dict[str, str] = {
    "overstride_leg_lengths": "leg lengths",
    "shin_angle_at_contact_deg": "deg",
    "knee_flexion_at_contact_deg": "deg",
    "trunk_lean_deg": "deg",
    "head_forward_deg": "deg",
    "vertical_oscillation_leg_lengths": "leg lengths",
    "foot_strike_angle_deg": "deg",
    "contact_time_ms": "ms",
    "duty_factor_pct": "%",
    "contact_time_asymmetry_pct": "%",
    "trunk_lean_drift_deg": "deg",
    "overstride_drift_leg_lengths": "leg lengths",
}
#: Front/rear-view metrics: not measurable from the side.
FRONT_METRICS: dict[str, str] = {
    "arm_crossing_frac": "fraction",
    "hip_drop_deg": "deg",
    "step_width_leg_lengths": "leg lengths",
}
#: Metrics that need the clip's clock to be real time.
TIMED_METRICS: dict[str, str] = {
    "cadence_spm": "steps/min",
    "step_time_s": "s",
    "contact_time_ms": "ms",
    "cadence_drift_spm": "steps/min",
    "vertical_ratio_pct": "%",
}

#: At most this many points per per-frame plot series (longer runs are block medians).
MAX_PLOT_POINTS = 1500


@dataclass
class RunCore:
    """Everything the metrics are computed from (analysis clock, see ``time_factor``).

    series : cleaned, leg-swap-corrected series on the analysis clock (image
        landmarks only: its world landmarks are NaN).
    time_factor : clip seconds per analysis second (1 = real time; 8 for a clip
        filmed at 240 fps and played at 30 when the capture rate is known, or the
        estimated factor of a detected slow-motion clip).
    timed_ok : per-second figures are trustworthy (real time, or capture rate given).
    """

    series: PoseSeries
    view: ViewResult
    leg_px: float
    rhythm: Rhythm
    events: GaitEvents
    steps: Steps
    cadence: CadenceFit
    time_factor: float
    timed_ok: bool
    time_scale: TimeScale | None
    swapped: np.ndarray
    copied: np.ndarray
    front: FrontMetrics | None = None
    spectral_cadence_spm: float = float("nan")
    notices: list[Notice] = field(default_factory=list)
    reason: str = ""
    span_s: tuple[float, float] | None = None
    cadence_agrees: bool = True


# ---------------------------------------------------------------------------------------
def _median_dt(t: np.ndarray) -> float:
    return float(np.median(np.diff(t))) if t.size > 1 else float("nan")


def _image_only(series: PoseSeries) -> PoseSeries:
    """The series without its world landmarks (NaN, a read-only view that takes no
    memory): the running analysis reads only the image landmarks, so relabelling
    the legs need not copy the world ones."""
    nan = np.broadcast_to(np.float32(np.nan), (*series.xyzv.shape[:2], 3))
    return PoseSeries(series.xyzv, series.t_s, series.width, series.height, nan, series.frame_index)


def _prepare(series: PoseSeries, settings: Settings, factor: float) -> PoseSeries:
    s = series.with_time(series.t_s / factor) if factor != 1.0 else series
    return smooth_series(s, settings.max_gap_s, settings.run_cutoff_hz)


def _sharp(
    raw: PoseSeries,
    settings: Settings,
    factor: float,
    view: ViewResult,
    leg_px: float,
) -> PoseSeries:
    """The series for values at contact: low-passed at twice the event cut-off.

    ``raw`` is already relabelled; same time base and far-foot blanking as the
    event series.
    """
    s = raw.with_time(raw.t_s / factor) if factor != 1.0 else raw
    smoothed = smooth_series(s, settings.max_gap_s, 2.0 * settings.run_cutoff_hz)
    tol = th.value("far_leg_copy_leglen", settings.thresholds)
    # the smoothed landmarks are this function's own (unless too short to smooth)
    copy = smoothed is s
    return hide_copied_far_foot(smoothed, view.near_side or "left", leg_px, tol, copy=copy)[0]


def _side_rhythm(series: PoseSeries, facing: int, leg_px: float, lo: float, hi: float) -> Rhythm:
    sig = foot_signals(series, facing, leg_px)
    best = Rhythm(float("nan"), float("nan"))
    for x in (
        sig["left"].forward - sig["right"].forward,
        sig["left"].forward,
        sig["right"].forward,
    ):
        r = dominant_period(series.t_s, x, lo, hi)
        if r.found and (not best.found or r.strength > best.strength + 0.1):
            best = r
    return best


def _front_rhythm(series: PoseSeries, lo: float, hi: float) -> Rhythm:
    sig = vertical_signals(series)
    best = Rhythm(float("nan"), float("nan"))
    for x in (sig["left"] - sig["right"], sig["left"], sig["right"]):
        r = dominant_period(series.t_s, x, lo, hi)
        if r.found and (not best.found or r.strength > best.strength + 0.1):
            best = r
    return best


def _stance_fraction(events: GaitEvents) -> float:
    ct = []
    for side in ("left", "right"):
        e = events.side(side)
        ok = np.isfinite(e.to_t_s) & ~e.approximate
        ct += list(e.to_t_s[ok] - e.ic_t_s[ok])
    if len(ct) < 2 or not np.isfinite(events.stride_period_s):
        return float("nan")
    return float(np.median(ct) / (0.5 * events.stride_period_s))


def _hip_phase_is_walking(series: PoseSeries, events: GaitEvents) -> bool:
    """True when the hips are highest at mid-stance (walking), not lowest (running)."""
    hip_y = series.midpoint(Landmark.LEFT_HIP, Landmark.RIGHT_HIP)[:, 1]
    if not np.isfinite(hip_y).any():
        return False
    mean = np.nanmean(hip_y)
    diffs = []
    for side in ("left", "right"):
        e = events.side(side)
        for ic, to in zip(e.ic_t_s, e.to_t_s, strict=True):
            if np.isfinite(ic) and np.isfinite(to):
                j = int(np.argmin(np.abs(series.t_s - 0.5 * (ic + to))))
                if np.isfinite(hip_y[j]):
                    diffs.append(hip_y[j] - mean)  # image y down: > 0 means lower
    return bool(len(diffs) >= 4 and np.median(diffs) < 0)


def _time_scale(
    series: PoseSeries, events: GaitEvents, leg_px: float, settings: Settings
) -> TimeScale:
    if _hip_phase_is_walking(series, events):
        nan = float("nan")
        return TimeScale(nan, nan, nan, "the hips are highest at mid-stance (walking)")
    step_hz = 2.0 / events.stride_period_s
    hip = series.midpoint(Landmark.LEFT_HIP, Landmark.RIGHT_HIP)[:, 1] / leg_px
    # amplitude in windows of 4 strides (a drifting cadence would blur one long fit)
    t = series.t_s
    win = 4.0 * events.stride_period_s
    amps = [
        amplitude_at(t[sel], hip[sel], step_hz)
        for a in np.arange(t[0], max(t[-1] - win, t[0]) + 1e-9, win / 2)
        if (sel := (t >= a) & (t < a + win)).sum() >= 8
    ]
    amps = [a for a in amps if np.isfinite(a)]
    amp = float(np.median(amps)) if amps else float("nan")
    leg_m, _ = leg_length_m(settings.profile.height_cm, settings.profile.leg_length_cm)
    return estimate_time_scale(amp, step_hz, _stance_fraction(events), leg_m)


def _hide_far(
    series: PoseSeries, view: ViewResult, leg_px: float, settings: Settings
) -> tuple[PoseSeries, np.ndarray]:
    """The series with copied far-foot frames hidden, and their bool (frames,) mask."""
    tol = th.value("far_leg_copy_leglen", settings.thresholds)
    return hide_copied_far_foot(series, view.near_side or "left", leg_px, tol)


def _side_pass(
    series: PoseSeries, view: ViewResult, leg_px: float, settings: Settings, broad: bool
) -> tuple[Rhythm, GaitEvents]:
    """The rhythm and the events of a series whose copied far foot is hidden."""
    o = settings.thresholds
    if broad:
        lo, hi = 0.25, max(series.duration_s / 2.0, 0.5)
    else:
        lo = 120.0 / th.value("cadence_max_plausible_spm", o) * 0.9
        hi = 120.0 / th.value("cadence_min_plausible_spm", o) * 1.1
    rhythm = _side_rhythm(series, view.facing, leg_px, lo, hi)
    if not rhythm.found:
        empty = GaitEvents(*(_empty_foot(s) for s in ("left", "right")), float("nan"))
        return rhythm, empty
    events = detect_events(series, view.facing, leg_px, rhythm.period_s, o)
    return rhythm, events


def _empty_foot(side: str) -> FootEvents:
    return FootEvents.empty(side)


def run_core(series: PoseSeries, settings: Settings) -> RunCore:
    """The shared analysis core (offline clip or live window); see the module docstring."""
    o = settings.thresholds
    notices: list[Notice] = []
    dt = _median_dt(series.t_s)
    capture = settings.profile.capture_fps
    factor = 1.0
    if capture and np.isfinite(dt) and dt > 0:
        factor = float(capture * dt)
        if abs(factor - 1.0) > 0.02:
            notices.append(
                Notice(
                    "capture_rate",
                    f"Time base corrected: filmed at {capture:g} fps and played at "
                    f"{1 / dt:.3g} fps, so the clip runs {factor:.3g}x slower than the run.",
                )
            )
        else:
            factor = 1.0
    # legs are relabelled on the unsmoothed landmarks: smoothing would turn a swap's
    # jump into a ramp that no longer looks like one
    raw_leg = leg_length_px(series) if series.present.sum() >= 10 else float("nan")
    swapped = swap_states(series, raw_leg)
    series = apply_swaps(_image_only(series), swapped)
    clean = _prepare(series, settings, factor)
    leg_px = leg_length_px(clean) if np.isfinite(raw_leg) else float("nan")
    empty_ev = GaitEvents(_empty_foot("left"), _empty_foot("right"), float("nan"))

    def no_gait(view: ViewResult, swapped: np.ndarray, copied: np.ndarray, reason: str) -> RunCore:
        """A core with no events or steps, saying why."""
        return RunCore(
            clean,
            view,
            leg_px,
            Rhythm(float("nan"), float("nan")),
            empty_ev,
            empty_steps(),
            fit_cadence([], float("nan")),
            factor,
            True,
            None,
            swapped,
            copied,
            notices=notices,
            reason=reason,
        )

    if not np.isfinite(leg_px) or clean.present.sum() < 10:
        none = np.zeros(clean.n_frames, bool)
        return no_gait(
            detect_view(clean, settings.view), none, none, "too few frames show the runner's legs"
        )
    view = detect_view(clean, settings.view)
    if swapped.any():
        notices.append(
            Notice(
                "leg_swaps",
                f"The pose model swapped the left and right legs in {int(swapped.sum())} "
                "frame(s); formcheck relabelled them from how the legs move.",
                _ranges(clean.t_s * factor, swapped),
            )
        )
    copied = np.zeros(clean.n_frames, bool)
    ts: TimeScale | None = None
    timed_ok = True
    if view.is_side:
        # the smoothed series is used from here on with its copied far foot hidden
        # (the same for every pass below, so it is not kept beside its hidden copy)
        clean, copied = _hide_far(clean, view, leg_px, settings)
        rhythm, events = _side_pass(clean, view, leg_px, settings, broad=True)
        if events.left.n + events.right.n >= 4 and not capture:
            ts = _time_scale(clean, events, leg_px, settings)
            if ts.judged and ts.factor >= th.value("slowmo_min_factor", o):
                timed_ok = False
                factor = ts.factor
                clean = _prepare(series, settings, factor)
                clean, copied = _hide_far(clean, view, leg_px, settings)
                rhythm, events = _side_pass(clean, view, leg_px, settings, True)
                fps_est = factor / dt if np.isfinite(dt) else float("nan")
                notices.append(
                    Notice(
                        "slow_motion",
                        f"This clip seems to play in slow motion, about {ts.factor:.1f}x slower "
                        f"than real time (filmed at roughly {fps_est:.0f} fps): the hips rise "
                        "and fall far too slowly for gravity. Posture is measured; cadence and "
                        "timings are not. Give the true capture rate (profile capture_fps) "
                        "to get them.",
                    )
                )
        if timed_ok:
            lo_p = 120.0 / th.value("cadence_max_plausible_spm", o)
            hi_p = 120.0 / th.value("cadence_min_plausible_spm", o)
            if not (rhythm.found and lo_p * 0.9 <= rhythm.period_s <= hi_p * 1.1):
                rhythm, events = _side_pass(clean, view, leg_px, settings, False)
        sharp = _sharp(series, settings, factor, view, leg_px)
        steps = (
            measure_steps(clean, events, view.facing, leg_px, o, sharp)
            if rhythm.found
            else (empty_steps())
        )
        times = [events.left.ic_t_s, events.right.ic_t_s]
        front = None
    elif view.view in ("front", "rear"):
        lo = 120.0 / th.value("cadence_max_plausible_spm", o) * 0.9
        hi = 120.0 / th.value("cadence_min_plausible_spm", o) * 1.1
        rhythm = _front_rhythm(clean, lo, hi)
        events = front_events(clean, rhythm.period_s) if rhythm.found else empty_ev
        steps = empty_steps()
        times = [events.left.ic_t_s, events.right.ic_t_s]
        front = front_metrics(clean, events, th.value("foot_min_visibility", o))
    else:
        return no_gait(view, swapped, copied, "no body in view")
    if view.is_side and np.isfinite(view.side_fraction) and view.side_fraction < 0.75:
        notices.append(
            Notice(
                "view_mixed",
                f"Only {view.side_fraction:.0%} of the frames look like a side view (the runner "
                "turned, or the camera moved); side-view numbers come from the whole clip.",
            )
        )
    if copied.any():
        notices.append(
            Notice(
                "far_leg_hidden",
                f"The far leg was hidden or drawn on top of the near leg in {int(copied.sum())} "
                "frame(s); no contact was read from those frames.",
                _ranges(clean.t_s * factor, copied),
            )
        )
    cad = fit_cadence(times, rhythm.period_s) if rhythm.found else fit_cadence([], float("nan"))
    core = RunCore(
        clean,
        view,
        leg_px,
        rhythm,
        events,
        steps,
        cad,
        factor,
        timed_ok,
        ts,
        swapped,
        copied,
        front=front,
        notices=notices,
    )
    if not rhythm.found:
        core.reason = "no running rhythm was found (is the whole body in view, running?)"
    elif np.isfinite(cad.cadence_spm):
        core.spectral_cadence_spm = _spectral_check(core, settings)
    return core


def _spectral_check(core: RunCore, settings: Settings) -> float:
    """Dominant step frequency of the hip bounce near the event cadence, steps/min."""
    o = settings.thresholds
    s = core.series
    hip = s.midpoint(Landmark.LEFT_HIP, Landmark.RIGHT_HIP)[:, 1]
    lo = th.value("cadence_min_plausible_spm", o) / 60.0
    hi = th.value("cadence_max_plausible_spm", o) / 60.0
    cad = core.cadence.cadence_spm
    f = spectral_peak_hz(s.t_s, hip, max(lo, 0.8 * cad / 60), min(hi, 1.25 * cad / 60))
    if not np.isfinite(f):
        return float("nan")
    spec = 60.0 * f
    tol = max(th.value("cadence_check_tol_pct", o), 100.0 / max(f * s.duration_s, 1e-9))
    if abs(spec - cad) / cad * 100.0 > tol:
        core.cadence_agrees = False
        core.notices.append(
            Notice(
                "cadence_check",
                f"Cadence from foot contacts ({cad:.1f} steps/min) and from the rhythm of the "
                f"hips' bounce ({spec:.1f}) differ by more than {tol:.1f} %: some steps may "
                "have been missed or counted twice.",
            )
        )
    return spec


def _ranges(t: np.ndarray, mask: np.ndarray) -> tuple[tuple[float, float], ...]:
    from formcheck.signal.filters import nan_runs

    return tuple((float(t[a]), float(t[b - 1])) for a, b in nan_runs(mask))


# ---------------------------------------------------------------------------------------
def _confidence(steps: Steps, used: np.ndarray) -> str:
    if used.sum() < 4:
        return "low"
    return "high" if np.mean(steps.visibility[used] >= 0.8) >= 0.8 else "medium"


def _far_note(view: ViewResult, steps: Steps, used: np.ndarray) -> str:
    if view.near_side is None:
        return ""
    far = "right" if view.near_side == "left" else "left"
    sel = used & (steps.side == far)
    if not sel.any():
        return f"{far} (far) leg not measured: hidden behind the near leg"
    vis = float(np.mean(steps.visibility[sel]))
    if vis >= 0.8:
        return ""
    return (
        f"{far} (far) leg values are less certain (landmark visibility {vis:.2f}); film the "
        "other side too and combine the two clips for both legs"
    )


def compute_metrics(core: RunCore, settings: Settings) -> dict[str, Metric]:
    """All running metrics of a core, each with its unit (not measurable ones with why)."""
    metrics: dict[str, Metric] = {}
    view = core.view
    prof = settings.profile
    leg_m, leg_given = leg_length_m(prof.height_cm, prof.leg_length_cm)
    if core.reason and not core.rhythm.found:
        why = core.reason
        for name, unit in {**SIDE_METRICS, **FRONT_METRICS, **TIMED_METRICS}.items():
            metrics[name] = not_measurable(unit, why)
        if view.is_side or view.view == "unknown":
            _posture_only(core, metrics)
        _view_gates(core, metrics)
        return metrics
    if view.is_side:
        _side_metrics(core, settings, metrics, leg_m, leg_given)
    else:
        _front_metrics(core, settings, metrics, leg_m, leg_given)
    _cadence_metrics(core, settings, metrics)
    if not core.timed_ok:
        k = core.time_scale.factor if core.time_scale else float("nan")
        why = (
            f"the clip plays in slow motion (about {k:.1f}x slower than real time); give "
            "the capture frame rate to measure timings"
        )
        for name, unit in TIMED_METRICS.items():
            metrics[name] = not_measurable(unit, why)
    if core.time_scale is not None:
        ts = core.time_scale
        metrics["slow_motion_factor"] = (
            Metric(
                ts.factor,
                "x real time",
                confidence="medium",
                note="from the hips' bounce against gravity (uncertain by about 25 %)",
            )
            if ts.judged
            else not_measurable("x real time", ts.reason)
        )
    _view_gates(core, metrics)
    return metrics


def _posture_only(core: RunCore, metrics: dict[str, Metric]) -> None:
    """Trunk lean and head position need no events: measure them anyway (side views)."""
    if not core.view.is_side:
        return
    lean = trunk_lean_deg(core.series, core.view.facing)
    head = head_forward_deg(core.series, core.view.facing)
    for name, x in (("trunk_lean_deg", lean), ("head_forward_deg", head)):
        m = summarise(x, "deg", confidence="medium")
        metrics[name] = Metric(
            m.value, "deg", m.spread, m.n, confidence="medium", note="per frame (no steps found)"
        )


def _view_gates(core: RunCore, metrics: dict[str, Metric]) -> None:
    view = core.view
    if view.is_side:
        why = (
            f"this is a side view ({view.reason}); arm crossing, hip drop and step width "
            "need the camera in front of or behind the runner"
        )
        for name, unit in FRONT_METRICS.items():
            metrics[name] = not_measurable(unit, why)
    elif view.view in ("front", "rear"):
        why = (
            f"this is a {view.view} view ({view.reason}); overstride, shin and knee angles, "
            "trunk lean, head position, bounce, foot strike and contact time need a side "
            "view, because the forward direction points into the camera"
        )
        for name, unit in SIDE_METRICS.items():
            metrics[name] = not_measurable(unit, why)
        for name in ("overstride_cm", "vertical_oscillation_cm", "vertical_ratio_pct"):
            metrics.pop(name, None)


def _side_metrics(
    core: RunCore, settings: Settings, metrics: dict[str, Metric], leg_m: float, leg_given: bool
) -> None:
    o = settings.thresholds
    steps, view = core.steps, core.view
    good = steps.good
    sides = steps.side
    fps = 1.0 / _median_dt(core.series.t_s) if core.series.n_frames > 1 else float("nan")

    def two_sided(name: str, values: np.ndarray, unit: str, used: np.ndarray) -> Metric:
        vals = np.where(used, values, np.nan)
        note = _far_note(view, steps, used & np.isfinite(values))
        return summarise(vals, unit, sides, _confidence(steps, used & np.isfinite(values)), note)

    metrics["overstride_leg_lengths"] = two_sided(
        "overstride", steps.overstride, "leg lengths", good
    )
    metrics["shin_angle_at_contact_deg"] = two_sided("shin", steps.shin_deg, "deg", good)
    metrics["knee_flexion_at_contact_deg"] = two_sided("knee", steps.knee_deg, "deg", good)
    # posture: median of per-step means (each step's frames), else of frames
    lean = trunk_lean_deg(core.series, view.facing)
    head = head_forward_deg(core.series, view.facing)
    note = "2-D angle from one camera: about 5-8 deg of pose-model error (Van Hooren et al. 2023)"
    for name, per_frame, per_step in (
        ("trunk_lean_deg", lean, steps.trunk_lean_deg),
        ("head_forward_deg", head, steps.head_forward_deg),
    ):
        m = summarise(per_step, "deg", confidence="medium", note=note)
        if m.value is None:
            m = summarise(per_frame, "deg", confidence="medium", note=note + "; per frame")
        metrics[name] = m if m.value is not None else not_measurable("deg", "trunk not found")
    metrics["vertical_oscillation_leg_lengths"] = summarise(
        steps.vert_osc, "leg lengths", confidence=_confidence(steps, np.isfinite(steps.vert_osc))
    )
    vo = metrics["vertical_oscillation_leg_lengths"].value
    if vo is not None and leg_given:
        metrics["vertical_oscillation_cm"] = Metric(
            vo * leg_m * 100.0,
            "cm",
            None,
            metrics["vertical_oscillation_leg_lengths"].n,
            confidence="medium",
            note="leg lengths x your leg length from your profile",
        )
    ov = metrics["overstride_leg_lengths"].value
    if ov is not None and leg_given:
        metrics["overstride_cm"] = Metric(
            ov * leg_m * 100.0, "cm", n=metrics["overstride_leg_lengths"].n, confidence="medium"
        )
    # vertical ratio: oscillation over step length (speed x step time)
    kmh = settings.profile.treadmill_kmh
    if kmh and vo is not None and core.timed_ok:
        step_len_m = kmh / 3.6 * steps.step_time_s
        if leg_given:
            osc_m = steps.vert_osc * leg_m
            how = "from your height (or leg length) and the treadmill speed"
        else:
            sig = foot_signals(core.series, view.facing, core.leg_px)
            speeds = [
                stance_speed(
                    core.series.t_s,
                    sig[s],
                    core.events.side(s).anchor_t_s,
                    core.events.stride_period_s,
                )
                for s in ("left", "right")
            ]
            px_s = np.nanmedian(np.abs(speeds)) if np.isfinite(speeds).any() else np.nan
            px_per_m = px_s / (kmh / 3.6)
            osc_m = steps.vert_osc * core.leg_px / px_per_m
            how = "scaled by the belt speed seen under the feet and the treadmill speed"
        ratio = 100.0 * osc_m / step_len_m
        metrics["vertical_ratio_pct"] = summarise(ratio, "%", confidence="medium", note=how)
    # foot strike
    fa = np.where(good & ~steps.approximate, steps.foot_angle_deg, np.nan)
    m = two_sided("foot", fa, "deg", good)
    classes = steps.foot_strike[np.isfinite(fa)]
    counts = {c: int(np.sum(classes == c)) for c in ("rearfoot", "midfoot", "forefoot")}
    total = sum(counts.values())
    if total:
        main = max(counts, key=lambda c: counts[c])
        label = {"rearfoot": "heel (rearfoot)", "midfoot": "mid-foot", "forefoot": "forefoot"}
        note = f"mostly {label[main]}: {counts[main]} of {total} steps"
        metrics["foot_strike_angle_deg"] = Metric(
            m.value, m.unit, m.spread, m.n, m.left, m.right, m.confidence, note
        )
        for c in counts:
            metrics[f"foot_strike_{c}_pct"] = Metric(
                100.0 * counts[c] / total, "%", n=total, confidence=m.confidence
            )
    else:
        metrics["foot_strike_angle_deg"] = not_measurable("deg", "no clean foot contact seen")
    # contact time and duty factor, with the frame-rate caveat
    used = good & ~steps.approximate & np.isfinite(steps.contact_time_ms)
    stance_frames = (
        np.nanmedian(steps.contact_time_ms[used]) / 1000.0 * fps if used.any() else float("nan")
    )
    caveat = (
        f"at {fps:.0f} fps one frame is {1000 / fps:.0f} ms and a stance is about "
        f"{stance_frames:.0f} frames, so contact time is uncertain by about one frame"
        if np.isfinite(fps) and np.isfinite(stance_frames)
        else ""
    )
    conf = "low" if fps < 60 else ("medium" if fps < 120 else "high")
    if not core.timed_ok:  # slow motion of unknown rate: only the ratio (duty factor) holds
        caveat = "a ratio of two durations, so it does not depend on the clip's clock"
        conf = "medium"
    for name, vals, unit in (
        ("contact_time_ms", steps.contact_time_ms, "ms"),
        ("duty_factor_pct", steps.duty_factor_pct, "%"),
    ):
        mm = summarise(np.where(used, vals, np.nan), unit, sides, conf, caveat)
        if mm.value is None:
            mm = not_measurable(unit, "no clean toe-off seen (feet hidden or blurred)")
        metrics[name] = mm
    metrics["step_time_s"] = summarise(
        steps.step_time_s, "s", sides, _confidence(steps, np.isfinite(steps.step_time_s))
    )
    # left minus right for the per-leg angles and distances (their mean can be ~0,
    # so a percentage would mislead)
    for name, base, unit in (
        ("overstride_lr_difference_leg_lengths", "overstride_leg_lengths", "leg lengths"),
        ("shin_angle_lr_difference_deg", "shin_angle_at_contact_deg", "deg"),
        ("knee_flexion_lr_difference_deg", "knee_flexion_at_contact_deg", "deg"),
        ("foot_strike_angle_lr_difference_deg", "foot_strike_angle_deg", "deg"),
        ("duty_factor_lr_difference_pct", "duty_factor_pct", "%"),
    ):
        b = metrics.get(base)
        if b is None or b.left is None or b.right is None:
            metrics[name] = not_measurable(unit, "needs both legs' values")
            continue
        note = "left minus right, from each side's median"
        far = _far_note(view, steps, good)
        metrics[name] = Metric(
            b.left - b.right,
            unit,
            n=b.n,
            left=b.left,
            right=b.right,
            confidence=b.confidence,
            note=f"{note}; {far}" if far else note,
        )
    for name, base, unit in (
        ("step_time_asymmetry_pct", "step_time_s", "%"),
        ("contact_time_asymmetry_pct", "contact_time_ms", "%"),
    ):
        b = metrics[base]
        si = symmetry_index_pct(b.left, b.right)
        metrics[name] = (
            Metric(
                si,
                unit,
                n=b.n,
                left=b.left,
                right=b.right,
                confidence=b.confidence,
                note="|left - right| / mean, from each side's median",
            )
            if si is not None
            else not_measurable(unit, "needs both legs' values")
        )
    # fatigue drift
    zc = th.value("drift_noise_z", o)
    cad_step = np.where(np.isfinite(steps.step_time_s), 60.0 / steps.step_time_s, np.nan)
    for name, vals, unit in (
        ("trunk_lean_drift_deg", steps.trunk_lean_deg, "deg"),
        ("cadence_drift_spm", cad_step, "steps/min"),
        ("overstride_drift_leg_lengths", np.where(good, steps.overstride, np.nan), "leg lengths"),
    ):
        d = drift(steps.t_ic, vals, zc)
        if d is None:
            metrics[name] = not_measurable(unit, "needs at least 9 steps")
            continue
        verdict = "more than noise" if d.beyond_noise else "within noise"
        metrics[name] = Metric(
            d.change,
            unit,
            n=d.n_first + d.n_last,
            confidence="medium",
            note=f"last third minus first third of the steps; {verdict} (z = {d.z:.1f})",
        )


def _front_metrics(
    core: RunCore, settings: Settings, metrics: dict[str, Metric], leg_m: float, leg_given: bool
) -> None:
    f = core.front
    if f is None:
        return
    cross = [v for v in f.arm_cross_frac.values() if np.isfinite(v)]
    metrics["arm_crossing_frac"] = (
        Metric(
            max(cross),
            "fraction",
            n=f.arm_frames,
            left=f.arm_cross_frac.get("left"),
            right=f.arm_cross_frac.get("right"),
            confidence="medium",
            note="share of frames with a wrist past the body's midline (the worse arm)",
        )
        if cross
        else not_measurable("fraction", "wrists not visible")
    )
    metrics["hip_drop_deg"] = summarise(
        f.hip_drop_deg,
        "deg",
        f.hip_drop_side,
        "medium",
        "peak drop of the swing-leg side during each stance",
    )
    sw = f.step_width_leglen
    metrics["step_width_leg_lengths"] = (
        Metric(
            sw,
            "leg lengths",
            n=int(sum(v.size for v in f.foot_offset_leglen.values())),
            confidence="low",
            note="negative = the feet cross the midline",
        )
        if np.isfinite(sw)
        else not_measurable("leg lengths", "feet not visible at contact")
    )
    if np.isfinite(sw) and leg_given:
        metrics["step_width_cm"] = Metric(sw * leg_m * 100.0, "cm", confidence="low")


def _cadence_metrics(core: RunCore, settings: Settings, metrics: dict[str, Metric]) -> None:
    cad = core.cadence
    steps = core.steps
    if not np.isfinite(cad.cadence_spm):
        metrics["cadence_spm"] = not_measurable("steps/min", core.reason or "too few steps found")
        return
    if steps.n:
        per_step = np.where(np.isfinite(steps.step_time_s), 60.0 / steps.step_time_s, np.nan)
        sides = steps.side
    else:
        per_step = np.full(1, np.nan)
        sides = None
    conf = "high" if cad.n_strides >= 8 else ("medium" if cad.n_strides >= 4 else "low")
    if not core.view.is_side:
        conf = "medium" if conf == "high" else conf
    if not core.cadence_agrees:
        conf = "low"
    note = f"fitted to {cad.n_strides} strides of contact times"
    if np.isfinite(core.spectral_cadence_spm):
        note += f"; dominant step frequency {core.spectral_cadence_spm:.1f} steps/min"
    m = summarise(per_step, "steps/min", sides, conf, note, value=cad.cadence_spm)
    metrics["cadence_spm"] = Metric(
        cad.cadence_spm, "steps/min", m.spread, 2 * cad.n_strides, m.left, m.right, conf, note
    )
    if np.isfinite(core.spectral_cadence_spm):
        metrics["cadence_spectral_spm"] = Metric(
            core.spectral_cadence_spm,
            "steps/min",
            confidence=conf,
            note="hip bounce frequency (check)",
        )
    if not core.view.is_side:
        st = 60.0 / cad.cadence_spm
        metrics["step_time_s"] = Metric(
            st, "s", n=2 * cad.n_strides, confidence=conf, note="from the cadence (front view)"
        )


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
        cad = np.where(np.isfinite(st.step_time_s), 60.0 / st.step_time_s, np.nan)
        out["cadence_spm"] = (tuple(st.t_ic * k), tuple(cad), "steps/min")
    if core.view.is_side:
        out["trunk_lean_deg"] = (*_decimate(t_clip, trunk_lean_deg(s, core.view.facing)), "deg")
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
                note="least-squares change per minute over the run",
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
    findings = running_findings(metrics, settings.thresholds)
    notices = list(core.notices)
    if core.reason and not core.rhythm.found:
        notices.append(Notice("no_steps", f"No steps could be measured: {core.reason}."))
    fps = 1.0 / _median_dt(core.series.t_s) if core.series.n_frames > 1 else float("nan")
    if core.view.is_side and np.isfinite(fps) and fps < 60 and core.steps.n:
        notices.append(
            Notice(
                "frame_rate",
                f"Filmed at {fps:.0f} fps: one frame is {1000 / fps:.0f} ms and a foot's ground "
                "contact lasts only 7-10 frames, so contact time and duty factor are coarse "
                "(about one frame either way). 60 fps or more makes them reliable.",
            )
        )
    tilt = np.degrees(np.arctan(core.events.ground_slope)) if core.view.is_side else 0.0
    if abs(tilt) > 5.0:
        notices.append(
            Notice(
                "ground_tilt",
                f"The ground under the feet slopes {abs(tilt):.0f} deg in the picture (camera "
                "tilted, or the treadmill not square to it). Foot angles are measured against "
                "the foot's own flat position, but trunk lean is measured from the picture's "
                "vertical: hold the camera level and square to the runner.",
            )
        )
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
