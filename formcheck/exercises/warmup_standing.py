"""Standing twist, leg swings, hip circles and the squat, as move specs.

Each is a :class:`~formcheck.exercises.moves.MoveSpec` run by the one
:class:`~formcheck.exercises.moves.DynamicMoveAnalyzer`. Degrees and torso
lengths from the smoothed 2-D landmarks (image y down); sides are the person's,
as MediaPipe labels them.

* standing twist (front view, per side): the shoulders' turn from facing the
  camera, ``twist_deg`` = arccos(shoulder width / its neutral width), the neutral
  being a high quantile of the recent widths (most of a set passes through
  facing forward); the side is the one the shoulders turn to, from the model's
  depth (the shoulder turning away is further), or the nose when depth is flat.
  Form: the hips' turn, measured the same way from the hip width, stays small
  (``hips_max_deg``, the rep's largest); hips turning nearly as far as the
  shoulders (``twist_whole_body_frac``) is the whole body turning, not counted;
* forward leg swings (side view, per leg): ``leg_swing_deg`` = the hip-ankle
  line's angle from hanging down, + in front (the way the nose points), less the
  other leg's (the standing leg stays under the body; in a stride both legs are
  spread); a bent knee (over ``leg_swing_knee_max_deg``) is not a swing, nor a
  swing whose standing leg left hanging (``leg_swing_stance_max_deg``). Form: the
  trunk's largest lean from vertical during the swing (``trunk_max_deg``);
* side leg swings (front view, per leg): the hip-ankle line's angle out to the
  side from hanging (+ = away from the body), less the other leg's; form as above;
* hip circles (front view, per direction): the hips' shift to the person's left
  of where the feet stand (the median of the ankles' midpoint over the last frames
  with both feet down), in torso lengths (``hip_shift_torso``); a circle is the
  hips out to the left past the ``out`` level and over to the right past ``in``.
  Its direction, as seen from above, is the sign of the area the hips sweep in
  the plane of their sideways shift and their forward shift, the latter from the
  model's depth (shoulders behind the hips = hips forward); the shift is not
  measured while a foot is off the ground. Form: the tempo;
* arm circles (side view, per direction): ``arm_up_deg`` = the arms' shoulder-wrist
  line above horizontal; a circle takes them over the top (past ``out``) and down
  below (past ``in``). Its direction is the sign of the area the wrists sweep in
  the (forward, up) plane: ``"ccw"`` = forward circles (hands rising in front),
  ``"cw"`` = backward, as seen from the person's right side. Form: the arms stay
  long (``elbow_min_deg``, the straighter elbow's smallest angle in the circle);
* squat (front view, counted once): ``hip_drop_torso`` = how far the hips are
  below their standing height (a high quantile of recent heights of the hips over
  the lower ankle),
  in standing torso lengths. Form: at depth the knees' spread over the ankles'
  (``knee_ratio``, the rep's smallest): knees caving in.

References
----------
Lower-back stretches before and after running (article): standing twist with the
hips facing forward, hip circles; Runners' warm-up and recovery tips (article) and
Fixing lower-back pain from running (article): leg swings; Causes of lower-back
pain in runners (article): squats.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from formcheck.exercises.move_body import Body, Memory, RepView, running_high
from formcheck.exercises.moves import MoveSpec
from formcheck.exercises.posture_geometry import SIDES, angle_at, from_down_deg, mid
from formcheck.exercises.warmup_steps import STANDING, facing, upright
from formcheck.pose.landmarks import Landmark

OTHER = {"left": "right", "right": "left"}


def _turn_deg(width: float, neutral: float) -> float:
    if not (math.isfinite(width) and math.isfinite(neutral)) or neutral <= 0:
        return math.nan
    return math.degrees(math.acos(max(0.0, min(1.0, width / neutral))))


# ---------------------------------------------------------------------------------------
# standing twist
def _widths(b: Body) -> tuple[float, float]:
    sh = abs(b.part("left", "shoulder")[0] - b.part("right", "shoulder")[0]) / b.torso
    hp = abs(b.part("left", "hip")[0] - b.part("right", "hip")[0]) / b.torso
    return sh, hp


def _twist_signal(b: Body, mem: Memory) -> dict[str, float]:
    sh, _hp = _widths(b)
    turn = _turn_deg(sh, running_high(mem, "shoulder_w", sh))
    dz = b.depth(Landmark.LEFT_SHOULDER) - b.depth(Landmark.RIGHT_SHOULDER)
    if math.isfinite(dz) and abs(dz) > 0.02 * b.torso:
        to_left = dz > 0  # the left shoulder further away: turned to the left
    else:
        nose = b.pt(Landmark.NOSE)
        to_left = nose[0] > mid(b.part("left", "shoulder"), b.part("right", "shoulder"))[0]
    signed = turn if to_left else -turn
    return {"left": signed, "right": -signed}


def _twist_aux(b: Body, mem: Memory) -> dict[str, float]:
    _sh, hp = _widths(b)
    return {"hips_deg": _turn_deg(hp, running_high(mem, "hip_w", hp))}


def _is_twist(r: RepView, th: Callable[[str], float]) -> bool:
    """A twist turns the shoulders against the hips: hips turning nearly as far as the
    shoulders is the whole body turning (to the side, to walk off), not a twist."""
    hips = r.aux_max("hips_deg")
    return not hips >= th("twist_whole_body_frac") * r.excursion.peak


STANDING_TWIST = MoveSpec(
    name="standing-twist",
    view="front",
    needed=STANDING,
    counters=SIDES,
    sides=SIDES,
    signal="twist_deg",
    unit="deg",
    out_threshold="twist_out_deg",
    in_threshold="twist_in_deg",
    phase_threshold="move_fast_phase_min_s",
    signals=_twist_signal,
    aux=_twist_aux,
    in_position=lambda b, mem: upright(b, "front"),
    form_metric="hips_max_deg",
    form_unit="deg",
    form_value=lambda r: r.aux_max("hips_deg"),
    fault="hips_turning",
    counts=_is_twist,
    dose_threshold="twist_set_reps",
)


# ---------------------------------------------------------------------------------------
# leg swings
def _knee_bend(b: Body, s: str) -> float:
    return 180.0 - angle_at(b.part(s, "hip"), b.part(s, "knee"), b.part(s, "ankle"))


def _swing(b: Body, mem: Memory, angle: dict[str, float]) -> dict[str, float]:
    knee_max = mem["th"]("leg_swing_knee_max_deg")
    out = {}
    for s in SIDES:
        straight = _knee_bend(b, s) <= knee_max
        out[s] = angle[s] - abs(angle[OTHER[s]]) if straight else 0.0
    return out


def _front_swing(b: Body, mem: Memory) -> dict[str, float]:
    fwd = facing(b, mem)
    angle = {}
    for s in SIDES:
        hip, ankle = b.part(s, "hip"), b.part(s, "ankle")
        a = from_down_deg(hip, ankle)
        angle[s] = a if (ankle[0] - hip[0]) * fwd >= 0 else -a
    return _swing(b, mem, angle)


def _side_swing(b: Body, mem: Memory) -> dict[str, float]:
    angle = {}
    for s in SIDES:
        hip, ankle = b.part(s, "hip"), b.part(s, "ankle")
        a = from_down_deg(hip, ankle)
        out_x = 1.0 if s == "left" else -1.0  # facing the camera: the left leg out = image-right
        angle[s] = a if (ankle[0] - hip[0]) * out_x >= 0 else -a
    return _swing(b, mem, angle)


def _trunk_aux(b: Body, mem: Memory) -> dict[str, float]:
    """The trunk's lean, and each leg's angle from hanging (the standing leg's)."""
    out = {"trunk_deg": b.p.trunk_from_vertical_deg}
    for s in SIDES:
        out[f"leg_{s}_deg"] = from_down_deg(b.part(s, "hip"), b.part(s, "ankle"))
    return out


def _one_leg_swinging(r: RepView, th: Callable[[str], float]) -> bool:
    """A leg swing keeps the other foot planted under the body: the standing leg stays
    near hanging for the whole swing (in a running stride it sweeps back and forth)."""
    return not r.aux_max(f"leg_{OTHER[r.key]}_deg") > th("leg_swing_stance_max_deg")


def _leg_swing(name: str, view: str, fn: object) -> MoveSpec:
    return MoveSpec(
        name=name,
        view=view,  # type: ignore[arg-type]
        needed=STANDING,
        counters=SIDES,
        sides=SIDES,
        signal="leg_swing_deg",
        unit="deg",
        out_threshold="leg_swing_out_deg",
        in_threshold="leg_swing_in_deg",
        phase_threshold="move_fast_phase_min_s",
        signals=fn,  # type: ignore[arg-type]
        aux=_trunk_aux,
        in_position=lambda b, mem: upright(b, view),
        form_metric="trunk_max_deg",
        form_unit="deg",
        form_value=lambda r: r.aux_max("trunk_deg"),
        fault="trunk_leaning",
        dose_threshold="leg_swing_set_reps",
        counts=_one_leg_swinging,
    )


LEG_SWING_FRONT = _leg_swing("leg-swing-front", "side", _front_swing)
LEG_SWING_SIDE = _leg_swing("leg-swing-side", "front", _side_swing)


# ---------------------------------------------------------------------------------------
# hip circles
def _hip_circle_signal(b: Body, mem: Memory) -> dict[str, float]:
    """The hips' shift over the feet; unknown (NaN, the zone is kept) while a foot is
    off the ground, as a leg swung out moves the feet's midpoint instead."""
    if not _feet_down(b, mem):
        return {"circle": math.nan}
    feet_x = running_high(mem, "feet_x", b.p.mid("ankle")[0], keep=300, q=0.5)
    mem["feet_now"] = feet_x
    return {"circle": (b.p.mid("hip")[0] - feet_x) / b.torso}  # + = to the person's left


def _hip_circle_aux(b: Body, mem: Memory) -> dict[str, float]:
    sz = 0.5 * (b.depth(Landmark.LEFT_SHOULDER) + b.depth(Landmark.RIGHT_SHOULDER))
    hz = 0.5 * (b.depth(Landmark.LEFT_HIP) + b.depth(Landmark.RIGHT_HIP))
    x = (b.p.mid("hip")[0] - mem.get("feet_now", math.nan)) / b.torso
    return {"hip_x": x, "hip_fwd": (sz - hz) / b.torso}


def _feet_down(b: Body, mem: Memory) -> bool:
    """Both feet on the ground: the ankles level and the legs parallel (hips circling
    over planted feet tilt both legs alike; a leg swung out or across moves alone)."""
    la, ra = b.part("left", "ankle"), b.part("right", "ankle")
    lat = []
    for s in SIDES:
        hip, ankle = b.part(s, "hip"), b.part(s, "ankle")
        a = from_down_deg(hip, ankle)
        lat.append(a if ankle[0] >= hip[0] else -a)
    level = abs(la[1] - ra[1]) < mem["th"]("hip_circle_feet_level_torso") * b.torso
    return level and abs(lat[0] - lat[1]) <= mem["th"]("hip_circle_legs_parallel_deg")


def _turn(xs: list[float], ys: list[float]) -> str:
    """``"ccw"`` when the closed path through the points (x, y) turns anticlockwise (a
    positive signed area, shoelace formula, x right and y up), else ``"cw"``; the
    points with a NaN are left out, and fewer than three give ``"cw"``."""
    pts = [(x, y) for x, y in zip(xs, ys, strict=False) if math.isfinite(x) and math.isfinite(y)]
    area = 0.0
    for (x0, y0), (x1, y1) in zip(pts, pts[1:] + pts[:1], strict=False):
        area += x0 * y1 - x1 * y0
    return "ccw" if area > 0 else "cw"


def circle_direction(r: RepView) -> str:
    """``"cw"`` or ``"ccw"`` as seen from above: the sign of the area swept in the plane
    (to the person's right, forward); a flat or unknown depth gives ``"cw"``."""
    return _turn([-x for x in r.aux.get("hip_x", [])], r.aux.get("hip_fwd", []))


HIP_CIRCLES = MoveSpec(
    name="hip-circles",
    view="front",
    needed=STANDING,
    counters=("circle",),
    sides=("cw", "ccw"),
    signal="hip_shift_torso",
    unit="torso lengths",
    out_threshold="hip_circle_out_torso",
    in_threshold="hip_circle_in_torso",
    phase_threshold="move_fast_phase_min_s",
    signals=_hip_circle_signal,
    aux=_hip_circle_aux,
    side_of=circle_direction,
    in_position=lambda b, mem: upright(b, "front"),
    form_metric="rep_s",
    form_unit="s",
    form_value=lambda r: r.excursion.duration_s,
    fault="flung",
    dose_threshold="hip_circle_set_reps",
)


# ---------------------------------------------------------------------------------------
# squat
def _hip_height(b: Body) -> float:
    """Pixels from the hips' midpoint up from the lower ankle (the standing foot, when
    one foot is lifted: a kick or a knee raise does not lower the hips)."""
    low = max(b.part("left", "ankle")[1], b.part("right", "ankle")[1])
    return low - b.p.mid("hip")[1]


def _squat_signal(b: Body, mem: Memory) -> dict[str, float]:
    h = _hip_height(b)
    h0 = running_high(mem, "hip_h", h, keep=600, q=0.95)
    torso0 = running_high(mem, "torso", b.torso, keep=600, q=0.95)
    return {"both": (h0 - h) / torso0 if torso0 > 0 else math.nan}


def _squat_aux(b: Body, mem: Memory) -> dict[str, float]:
    if b.p.view != "front":
        # side-on: how far apart the feet are along the line of travel (a lunge's split)
        split = abs(b.part("left", "ankle")[0] - b.part("right", "ankle")[0]) / b.torso
        return {"knee_ratio": math.nan, "split": split}
    knees = abs(b.part("left", "knee")[0] - b.part("right", "knee")[0])
    ankles = abs(b.part("left", "ankle")[0] - b.part("right", "ankle")[0])
    return {"knee_ratio": knees / ankles if ankles > 0.1 * b.torso else math.nan}


def _feet_together(r: RepView, th: Callable[[str], float]) -> bool:
    """Seen side-on, a squat keeps the feet side by side; split, it is a lunge."""
    return not r.aux_max("split") >= th("lunge_split_min_torso")


SQUAT = MoveSpec(
    name="squat",
    view="front",
    needed=STANDING,
    counters=("both",),
    sides=(),
    signal="hip_drop_torso",
    unit="torso lengths",
    out_threshold="squat_out_torso",
    in_threshold="squat_in_torso",
    signals=_squat_signal,
    aux=_squat_aux,
    in_position=lambda b, mem: b.p.label == "upright",
    form_metric="knee_ratio",
    form_unit="knee spread / ankle spread",
    form_value=lambda r: r.aux_min("knee_ratio"),
    fault="knees_in",
    counts=_feet_together,
    max_rep_threshold="move_held_min_s",
)


# ---------------------------------------------------------------------------------------
# arm circles
def _arm_elevation(b: Body, mem: Memory) -> dict[str, float]:
    """Both arms' shoulder-wrist line above horizontal, degrees (-90 hanging, 90 up)."""
    ups = []
    for s in SIDES:
        sh, wr = b.part(s, "shoulder"), b.part(s, "wrist")
        up = from_down_deg(sh, wr) - 90.0
        if math.isfinite(up):
            ups.append(up)
    return {"circle": sum(ups) / len(ups) if ups else math.nan}


def _arm_aux(b: Body, mem: Memory) -> dict[str, float]:
    """The wrists' midpoint from the shoulders' (forward, up), in torso lengths, and the
    straighter elbow's angle."""
    fwd = facing(b, mem)
    sh = b.p.mid("shoulder")
    wr = mid(b.part("left", "wrist"), b.part("right", "wrist"))
    elbows = [
        angle_at(b.part(s, "shoulder"), b.part(s, "elbow"), b.part(s, "wrist")) for s in SIDES
    ]
    ok = [e for e in elbows if math.isfinite(e)]
    return {
        "wrist_fwd": (wr[0] - sh[0]) * fwd / b.torso,
        "wrist_up": (sh[1] - wr[1]) / b.torso,
        "elbow_deg": max(ok) if ok else math.nan,
    }


def arm_direction(r: RepView) -> str:
    """``"ccw"`` (forward circles: the hands rise in front) or ``"cw"`` (backward), as
    seen from the person's right side: the sign of the area the wrists sweep in the
    (forward, up) plane."""
    return _turn(r.aux.get("wrist_fwd", []), r.aux.get("wrist_up", []))


ARM_CIRCLES = MoveSpec(
    name="arm-circles",
    view="side",
    needed=(*STANDING, "wrist"),
    counters=("circle",),
    sides=("cw", "ccw"),
    signal="arm_up_deg",
    unit="deg",
    out_threshold="arm_circle_out_deg",
    in_threshold="arm_circle_in_deg",
    phase_threshold="move_fast_phase_min_s",
    signals=_arm_elevation,
    aux=_arm_aux,
    side_of=arm_direction,
    in_position=lambda b, mem: upright(b, "side"),
    form_metric="elbow_min_deg",
    form_unit="deg",
    form_value=lambda r: r.aux_min("elbow_deg"),
    fault="arms_bent",
    dose_threshold="arm_circle_set_reps",
)
