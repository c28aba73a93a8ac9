"""The running analysis's core pass: from a landmark series to events and steps.

:func:`run_core` is shared by the offline report (:func:`formcheck.gait.analysis.
analyze_run`) and the live window (:class:`formcheck.gait.live.LiveRunAnalyzer`),
so both read the same events: time base (capture rate or the slow-motion check),
leg-swap relabelling, smoothing, view, then the side-view rhythm, events, steps
and cadence fit with its spectral check, or the front/rear-view approximate
contacts (steps 1-3 of :mod:`formcheck.gait.analysis`). The metrics
(:mod:`formcheck.gait.metrics`) and the result are computed from its :class:`RunCore`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from formcheck.cues import thresholds as th
from formcheck.cues import words_running_notes as words
from formcheck.gait.cadence import CadenceFit, fit_cadence
from formcheck.gait.contacts import foot_signals
from formcheck.gait.events import FootEvents, GaitEvents, detect_events
from formcheck.gait.frontal import FrontMetrics, front_events, front_metrics, vertical_signals
from formcheck.gait.legs import apply_swaps, hide_copied_far_foot, swap_states
from formcheck.gait.prep import one_scale_per_shot, smooth_series
from formcheck.gait.rhythm import Rhythm, amplitude_at, dominant_period, spectral_peak_hz
from formcheck.gait.steps import Steps, empty_steps, measure_steps
from formcheck.gait.timebase import TimeScale, capture_factor, estimate_time_scale, leg_length_m
from formcheck.gait.view import ViewResult, detect_view
from formcheck.kinematics import leg_length_px
from formcheck.pose.landmarks import Landmark
from formcheck.pose.series import PoseSeries
from formcheck.results import Notice
from formcheck.settings import Settings


@dataclass
class RunCore:
    """Everything the metrics are computed from (analysis clock, see ``time_factor``).

    series : cleaned, leg-swap-corrected series on the analysis clock (image
        landmarks only: its world landmarks are NaN).
    time_factor : clip seconds per analysis second (1 = real time; 8 for a clip
        filmed at 240 fps and played at 30 when the capture rate is known, or the
        estimated factor of a detected slow-motion clip).
    timed_ok : per-second figures are trustworthy (real time, or capture rate given).
    breaks_s : an edited clip's cuts on the analysis clock (seconds): no step,
        stride or cadence fit runs across one.
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
    breaks_s: tuple[float, ...] = ()

    @property
    def stride_guess_s(self) -> float:
        """The stride period (s) the windowed stride fits start from: the whole run's
        fit, or the rhythm's period when that fit failed."""
        s = self.cadence.stride_s
        return s if np.isfinite(s) else self.rhythm.period_s


# ---------------------------------------------------------------------------------------
def median_dt(t: np.ndarray) -> float:
    """The median interval between timestamps, s (NaN with fewer than two)."""
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
    """The series for contacts and values at contact: low-passed at twice the event
    cut-off, at most ``contact_cutoff_max_fs_fraction`` of the frame rate.

    ``raw`` is already relabelled; same time base and far-foot blanking as the
    event series.
    """
    s = raw.with_time(raw.t_s / factor) if factor != 1.0 else raw
    cut = 2.0 * settings.run_cutoff_hz
    if s.n_frames > 1:
        # at most a fraction of the frame rate (threshold ``contact_cutoff_max_fs_fraction``):
        # at 30 fps twice the event cut-off lies above Nyquist and would filter nothing,
        # leaving the contact's knot fit to chase frame-to-frame jitter
        frac = th.value("contact_cutoff_max_fs_fraction", settings.thresholds)
        cut = min(cut, frac / median_dt(s.t_s))
    smoothed = smooth_series(s, settings.max_gap_s, cut)
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
        return TimeScale(nan, nan, nan, words.TIME_SCALE_WALKING)
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
    series: PoseSeries,
    view: ViewResult,
    leg_px: float,
    settings: Settings,
    broad: bool,
    sharp: PoseSeries | None = None,
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
    events = detect_events(series, view.facing, leg_px, rhythm.period_s, o, sharp)
    return rhythm, events


def _empty_foot(side: str) -> FootEvents:
    return FootEvents.empty(side)


def run_core(series: PoseSeries, settings: Settings) -> RunCore:
    """The shared analysis core (offline clip or live window); see the module docstring."""
    o = settings.thresholds
    notices: list[Notice] = []
    cuts_s = series.cuts_s  # clip seconds; on the analysis clock once its factor is known
    dt = median_dt(series.t_s)
    capture = settings.profile.capture_fps
    factor = capture_factor(capture, series.t_s)
    if capture and factor != 1.0:
        notices.append(Notice("capture_rate", words.notice_capture_rate(capture, dt, factor)))
    series = one_scale_per_shot(series)  # one leg length holds for the whole clip
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
        return no_gait(detect_view(clean, settings.view), none, none, words.REASON_FEW_LEG_FRAMES)
    view = detect_view(clean, settings.view)
    if swapped.any():
        notices.append(
            Notice(
                "leg_swaps",
                words.notice_leg_swaps(int(swapped.sum())),
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
        sharp = _sharp(series, settings, factor, view, leg_px)
        rhythm, events = _side_pass(clean, view, leg_px, settings, True, sharp)
        if events.left.n + events.right.n >= 4 and not capture:
            ts = _time_scale(clean, events, leg_px, settings)
            if ts.judged and ts.factor >= th.value("slowmo_min_factor", o):
                timed_ok = False
                factor = ts.factor
                clean = _prepare(series, settings, factor)
                clean, copied = _hide_far(clean, view, leg_px, settings)
                sharp = _sharp(series, settings, factor, view, leg_px)
                rhythm, events = _side_pass(clean, view, leg_px, settings, True, sharp)
                fps_est = factor / dt if np.isfinite(dt) else float("nan")
                notices.append(Notice("slow_motion", words.notice_slow_motion(ts.factor, fps_est)))
        if timed_ok:
            lo_p = 120.0 / th.value("cadence_max_plausible_spm", o)
            hi_p = 120.0 / th.value("cadence_min_plausible_spm", o)
            if not (rhythm.found and lo_p * 0.9 <= rhythm.period_s <= hi_p * 1.1):
                rhythm, events = _side_pass(clean, view, leg_px, settings, False, sharp)
        breaks = tuple(c / factor for c in cuts_s)
        steps = (
            measure_steps(clean, events, view.facing, leg_px, o, sharp, breaks)
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
        return no_gait(view, swapped, copied, words.REASON_NO_BODY)
    if view.is_side and np.isfinite(view.side_fraction) and view.side_fraction < 0.75:
        notices.append(Notice("view_mixed", words.notice_view_mixed(view.side_fraction)))
    if copied.any():
        notices.append(
            Notice(
                "far_leg_hidden",
                words.notice_far_leg_hidden(int(copied.sum())),
                _ranges(clean.t_s * factor, copied),
            )
        )
    breaks = tuple(c / factor for c in cuts_s)
    cad = (
        fit_cadence(times, rhythm.period_s, breaks)
        if rhythm.found
        else fit_cadence([], float("nan"))
    )
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
        breaks_s=breaks,
    )
    if not rhythm.found:
        core.reason = words.REASON_NO_RHYTHM
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
        core.notices.append(Notice("cadence_check", words.notice_cadence_check(cad, spec, tol)))
    return spec


def _ranges(t: np.ndarray, mask: np.ndarray) -> tuple[tuple[float, float], ...]:
    from formcheck.signal.filters import nan_runs

    return tuple((float(t[a]), float(t[b - 1])) for a, b in nan_runs(mask))
