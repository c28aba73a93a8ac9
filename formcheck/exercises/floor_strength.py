"""Floor strength moves as :class:`~formcheck.exercises.moves.MoveSpec` entries: dead
bug, clamshell, donkey kick, superman and side-lying leg lift.

**Dead bug** (lying on the back, side view). Per diagonal (named by the reaching
arm, as the bird dog): the arm lowered overhead (shoulder-wrist from straight up,
towards the head) and the opposite thigh lowered (hip-knee from straight up,
towards the feet); the signal is the lesser of the two, so only an arm with the
*opposite* leg counts. Form: the hip-shoulder line's tilt from its resting angle
during the reach (``dead_bug_trunk_max_deg``): the low back lifting or the ribs
flaring tilt it; the low back itself has no landmark.

**Clamshell** and **side-lying leg lift** (lying on one side, facing the camera).
The top leg is the side whose hip is higher in the picture; its signal is the
angle between the two thighs (clamshell: the knees part, the feet stay together)
or the two legs, hip to ankle (leg lift: the feet part more than the knees);
counted per top leg. Form: the pelvis rolling: seen
from the front the hip-to-hip line shortens as the pelvis rolls, so the roll is
``acos(stack / resting stack)`` (``pelvis_roll_max_deg``); which way it rolls
(back or forward) is not told apart.

**Donkey kick** (on all fours, side view, hands down). Per leg: the thigh raised
behind from hanging straight down, knee bent (a straight-leg raise is a bird dog's,
not counted). Form: the thigh raised above the line of the back by more than the
hip extends (``donkey_kick_arch_max_deg``).

**Superman** (lying face down, side view). The signal is the bend of the
shoulder-hip-ankle line, + = chest and legs raised (both ends lifting about the
hips). Form: the chest (hip-shoulder line) raised above its resting angle
(``superman_chest_max_deg``).

Side names follow MediaPipe's left/right labels, which can be swapped for the far
limbs in a pure side view.
"""

from __future__ import annotations

import math

from formcheck.exercises.floor_geometry import (
    OTHER,
    face_down,
    face_up,
    from_down_toward,
    from_up_toward,
    head_dir,
    limbs_hanging,
    limits,
    lying_on_side,
    propped,
    rest,
    th,
    top_side,
    trunk_level,
    turn_deg,
    vec,
)
from formcheck.exercises.move_body import Body, Memory, RepView
from formcheck.exercises.moves import MoveSpec
from formcheck.exercises.posture_geometry import NAN, SIDES, angle_at, dist, elevation, finite


def _aux_max(name: str):  # type: ignore[no-untyped-def]
    def f(r: RepView) -> float:
        return r.aux_max(name)

    return f


# ---------------------------------------------------------------------------------------
# dead bug
def _arm_lowered(b: Body, side: str) -> float:
    p = b.p
    return from_up_toward(p.p(side, "shoulder"), p.p(side, "wrist"), head_dir(p))


def _thigh_lowered(b: Body, side: str) -> float:
    p = b.p
    return from_up_toward(p.p(side, "hip"), p.p(side, "knee"), -head_dir(p))


def _dead_bug_signals(b: Body, mem: Memory) -> dict[str, float]:
    return {s: min(_arm_lowered(b, s), _thigh_lowered(b, OTHER[s])) for s in SIDES}


def _dead_bug_position(b: Body, mem: Memory) -> bool:
    p = b.p
    up = th(mem, "dead_bug_out_deg")
    arms_up = any(abs(_arm_lowered(b, s)) < up for s in SIDES)
    legs_up = any(abs(_thigh_lowered(b, s)) < up for s in SIDES)
    return p.view == "side" and trunk_level(p, limits(mem)) and face_up(p) and arms_up and legs_up


def _trunk_change_aux(b: Body, mem: Memory, resting: bool) -> dict[str, float]:
    """The hip-shoulder line's tilt, degrees, from its median over resting frames."""
    p = b.p
    tilt = elevation(p.mid("hip"), p.mid("shoulder"))
    base = rest(mem, "trunk")
    base.update(tilt, resting)
    ref = base.value
    return {"trunk_change_deg": abs(tilt - ref) if math.isfinite(ref) else NAN}


def _dead_bug_aux(b: Body, mem: Memory) -> dict[str, float]:
    sig = mem["signals"]  # this frame's _dead_bug_signals
    resting = all(x <= th(mem, "dead_bug_in_deg") for x in sig.values())
    return _trunk_change_aux(b, mem, resting)


DEAD_BUG = MoveSpec(
    name="dead-bug",
    view="side",
    needed=("shoulder", "hip", "knee", "wrist"),
    counters=SIDES,
    sides=SIDES,
    signal="reach_deg",
    unit="deg",
    out_threshold="dead_bug_out_deg",
    in_threshold="dead_bug_in_deg",
    signals=_dead_bug_signals,
    in_position=_dead_bug_position,
    form_metric="trunk_change_deg",
    form_unit="deg",
    fault="back_lifting",
    form_value=_aux_max("trunk_change_deg"),
    aux=_dead_bug_aux,
)


# ---------------------------------------------------------------------------------------
# clamshell and side-lying leg lift
def _opening(b: Body, end: str) -> tuple[str, float]:
    """(top side, angle between the top and bottom hip->``end`` segments, degrees)."""
    p = b.p
    top = top_side(p)
    bot = OTHER[top]
    u = vec(p.p(top, "hip"), p.p(top, end))
    w = vec(p.p(bot, "hip"), p.p(bot, end))
    return top, abs(turn_deg(u, w, 1.0))


def _side_signals(end: str, in_name: str, feet_together: bool):  # type: ignore[no-untyped-def]
    """The top leg's opening; NaN (not this move) when the legs open the other way: in a
    clamshell the feet stay together while the knees part (``feet_together``), in a leg
    lift the feet part more than the knees. Seen from the front a bent knee looks
    straight (the thigh points at the camera), so the gaps tell the two apart."""

    def signals(b: Body, mem: Memory) -> dict[str, float]:
        p = b.p
        top, x = _opening(b, end)
        bot = OTHER[top]
        knees = dist(p.p(top, "knee"), p.p(bot, "knee"))
        feet = dist(p.p(top, "ankle"), p.p(bot, "ankle"))
        if x > th(mem, in_name) and (feet < knees) != feet_together:
            x = NAN
        return {top: x, bot: NAN}

    return signals


def _pelvis_aux(end: str, in_name: str):  # type: ignore[no-untyped-def]
    def aux(b: Body, mem: Memory) -> dict[str, float]:
        p = b.p
        stack = dist(p.p("left", "hip"), p.p("right", "hip")) / p.torso_px
        _, x = _opening(b, end)
        base = rest(mem, "stack")
        base.update(stack, x <= th(mem, in_name))
        ref = base.value
        if not (math.isfinite(ref) and ref > 0 and math.isfinite(stack)):
            return {"pelvis_roll_deg": NAN}
        return {"pelvis_roll_deg": math.degrees(math.acos(min(1.0, stack / ref)))}

    return aux


def _side_position(b: Body, mem: Memory) -> bool:
    return lying_on_side(b.p, limits(mem))


CLAMSHELL = MoveSpec(
    name="clamshell",
    view="front",
    needed=("shoulder", "hip", "knee"),
    counters=SIDES,
    sides=SIDES,
    signal="opening_deg",
    unit="deg",
    out_threshold="clamshell_out_deg",
    in_threshold="clamshell_in_deg",
    signals=_side_signals("knee", "clamshell_in_deg", feet_together=True),
    in_position=_side_position,
    form_metric="pelvis_roll_deg",
    form_unit="deg",
    fault="pelvis_rolling",
    form_value=_aux_max("pelvis_roll_deg"),
    aux=_pelvis_aux("knee", "clamshell_in_deg"),
)

SIDE_LEG_LIFT = MoveSpec(
    name="side-leg-lift",
    view="front",
    needed=("shoulder", "hip", "knee", "ankle"),
    counters=SIDES,
    sides=SIDES,
    signal="abduction_deg",
    unit="deg",
    out_threshold="side_leg_out_deg",
    in_threshold="side_leg_in_deg",
    signals=_side_signals("ankle", "side_leg_in_deg", feet_together=False),
    in_position=_side_position,
    form_metric="pelvis_roll_deg",
    form_unit="deg",
    fault="pelvis_rolling",
    form_value=_aux_max("pelvis_roll_deg"),
    aux=_pelvis_aux("ankle", "side_leg_in_deg"),
)


# ---------------------------------------------------------------------------------------
# donkey kick
def _kick_deg(b: Body, side: str, mem: Memory) -> float:
    """The thigh raised behind from hanging straight down, degrees (NaN: knee straight)."""
    p = b.p
    hip, knee, ankle = p.p(side, "hip"), p.p(side, "knee"), p.p(side, "ankle")
    if not angle_at(hip, knee, ankle) < limits(mem).knee_straight_min_deg:
        return NAN
    return from_down_toward(hip, knee, -head_dir(p))


def _donkey_signals(b: Body, mem: Memory) -> dict[str, float]:
    return {s: _kick_deg(b, s, mem) for s in SIDES}


def _donkey_position(b: Body, mem: Memory) -> bool:
    p = b.p
    return (
        p.view == "side"
        and trunk_level(p, limits(mem))
        and face_down(p)
        and limbs_hanging(p, limits(mem), "shoulder", "wrist") == 2
        and limbs_hanging(p, limits(mem), "hip", "knee") >= 1
    )


def _donkey_aux(b: Body, mem: Memory) -> dict[str, float]:
    """Each thigh's angle above the line of the back (hips to behind them), degrees."""
    p = b.p
    sh, hp = p.mid("shoulder"), p.mid("hip")
    if not finite(sh, hp):
        return {"thigh_past_back_deg": NAN}
    back = vec(sh, hp)  # from the shoulders through the hips, pointing behind
    fwd = head_dir(p)
    past = [-turn_deg(back, vec(p.p(s, "hip"), p.p(s, "knee")), fwd) for s in SIDES]
    finite_past = [x for x in past if math.isfinite(x)]
    return {"thigh_past_back_deg": max(finite_past) if finite_past else NAN}


DONKEY_KICK = MoveSpec(
    name="donkey-kick",
    view="side",
    needed=("shoulder", "hip", "knee", "wrist"),
    counters=SIDES,
    sides=SIDES,
    signal="kick_deg",
    unit="deg",
    out_threshold="donkey_kick_out_deg",
    in_threshold="donkey_kick_in_deg",
    signals=_donkey_signals,
    in_position=_donkey_position,
    form_metric="thigh_past_back_deg",
    form_unit="deg",
    fault="back_arching",
    form_value=_aux_max("thigh_past_back_deg"),
    aux=_donkey_aux,
)


# ---------------------------------------------------------------------------------------
# superman
def bow_deg(b: Body) -> float:
    """Bend of the shoulder-hip-ankle line, degrees: + = both ends raised about the hips."""
    p = b.p
    hp = p.mid("hip")
    return elevation(hp, p.mid("shoulder")) + elevation(hp, p.mid("ankle"))


def _superman_signals(b: Body, mem: Memory) -> dict[str, float]:
    return {"both": bow_deg(b)}


def _superman_position(b: Body, mem: Memory) -> bool:
    p = b.p
    return (
        p.body_from_horizontal_deg <= limits(mem).lying_body_max_deg
        and trunk_level(p, limits(mem))
        and face_down(p)
        and p.knee_deg >= limits(mem).knee_straight_min_deg
        and not propped(p, limits(mem))
    )


def _superman_aux(b: Body, mem: Memory) -> dict[str, float]:
    p = b.p
    chest = elevation(p.mid("hip"), p.mid("shoulder"))
    base = rest(mem, "chest")
    base.update(chest, mem["signals"]["both"] <= th(mem, "superman_in_deg"))  # bow_deg
    ref = base.value
    return {"chest_lift_deg": chest - ref if math.isfinite(ref) else NAN}


SUPERMAN = MoveSpec(
    name="superman",
    view="side",
    needed=("shoulder", "hip", "knee", "ankle"),
    counters=("both",),
    sides=(),
    signal="bow_deg",
    unit="deg",
    out_threshold="superman_out_deg",
    in_threshold="superman_in_deg",
    signals=_superman_signals,
    in_position=_superman_position,
    form_metric="chest_lift_deg",
    form_unit="deg",
    fault="arching",
    form_value=_aux_max("chest_lift_deg"),
    aux=_superman_aux,
)
