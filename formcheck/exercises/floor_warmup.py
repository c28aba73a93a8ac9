"""Floor warm-up moves as :class:`~formcheck.exercises.moves.MoveSpec` entries:
cat-cow and the knee-to-chest march.

**Cat-cow** (on all fours, side view). MediaPipe has no point on the spine, so the
spine's curve is read where it shows: the head, which continues it (up and
forward in the cow, chin to chest in the cat). The signal is the head-to-trunk
angle, from the hip-shoulder line to the shoulder-ear line (0 = head in line with
the back, + = up, the cow; - = down, the cat). An *end* of the range is reached
when that angle passes ``cat_cow_end_deg`` either way and comes back by
``cat_cow_turn_deg`` from its furthest point; a rep (a cycle) is one end and then
the other. The counted signal is the smaller of the two ends reached in the
cycle under way (0 between cycles, and inside the counter's hysteresis band from
entering the first end until the second is passed), so a cycle counts once, when
its second end is left; its peak is the cycle's shallower end, judged against
``cat_cow_range_min_deg`` (both ends of the range reached); its time, from
entering the first end to leaving the second, against ``cat_cow_cycle_min_s``
(slow). A person who only nods moves the head, not the
back, and is counted too: the limit of a head proxy.

**Knee-to-chest march** (lying on the back, side view). Per leg, the hip flexion:
the angle between the trunk line (hip to shoulder midpoint) and the thigh, 0 =
leg along the floor. A rep is a knee raised past ``knee_chest_out_deg`` and back
under ``knee_chest_in_deg``, counted per leg; its peak hip flexion is judged
against ``knee_chest_hip_min_deg`` (the knee reaches the chest); a knee kept up
longer than ``knee_chest_max_rep_s`` is a knee hug held, not counted. In position:
lying face up with one leg down while the other marches.

Side names follow MediaPipe's left/right labels, which can be swapped for the far
limbs in a pure side view.
"""

from __future__ import annotations

import math

from formcheck.exercises.floor_geometry import (
    ears,
    face_down,
    face_up,
    head_dir,
    limbs_hanging,
    limits,
    th,
    trunk_level,
    turn_deg,
    vec,
)
from formcheck.exercises.move_body import Body, Memory
from formcheck.exercises.moves import MoveSpec
from formcheck.exercises.posture_geometry import NAN, SIDES, angle_at, finite


# ---------------------------------------------------------------------------------------
# cat-cow
def neck_deg(b: Body) -> float:
    """Head-to-trunk angle, degrees: + head turned up from the back's line (cow)."""
    p = b.p
    sh, hp, ear = p.mid("shoulder"), p.mid("hip"), ears(p)
    if not finite(sh, hp, ear):
        return NAN
    return turn_deg(vec(hp, sh), vec(sh, ear), head_dir(p))


def _cat_cow_signals(b: Body, mem: Memory) -> dict[str, float]:
    x = neck_deg(b)
    if not math.isfinite(x):
        return {"both": NAN}
    end, turn = th(mem, "cat_cow_end_deg"), th(mem, "cat_cow_turn_deg")
    cand = mem.get("cand")
    if cand is None:
        if x >= end and mem.get("last") != "cow":
            cand, mem["ext"] = "cow", x
        elif x <= -end and mem.get("last") != "cat":
            cand, mem["ext"] = "cat", x
        mem["cand"] = cand
    reached: str | None = None
    if cand == "cow":
        mem["ext"] = max(mem["ext"], x)
        if x <= mem["ext"] - turn:
            reached = "cow"
    elif cand == "cat":
        mem["ext"] = min(mem["ext"], x)
        if x >= mem["ext"] + turn:
            reached = "cat"
    first = mem.get("first")
    if reached is not None:
        mem["cand"] = None
        mem["last"] = reached
        if first is None:  # the cycle's first end
            mem["first"], mem["opp"] = (reached, abs(mem["ext"])), 0.0
        else:  # the other end: the cycle is done
            mem["first"] = None
            return {"both": 0.0}
    first = mem.get("first")
    # from the moment an end is entered the cycle is under way: the signal sits in the
    # counter's hysteresis band (neither in nor out) until both ends are reached
    band = 0.5 * (th(mem, "cat_cow_pair_in_deg") + end)
    if first is None:
        return {"both": band if mem.get("cand") is not None else 0.0}
    toward = -x if first[0] == "cow" else x
    mem["opp"] = max(mem["opp"], toward)
    return {"both": max(band, min(first[1], mem["opp"]))}


def _cat_cow_position(b: Body, mem: Memory) -> bool:
    p = b.p
    return (
        p.label == "all_fours"
        and face_down(p)
        and limbs_hanging(p, limits(mem), "shoulder", "wrist") == 2
        and limbs_hanging(p, limits(mem), "hip", "knee") == 2
        and math.isfinite(neck_deg(b))
    )


CAT_COW = MoveSpec(
    name="cat-cow",
    view="side",
    needed=("shoulder", "hip", "knee", "wrist", "ear"),
    counters=("both",),
    sides=(),
    signal="range_deg",
    unit="deg",
    out_threshold="cat_cow_end_deg",
    in_threshold="cat_cow_pair_in_deg",
    signals=_cat_cow_signals,
    in_position=_cat_cow_position,
    form_metric="range_deg",
    form_unit="deg",
    fault="short_range",
    dose_threshold="cat_cow_target_reps",
)


# ---------------------------------------------------------------------------------------
# knee-to-chest march
def hip_flex_deg(b: Body, side: str) -> float:
    """Hip flexion of ``side``: 180 - the shoulder(midpoint)-hip-knee angle, degrees."""
    p = b.p
    return 180.0 - angle_at(p.mid("shoulder"), p.p(side, "hip"), p.p(side, "knee"))


def _knee_chest_signals(b: Body, mem: Memory) -> dict[str, float]:
    return {s: hip_flex_deg(b, s) for s in SIDES}


def _knee_chest_position(b: Body, mem: Memory) -> bool:
    p = b.p
    flex = [hip_flex_deg(b, s) for s in SIDES]
    down = th(mem, "knee_chest_in_deg")
    return (
        p.view == "side"
        and trunk_level(p, limits(mem))
        and face_up(p)
        and any(f <= down for f in flex if math.isfinite(f))
    )


KNEE_TO_CHEST = MoveSpec(
    name="knee-to-chest",
    view="side",
    needed=("shoulder", "hip", "knee"),
    counters=SIDES,
    sides=SIDES,
    signal="hip_flex_deg",
    unit="deg",
    out_threshold="knee_chest_out_deg",
    in_threshold="knee_chest_in_deg",
    signals=_knee_chest_signals,
    in_position=_knee_chest_position,
    form_metric="hip_flex_deg",
    form_unit="deg",
    fault="knee_low",
    max_rep_threshold="knee_chest_max_rep_s",
    dose_threshold="knee_chest_target_reps",
)
