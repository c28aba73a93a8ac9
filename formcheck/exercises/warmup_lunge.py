"""The walking lunge with a twist, as a move spec: reps per leg, the knee over the foot.

Side view. The signal ``hip_drop_torso`` is how far the hips are below their
standing height (a high quantile of recent heights of the hips over the lower
ankle), in standing torso lengths, as the squat's; a rep goes down past ``out``
and back up past ``in``, with the feet split (the ankles at least
``lunge_split_min_torso`` apart along the line of travel: feet side by side is a
squat). Its side is the leg in front at the bottom (the way the nose points).
Form: the front shin's largest tilt forward from vertical while down
(``shin_max_deg``): a knee far past the toes loads it; the cue is the knee over
the foot. The twist of the trunk is not measured from the side.

References
----------
Runners' warm-up and recovery tips (article): walking lunge with a twist, 10 each
leg. Winter DA (2009) proportions for the knee-over-toes angle.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from formcheck.exercises.move_body import Body, Memory, RepView, running_high
from formcheck.exercises.moves import MoveSpec
from formcheck.exercises.posture_geometry import SIDES, from_down_deg
from formcheck.exercises.warmup_steps import STANDING, facing, upright


def _front(b: Body, mem: Memory) -> str:
    """The leg whose ankle is further forward."""
    fwd = facing(b, mem)
    lx, rx = b.part("left", "ankle")[0], b.part("right", "ankle")[0]
    return "left" if (lx - rx) * fwd >= 0 else "right"


def _drop(b: Body, mem: Memory) -> dict[str, float]:
    low = max(b.part("left", "ankle")[1], b.part("right", "ankle")[1])
    h = low - b.p.mid("hip")[1]
    h0 = running_high(mem, "hip_h", h, keep=600, q=0.95)
    torso0 = running_high(mem, "torso", b.torso, keep=600, q=0.95)
    drop = (h0 - h) / torso0 if torso0 > 0 else math.nan
    return {"both": drop}


def _aux(b: Body, mem: Memory) -> dict[str, float]:
    front = _front(b, mem)
    fwd = facing(b, mem)
    knee, ankle = b.part(front, "knee"), b.part(front, "ankle")
    tilt = from_down_deg(ankle, knee)  # the shin from the ankle up, from straight down
    shin = 180.0 - tilt if math.isfinite(tilt) else math.nan  # from vertical (up)
    if (knee[0] - ankle[0]) * fwd < 0:
        shin = -shin  # knee behind the ankle
    split = abs(b.part("left", "ankle")[0] - b.part("right", "ankle")[0]) / b.torso
    return {"front_left": 1.0 if front == "left" else -1.0, "shin_deg": shin, "split": split}


def _side(r: RepView) -> str:
    xs = [x for x in r.aux.get("front_left", []) if math.isfinite(x)]
    return "left" if sum(xs) >= 0 else "right"


def _is_lunge(r: RepView, th: Callable[[str], float]) -> bool:
    """Feet split along the line of travel at the bottom: feet side by side is a squat."""
    return r.aux_max("split") >= th("lunge_split_min_torso")


LUNGE_TWIST = MoveSpec(
    name="lunge-twist",
    view="side",
    needed=STANDING,
    counters=("both",),
    sides=SIDES,
    signal="hip_drop_torso",
    unit="torso lengths",
    out_threshold="lunge_out_torso",
    in_threshold="lunge_in_torso",
    signals=_drop,
    aux=_aux,
    side_of=_side,
    counts=_is_lunge,
    in_position=lambda b, mem: upright(b, "side"),
    form_metric="shin_max_deg",
    form_unit="deg",
    form_value=lambda r: r.aux_max("shin_deg"),
    fault="knee_past_toes",
    dose_threshold="lunge_set_reps",
    max_rep_threshold="move_held_min_s",
)
