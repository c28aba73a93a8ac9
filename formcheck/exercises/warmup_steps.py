"""Jumping jacks, high knees and butt kicks: the quick warm-up moves, as move specs.

Each is a :class:`~formcheck.exercises.moves.MoveSpec` run by the one
:class:`~formcheck.exercises.moves.DynamicMoveAnalyzer`. Angles in degrees from
the smoothed 2-D landmarks (image y down):

* jumping jacks (front view, counted once): the signal ``arm_raise_deg`` is the
  mean over both arms of the shoulder-wrist line's angle from hanging straight
  down (0 = by the sides, 90 = shoulder height, 180 = overhead). Form: the ankles'
  spread over the shoulders' width, its largest in the rep (``feet_ratio``);
* high knees (side view, per leg, timed): ``thigh_raise_deg`` = the hip-knee
  line's angle from hanging down, + when the knee is in front of the hip (the way
  the nose points), minus the other thigh's angle either way (both up together is
  a squat; one forward, one back, a stride or a lunge). Form: the thigh's peak
  (``thigh_peak_deg``) reaches hip height;
* butt kicks (side view, per leg, timed): ``shank_back_deg`` = the knee-ankle
  line's angle from hanging down, + when the ankle is behind the knee, less the
  thigh's angle from hanging (a kick keeps the thigh down). Form: the peak
  (``shank_peak_deg``) brings the heel to the glutes.

Sides are the person's, as MediaPipe labels them; in a pure side view the far leg
is half hidden and its label can swap, so per-leg counts are checked only as a
total and as the alternation.

References
----------
Runners' warm-up and recovery tips (article): high knees then butt kicks, 30 s
each. Jumping jacks are in the warm-up list of the issue, not in the articles: their
cues are general coaching cues (arms overhead, feet wider than the shoulders).
"""

from __future__ import annotations

import math

from formcheck.exercises.moves import Body, Memory, MoveSpec
from formcheck.exercises.posture_geometry import SIDES, from_down_deg, mid
from formcheck.pose.landmarks import Landmark

STANDING = ("shoulder", "hip", "knee", "ankle")


def facing(b: Body, mem: Memory) -> float:
    """+1 when the person faces image-right, -1 image-left (side view): the nose ahead
    of the ears; the last known way is kept when the face is not seen."""
    nose = b.pt(Landmark.NOSE)
    ears = mid(b.part("left", "ear"), b.part("right", "ear"))
    dx = nose[0] - ears[0]
    if math.isfinite(dx) and abs(dx) > 0.05 * b.torso:
        mem["facing"] = 1.0 if dx > 0 else -1.0
    return float(mem.get("facing", 1.0))


def upright(b: Body, view: str) -> bool:
    return b.p.label == "upright" and b.p.view == view


# ---------------------------------------------------------------------------------------
# jumping jacks
def _jacks_signal(b: Body, mem: Memory) -> dict[str, float]:
    raise_deg = [from_down_deg(b.part(s, "shoulder"), b.part(s, "wrist")) for s in SIDES]
    ok = [x for x in raise_deg if math.isfinite(x)]
    return {"both": sum(ok) / len(ok) if ok else math.nan}


def _jacks_aux(b: Body, mem: Memory) -> dict[str, float]:
    shoulders = abs(b.part("left", "shoulder")[0] - b.part("right", "shoulder")[0])
    ankles = abs(b.part("left", "ankle")[0] - b.part("right", "ankle")[0])
    return {"feet_ratio": ankles / shoulders if shoulders > 0 else math.nan}


JUMPING_JACKS = MoveSpec(
    name="jumping-jacks",
    view="front",
    needed=(*STANDING, "wrist"),
    counters=("both",),
    sides=(),
    signal="arm_raise_deg",
    unit="deg",
    out_threshold="jacks_arms_out_deg",
    in_threshold="jacks_arms_in_deg",
    phase_threshold="move_fast_phase_min_s",
    max_rep_threshold="move_fast_rep_max_s",
    signals=_jacks_signal,
    aux=_jacks_aux,
    in_position=lambda b, mem: upright(b, "front"),
    form_metric="feet_ratio",
    form_unit="shoulder widths",
    form_value=lambda r: r.aux_max("feet_ratio"),
    fault="feet_narrow",
)


# ---------------------------------------------------------------------------------------
# high knees
def thigh_raise(b: Body, mem: Memory) -> dict[str, float]:
    """Each thigh's angle from hanging down, + forward (the way the person faces)."""
    fwd = facing(b, mem)
    out = {}
    for s in SIDES:
        hip, knee = b.part(s, "hip"), b.part(s, "knee")
        a = from_down_deg(hip, knee)
        out[s] = a if (knee[0] - hip[0]) * fwd >= 0 else -a
    return out


def _thigh_signal(b: Body, mem: Memory) -> dict[str, float]:
    """A knee raise beside a standing leg: less the other thigh's angle either way (both
    thighs up together is a squat or a jump; one forward and one back, a stride or a
    lunge)."""
    th = thigh_raise(b, mem)
    return {s: th[s] - abs(th[o]) for s, o in (("left", "right"), ("right", "left"))}


HIGH_KNEES = MoveSpec(
    name="high-knees",
    view="side",
    needed=STANDING,
    counters=SIDES,
    sides=SIDES,
    signal="thigh_raise_deg",
    unit="deg",
    out_threshold="high_knees_out_deg",
    in_threshold="high_knees_in_deg",
    phase_threshold="move_fast_phase_min_s",
    max_rep_threshold="move_fast_rep_max_s",
    signals=_thigh_signal,
    in_position=lambda b, mem: upright(b, "side"),
    form_metric="thigh_peak_deg",
    form_unit="deg",
    fault="knee_low",
    timed_threshold="high_knees_target_s",
)


# ---------------------------------------------------------------------------------------
# butt kicks
def _shank_back(b: Body, mem: Memory) -> dict[str, float]:
    """Each shank's (knee to ankle) angle from hanging down, + when the ankle is behind
    the knee, less its thigh's angle from hanging either way: a heel kicked up to the
    glutes with the thigh down turns it past horizontal; a raised knee (high knees)
    leaves it near hanging, a squat tips it forward, a lunge's back leg or a stride
    tips the thigh."""
    fwd = facing(b, mem)
    thigh = thigh_raise(b, mem)
    out = {}
    for s in SIDES:
        knee, ankle = b.part(s, "knee"), b.part(s, "ankle")
        a = from_down_deg(knee, ankle)
        shank = a if (ankle[0] - knee[0]) * fwd <= 0 else -a
        out[s] = shank - abs(thigh[s])  # a kick keeps the thigh hanging
    return out


BUTT_KICKS = MoveSpec(
    name="butt-kicks",
    view="side",
    needed=STANDING,
    counters=SIDES,
    sides=SIDES,
    signal="shank_back_deg",
    unit="deg",
    out_threshold="butt_kicks_out_deg",
    in_threshold="butt_kicks_in_deg",
    phase_threshold="move_fast_phase_min_s",
    max_rep_threshold="move_fast_rep_max_s",
    signals=_shank_back,
    in_position=lambda b, mem: upright(b, "side"),
    form_metric="shank_peak_deg",
    form_unit="deg",
    fault="heel_low",
    timed_threshold="butt_kicks_target_s",
)
