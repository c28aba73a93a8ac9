"""A generated runner: MediaPipe-like landmarks whose gait answers are set.

The runner is a planar stick model (Winter 2009 segment proportions) moving
in a sagittal plane (X forward, Y up, metres scaled to leg lengths) with a
lateral axis (Z toward the runner's left). Every answer the analysis must
recover is either a parameter (cadence, duty factor, overstride, trunk lean,
bounce, foot-strike angle, head forward, drift, asymmetry) or computed from
the continuous-time model at the exact event times (knee flexion and shin
angle at contact), never from the sampled frames.

Model, per foot, with stride phase ``phi`` in [0, 1):

* stance ``phi < duty``: the foot is on the ground. The ankle moves backward
  relative to the hip, linearly from ``overstride`` (ahead of the hip, in leg
  lengths) to a toe-off position chosen so the leg stays within reach. The foot
  rotates from the strike angle to flat in the first 20 % of stance about its
  lowest point (heel for a heel strike, toe for a forefoot strike) and
  plantar-flexes about the toe in the last 30 %. The lowest foot point stays
  exactly at ground level, so initial contact is ``phi = 0`` and toe-off
  ``phi = duty``.
* swing: the lowest foot point lifts on a sine bump and lands again at
  ``phi = 1`` while the ankle swings forward, with an optional late-swing
  retraction (the foot's most forward position comes before contact, as in
  real runners, so a detector that only takes the forward-most position is
  caught by the tests).
* the hip height is lowest at each mid-stance and highest halfway between,
  with peak-to-peak ``bounce`` leg lengths per step.
* the knee is placed by two-link inverse kinematics (thigh = shank = L/2),
  pointing forward.

Images: side views (runner facing image-left or -right; the near leg is the
left leg when facing image-left, as MediaPipe sees it), front and rear views;
pixel noise, a far leg seen less well (lower visibility, noisier heel and
toe), leg swaps, dropped frames (irregular timestamps), frames with no pose,
slow-motion playback, overground runs crossing a static camera's frame.

References
----------
Winter DA (2009) Biomechanics and Motor Control of Human Movement, 4th ed.,
Table 4.1 (segment lengths as fractions of height).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from formcheck.pose.landmarks import N_LANDMARKS, Landmark
from formcheck.pose.series import PoseSeries

L = Landmark

#: Body proportions in leg lengths (hip joint to ankle; Winter 2009: 0.491 H).
THIGH = 0.5
SHANK = 0.5
TORSO = 0.587  # hip to shoulder: (0.818 - 0.530) H / 0.491 H
NECK = 0.22  # shoulder to ear
UPPER_ARM = 0.38
FOREARM = 0.30
HIP_HALF_WIDTH = 0.10
SHOULDER_HALF_WIDTH = 0.22
#: Foot points relative to the ankle with the foot flat (X forward, Y up).
HEEL_OFF = np.array([-0.07, -0.08])
TOE_OFF = np.array([0.22, -0.08])
SWING_LIFT = 0.35  # highest lift of the lowest foot point in swing
PUSH_OFF_DEG = 25.0  # plantar flexion at toe-off (toe down)
TOUCH_SPEED = 1.0  # vertical foot speed at touch-down and toe-off, leg lengths/s (~0.9 m/s)


@dataclass(frozen=True)
class RunTruth:
    """The answers the analysis must recover. Times in seconds (playback clock)."""

    view: str
    facing: int
    cadence_spm: float
    ic_t_s: dict[str, np.ndarray]
    to_t_s: dict[str, np.ndarray]
    contact_time_ms: dict[str, float]
    duty_factor_pct: dict[str, float]
    overstride_leg_lengths: dict[str, float]
    shin_angle_deg: dict[str, float]
    knee_flexion_deg: dict[str, float]
    foot_strike_angle_deg: float
    foot_strike: str
    trunk_lean_deg: float
    trunk_lean_start_deg: float
    trunk_lean_end_deg: float
    head_forward_deg: float
    vertical_oscillation_leg_lengths: float
    step_time_s: dict[str, float]
    leg_px: float
    hip_drop_deg: float
    step_width_leg_lengths: float
    arm_crossing: bool
    slow_factor: float
    near_side: str | None
    swapped_frames: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))
    probe: Callable[[np.ndarray, str], dict[str, np.ndarray]] | None = None
    """probe(t_s, side): the exact contact metrics (overstride, shin, knee, foot
    angle) of one side at any playback times: the rate a metric changes around
    contact gives the test's tolerance for a given event-timing error."""


@dataclass(frozen=True)
class SyntheticRun:
    series: PoseSeries
    truth: RunTruth


def _rot(v: np.ndarray, deg: np.ndarray | float) -> np.ndarray:
    """Rotate 2-vectors (..., 2) counter-clockwise (X forward, Y up) by ``deg``."""
    a = np.radians(deg)
    c, s = np.cos(a), np.sin(a)
    x, y = v[..., 0], v[..., 1]
    return np.stack([c * x - s * y, s * x + c * y], axis=-1)


def _lowest_below_ankle(angle_deg: np.ndarray) -> np.ndarray:
    """Height of the ankle above the foot's lowest point at this foot angle."""
    heel = _rot(HEEL_OFF, angle_deg)
    toe = _rot(TOE_OFF, angle_deg)
    return -np.minimum(heel[..., 1], toe[..., 1])


def _smooth01(u: np.ndarray) -> np.ndarray:
    return 0.5 - 0.5 * np.cos(np.pi * np.clip(u, 0.0, 1.0))


def physical_bounce(cadence_spm: float, duty: float, leg_m: float) -> float:
    """Peak-to-peak centre-of-mass bounce per step (leg lengths) that gravity dictates.

    Spring-mass running (Blickhan 1989): a half-sine vertical ground force over
    the stance (a fraction ``2 * duty`` of the step), free fall in flight; the
    force averages to body weight over a step. The acceleration is integrated
    twice over one step (periodic, zero-mean velocity) and the displacement's
    range returned. This is the runner the slow-motion check expects at real time.
    """
    g = 9.81
    step_s = 60.0 / cadence_spm
    beta = min(2.0 * duty, 0.99)
    n = 20000
    t = (np.arange(n) + 0.5) / n * step_s
    acc = np.full(n, -g)
    st = t < beta * step_s
    acc[st] += g * (np.pi / (2 * beta)) * np.sin(np.pi * t[st] / (beta * step_s))
    vel = np.cumsum(acc) * step_s / n
    vel -= vel.mean()
    pos = np.cumsum(vel) * step_s / n
    return float(np.ptp(pos) / leg_m)


def run_series(
    *,
    cadence_spm: float = 170.0,
    fps: float = 30.0,
    duration_s: float = 12.0,
    view: str = "side-left",
    duty: float = 0.35,
    overstride: float = 0.10,
    overstride_right: float | None = None,
    knee_flexion_deg: float = 20.0,
    strike_deg: float = 15.0,
    trunk_lean_deg: float = 8.0,
    lean_drift_deg: float = 0.0,
    cadence_drift_spm: float = 0.0,
    overstride_drift: float = 0.0,
    head_forward_deg: float = 0.0,
    bounce: float | None = None,
    leg_m: float = 0.835,
    step_asymmetry: float = 0.0,
    retraction: float = 0.03,
    leg_px: float = 300.0,
    width: int = 720,
    height: int = 1280,
    noise_px: float = 0.0,
    far_foot_noise_px: float = 0.0,
    far_visibility: float = 0.75,
    swaps_s: tuple[tuple[float, float], ...] = (),
    drop_frac: float = 0.0,
    nan_ranges_s: tuple[tuple[float, float], ...] = (),
    overground_cross: bool = False,
    slow_factor: float = 1.0,
    hip_drop_deg: float = 0.0,
    step_width: float = 0.10,
    arm_cross: bool = False,
    phase0: float = 0.13,
    seed: int = 0,
) -> SyntheticRun:
    """A synthetic run; every keyword is an answer or a capture condition.

    Parameters (units)
    ------------------
    cadence_spm : steps/min at the start (``cadence_drift_spm`` added linearly by the end).
    fps : capture frame rate (frames per real second).
    duration_s : real seconds of running.
    view : "side-left" (faces image-left), "side-right", "front" or "rear".
    duty : stance time / stride time of each foot (contact time = duty x stride).
    overstride : ankle ahead of the hip at initial contact, leg lengths (left foot;
        ``overstride_right`` for the right, default the same).
    knee_flexion_deg : knee flexion at initial contact for the nominal stride
        (the hip height is set to give it; the exact per-side value is in the truth).
    strike_deg : foot angle at contact, toe up positive (rearfoot > 8).
    trunk_lean_deg : forward lean of hip->shoulder from vertical at the start.
    lean_drift_deg, overstride_drift : change from start to end.
    head_forward_deg : shoulder->ear tilt beyond the trunk's.
    bounce : hip peak-to-peak height change per step, leg lengths; None = what
        gravity gives for this cadence and duty factor (:func:`physical_bounce`).
    leg_m : the runner's hip-to-ankle length in metres (for the physical bounce).
    step_asymmetry : right contact comes (0.5 + this) strides after the left.
    retraction : late-swing foot retraction, leg lengths.
    leg_px : leg length in pixels; ``noise_px`` Gaussian landmark noise.
    swaps_s : time ranges where MediaPipe's leg labels are swapped.
    drop_frac : fraction of frames dropped from the stream (irregular timing).
    nan_ranges_s : time ranges with no pose.
    overground_cross : the runner crosses a static camera's frame instead of
        staying on a treadmill.
    slow_factor : playback is this many times slower than capture.
    hip_drop_deg, step_width, arm_cross : front/rear view answers.
    """
    rng = np.random.default_rng(seed)
    facing = -1 if view == "side-left" else 1
    n = round(duration_s * fps)
    t_real = np.arange(n) / fps
    f0 = cadence_spm / 120.0  # strides per second
    df = cadence_drift_spm / 120.0

    # stride phase of the left foot on a fine grid (integral of the stride rate)
    fine = np.arange(-3.0, duration_s + 3.0, 1e-4)
    phase_fine = phase0 + f0 * fine + 0.5 * df * fine**2 / duration_s
    shift_r = 0.5 + step_asymmetry

    def phase_at(t: np.ndarray) -> np.ndarray:
        return np.interp(t, fine, phase_fine)

    def time_of_phase(p: np.ndarray) -> np.ndarray:
        return np.interp(p, phase_fine, fine)

    def events(offset: float, frac: float) -> np.ndarray:
        k = np.arange(np.ceil(phase_fine[0] - offset - frac), np.floor(phase_fine[-1]))
        t = time_of_phase(k + offset + frac)
        return t[(t >= 0) & (t <= duration_s)]

    ic_l, to_l = events(0.0, 0.0), events(0.0, duty)
    ic_r, to_r = events(-shift_r, 0.0), events(-shift_r, duty)
    k_all = np.arange(np.ceil(phase_fine[0]) + 1, np.floor(phase_fine[-1]) - 1)
    mid_all = np.sort(
        np.concatenate([time_of_phase(k_all + duty / 2), time_of_phase(k_all - shift_r + duty / 2)])
    )

    lean_start = trunk_lean_deg

    def lean_at(t: np.ndarray) -> np.ndarray:
        return lean_start + lean_drift_deg * t / duration_s

    def overstride_at(t: np.ndarray, side: str) -> np.ndarray:
        base = overstride if side == "left" or overstride_right is None else overstride_right
        return base + overstride_drift * t / duration_s

    if bounce is None:
        bounce = physical_bounce(cadence_spm, duty, leg_m)
    amp = bounce / 2.0

    def hip_height(t: np.ndarray, hc: float) -> np.ndarray:
        i = np.clip(np.searchsorted(mid_all, t) - 1, 0, len(mid_all) - 2)
        a, b = mid_all[i], mid_all[i + 1]
        return hc - amp * np.cos(2 * np.pi * (t - a) / (b - a))

    # hip centre height giving the set knee flexion at a nominal left contact
    ankle_ic = _lowest_below_ankle(np.array(strike_deg))
    reach = np.sqrt(THIGH**2 + SHANK**2 + 2 * THIGH * SHANK * np.cos(np.radians(knee_flexion_deg)))
    hip_ic = float(ankle_ic + np.sqrt(reach**2 - overstride**2))
    hc = hip_ic + amp * np.cos(2 * np.pi * duty)  # symmetric gait: IC at step phase 1-duty
    push_ankle = float(_lowest_below_ankle(np.array(-PUSH_OFF_DEG)))
    hip_to = hc - amp * np.cos(2 * np.pi * duty)
    x_to = -np.sqrt(max((0.97 * (THIGH + SHANK)) ** 2 - (hip_to - push_ankle) ** 2, 0.0))

    heel_to_toe = float(TOE_OFF[0] - HEEL_OFF[0])  # flat foot, along the ground

    def foot(t: np.ndarray, side: str) -> tuple[np.ndarray, np.ndarray]:
        """Ankle position relative to the hip (X, Y world) and the foot angle.

        In stance the foot pivots about the point that is on the ground (heel
        or toe) and that point moves with the ground, so nothing slides.
        """
        ph = phase_at(t) - (0.0 if side == "left" else shift_r)
        u = np.mod(ph, 1.0)
        x_ic = overstride_at(t, side)
        stance = u < duty
        s = u / duty
        ang = np.where(
            s < 0.2,
            strike_deg * (1 - _smooth01(s / 0.2)),
            np.where(s > 0.7, -PUSH_OFF_DEG * _smooth01((s - 0.7) / 0.3), 0.0),
        )
        # belt point under the flat heel, from contact to toe-off
        if strike_deg >= 0:
            xb_ic = x_ic + _rot(HEEL_OFF, strike_deg)[0]
        else:
            xb_ic = x_ic - heel_to_toe + _rot(TOE_OFF, strike_deg)[0]
        xb_to = x_to - heel_to_toe + _rot(TOE_OFF, -PUSH_OFF_DEG)[0]
        xb = xb_ic + (xb_to - xb_ic) * s
        heel_piv = np.stack([xb, np.zeros_like(xb)], -1) - _rot(HEEL_OFF, ang)
        toe_piv = np.stack([xb + heel_to_toe, np.zeros_like(xb)], -1) - _rot(TOE_OFF, ang)
        early = toe_piv if strike_deg < 0 else heel_piv
        st = np.where(
            (s < 0.2)[..., None], early, np.where((s > 0.7)[..., None], toe_piv, heel_piv)
        )
        w = (u - duty) / (1 - duty)
        ang_sw = -PUSH_OFF_DEG + (strike_deg + PUSH_OFF_DEG) * w
        x_sw = (
            x_to
            + (x_ic + retraction - x_to) * _smooth01(w / 0.85)
            - retraction * np.clip((w - 0.85) / 0.15, 0, 1) ** 2
        )
        # lift with a finite vertical speed at toe-off and at touch-down (TOUCH_SPEED)
        wc = np.clip(w, 0, 1)
        swing_s = (1 - duty) / f0
        lift = SWING_LIFT * np.sin(np.pi * wc) ** 2 + TOUCH_SPEED * swing_s * wc * (1 - wc)
        sw = np.stack([x_sw, lift + _lowest_below_ankle(ang_sw)], -1)
        pos = np.where(stance[..., None], st, sw)
        angle = np.where(stance, ang, ang_sw)
        return pos, angle

    def knee_of(hip: np.ndarray, ankle: np.ndarray) -> np.ndarray:
        d = ankle - hip
        dist = np.linalg.norm(d, axis=-1, keepdims=True)
        dist_c = np.minimum(dist, THIGH + SHANK - 1e-9)
        along = (THIGH**2 - SHANK**2 + dist_c**2) / (2 * dist_c)
        perp = np.sqrt(np.maximum(THIGH**2 - along**2, 0.0))
        unit = d / np.maximum(dist, 1e-9)
        normal = np.stack([-unit[..., 1], unit[..., 0]], axis=-1)  # d rotated +90 deg
        normal = normal * np.sign(normal[..., :1] + 1e-12)  # knee points forward (+X)
        return hip + unit * along + normal * perp

    def body(t: np.ndarray) -> dict[str, np.ndarray]:
        """World positions (X, Y, Z) in leg lengths of every landmark at times t."""
        hip_y = hip_height(t, hc)
        hip_x = np.zeros_like(t)
        out: dict[str, np.ndarray] = {}
        lean = lean_at(t)
        trunk = _rot(np.stack([np.zeros_like(t), np.full_like(t, TORSO)], -1), -lean)
        hip = np.stack([hip_x, hip_y], -1)
        sh = hip + trunk
        neck = _rot(
            np.stack([np.zeros_like(t), np.full_like(t, NECK)], -1), -(lean + head_forward_deg)
        )
        ear = sh + neck
        out["ear"] = ear
        out["nose"] = ear + np.array([0.09, -0.02])
        out["eye"] = ear + np.array([0.07, 0.02])
        out["mouth"] = ear + np.array([0.08, -0.06])
        out["hip"] = hip
        out["shoulder"] = sh
        for side in ("left", "right"):
            rel, angle = foot(t, side)
            ankle = hip + rel
            ankle[..., 1] = rel[..., 1]  # ground-referenced height
            knee = knee_of(hip, ankle)
            out[f"{side}_ankle"] = ankle
            out[f"{side}_knee"] = knee
            out[f"{side}_heel"] = ankle + _rot(HEEL_OFF, angle)
            out[f"{side}_toe"] = ankle + _rot(TOE_OFF, angle)
            # arms swing opposite the same-side leg
            ph = phase_at(t) - (0.0 if side == "left" else shift_r)
            swing = 30.0 * np.cos(2 * np.pi * ph)
            ua = _rot(np.stack([np.zeros_like(t), -np.full_like(t, UPPER_ARM)], -1), swing - lean)
            elbow = sh + ua
            fa = _rot(ua / UPPER_ARM * FOREARM, 90.0)
            out[f"{side}_elbow"] = elbow
            out[f"{side}_wrist"] = elbow + fa
        return out

    # ---------------------------------------------------------------- truth at exact events
    def at_events(ts: np.ndarray) -> dict[str, np.ndarray]:
        return body(ts) if ts.size else {}

    def probe(t_play: np.ndarray, side: str) -> dict[str, np.ndarray]:
        ts = np.atleast_1d(np.asarray(t_play, float)) / slow_factor
        b = body(ts)
        ank, kn, hp = b[f"{side}_ankle"], b[f"{side}_knee"], b["hip"]
        over = ank[:, 0] - hp[:, 0]
        shin = np.degrees(np.arctan2(ank[:, 0] - kn[:, 0], kn[:, 1] - ank[:, 1]))
        u1, u2 = hp - kn, ank - kn
        cos = np.sum(u1 * u2, -1) / (np.linalg.norm(u1, axis=-1) * np.linalg.norm(u2, axis=-1))
        knee = 180.0 - np.degrees(np.arccos(np.clip(cos, -1, 1)))
        d = b[f"{side}_toe"] - b[f"{side}_heel"]
        foot = np.degrees(np.arctan2(d[:, 1], d[:, 0]))
        return {"overstride": over, "shin": shin, "knee": knee, "foot": foot}

    truth_side: dict[str, dict[str, float]] = {}
    for side, ics in (("left", ic_l), ("right", ic_r)):
        if not ics.size:
            truth_side[side] = {"overstride": np.nan, "shin": np.nan, "knee": np.nan}
            continue
        pr = probe(ics * slow_factor, side)
        truth_side[side] = {k: float(np.median(pr[k])) for k in ("overstride", "shin", "knee")}

    # ---------------------------------------------------------------- project to pixels
    b = body(t_real)
    scale = leg_px
    xyzv = np.full((n, N_LANDMARKS, 4), np.nan)
    hip_px_x = np.full(n, width / 2.0)
    if overground_cross:
        # runner crosses the frame at the speed that keeps the stance foot still
        belt = (overstride - x_to) / (duty / f0)  # leg lengths per second
        travel = belt * scale * t_real
        hip_px_x = width / 2.0 - facing * (travel - travel[-1] / 2)
    ground_px = height * 0.85
    front = view in ("front", "rear")

    def place(name: str, lat: float, pos: np.ndarray, vis: float) -> None:
        lm = L[name]
        if front:
            sign = 1.0 if view == "front" else -1.0
            xyzv[:, lm, 0] = width / 2.0 + sign * lat * scale
            xyzv[:, lm, 2] = (-1.0 if view == "front" else 1.0) * pos[:, 0] * scale
        else:
            xyzv[:, lm, 0] = hip_px_x + facing * pos[:, 0] * scale
            xyzv[:, lm, 2] = facing * lat * scale
        xyzv[:, lm, 1] = ground_px - pos[:, 1] * scale
        xyzv[:, lm, 3] = vis

    near = None if front else ("left" if facing < 0 else "right")

    def vis_of(side: str) -> float:
        return 0.98 if near is None or side == near else far_visibility

    place("NOSE", 0.0, b["nose"], 0.99)
    for side, sgn in (("LEFT", 1.0), ("RIGHT", -1.0)):
        s = side.lower()
        place(f"{side}_EAR", sgn * 0.07, b["ear"], 0.99 if near in (None, s) else 0.9)
        for eye in ("EYE", "EYE_INNER", "EYE_OUTER"):
            place(f"{side}_{eye}", sgn * 0.03, b["eye"], 0.99)
        place(f"MOUTH_{side}", sgn * 0.025, b["mouth"], 0.99)
        place(f"{side}_SHOULDER", sgn * SHOULDER_HALF_WIDTH, b["shoulder"], vis_of(s) + 0.02)
        place(f"{side}_HIP", sgn * HIP_HALF_WIDTH, b["hip"], vis_of(s) + 0.02)
        place(f"{side}_KNEE", sgn * HIP_HALF_WIDTH, b[f"{s}_knee"], vis_of(s))
        foot_lat = sgn * step_width / 2
        for part, key in (("ANKLE", "ankle"), ("HEEL", "heel"), ("FOOT_INDEX", "toe")):
            place(f"{side}_{part}", foot_lat, b[f"{s}_{key}"], vis_of(s))
        arm_lat = sgn * SHOULDER_HALF_WIDTH * 0.8
        place(f"{side}_ELBOW", arm_lat, b[f"{s}_elbow"], vis_of(s))
        wrist_lat = np.full(n, sgn * 0.12)
        if arm_cross:
            ph = phase_at(t_real) - (0.0 if s == "left" else shift_r)
            wrist_lat = sgn * (0.02 - 0.12 * np.cos(2 * np.pi * ph))
        for part in ("WRIST", "PINKY", "INDEX", "THUMB"):
            place(f"{side}_{part}", 0.0, b[f"{s}_wrist"], vis_of(s))
            if front:
                sign = 1.0 if view == "front" else -1.0
                xyzv[:, L[f"{side}_{part}"], 0] = width / 2.0 + sign * wrist_lat * scale

    if front and hip_drop_deg:
        # pelvis tilts: the swing-side hip drops during each stance (sine over stance)
        for side, other in (("left", "RIGHT"), ("right", "LEFT")):
            ph = phase_at(t_real) - (0.0 if side == "left" else shift_r)
            u = np.mod(ph, 1.0)
            bump = np.where(u < duty, np.sin(np.pi * u / duty), 0.0)
            drop = 2 * HIP_HALF_WIDTH * scale * np.tan(np.radians(hip_drop_deg)) * bump
            xyzv[:, L[f"{other}_HIP"], 1] += drop

    # ---------------------------------------------------------------- capture defects
    if noise_px:
        xyzv[..., :2] += rng.normal(0, noise_px, (n, N_LANDMARKS, 2))
    if far_foot_noise_px and near is not None:
        far = "RIGHT" if near == "left" else "LEFT"
        for part in ("HEEL", "FOOT_INDEX"):
            xyzv[:, L[f"{far}_{part}"], :2] += rng.normal(0, far_foot_noise_px, (n, 2))
    swapped = np.zeros(n, bool)
    for a, z in swaps_s:
        swapped |= (t_real >= a) & (t_real < z)
    if swapped.any():
        for part in ("HIP", "KNEE", "ANKLE", "HEEL", "FOOT_INDEX"):
            li, ri = L[f"LEFT_{part}"], L[f"RIGHT_{part}"]
            tmp = xyzv[swapped, li].copy()
            xyzv[swapped, li] = xyzv[swapped, ri]
            xyzv[swapped, ri] = tmp
    for a, z in nan_ranges_s:
        xyzv[(t_real >= a) & (t_real < z)] = np.nan
    keep = np.ones(n, bool)
    if drop_frac:
        keep[1:-1] = rng.random(n - 2) >= drop_frac
    t_play = t_real * slow_factor

    series = PoseSeries.from_arrays(xyzv[keep].astype(np.float32), t_play[keep], width, height)

    def pct(x: float) -> float:
        return 100.0 * x

    stride_l = float(np.median(np.diff(ic_l))) if ic_l.size > 1 else np.nan
    cls = "rearfoot" if strike_deg > 8.0 else ("forefoot" if strike_deg < -1.6 else "midfoot")
    lean_mid = lean_start + lean_drift_deg / 2
    cadence_mean = cadence_spm + cadence_drift_spm / 2
    truth = RunTruth(
        view=view,
        facing=facing,
        cadence_spm=cadence_mean,
        ic_t_s={"left": ic_l * slow_factor, "right": ic_r * slow_factor},
        to_t_s={"left": to_l * slow_factor, "right": to_r * slow_factor},
        contact_time_ms={
            "left": 1000.0 * duty * stride_l * slow_factor,
            "right": 1000.0 * duty * stride_l * slow_factor,
        },
        duty_factor_pct={"left": pct(duty), "right": pct(duty)},
        overstride_leg_lengths={s: truth_side[s]["overstride"] for s in truth_side},
        shin_angle_deg={s: truth_side[s]["shin"] for s in truth_side},
        knee_flexion_deg={s: truth_side[s]["knee"] for s in truth_side},
        foot_strike_angle_deg=strike_deg,
        foot_strike=cls,
        trunk_lean_deg=lean_mid,
        trunk_lean_start_deg=lean_start,
        trunk_lean_end_deg=lean_start + lean_drift_deg,
        head_forward_deg=head_forward_deg,
        vertical_oscillation_leg_lengths=bounce,
        step_time_s={
            # step time ending at this foot's contact
            "right": (0.5 + step_asymmetry) * 120.0 / cadence_mean / 2 * 2 * slow_factor,
            "left": (0.5 - step_asymmetry) * 120.0 / cadence_mean / 2 * 2 * slow_factor,
        },
        leg_px=leg_px,
        hip_drop_deg=hip_drop_deg,
        step_width_leg_lengths=step_width,
        arm_crossing=arm_cross,
        slow_factor=slow_factor,
        near_side=near,
        swapped_frames=swapped[keep],
        probe=probe,
    )
    return SyntheticRun(series, truth)
