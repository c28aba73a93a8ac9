"""Generated exercise sets: MediaPipe-order landmarks whose answers are set by the test.

Each builder draws a 2-D stick figure frame by frame from a *profile* (the
shoulder-hip-knee angle over time for a bridge, the hips' deviation from the
body line for a plank, the reach of arm and leg for a bird dog) and returns the
series with a :class:`Truth` holding the answers. The answers come from the
profile itself (sampled on a 1 ms grid), never from the analyzer's code.

Geometry (pixels, image y grows downward; Winter 2009 proportions at about
760 px standing height):

* glute bridge, side view, head to image-right: shoulders and feet on the floor,
  the knee fixed above the feet; the hip is placed so that the signed
  shoulder-hip-knee angle is exactly the profile's (below the shoulder-knee line
  for < 180, above it for > 180);
* plank, side view, head to image-left: forearm plank, elbow under the shoulder;
  the hip is placed so that its signed deviation from the shoulder-ankle line is
  the profile's (+ = below the line = sagging); knees on the hip-ankle line
  (straight legs) unless kneeling;
* side plank, front view: shoulders, hips and feet stacked across the body line,
  left side down (``mirrored()`` gives right side down);
* bird dog, side view, head to image-right: all fours; a reach raises one arm
  forward and the opposite leg back to set angles above horizontal.

The far side is drawn a few pixels off the near side with lower visibility, as
MediaPipe reports a side view. Helpers add pixel noise, frames with nobody,
feet out of the picture, and irregular timestamps.

References
----------
Winter DA (2009) Biomechanics and Motor Control of Human Movement, 4th ed.,
Table 4.1.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from formcheck.pose.landmarks import N_LANDMARKS, Landmark
from formcheck.pose.series import PoseSeries

L = Landmark
W, H = 1280, 720
Pt = tuple[float, float]

#: Segment lengths in pixels (Winter 2009 fractions of a 760 px standing height).
UPPER_ARM = 141.0
FOREARM = 111.0
THIGH = 186.0
SHANK = 187.0
ARM = 230.0  # shoulder to wrist, straight


@dataclass
class Truth:
    """The answers a builder set. Times in seconds, angles in degrees."""

    reps: int = 0
    top_deg: list[float] = field(default_factory=list)
    bottom_deg: list[float] = field(default_factory=list)
    pause_s: list[float] = field(default_factory=list)
    lower_s: list[float] = field(default_factory=list)
    holds_s: list[float] = field(default_factory=list)
    sides: list[str] = field(default_factory=list)
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def total_hold_s(self) -> float:
        return float(sum(self.holds_s))

    @property
    def longest_hold_s(self) -> float:
        return float(max(self.holds_s, default=0.0))


# ---------------------------------------------------------------------------------------
# drawing
def _frame(
    near: dict[str, Pt],
    far: dict[str, Pt],
    head: dict[Landmark, Pt],
    near_side: str = "LEFT",
    vis_near: float = 0.95,
    vis_far: float = 0.75,
) -> np.ndarray:
    """(33, 4) landmarks from named joints of the near and far side and head points."""
    out = np.full((N_LANDMARKS, 4), np.nan, np.float32)
    far_side = "RIGHT" if near_side == "LEFT" else "LEFT"
    for side, joints, vis in ((near_side, near, vis_near), (far_side, far, vis_far)):
        for part, (x, y) in joints.items():
            out[L[f"{side}_{part}"]] = (x, y, 0.0, vis)
        wx, wy = joints["WRIST"]
        ex, ey = joints["ELBOW"]
        dx, dy = wx - ex, wy - ey
        n = math.hypot(dx, dy) or 1.0
        ux, uy = dx / n, dy / n
        for part, k in (("PINKY", 18.0), ("INDEX", 22.0), ("THUMB", 14.0)):
            out[L[f"{side}_{part}"]] = (wx + k * ux, wy + k * uy, 0.0, vis * 0.9)
        ax, ay = joints["ANKLE"]
        kx, ky = joints["KNEE"]
        dx, dy = ax - kx, ay - ky
        n = math.hypot(dx, dy) or 1.0
        ux, uy = dx / n, dy / n
        out[L[f"{side}_HEEL"]] = (ax + 8 * ux - 10 * uy, ay + 8 * uy + 10 * ux, 0.0, vis)
        out[L[f"{side}_FOOT_INDEX"]] = (ax + 30 * ux + 25 * uy, ay + 30 * uy - 25 * ux, 0.0, vis)
    for lm, (x, y) in head.items():
        out[lm] = (x, y, 0.0, 0.95)
    for lm in Landmark:
        if not np.isfinite(out[lm, 0]):
            raise AssertionError(f"synthetic frame misses {lm.name}")
    return out


def _head(ear: Pt, nose: Pt) -> dict[Landmark, Pt]:
    ex, ey = ear
    nx, ny = nose
    mx, my = (ex + nx) / 2, (ey + ny) / 2
    return {
        L.NOSE: nose,
        L.LEFT_EAR: (ex, ey - 2),
        L.RIGHT_EAR: (ex + 2, ey + 2),
        L.LEFT_EYE: (mx + 0.3 * (nx - mx), my - 6),
        L.RIGHT_EYE: (mx + 0.3 * (nx - mx) + 2, my - 4),
        L.LEFT_EYE_INNER: (mx + 0.4 * (nx - mx), my - 6),
        L.RIGHT_EYE_INNER: (mx + 0.4 * (nx - mx) + 2, my - 4),
        L.LEFT_EYE_OUTER: (mx + 0.1 * (nx - mx), my - 6),
        L.RIGHT_EYE_OUTER: (mx + 0.1 * (nx - mx) + 2, my - 4),
        L.MOUTH_LEFT: (nx - 0.2 * (nx - ex), ny + 12),
        L.MOUTH_RIGHT: (nx - 0.2 * (nx - ex) + 2, ny + 14),
    }


def _shift(joints: dict[str, Pt], dx: float, dy: float) -> dict[str, Pt]:
    return {k: (x + dx, y + dy) for k, (x, y) in joints.items()}


def _hip_off_line(a: Pt, c: Pt, dev_deg: float, frac: float) -> Pt:
    """A point b with signed deviation ``dev_deg`` from the line a-c (+ = below, y down).

    b sits at fraction ``frac`` along a->c, offset perpendicular to it so that
    the bend at b is exactly ``|dev_deg|`` (found by bisection on the offset).
    """
    ax, ay = a
    cx, cy = c
    d = math.hypot(cx - ax, cy - ay)
    ux, uy = (cx - ax) / d, (cy - ay) / d
    nx, ny = -uy, ux
    if ny < 0:  # the normal that points down in the image
        nx, ny = -nx, -ny
    la, lb = frac * d, (1 - frac) * d
    target = abs(dev_deg)
    lo, hi = 0.0, 5.0 * d
    for _ in range(80):
        h = 0.5 * (lo + hi)
        bend = math.degrees(math.atan(h / la) + math.atan(h / lb))
        lo, hi = (h, hi) if bend < target else (lo, h)
    h = 0.5 * (lo + hi) * (1 if dev_deg >= 0 else -1)
    return (ax + la * ux + h * nx, ay + la * uy + h * ny)


def _times(duration_s: float, fps: float, jitter: float = 0.0, seed: int = 0) -> np.ndarray:
    n = round(duration_s * fps) + 1
    t = np.arange(n) / fps
    if jitter > 0:
        rng = np.random.default_rng(seed)
        t = t + rng.uniform(-jitter, jitter, n) / fps
        t[0] = 0.0
        t = np.maximum.accumulate(t + np.arange(n) * 1e-6)
    return t


def _series(frames: list[np.ndarray], t: np.ndarray, width: int = W, height: int = H) -> PoseSeries:
    return PoseSeries(np.stack(frames).astype(np.float32), t, width, height)


def _ramp(u: float) -> float:
    """Cosine ease 0 -> 1 over u in [0, 1] (smooth start and stop, like a real rep)."""
    u = min(1.0, max(0.0, u))
    return 0.5 - 0.5 * math.cos(math.pi * u)


# ---------------------------------------------------------------------------------------
# glute bridge
BRIDGE_SHOULDER: Pt = (880.0, 600.0)
BRIDGE_KNEE: Pt = (560.0, 420.0)
BRIDGE_ANKLE: Pt = (500.0, 600.0)


def bridge_pose(theta_deg: float) -> np.ndarray:
    """One bridge frame with the signed shoulder-hip-knee angle ``theta_deg``."""
    hip = _hip_off_line(BRIDGE_SHOULDER, BRIDGE_KNEE, 180.0 - theta_deg, 0.5)
    near = {
        "SHOULDER": BRIDGE_SHOULDER,
        "ELBOW": (790.0, 612.0),
        "WRIST": (700.0, 614.0),
        "HIP": hip,
        "KNEE": BRIDGE_KNEE,
        "ANKLE": BRIDGE_ANKLE,
    }
    far = _shift(near, 5.0, -7.0)
    head = _head(ear=(950.0, 588.0), nose=(990.0, 566.0))
    return _frame(near, far, head)


@dataclass
class BridgeRep:
    """One rep of the profile: angles in degrees, phases in seconds."""

    top_deg: float = 178.0
    pause_s: float = 1.0
    rise_s: float = 0.7
    lower_s: float = 1.2
    rest_s: float = 1.0


def bridge_profile(
    reps: Sequence[BridgeRep], bottom_deg: float = 130.0, lead_s: float = 1.0
) -> tuple[Callable[[float], float], float]:
    """theta(t) for a set, and its duration (ends with one rest at the bottom)."""
    segs: list[tuple[float, float, float, float]] = []  # (t0, t1, from, to)
    t = 0.0
    segs.append((t, t + lead_s, bottom_deg, bottom_deg))
    t += lead_s
    for r in reps:
        for dur, a, b in (
            (r.rise_s, bottom_deg, r.top_deg),
            (r.pause_s, r.top_deg, r.top_deg),
            (r.lower_s, r.top_deg, bottom_deg),
            (r.rest_s, bottom_deg, bottom_deg),
        ):
            segs.append((t, t + dur, a, b))
            t += dur

    def theta(x: float) -> float:
        for t0, t1, a, b in segs:
            if x <= t1:
                return a + (b - a) * _ramp((x - t0) / (t1 - t0) if t1 > t0 else 1.0)
        return bottom_deg

    return theta, t


def bridge_series(
    reps: Sequence[BridgeRep] | int = 5,
    bottom_deg: float = 130.0,
    lead_s: float = 1.0,
    fps: float = 30.0,
    band_deg: float = 10.0,
    jitter: float = 0.0,
    profile: Callable[[float], float] | None = None,
    duration_s: float | None = None,
) -> tuple[PoseSeries, Truth]:
    """A glute-bridge set; ``reps`` as a count (defaults) or per-rep settings.

    The truth's ``pause_s`` uses the analysis' definition on the exact profile:
    the time within ``band_deg`` of the rep's highest angle. ``lower_s`` is the
    profile's lowering time, start of the descent to rest at the bottom.
    """
    if isinstance(reps, int):
        reps = [BridgeRep() for _ in range(reps)]
    reps = list(reps)
    if profile is None:
        theta, dur = bridge_profile(reps, bottom_deg, lead_s)
    else:
        theta, dur = profile, float(duration_s or 10.0)
    t = _times(dur, fps, jitter)
    frames = [bridge_pose(theta(float(x))) for x in t]
    truth = Truth(reps=len(reps))
    # answers from the cosine ramps in closed form: during the rise the angle is
    # within band_deg of the top from s_top = acos(2 band/R - 1) / pi of the rise on
    # (R = top - bottom), and the lowering leaves that band at 1 - s_top of it. The
    # lowering's duration is the profile's lower_s (start of descent to rest).
    start = lead_s
    for r in reps:
        rng = r.top_deg - bottom_deg
        s_top = math.acos(max(-1.0, min(1.0, 2 * band_deg / rng - 1))) / math.pi
        lower_start = start + r.rise_s + r.pause_s
        top_t0 = start + r.rise_s * s_top
        top_t1 = lower_start + r.lower_s * (1 - s_top)
        truth.top_deg.append(r.top_deg)
        truth.bottom_deg.append(bottom_deg)
        truth.pause_s.append(top_t1 - top_t0)
        truth.lower_s.append(r.lower_s)
        start += r.rise_s + r.pause_s + r.lower_s + r.rest_s
    return _series(frames, t), truth


# ---------------------------------------------------------------------------------------
# plank
PLANK_SHOULDER: Pt = (400.0, 489.0)
PLANK_ANKLE: Pt = (975.0, 610.0)


def plank_pose(dev_deg: float, kneeling: bool = False) -> np.ndarray:
    """One forearm-plank frame, hips ``dev_deg`` off the shoulder-ankle line (+ = sagging)."""
    sh, ank = PLANK_SHOULDER, PLANK_ANKLE
    hip = _hip_off_line(sh, ank, dev_deg, 0.45)
    if kneeling:  # knees down on the floor, shins along it
        knee = (hip[0] + 90.0, 632.0)
        ank = (knee[0] + 180.0, 628.0)
    else:
        knee = (0.5 * (hip[0] + ank[0]), 0.5 * (hip[1] + ank[1]))
    near = {
        "SHOULDER": sh,
        "ELBOW": (400.0, 630.0),
        "WRIST": (290.0, 632.0),
        "HIP": hip,
        "KNEE": knee,
        "ANKLE": ank,
    }
    far = _shift(near, 6.0, -6.0)
    head = _head(ear=(335.0, 478.0), nose=(300.0, 500.0))
    return _frame(near, far, head, vis_far=0.6)


def hold_series(
    pose: Callable[[float], np.ndarray],
    duration_s: float,
    fps: float = 30.0,
    jitter: float = 0.0,
    width: int = W,
    height: int = H,
) -> PoseSeries:
    t = _times(duration_s, fps, jitter)
    return _series([pose(float(x)) for x in t], t, width, height)


def plank_series(
    segments: Sequence[tuple[float, float]] = ((20.0, 0.0),),
    kneel_s: float = 0.0,
    fps: float = 30.0,
    tol_deg: float = 10.0,
    jitter: float = 0.0,
) -> tuple[PoseSeries, Truth]:
    """A plank: ``kneel_s`` kneeling, then ``segments`` of (seconds, hip deviation deg).

    Truth: each run of consecutive segments within ``tol_deg`` of the line is a
    hold (with its duration); the frames' expected labels are in ``extra["label"]``.
    """
    bounds: list[tuple[float, float, float]] = []
    t = kneel_s
    for dur, dev in segments:
        bounds.append((t, t + dur, dev))
        t += dur
    total = t

    def dev_at(x: float) -> float:
        for a, b, dev in bounds:
            if a <= x < b:
                return dev
        return bounds[-1][2]

    def pose(x: float) -> np.ndarray:
        if x < kneel_s:
            return plank_pose(0.0, kneeling=True)
        return plank_pose(dev_at(x))

    series = hold_series(pose, total, fps, jitter)
    truth = Truth()
    run = 0.0
    for _a, _b, dev in bounds:
        if abs(dev) <= tol_deg:
            run += _b - _a
        elif run > 0:
            truth.holds_s.append(run)
            run = 0.0
    if run > 0:
        truth.holds_s.append(run - 0.0)
    # the last hold ends at the last frame, not one frame later
    if truth.holds_s and abs(bounds[-1][2]) <= tol_deg:
        truth.holds_s[-1] = truth.holds_s[-1] - (total - float(series.t_s[-1]))

    def label(x: float) -> str | None:
        if x < kneel_s:
            return None
        d = dev_at(x)
        return "hips_sagging" if d > tol_deg else "hips_piked" if d < -tol_deg else "good"

    truth.extra["label"] = [label(float(x)) for x in series.t_s]
    truth.extra["dev"] = [None if x < kneel_s else dev_at(float(x)) for x in series.t_s]
    return series, truth


# ---------------------------------------------------------------------------------------
# side plank (front view)
SP_SHOULDER_MID: Pt = (380.0, 430.0)
SP_ANKLE_MID: Pt = (980.0, 600.0)


def side_plank_pose(dev_deg: float) -> np.ndarray:
    """One side-plank frame, left side down, facing the camera; hips ``dev_deg`` off line."""
    sm, am = SP_SHOULDER_MID, SP_ANKLE_MID
    hm = _hip_off_line(sm, am, dev_deg, 0.45)
    d = math.hypot(am[0] - sm[0], am[1] - sm[1])
    ux, uy = (am[0] - sm[0]) / d, (am[1] - sm[1]) / d
    nx, ny = -uy, ux  # points down-left: towards the floor side
    if ny < 0:
        nx, ny = -nx, -ny

    def stack(p: Pt, half: float) -> tuple[Pt, Pt]:
        return (p[0] + half * nx, p[1] + half * ny), (p[0] - half * nx, p[1] - half * ny)

    ls, rs = stack(sm, 90.0)  # left (down) shoulder is the lower one
    lh, rh = stack(hm, 65.0)
    km = (0.5 * (hm[0] + am[0]), 0.5 * (hm[1] + am[1]))
    lk, rk = stack(km, 45.0)
    la, ra = stack(am, 25.0)
    left = {
        "SHOULDER": ls,
        "ELBOW": (ls[0], 650.0),
        "WRIST": (ls[0] - 110.0, 652.0),
        "HIP": lh,
        "KNEE": lk,
        "ANKLE": la,
    }
    right = {
        "SHOULDER": rs,
        "ELBOW": (rs[0] + 60.0, rs[1] + 110.0),
        "WRIST": (rs[0] + 130.0, rs[1] + 150.0),
        "HIP": rh,
        "KNEE": rk,
        "ANKLE": ra,
    }
    nose = (sm[0] - 95.0 * ux, sm[1] - 95.0 * uy)
    head = _head(ear=(sm[0] - 70.0 * ux, sm[1] - 70.0 * uy), nose=nose)
    head[L.LEFT_EAR] = (head[L.LEFT_EAR][0] + 35 * nx, head[L.LEFT_EAR][1] + 35 * ny)
    head[L.RIGHT_EAR] = (head[L.RIGHT_EAR][0] - 35 * nx, head[L.RIGHT_EAR][1] - 35 * ny)
    return _frame(left, right, head, vis_near=0.95, vis_far=0.9)


def side_plank_series(
    segments: Sequence[tuple[float, float]] = ((15.0, 0.0),),
    side: str = "left",
    fps: float = 30.0,
    tol_deg: float = 10.0,
) -> tuple[PoseSeries, Truth]:
    """A side plank: ``segments`` of (seconds, hip deviation deg); ``side`` on the floor."""
    bounds = []
    t = 0.0
    for dur, dev in segments:
        bounds.append((t, t + dur, dev))
        t += dur

    def dev_at(x: float) -> float:
        for a, b, dev in bounds:
            if a <= x < b:
                return dev
        return bounds[-1][2]

    series = hold_series(lambda x: side_plank_pose(dev_at(x)), t, fps)
    if side == "right":
        series = series.mirrored()
    truth = Truth(sides=[side])
    run = 0.0
    for a, b, dev in bounds:
        if abs(dev) <= tol_deg:
            run += b - a
        elif run > 0:
            truth.holds_s.append(run)
            run = 0.0
    if run > 0:
        truth.holds_s.append(run - (t - float(series.t_s[-1])))
    return series, truth


# ---------------------------------------------------------------------------------------
# bird dog
BD_SHOULDER: Pt = (800.0, 420.0)
BD_HIP: Pt = (540.0, 450.0)
FLOOR_Y = 645.0


def _rot(p: Pt, about: Pt, deg: float) -> Pt:
    """Rotate p about ``about`` by ``deg`` (positive lifts a point ahead of it: y down)."""
    a = math.radians(deg)
    x, y = p[0] - about[0], p[1] - about[1]
    return (
        about[0] + x * math.cos(a) + y * math.sin(a),
        about[1] - x * math.sin(a) + y * math.cos(a),
    )


def bird_dog_pose(
    reach_side: str | None,
    u: float,
    arm_elev_deg: float = 0.0,
    leg_elev_deg: float = 0.0,
    trunk_delta_deg: float = 0.0,
) -> np.ndarray:
    """One all-fours frame; ``reach_side`` arm and the opposite leg lifted by ``u`` in [0, 1].

    At ``u = 1`` the reaching arm (shoulder-wrist) is ``arm_elev_deg`` above
    horizontal, forward, and the opposite leg (hip-ankle) ``leg_elev_deg`` above
    horizontal, backward, knee straight. ``trunk_delta_deg * u`` tilts the
    shoulders up about the hips.
    """
    hip = BD_HIP
    sh = _rot(BD_SHOULDER, hip, trunk_delta_deg * u)

    def arm(lift: float) -> dict[str, Pt]:
        phi = math.radians(lift * (90.0 + arm_elev_deg))  # from straight down, forward
        wrist = (sh[0] + ARM * math.sin(phi), sh[1] + ARM * math.cos(phi))
        elbow = (sh[0] + UPPER_ARM * math.sin(phi), sh[1] + UPPER_ARM * math.cos(phi))
        if lift == 0.0:
            wrist = (sh[0], FLOOR_Y - 5.0)
            elbow = (sh[0], sh[1] + 0.6 * (wrist[1] - sh[1]))
        return {"SHOULDER": sh, "ELBOW": elbow, "WRIST": wrist}

    def leg(lift: float) -> dict[str, Pt]:
        psi = math.radians(lift * (90.0 + leg_elev_deg))  # thigh from straight down, backward
        knee = (hip[0] - THIGH * math.sin(psi), hip[1] + THIGH * math.cos(psi))
        shank = psi + math.radians((1.0 - lift) * 90.0)
        ankle = (knee[0] - SHANK * math.sin(shank), knee[1] + SHANK * math.cos(shank))
        return {"HIP": hip, "KNEE": knee, "ANKLE": ankle}

    lifted = {"left": {"arm": 0.0, "leg": 0.0}, "right": {"arm": 0.0, "leg": 0.0}}
    if reach_side in ("left", "right"):
        other = "right" if reach_side == "left" else "left"
        lifted[reach_side]["arm"] = u
        lifted[other]["leg"] = u
    left = {**arm(lifted["left"]["arm"]), **leg(lifted["left"]["leg"])}
    right = {**arm(lifted["right"]["arm"]), **leg(lifted["right"]["leg"])}
    right = _shift(right, 6.0, -8.0)
    head = _head(ear=(sh[0] + 70.0, sh[1] - 20.0), nose=(sh[0] + 110.0, sh[1] + 5.0))
    return _frame(left, right, head, vis_near=0.95, vis_far=0.75)


@dataclass
class Reach:
    side: str = "left"
    hold_s: float = 3.0
    raise_s: float = 0.8
    rest_s: float = 1.5
    arm_elev_deg: float = 0.0
    leg_elev_deg: float = 0.0
    trunk_delta_deg: float = 0.0


def bird_dog_series(
    reaches: Sequence[Reach] | None = None,
    lead_s: float = 1.5,
    fps: float = 30.0,
    raise_min_deg: float = 45.0,
) -> tuple[PoseSeries, Truth]:
    """A bird-dog set. Truth ``holds_s``: the time arm and thigh are both raised more
    than ``raise_min_deg`` from hanging (the analysis' definition), from the profile."""
    if reaches is None:
        reaches = [Reach("left"), Reach("right"), Reach("left"), Reach("right")]
    segs: list[tuple[float, float, Reach | None, float, float]] = [(0.0, lead_s, None, 0.0, 0.0)]
    t = lead_s
    for r in reaches:
        for dur, a, b in (
            (r.raise_s, 0.0, 1.0),
            (r.hold_s, 1.0, 1.0),
            (r.raise_s, 1.0, 0.0),
            (r.rest_s, 0.0, 0.0),
        ):
            segs.append((t, t + dur, r, a, b))
            t += dur

    def state(x: float) -> tuple[Reach | None, float]:
        for t0, t1, r, a, b in segs:
            if x <= t1:
                return r, a + (b - a) * _ramp((x - t0) / (t1 - t0) if t1 > t0 else 1.0)
        return None, 0.0

    def pose(x: float) -> np.ndarray:
        r, u = state(x)
        if r is None:
            return bird_dog_pose(None, 0.0)
        return bird_dog_pose(r.side, u, r.arm_elev_deg, r.leg_elev_deg, r.trunk_delta_deg)

    series = hold_series(pose, t, fps)
    truth = Truth(reps=len(reaches), sides=[r.side for r in reaches])
    for r in reaches:
        # arm angle from down = u * (90 + elev); thigh likewise; both above raise_min
        u_arm = raise_min_deg / (90.0 + r.arm_elev_deg)
        u_leg = raise_min_deg / (90.0 + r.leg_elev_deg)
        u_min = max(u_arm, u_leg)
        frac_above = 1.0 - math.acos(1.0 - 2.0 * u_min) / math.pi  # cosine ramp
        truth.holds_s.append(r.hold_s + 2.0 * r.raise_s * frac_above)
    return series, truth


# ---------------------------------------------------------------------------------------
# someone upright (for "not an exercise" and activity recognition)
def upright_pose(t_s: float, cadence_hz: float = 1.4) -> np.ndarray:
    """A person standing side-on and swaying the legs as in walking or jogging in place."""
    hip = (640.0, 330.0)
    sh = (650.0, 110.0)
    sw = math.sin(2 * math.pi * cadence_hz * t_s)

    def leg(phase: float) -> dict[str, Pt]:
        a = math.radians(25.0 * phase)
        knee = (hip[0] + THIGH * math.sin(a), hip[1] + THIGH * math.cos(a))
        ank = (knee[0] - 0.3 * SHANK * max(0.0, -phase), knee[1] + SHANK)
        return {"HIP": hip, "KNEE": knee, "ANKLE": ank}

    def arm(phase: float) -> dict[str, Pt]:
        a = math.radians(-20.0 * phase)
        el = (sh[0] + UPPER_ARM * math.sin(a), sh[1] + UPPER_ARM * math.cos(a))
        return {"SHOULDER": sh, "ELBOW": el, "WRIST": (el[0] + 60.0, el[1] + 80.0)}

    near = {**arm(sw), **leg(sw)}
    far = _shift({**arm(-sw), **leg(-sw)}, 4.0, -3.0)
    head = _head(ear=(655.0, 50.0), nose=(690.0, 55.0))
    return _frame(near, far, head)


def upright_series(duration_s: float = 8.0, fps: float = 30.0) -> PoseSeries:
    return hold_series(upright_pose, duration_s, fps)


# ---------------------------------------------------------------------------------------
# capture problems
def with_noise(series: PoseSeries, sigma_px: float, seed: int = 0) -> PoseSeries:
    """Gaussian pixel noise on every landmark's x and y (pose-model jitter)."""
    rng = np.random.default_rng(seed)
    xyzv = series.xyzv.copy()
    xyzv[..., :2] += rng.normal(0.0, sigma_px, xyzv[..., :2].shape).astype(np.float32)
    return PoseSeries(xyzv, series.t_s, series.width, series.height)


def with_absence(series: PoseSeries, ranges_s: Sequence[tuple[float, float]]) -> PoseSeries:
    """Nobody in view (all NaN) for ``t0 <= t < t1`` of each range."""
    xyzv = series.xyzv.copy()
    for a, b in ranges_s:
        xyzv[(series.t_s >= a) & (series.t_s < b)] = np.nan
    return PoseSeries(xyzv, series.t_s, series.width, series.height)


def with_feet_out(series: PoseSeries, ranges_s: Sequence[tuple[float, float]]) -> PoseSeries:
    """Feet and knees beyond the right edge of the picture, seen poorly, in the ranges."""
    xyzv = series.xyzv.copy()
    parts = ("KNEE", "ANKLE", "HEEL", "FOOT_INDEX")
    for a, b in ranges_s:
        sel = (series.t_s >= a) & (series.t_s < b)
        for side in ("LEFT", "RIGHT"):
            for part in parts:
                lm = L[f"{side}_{part}"]
                xyzv[sel, lm, 0] = series.width + 40.0
                xyzv[sel, lm, 3] = 0.1
    return PoseSeries(xyzv, series.t_s, series.width, series.height)


def as_normalized(series: PoseSeries) -> np.ndarray:
    """The landmarks as MediaPipe writes them: x, y in 0..1 of the frame, z, visibility."""
    arr = series.xyzv.astype(np.float64).copy()
    arr[..., 0] /= series.width
    arr[..., 1] /= series.height
    arr[..., 2] /= series.width
    return arr
