"""Front- and rear-view running: foot contacts, arm crossing, hip drop, step width.

Seen from the front the fore-aft motion points into the camera, so contact
times come from the vertical path alone and are approximate: each foot's
lowest image position in a stride (mid-stance rather than the first touch).
That is enough for cadence (one event per stride). Lengths are scaled by the
torso length of each frame (shoulder midpoint to hip midpoint), because a runner
coming toward the camera grows in the image; they are reported in leg lengths
using Winter's proportions (hip-to-ankle 0.491 H, torso 0.288 H).

* arm crossing: a wrist on the far side of the body midline (the line through
  the shoulder and hip midpoints) from its own shoulder; the share of frames
  (wrist visibility >= ``foot_min_visibility``).
* hip drop: the pelvis line's tilt from its median over the run (which removes
  camera roll), taken at its peak during each stance, positive when the hip of
  the swinging leg is lower, as in Bramah et al. (2018).
* step width: each foot's distance from the pelvis midline at its contact,
  toward its own side, left plus right; negative = the feet cross the midline.

References
----------
Bramah C et al. (2018) Is there a pathological gait associated with common
soft tissue running injuries? Am J Sports Med 46:3023-3031.
Winter DA (2009) Biomechanics and Motor Control of Human Movement, Table 4.1.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from formcheck.gait._nan import nanmean
from formcheck.gait.events import FootEvents, GaitEvents
from formcheck.gait.fits import find_peaks_time, parabolic_peak
from formcheck.gait.rhythm import uniform
from formcheck.pose.landmarks import Landmark
from formcheck.pose.series import PoseSeries

#: Leg (hip to ankle) over torso (hip to shoulder) length (Winter 2009: 0.491 H / 0.288 H).
LEG_PER_TORSO = 0.491 / 0.288


def torso_px(series: PoseSeries) -> np.ndarray:
    """Per-frame torso length in pixels (shoulder midpoint to hip midpoint)."""
    sh = series.midpoint(Landmark.LEFT_SHOULDER, Landmark.RIGHT_SHOULDER)
    hip = series.midpoint(Landmark.LEFT_HIP, Landmark.RIGHT_HIP)
    return np.linalg.norm(sh - hip, axis=1).astype(float)


def _detrend(t: np.ndarray, x: np.ndarray, window_s: float) -> np.ndarray:
    """x minus its moving average over ``window_s`` (NaN kept)."""
    grid, v, dt = uniform(t, x)
    if grid.size < 3:
        return np.full_like(x, np.nan)
    w = max(1, round(window_s / dt))
    kernel = np.ones(w) / w
    pad = np.pad(v, (w // 2, w - 1 - w // 2), mode="edge")
    smooth = np.convolve(pad, kernel, mode="valid")
    return x - np.interp(t, grid, smooth)


def vertical_signals(series: PoseSeries, period_s: float | None = None) -> dict[str, np.ndarray]:
    """Per foot: the ankle's image row over the torso length, detrended (down positive).

    Frames where the ankle's visibility is below 0.5 are NaN (feet out of frame).
    """
    scale = torso_px(series)
    out = {}
    for side in ("left", "right"):
        ankle = Landmark[f"{side.upper()}_ANKLE"]
        y = series.xy(ankle)[:, 1] / scale
        y = np.where(series.visibility(ankle) >= 0.5, y, np.nan)
        out[side] = _detrend(series.t_s, y, period_s) if period_s else y
    return out


def front_events(series: PoseSeries, period_s: float) -> GaitEvents:
    """Approximate contacts (lowest foot position per stride) for both feet."""
    sig = vertical_signals(series, period_s)
    feet = []
    for side in ("left", "right"):
        y = sig[side]
        if np.isfinite(y).sum() < 6:
            feet.append(FootEvents.empty(side))
            continue
        rng = np.nanpercentile(y, 90) - np.nanpercentile(y, 10)
        peaks = find_peaks_time(series.t_s, y, 0.6 * period_s, 0.25 * rng)
        anchor = np.array([parabolic_peak(series.t_s, y, i) for i in peaks])
        vis = series.visibility(Landmark[f"{side.upper()}_ANKLE"])
        v = np.array([nanmean(vis[max(0, i - 1) : i + 2]) for i in peaks])
        feet.append(
            FootEvents(
                side,
                anchor,
                anchor.copy(),
                np.full(anchor.size, np.nan),
                np.ones(anchor.size, bool),
                v,
            )
        )
    return GaitEvents(feet[0], feet[1], period_s)


@dataclass(frozen=True, slots=True)
class FrontMetrics:
    """Front/rear-view results; arrays are per step (contact) unless noted.

    arm_cross_frac : share of frames with a wrist across the midline, per side.
    hip_drop_deg : peak pelvic drop during each stance, with the stance side.
    step_width_leglen : left plus right foot offsets from the midline.
    """

    arm_cross_frac: dict[str, float]
    arm_frames: int
    hip_drop_deg: np.ndarray
    hip_drop_side: np.ndarray
    foot_offset_leglen: dict[str, np.ndarray]

    @property
    def step_width_leglen(self) -> float:
        a, b = self.foot_offset_leglen["left"], self.foot_offset_leglen["right"]
        a, b = a[np.isfinite(a)], b[np.isfinite(b)]
        if not (a.size and b.size):
            return float("nan")
        return float(np.median(a) + np.median(b))


def _midline_x(series: PoseSeries, y: np.ndarray) -> np.ndarray:
    sh = series.midpoint(Landmark.LEFT_SHOULDER, Landmark.RIGHT_SHOULDER)
    hip = series.midpoint(Landmark.LEFT_HIP, Landmark.RIGHT_HIP)
    d = hip - sh
    with np.errstate(invalid="ignore", divide="ignore"):
        a = np.where(np.abs(d[:, 1]) > 1e-6, (y - sh[:, 1]) / d[:, 1], 0.0)
    return sh[:, 0] + a * d[:, 0]


def front_metrics(series: PoseSeries, events: GaitEvents, min_vis: float) -> FrontMetrics:
    """Arm crossing, hip drop and step width (see the module docstring)."""
    mid_sh = series.midpoint(Landmark.LEFT_SHOULDER, Landmark.RIGHT_SHOULDER)[:, 0]
    cross: dict[str, float] = {}
    frames = 0
    for side in ("left", "right"):
        up = side.upper()
        wrist = series.xy(Landmark[f"{up}_WRIST"])
        vis = series.visibility(Landmark[f"{up}_WRIST"]) >= min_vis
        own = np.sign(series.xy(Landmark[f"{up}_SHOULDER"])[:, 0] - mid_sh)
        rel = np.sign(wrist[:, 0] - _midline_x(series, wrist[:, 1]))
        ok = vis & np.isfinite(rel) & (own != 0)
        frames = max(frames, int(ok.sum()))
        cross[side] = float(np.mean(rel[ok] != own[ok])) if ok.any() else float("nan")
    # pelvis tilt: positive when the left hip is higher, whatever the view
    lh, rh = series.xy(Landmark.LEFT_HIP), series.xy(Landmark.RIGHT_HIP)
    tilt = np.degrees(np.arctan2(-(lh[:, 1] - rh[:, 1]), np.abs(lh[:, 0] - rh[:, 0])))
    base = float(np.nanmedian(tilt)) if np.isfinite(tilt).any() else 0.0
    t = series.t_s
    half = 0.25 * events.stride_period_s
    drops, drop_side = [], []
    scale = torso_px(series) * LEG_PER_TORSO
    hip_mid = series.midpoint(Landmark.LEFT_HIP, Landmark.RIGHT_HIP)[:, 0]
    offsets: dict[str, list[float]] = {"left": [], "right": []}
    for side in ("left", "right"):
        ev = events.side(side)
        sign = 1.0 if side == "left" else -1.0  # left stance: right hip drops -> tilt up
        ankle = series.xy(Landmark[f"{side.upper()}_ANKLE"])[:, 0]
        own_hip = series.xy(Landmark[f"{side.upper()}_HIP"])[:, 0]
        for tc in ev.ic_t_s:
            sel = (t >= tc - half) & (t <= tc + half)
            if sel.sum() >= 2 and np.isfinite(tilt[sel]).any():
                drops.append(float(np.nanmax(sign * (tilt[sel] - base))))
                drop_side.append(side)
            j = int(np.argmin(np.abs(t - tc)))
            toward = np.sign(own_hip[j] - hip_mid[j])
            if np.isfinite(ankle[j]) and np.isfinite(scale[j]) and toward != 0:
                offsets[side].append(float(toward * (ankle[j] - hip_mid[j]) / scale[j]))
    return FrontMetrics(
        cross,
        frames,
        np.array(drops, float),
        np.array(drop_side, object),
        {k: np.array(v, float) for k, v in offsets.items()},
    )
