"""Sustained stretches: the worst few seconds of a metric, not only its median.

A clip-wide median hides a long stretch of bad form (four seconds bent at the
waist in a run held upright otherwise). Each metric judged over time here --
trunk lean, bending at the waist, head forward (per frame), overstride and
cadence (per step) -- is also summarised by its median over a moving window of
``sustained_window_s`` seconds (the threshold's entry gives the reason for the
length). Where that window median stays past the metric's flag bound (the
judge's ``work_on`` bound, :func:`formcheck.cues.judge.flag_bounds`) for at
least one window length, the time range is a stretch; the worst one, its key
moment and the window median there travel with the metric
(:class:`formcheck.results.Stretch`), and the judge flags the metric when that
value is past the flag even if the typical value is not.

Bending at the waist is told apart from leaning from the ankles here too
(:func:`waist_bend`): the trunk's tilt minus the stance leg's tilt (ankle to hip)
at mid-stance, so a body inclined as one line from the ankles reads 0 however far
it leans.

The window works on a grid of ``window / 20`` bins (each bin the mean of its
samples), so a long clip costs one vectorised pass.
"""

from __future__ import annotations

import dataclasses

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from formcheck.cues import thresholds as th
from formcheck.cues.judge import flag_bounds
from formcheck.gait.cadence import windowed_cadence
from formcheck.gait.core import RunCore, median_dt
from formcheck.gait.events import GaitEvents
from formcheck.gait.steps import head_forward_deg, trunk_lean_deg
from formcheck.kinematics import tilt_from_vertical_deg
from formcheck.pose.landmarks import Landmark
from formcheck.pose.series import PoseSeries, shot_index
from formcheck.results import Metric, Stretch
from formcheck.settings import Settings

#: Bins per window (the grid the window median runs on).
BINS_PER_WINDOW = 20
#: Fewest steps in a window for a per-step series (overstride, cadence).
MIN_STEPS_PER_WINDOW = 4


# ---------------------------------------------------------------------------------------
def _nearest(t: np.ndarray, x: float) -> int:
    """Index of the sample of sorted times ``t`` nearest ``x``."""
    j = int(np.clip(np.searchsorted(t, x), 1, t.size - 1)) if t.size > 1 else 0
    return j - 1 if t.size > 1 and abs(t[j - 1] - x) <= abs(t[j] - x) else j


def waist_bend(
    series: PoseSeries, events: GaitEvents, facing: float
) -> tuple[np.ndarray, np.ndarray]:
    """Bending at the waist, degrees: per frame, and per step at mid-stance.

    Sign: positive when the trunk (hip midpoint -> shoulder midpoint) is tilted
    further forward than the stance leg (stance ankle -> hip midpoint) at mid-stance
    (halfway between initial contact and toe-off): the shoulders are ahead of the
    line from the ankle through the hip, the trunk flexed over the hips. 0: ankle,
    hip and shoulder in one line (upright, or the whole body leaning from the
    ankles); negative: the trunk behind that line.

    Per frame, the trunk's tilt minus the leg line's, the leg line interpolated
    between the steps' mid-stances (each the median of it and its neighbours, as
    the near and far leg alternate). All NaN without a step with both contact and
    toe-off.
    """
    t = series.t_s
    hip = series.midpoint(Landmark.LEFT_HIP, Landmark.RIGHT_HIP)
    trunk = trunk_lean_deg(series, facing)
    mids: list[tuple[float, float, float]] = []  # (t, leg tilt, trunk)
    for side in ("left", "right"):
        e = events.side(side)
        ankle = series.xy(Landmark[f"{side.upper()}_ANKLE"])
        for ic, to in zip(e.ic_t_s, e.to_t_s, strict=True):
            if not (np.isfinite(ic) and np.isfinite(to)) or t.size == 0:
                continue
            i = _nearest(t, 0.5 * (ic + to))
            leg = float(tilt_from_vertical_deg(ankle[i], hip[i], facing))
            if np.isfinite(leg) and np.isfinite(trunk[i]):
                mids.append((float(t[i]), leg, float(trunk[i])))
    if not mids:
        return np.full(t.size, np.nan), np.zeros(0)
    m = np.array(sorted(mids))
    per_step = m[:, 2] - m[:, 1]
    leg = m[:, 1]
    if leg.size >= 3:
        pad = np.concatenate([leg[:1], leg, leg[-1:]])
        leg = np.median(sliding_window_view(pad, 3), axis=1)
    return trunk - np.interp(t, m[:, 0], leg), per_step


# ---------------------------------------------------------------------------------------
def _runs(mask: np.ndarray, shot: np.ndarray | None = None) -> list[tuple[int, int]]:
    """(first, last) indices of each run of True (split where ``shot`` changes)."""
    if shot is not None:
        cut = np.flatnonzero(np.diff(shot) != 0) + 1
        out: list[tuple[int, int]] = []
        for a, b in zip([0, *cut], [*cut, mask.size], strict=True):
            out += [(a + i, a + j) for i, j in _runs(mask[a:b])]
        return out
    d = np.diff(np.concatenate([[0], mask.astype(np.int8), [0]]))
    return list(zip(np.flatnonzero(d == 1), np.flatnonzero(d == -1) - 1, strict=True))


def sustained(
    t_s: np.ndarray,
    values: np.ndarray,
    window_s: float,
    below: float | None,
    above: float | None,
    min_n: int,
    breaks_s: tuple[float, ...] = (),
) -> Stretch | None:
    """The worst sustained stretch of a series against its flag bounds.

    t_s, values : sample times (s) and values (NaN = not measured).
    below, above : the flag bounds (None: no bound on that side).
    min_n : fewest samples a window needs for its median to count.
    breaks_s : an edited clip's cuts (s): no window or stretch reaches across one.
    The stretch's value is the window median it holds for at least one window length
    at its worst (the least excess over such a span, the largest such excess), so
    the value is past a bound exactly when some stretch is: ``ranges_s`` lists every
    run of window medians past a bound lasting a window or more. With none past,
    the value and range are those of the span nearest a bound. Returns None
    without a bound or with less than a window of samples. Times as given.
    """
    if (below is None and above is None) or window_s <= 0:
        return None
    t = np.asarray(t_s, float)
    x = np.asarray(values, float)
    ok = np.isfinite(t) & np.isfinite(x)
    if ok.sum() < min_n:
        return None
    t, x = t[ok], x[ok]
    dt = window_s / BINS_PER_WINDOW
    t0 = float(t.min())
    idx = np.floor((t - t0) / dt).astype(int)
    nb = int(idx.max()) + 1
    cnt = np.bincount(idx, minlength=nb).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        binv = np.bincount(idx, x, minlength=nb) / cnt
    half = BINS_PER_WINDOW // 2
    centres = t0 + (np.arange(nb) + 0.5) * dt
    shot = shot_index(centres, breaks_s)
    none = np.full(half, -1)
    own = sliding_window_view(np.concatenate([none, shot, none]), 2 * half + 1) == shot[:, None]
    pad = np.full(half, np.nan)
    win = sliding_window_view(np.concatenate([pad, binv, pad]), 2 * half + 1)
    win = np.where(own, win, np.nan)  # a window keeps to its own shot
    zeros = np.zeros(half)
    n_in = (sliding_window_view(np.concatenate([zeros, cnt, zeros]), 2 * half + 1) * own).sum(
        axis=1
    )
    med = np.full(nb, np.nan)
    full = n_in >= min_n
    if not full.any():
        return None
    med[full] = np.nanmedian(win[full], axis=1)
    h = BINS_PER_WINDOW  # a stretch lasts at least one window
    if nb < h:
        return None
    sides: list[tuple[float, float, np.ndarray]] = []  # (bound, sign, excess per bin)
    for bound, sign in ((above, 1.0), (below, -1.0)):
        if bound is not None:
            sides.append((bound, sign, np.where(np.isfinite(med), sign * (med - bound), -np.inf)))
    # the sustained excess: the least excess over each window-long span, the worst of those
    held = [sliding_window_view(ex, h).min(axis=1) for _, _, ex in sides]
    spans = sliding_window_view(shot, h)
    across = spans.min(axis=1) != spans.max(axis=1)  # a span over a cut is two stretches
    held = [np.where(across, -np.inf, x) for x in held]
    which = int(np.argmax([x.max() for x in held]))
    bound, sign, _ = sides[which]
    j = int(np.argmax(held[which]))
    if not np.isfinite(held[which][j]):
        return None
    value = bound + sign * float(held[which][j])
    key = j + h // 2
    past = np.zeros(nb, bool)
    for _, _, e in sides:
        past |= e > 0
    runs = [r for r in _runs(past, shot) if r[1] - r[0] + 1 >= h]
    ranges = tuple((float(centres[a] - dt / 2), float(centres[b] + dt / 2)) for a, b in runs)
    inside = [r for r in runs if r[0] <= key <= r[1]]
    if inside:
        a, b = inside[0]
        rng = (float(centres[a] - dt / 2), float(centres[b] + dt / 2))
    else:
        rng = (float(centres[j] - dt / 2), float(centres[j + h - 1] + dt / 2))
    return Stretch(value, rng, float(centres[key]), float(window_s), ranges)


def _scaled(s: Stretch, k: float, t_frames: np.ndarray) -> Stretch:
    """A stretch moved to the clip's clock (x ``k``) with its key frame."""
    key_frame = _nearest(t_frames, s.key_t_s) if t_frames.size else None
    return dataclasses.replace(
        s,
        range_s=(s.range_s[0] * k, s.range_s[1] * k),
        key_t_s=s.key_t_s * k,
        ranges_s=tuple((a * k, b * k) for a, b in s.ranges_s),
        key_frame=key_frame,
    )


def cadence_samples(core: RunCore, window_s: float) -> tuple[np.ndarray, np.ndarray]:
    """Cadence (steps/min) around each contact, for its stretches: stride fits over
    ``window_s`` seconds (:func:`formcheck.gait.cadence.windowed_cadence`), so one
    step's frame rounding (10 or 11 frames at 30 fps is 180 or 164 steps/min) and a
    doubled or missed contact do not swing it."""
    st = core.steps
    return st.t_ic, windowed_cadence(st.t_ic, st.side, core.stride_guess_s, window_s, core.breaks_s)


def add_stretches(core: RunCore, settings: Settings, metrics: dict[str, Metric]) -> None:
    """Attach each time-judged metric's worst sustained stretch (side view only)."""
    if not core.view.is_side or core.series.n_frames < 2:
        return
    o = settings.thresholds
    window = th.value("sustained_window_s", o)
    s, st = core.series, core.steps
    facing = core.view.facing or 1
    per_frame_n = max(3, int(0.5 * window / median_dt(s.t_s)))
    bend, _ = waist_bend(s, core.events, facing)
    samples: dict[str, tuple[np.ndarray, np.ndarray, int]] = {
        "trunk_lean_deg": (s.t_s, trunk_lean_deg(s, facing), per_frame_n),
        "waist_bend_deg": (s.t_s, bend, per_frame_n),
        "head_forward_deg": (s.t_s, head_forward_deg(s, facing), per_frame_n),
        "overstride_leg_lengths": (
            st.t_ic,
            np.where(st.good, st.overstride, np.nan),
            MIN_STEPS_PER_WINDOW,
        ),
    }
    if core.timed_ok:
        samples["cadence_spm"] = (*cadence_samples(core, window), MIN_STEPS_PER_WINDOW)
    for name, (t, v, n) in samples.items():
        m = metrics.get(name)
        if m is None or m.value is None:
            continue
        lo, hi = flag_bounds("run", name, o)
        found = sustained(t, v, window, lo, hi, n, core.breaks_s)
        if found is not None:
            metrics[name] = dataclasses.replace(m, stretch=_scaled(found, core.time_factor, s.t_s))
