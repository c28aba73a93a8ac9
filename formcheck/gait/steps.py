"""Per-step measurements at and between gait events (side view).

One :class:`Steps` row per initial contact, in time order. Landmarks are
sampled at the sub-frame event time by linear interpolation between the two
frames around it (at 30 fps a foot moves about 0.1 leg lengths per frame in
early stance, so snapping to a frame would add that much error to overstride).

Conventions (side view; ``facing`` +1 = runner faces image-right):

* overstride_leg_lengths: ankle ahead of the hip midpoint at contact,
  horizontal, in leg lengths (hip-knee-ankle); positive = ahead. The ankle is
  used rather than the heel because MediaPipe places the heel and toe of
  treadmill runners less reliably (google-ai-edge/mediapipe#3496).
* shin_angle_deg: knee->ankle from vertical at contact, positive when the ankle
  is ahead of the knee (reaching).
* knee_flexion_deg: 180 - hip-knee-ankle angle at contact.
* foot_angle_deg: heel->toe line at contact relative to the same foot's line
  in mid-stance (foot flat), toe up positive. Measuring against the foot's own
  flat position removes MediaPipe's heel-above-sole offset and any slope of the
  ground in the image, as Altman and Davis (2012) subtract a standing trial.
* vertical_oscillation_leg_lengths: hip midpoint's highest minus lowest point
  from this contact to the next (either foot).
* trunk_lean_deg, head_forward_deg: mean over the same interval.
* step_time_s: from the other foot's previous contact; left out (NaN) when it is
  not a step a runner takes (:func:`formcheck.gait.cadence.plausible_steps`).

References
----------
Altman AR, Davis IS (2012) A kinematic method for footstrike pattern
detection in barefoot and shod runners. Gait Posture 35:298-300.
Souza RB (2016) Phys Med Rehabil Clin N Am 27:217-236.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from formcheck.cues import thresholds as th
from formcheck.gait._nan import nanmean
from formcheck.gait.cadence import plausible_steps
from formcheck.gait.events import GaitEvents
from formcheck.kinematics import joint_angle_deg, tilt_from_vertical_deg
from formcheck.pose.landmarks import Landmark
from formcheck.pose.series import PoseSeries, shot_index

#: Step table columns and units (the report's "steps" table).
COLUMNS: tuple[tuple[str, str], ...] = (
    ("t_s", "s"),
    ("side", ""),
    ("toe_off_t_s", "s"),
    ("step_time_s", "s"),
    ("cadence_spm", "steps/min"),
    ("contact_time_ms", "ms"),
    ("duty_factor_pct", "%"),
    ("overstride_leg_lengths", "leg lengths"),
    ("shin_angle_deg", "deg"),
    ("knee_flexion_deg", "deg"),
    ("foot_angle_deg", "deg"),
    ("foot_strike", ""),
    ("vertical_oscillation_leg_lengths", "leg lengths"),
    ("trunk_lean_deg", "deg"),
    ("head_forward_deg", "deg"),
    ("visibility", "0-1"),
    ("confidence", ""),
)


@dataclass(frozen=True, slots=True)
class Steps:
    """Per-step values; every array has shape (steps,). NaN = not measurable.

    side : "left"/"right". approximate : contact not read from the foot's path
    (time from the forward-most foot position). good : visible enough to enter
    the summaries (``foot_min_visibility``).
    """

    side: np.ndarray
    t_ic: np.ndarray
    t_to: np.ndarray
    approximate: np.ndarray
    visibility: np.ndarray
    good: np.ndarray
    step_time_s: np.ndarray
    stride_time_s: np.ndarray
    contact_time_ms: np.ndarray
    duty_factor_pct: np.ndarray
    overstride: np.ndarray
    shin_deg: np.ndarray
    knee_deg: np.ndarray
    foot_angle_deg: np.ndarray
    foot_strike: np.ndarray
    vert_osc: np.ndarray
    trunk_lean_deg: np.ndarray
    head_forward_deg: np.ndarray

    @property
    def n(self) -> int:
        return int(self.t_ic.size)

    def take(self, keep: np.ndarray) -> Steps:
        return Steps(**{f: getattr(self, f)[keep] for f in self.__dataclass_fields__})

    @classmethod
    def concat(cls, parts: list[Steps]) -> Steps:
        parts = [p for p in parts if p.n]
        if not parts:
            return empty_steps()
        return cls(
            **{f: np.concatenate([getattr(p, f) for p in parts]) for f in cls.__dataclass_fields__}
        )

    def confidence(self) -> np.ndarray:
        """Per step: "high", "medium" or "low" (visibility and event quality)."""
        clear = th.value("clear_visibility")
        out = np.where(self.visibility >= clear, "high", "medium").astype(object)
        out[~self.good | self.approximate] = "low"
        return out

    def rows(self) -> tuple[tuple[float | str | None, ...], ...]:
        """Rows for the report table, in :data:`COLUMNS` order."""
        conf = self.confidence()

        def num(x: float) -> float | None:
            return float(x) if np.isfinite(x) else None

        rows = []
        for i in range(self.n):
            cad = 60.0 / self.step_time_s[i] if np.isfinite(self.step_time_s[i]) else np.nan
            rows.append(
                (
                    num(self.t_ic[i]),
                    str(self.side[i]),
                    num(self.t_to[i]),
                    num(self.step_time_s[i]),
                    num(cad),
                    num(self.contact_time_ms[i]),
                    num(self.duty_factor_pct[i]),
                    num(self.overstride[i]),
                    num(self.shin_deg[i]),
                    num(self.knee_deg[i]),
                    num(self.foot_angle_deg[i]),
                    str(self.foot_strike[i]),
                    num(self.vert_osc[i]),
                    num(self.trunk_lean_deg[i]),
                    num(self.head_forward_deg[i]),
                    num(self.visibility[i]),
                    str(conf[i]),
                )
            )
        return tuple(rows)


def empty_steps() -> Steps:
    z = np.zeros(0)
    return Steps(
        np.zeros(0, object),
        z,
        z,
        np.zeros(0, bool),
        z,
        np.zeros(0, bool),
        z,
        z,
        z,
        z,
        z,
        z,
        z,
        z,
        np.zeros(0, object),
        z,
        z,
        z,
    )


def sample_at(t_s: np.ndarray, values: np.ndarray, t: float) -> np.ndarray:
    """Linear interpolation of ``values`` (frames, ...) at time ``t``; NaN outside."""
    if t_s.size == 0 or not np.isfinite(t) or t < t_s[0] or t > t_s[-1]:
        return np.full(values.shape[1:], np.nan)
    j = int(np.searchsorted(t_s, t))
    if j == 0:
        return values[0].astype(float)
    a = (t - t_s[j - 1]) / (t_s[j] - t_s[j - 1])
    return (1 - a) * values[j - 1].astype(float) + a * values[j].astype(float)


def trunk_lean_deg(series: PoseSeries, facing: float) -> np.ndarray:
    """Per frame: hip midpoint -> shoulder midpoint from vertical, forward positive."""
    hip = series.midpoint(Landmark.LEFT_HIP, Landmark.RIGHT_HIP)
    sh = series.midpoint(Landmark.LEFT_SHOULDER, Landmark.RIGHT_SHOULDER)
    return tilt_from_vertical_deg(hip, sh, facing)


def head_forward_deg(series: PoseSeries, facing: float) -> np.ndarray:
    """Per frame: shoulder midpoint -> ear midpoint tilt beyond the trunk's, degrees.

    0 when the ear sits on the trunk line; positive when the head pokes forward.
    """
    sh = series.midpoint(Landmark.LEFT_SHOULDER, Landmark.RIGHT_SHOULDER)
    ear = series.midpoint(Landmark.LEFT_EAR, Landmark.RIGHT_EAR)
    return tilt_from_vertical_deg(sh, ear, facing) - trunk_lean_deg(series, facing)


def strike_class(angle_deg: float, overrides: dict[str, float] | None = None) -> str:
    """ "rearfoot", "midfoot" or "forefoot" from the foot angle at contact (Altman & Davis 2012)."""
    if not np.isfinite(angle_deg):
        return ""
    if angle_deg > th.value("footstrike_rearfoot_deg", overrides):
        return "rearfoot"
    if angle_deg < th.value("footstrike_forefoot_deg", overrides):
        return "forefoot"
    return "midfoot"


def _foot_angle(xyzv_at: np.ndarray, side: str, facing: float) -> float:
    heel = xyzv_at[Landmark[f"{side.upper()}_HEEL"], :2]
    toe = xyzv_at[Landmark[f"{side.upper()}_FOOT_INDEX"], :2]
    d = toe - heel
    return float(np.degrees(np.arctan2(-d[1], facing * d[0])))


def measure_steps(
    series: PoseSeries,
    events: GaitEvents,
    facing: float,
    leg_px: float,
    overrides: dict[str, float] | None = None,
    sharp: PoseSeries | None = None,
    breaks_s: tuple[float, ...] = (),
) -> Steps:
    """Measure every step of a side-view series (see the module docstring).

    ``breaks_s`` are an edited clip's cuts (seconds on the series' clock): a step,
    a stride or a contact whose two ends lie in different shots is not timed, and
    nothing between two contacts is read across a cut (the next shot's time is not
    the last one's).

    ``series`` must be the cleaned, swap-corrected series the events came from.
    ``sharp`` (same frames, less smoothed) is sampled for the values *at*
    contact (overstride, shin, knee, foot angle): the knee and foot turn fast
    around touch-down, and a low-pass meant for finding events would blend the
    pre-contact swing into them (4 deg of knee angle at 8 Hz in tests).
    """
    rows = []
    for side in ("left", "right"):
        ev = events.side(side)
        for i in range(ev.n):
            rows.append((float(ev.ic_t_s[i]), side, i))
    rows.sort()
    n = len(rows)
    if n == 0:
        return empty_steps()
    t = series.t_s
    xyzv = (sharp if sharp is not None else series).xyzv
    lean = trunk_lean_deg(series, facing)
    head = head_forward_deg(series, facing)
    hip_y = series.midpoint(Landmark.LEFT_HIP, Landmark.RIGHT_HIP)[:, 1]
    min_vis = th.value("foot_min_visibility", overrides)
    period = events.stride_period_s

    def same_shot(a: float, b: float) -> bool:
        return bool(shot_index(a, breaks_s) == shot_index(b, breaks_s))

    out = {
        k: np.full(n, np.nan)
        for k in (
            "t_ic",
            "t_to",
            "visibility",
            "step_time_s",
            "stride_time_s",
            "contact_time_ms",
            "duty_factor_pct",
            "overstride",
            "shin_deg",
            "knee_deg",
            "foot_angle_deg",
            "vert_osc",
            "trunk_lean_deg",
            "head_forward_deg",
        )
    }
    side_arr = np.empty(n, object)
    approx = np.zeros(n, bool)
    strike = np.empty(n, object)
    for r, (t_ic, side, i) in enumerate(rows):
        ev = events.side(side)
        side_arr[r] = side
        approx[r] = bool(ev.approximate[i])
        out["t_ic"][r] = t_ic
        out["t_to"][r] = ev.to_t_s[i]
        out["visibility"][r] = ev.visibility[i]
        up = side.upper()
        at = sample_at(t, xyzv, t_ic)
        hip = 0.5 * (at[Landmark.LEFT_HIP, :2] + at[Landmark.RIGHT_HIP, :2])
        knee = at[Landmark[f"{up}_KNEE"], :2]
        ankle = at[Landmark[f"{up}_ANKLE"], :2]
        own_hip = at[Landmark[f"{up}_HIP"], :2]
        out["overstride"][r] = facing * (ankle[0] - hip[0]) / leg_px
        d = ankle - knee
        out["shin_deg"][r] = float(np.degrees(np.arctan2(facing * d[0], d[1])))
        out["knee_deg"][r] = 180.0 - float(joint_angle_deg(own_hip, knee, ankle))
        t_to = ev.to_t_s[i]
        if np.isfinite(t_to) and not approx[r] and same_shot(t_ic, t_to):
            out["contact_time_ms"][r] = 1000.0 * (t_to - t_ic)
            mid = (t >= t_ic + 0.33 * (t_to - t_ic)) & (t <= t_ic + 0.67 * (t_to - t_ic))
            flat = [_foot_angle(xyzv[j], side, facing) for j in np.flatnonzero(mid)]
            flat = [a for a in flat if np.isfinite(a)]
            if flat:
                out["foot_angle_deg"][r] = _foot_angle(at, side, facing) - float(np.median(flat))
        strike[r] = strike_class(out["foot_angle_deg"][r], overrides)
        # previous contact: step (other foot) and stride (same foot)
        for q in range(r - 1, -1, -1):
            dt = t_ic - rows[q][0]
            if dt > 1.6 * period or not same_shot(rows[q][0], t_ic):
                break
            if rows[q][1] != side and np.isnan(out["step_time_s"][r]) and dt < 0.8 * period:
                out["step_time_s"][r] = dt
            if rows[q][1] == side:
                if 0.6 * period < dt < 1.6 * period:
                    out["stride_time_s"][r] = dt
                break
        # interval to the next contact (either foot)
        if r + 1 < n and rows[r + 1][0] - t_ic < 0.8 * period and same_shot(t_ic, rows[r + 1][0]):
            sel = (t >= t_ic) & (t <= rows[r + 1][0])
            if sel.sum() >= 2:
                y = hip_y[sel]
                if np.isfinite(y).sum() >= 2:
                    out["vert_osc"][r] = float(np.nanmax(y) - np.nanmin(y)) / leg_px
                with np.errstate(all="ignore"):
                    out["trunk_lean_deg"][r] = nanmean(lean[sel])
                    out["head_forward_deg"][r] = nanmean(head[sel])
    # duty factor: contact over this foot's stride (the next one if the previous is missing)
    for r in range(n):
        stride = out["stride_time_s"][r]
        if not np.isfinite(stride):
            nxt = [q for q in range(r + 1, n) if side_arr[q] == side_arr[r]]
            if nxt:
                dt = out["t_ic"][nxt[0]] - out["t_ic"][r]
                if 0.6 * period < dt < 1.6 * period and same_shot(
                    out["t_ic"][r], out["t_ic"][nxt[0]]
                ):
                    stride = dt
        if np.isfinite(stride):
            out["duty_factor_pct"][r] = 100.0 * out["contact_time_ms"][r] / 1000.0 / stride
    # a step no runner takes (a doubled or missed contact) has no step time
    out["step_time_s"][~plausible_steps(out["step_time_s"], overrides)] = np.nan
    good = out["visibility"] >= min_vis
    return Steps(
        side=side_arr,
        t_ic=out["t_ic"],
        t_to=out["t_to"],
        approximate=approx,
        visibility=out["visibility"],
        good=good,
        step_time_s=out["step_time_s"],
        stride_time_s=out["stride_time_s"],
        contact_time_ms=out["contact_time_ms"],
        duty_factor_pct=out["duty_factor_pct"],
        overstride=out["overstride"],
        shin_deg=out["shin_deg"],
        knee_deg=out["knee_deg"],
        foot_angle_deg=out["foot_angle_deg"],
        foot_strike=strike,
        vert_osc=out["vert_osc"],
        trunk_lean_deg=out["trunk_lean_deg"],
        head_forward_deg=out["head_forward_deg"],
    )
