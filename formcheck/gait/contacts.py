"""How a foot meets the ground: the signals, the stance line and the contact times.

The per-foot pieces of :mod:`formcheck.gait.events` (its docstring gives the
method): the signals a side view gives of each foot (:func:`foot_signals`), the
speed of a foot on the ground (:func:`stance_speed`), and, after one cycle anchor,
the initial contact (:func:`initial_contact`) and the toe-off (:func:`toe_off`).
Lengths in leg lengths unless named ``_px``; times in seconds from real
timestamps; image y down.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from formcheck.gait._nan import nanmean
from formcheck.gait.fits import hinge_time, knot
from formcheck.pose.landmarks import Landmark
from formcheck.pose.series import PoseSeries

SIDES = ("left", "right")

_FOOT = {
    side: (
        Landmark[f"{side.upper()}_HEEL"],
        Landmark[f"{side.upper()}_ANKLE"],
        Landmark[f"{side.upper()}_FOOT_INDEX"],
    )
    for side in SIDES
}
_KNEE = {side: Landmark[f"{side.upper()}_KNEE"] for side in SIDES}


@dataclass(frozen=True, slots=True)
class FootSignals:
    """Per-frame signals of one foot (each shape (frames,)).

    forward : ankle ahead of the hip midpoint, leg lengths (forward positive).
    heel_fx, toe_fx, ankle_fx : image column times ``facing`` (so forward is
        positive), pixels.
    toe_y, heel_y : image rows, pixels (y down).
    visibility : mean visibility of knee, ankle, heel, toe.
    """

    forward: np.ndarray
    heel_fx: np.ndarray
    toe_fx: np.ndarray
    ankle_fx: np.ndarray
    toe_y: np.ndarray
    heel_y: np.ndarray
    visibility: np.ndarray


def foot_signals(series: PoseSeries, facing: float, leg_px: float) -> dict[str, FootSignals]:
    """The signals :func:`detect_events` reads, for both feet."""
    hip_x = series.midpoint(Landmark.LEFT_HIP, Landmark.RIGHT_HIP)[:, 0]
    out = {}
    for side in SIDES:
        heel, ankle, toe = _FOOT[side]
        fwd = facing * (series.xy(ankle)[:, 0] - hip_x) / leg_px
        vis = np.stack([series.visibility(lm) for lm in (_KNEE[side], heel, ankle, toe)], 1)
        with np.errstate(all="ignore"):
            vis_m = nanmean(vis, axis=1)
        out[side] = FootSignals(
            forward=fwd.astype(float),
            heel_fx=facing * series.xy(heel)[:, 0].astype(float),
            toe_fx=facing * series.xy(toe)[:, 0].astype(float),
            ankle_fx=facing * series.xy(ankle)[:, 0].astype(float),
            toe_y=series.xy(toe)[:, 1].astype(float),
            heel_y=series.xy(heel)[:, 1].astype(float),
            visibility=vis_m,
        )
    return out


def _core(t: np.ndarray, anchor: float, period: float, x: np.ndarray) -> np.ndarray:
    """Indices of the early-stance core after an anchor with finite ``x``."""
    for lo, hi in ((0.12, 0.25), (0.08, 0.3)):
        idx = np.flatnonzero((t >= anchor + lo * period) & (t <= anchor + hi * period))
        idx = idx[np.isfinite(x[idx])]
        if idx.size >= 2:
            return idx
    return np.zeros(0, int)


def stance_speed(t: np.ndarray, sig: FootSignals, anchors: np.ndarray, period: float) -> float:
    """Median forward speed of the foot in early stance over strides, px/s (facing-signed)."""
    foot = nanmean(np.stack([sig.heel_fx, sig.toe_fx, sig.ankle_fx]), axis=0)
    speeds = []
    for a in anchors:
        idx = _core(t, a, period, foot)
        if idx.size >= 3:
            speeds.append(np.polyfit(t[idx], foot[idx], 1)[0])
    return float(np.median(speeds)) if speeds else float("nan")


def _join_time(
    t: np.ndarray,
    dev: np.ndarray,
    core: np.ndarray,
    tol: float,
    forward: bool,
    span_s: float,
    sharp: bool = False,
) -> float:
    """When ``dev`` (deviation from a stance line, leg lengths) stays within ``tol``.

    Going back in time from the core (``forward`` False: the contact start) or
    ahead (True: the contact end), find the first frame beyond ``tol``, then
    refine within ``span_s`` around it: the contact start as the knot of a
    two-slope line (:func:`formcheck.gait.fits.knot`, not before that frame), the contact end as the
    corner of a hinge (the corner may lie up to ``span_s`` inside the tolerance
    band: smoothing rounds the corner, and the band is crossed before it). NaN
    if the foot never leaves the line or data are missing.
    """
    n = t.size
    if core.size == 0:
        return float("nan")
    if not forward:
        j = int(core[0])
        while j - 1 >= 0 and np.isfinite(dev[j - 1]) and dev[j - 1] <= tol:
            j -= 1
        if j - 1 < 0 or not np.isfinite(dev[j - 1]):
            return float("nan")
        dt = t[j] - t[j - 1]
        if sharp:
            # the heel (or toe) sweeps onto its stance line fast and then creeps along
            # it (the heel counter rolls over the contact point): the contact is the
            # knot where the approach speed drops, with a free slope on both sides
            # (not before frame j - 1: a foot still off its line by more than ``tol``
            # is not on the ground yet; heel roll moves the heel counter less)
            sel = (t >= t[j - 1] - span_s) & (t <= t[j] + span_s) & (dev <= 4 * tol)
            tc = knot(t[sel], dev[sel], t[j - 1], t[j] + 0.5 * span_s)
        else:
            sel = (t >= min(t[j - 1] - span_s, t[max(0, j - 3)])) & (t <= t[int(core[-1])])
            sel &= dev <= 4 * tol  # the start of the departure, where it is still about linear
            tc = hinge_time(t[sel], dev[sel], t[j - 1], max(t[j], t[j - 1] + span_s), True)
        return tc if np.isfinite(tc) else float(t[j] - 0.5 * dt)
    j = int(core[-1])
    while j + 1 < n and np.isfinite(dev[j + 1]) and dev[j + 1] <= tol:
        j += 1
    if j + 1 >= n or not np.isfinite(dev[j + 1]):
        return float("nan")
    dt = t[j + 1] - t[j]
    sel = (t >= t[int(core[0])] - span_s) & (t <= max(t[j + 1] + span_s, t[min(n - 1, j + 3)]))
    sel &= dev <= 4 * tol
    tc = hinge_time(t[sel], dev[sel], min(t[j], t[j + 1] - span_s), t[j + 1], False)
    return tc if np.isfinite(tc) else float(t[j] + 0.5 * dt)


def initial_contact(
    t: np.ndarray,
    sig: FootSignals,
    anchor: float,
    period: float,
    speed: float,
    leg_px: float,
    tol: float,
    sharp: bool,
) -> float:
    """Initial contact after one anchor (NaN where not readable).

    ``sharp`` (a clearly seen foot on the less smoothed series): the heel or the
    toe, whichever is on its stance line first (frame-level; Handsaker et al. 2016
    take the first of the heel and forefoot events the same way), refined as a
    knot. Otherwise each point's contact is refined with a hinge and the earlier
    one kept: a poorly seen foot's path is mostly the pose model's guess, with no
    corner for the knot to find.
    """
    points = []  # (first frame on its line, deviation, stance core) of heel and toe
    for x in (sig.heel_fx, sig.toe_fx):
        core = _core(t, anchor, period, x)
        if core.size == 0:
            continue
        off = float(np.median(x[core] - speed * t[core]))
        dev = np.abs(x - (off + speed * t)) / leg_px
        j = int(core[0])
        while j - 1 >= 0 and np.isfinite(dev[j - 1]) and dev[j - 1] <= tol:
            j -= 1
        points.append((j, dev, core))
    if sharp and points:
        points = [min(points, key=lambda p: p[0])]  # the first on its line (heel on a tie)
    times = [_join_time(t, dev, core, tol, False, 0.1 * period, sharp) for _, dev, core in points]
    times = [tc for tc in times if np.isfinite(tc)]
    return min(times) if times else float("nan")


def toe_off(
    t: np.ndarray, sig: FootSignals, anchor: float, period: float, leg_px: float, tol: float
) -> float:
    """Toe-off after one anchor: the toe leaving its lowest stance row (NaN if unread)."""
    core = _core(t, anchor, period, sig.toe_y)
    if core.size == 0:
        return float("nan")
    win = (t >= t[core[0]]) & (t <= anchor + 0.6 * period) & np.isfinite(sig.toe_y)
    if win.sum() < 3:
        return float("nan")
    level = float(np.median(np.sort(sig.toe_y[win])[-3:]))
    lift = (level - sig.toe_y) / leg_px
    last = int(np.flatnonzero(win)[np.argmax(sig.toe_y[win])])
    return _join_time(t, lift, np.array([last]), tol, True, 0.1 * period)
