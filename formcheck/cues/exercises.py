"""Strength-exercise findings: each coaching cue checked against its target.

The analyzers in ``formcheck.exercises`` pass their metrics (already judged by
:func:`formcheck.cues.judge.judge_metrics`) and the per-rep values the words
count ("3 of 8 reps"); the cues that compare one metric with its target are
rule tables (:data:`BRIDGE_RULES`, :data:`BIRD_DOG_RULES`) read by
:func:`formcheck.cues.findings.evaluate`; the rest (the dose, alternating sides,
the plank's line and hold) are short functions below. The words are in
:mod:`formcheck.cues.words_exercises`.

Priorities (lower = more important for a runner with a sore lower back): arching
or sagging that loads the low back first, then not reaching the line, then tempo,
then the dose. The dose (15 reps, a 30 s hold) is reported as progress, never as
a form fault: a clip may show part of a set.

Sources (articles behind the cues): [A0] warm-up (bridges 15 reps, 1 s pause), [A1] stretches
(side plank, bird dog), [A3] remedies (plank 30 s building up, bird dog), [A4]
causes (glute and core strength).
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence

from formcheck.cues import words_exercises as w
from formcheck.cues.findings import Case, FindingRule, evaluate, heuristic, lookup
from formcheck.cues.judge import Overrides, assess, finding_status, judge
from formcheck.cues.thresholds import THRESHOLDS
from formcheck.results import Finding, Metric, MetricStatus


def _src(name: str) -> str:
    return THRESHOLDS[name].source


def _none(cue: str, metric: str, unit: str, target: str, why: str, source: str) -> Finding:
    return Finding(cue, "not_measurable", metric, None, unit, target, why, source)


def _value(metrics: Mapping[str, Metric], name: str) -> float | None:
    m = metrics.get(name)
    return None if m is None else m.value


def _count(
    activity: str, name: str, xs: Sequence[float | None], side: str, o: Overrides
) -> list[int]:
    """Indices of the per-rep values judged ``work_on`` on ``side`` of the metric's rule."""
    out = []
    for i, x in enumerate(xs):
        a = assess(activity, name, x, o)
        if a is not None and a.status == "work_on" and a.side == side:
            out.append(i)
    return out


# ---------------------------------------------------------------------------------------
# glute bridge
def _bridge_frame(c: Case, side: str) -> int | None:
    """The first rep flagged on ``side`` of the top-angle rule, else the first rep."""
    idx: list[int] = c.context["flagged"][side]
    frames: Sequence[int] = c.context["key_frames"]
    return frames[idx[0]] if idx else (frames[0] if frames else None)


BRIDGE_RULES: tuple[FindingRule, ...] = (
    FindingRule(
        "bridge_top_line",
        "top_deg",
        "deg",
        20,
        False,
        ("bridge_top_min_deg",),
        lambda v: w.bridge_line_target(v("bridge_top_min_deg"), 180 + v("bridge_arch_max_deg")),
        lambda c: w.bridge_top_line(
            c.x,
            c.status,
            c.context["n"],
            len(c.context["flagged"]["below"]),
            c.v("bridge_top_min_deg"),
        ),
        side="below",
        source=_src("bridge_top_min_deg"),
        frame=lambda c: _bridge_frame(c, "below"),
    ),
    FindingRule(
        "bridge_arch",
        "top_deg",
        "deg",
        10,
        heuristic("bridge_arch_max_deg"),
        ("bridge_arch_max_deg",),
        lambda v: w.bridge_arch_target(180 + v("bridge_arch_max_deg")),
        lambda c: w.bridge_arch(c.x, c.status, c.context["n"], len(c.context["flagged"]["above"])),
        side="above",
        source=_src("bridge_arch_max_deg"),
        frame=lambda c: _bridge_frame(c, "above"),
    ),
    FindingRule(
        "bridge_pause",
        "pause_s",
        "s",
        40,
        heuristic("bridge_pause_min_s"),
        ("bridge_pause_s",),
        lambda v: w.bridge_pause_target(v("bridge_pause_s"), v("bridge_pause_min_s")),
        lambda c: w.bridge_pause(c.x, c.status, c.v("bridge_pause_s")),
        source=_src("bridge_pause_s"),
        when_missing="skip",
    ),
    FindingRule(
        "bridge_lowering",
        "lower_s",
        "s",
        45,
        heuristic("bridge_lower_min_s"),
        ("bridge_lower_min_s",),
        lambda v: w.bridge_lowering_target(v("bridge_lower_min_s")),
        lambda c: w.bridge_lowering(c.x, c.status, c.v("bridge_lower_min_s")),
        source=_src("bridge_lower_min_s"),
        missing=lambda m: w.BRIDGE_LOWERING_NOT_SEEN,
        missing_priority=50,
        missing_heuristic=False,
    ),
)


def _bridge_set(n: int, o: Overrides) -> Finding:
    set_reps = int(lookup(o)("bridge_set_reps"))
    return Finding(
        "bridge_set",
        "ok",
        "reps",
        n,
        "reps",
        f"{set_reps} reps",
        w.bridge_set(n, set_reps),
        _src("bridge_set_reps"),
        priority=90,
    )


def bridge_findings(
    metrics: Mapping[str, Metric],
    top_deg: Sequence[float],
    key_frames: Sequence[int],
    overrides: Overrides = None,
) -> list[Finding]:
    """Findings for a glute-bridge set.

    metrics : the set's metrics (``top_deg``, ``pause_s``, ``lower_s``: medians
        over the reps). top_deg : each completed rep's shoulder-hip-knee angle at
        the top (180 = straight line, above = hips pushed past it), for the counts.
    key_frames : a frame at each rep's top, for pictures.
    """
    v = lookup(overrides)
    n = len(top_deg)
    if n == 0:
        line = w.bridge_line_target(v("bridge_top_min_deg"), 180 + v("bridge_arch_max_deg"))
        return [
            _none("bridge_top_line", "top_deg", "deg", line, w.BRIDGE_NO_REP,
                  _src("bridge_top_min_deg")),
            _none("bridge_pause", "pause_s", "s", w.bridge_pause_target(v("bridge_pause_s")),
                  w.BRIDGE_NO_REP, _src("bridge_pause_s")),
            _bridge_set(0, overrides),
        ]  # fmt: skip
    flagged = {
        side: _count("glute-bridge", "top_deg", top_deg, side, overrides)
        for side in ("below", "above")
    }
    context = {"n": n, "flagged": flagged, "key_frames": key_frames}
    out = evaluate(BRIDGE_RULES, "glute-bridge", metrics, overrides, context)
    return [*out, _bridge_set(n, overrides)]


# ---------------------------------------------------------------------------------------
# plank and side plank
def hold_findings(
    activity: str,
    metrics: Mapping[str, Metric],
    key_frame: int | None,
    overrides: Overrides = None,
    photo: bool = False,
) -> list[Finding]:
    """Findings for a plank or side plank, from its metrics: ``hip_line_deg`` (median
    signed deviation of the hips from the shoulder-ankle line while the line was
    judged, + = below, sagging), ``hips_sagging_frac`` / ``hips_piked_frac`` /
    ``good_frac`` / ``line_not_judged_frac`` (shares of the hold time), ``hold_s``
    (time in position, whatever the form) and ``good_form_s``.

    The band is asymmetric: sagging (the fault that loads the low back) is judged
    tighter than hips a little high (``*_sag_max_deg`` < ``*_pike_max_deg``).

    photo : a single still image: judged as one frame, no hold time.
    """
    v = lookup(overrides)
    side_plank = activity == "side-plank"
    prefix = "side_plank" if side_plank else "plank"
    sag_name, pike_name = f"{prefix}_sag_max_deg", f"{prefix}_pike_max_deg"
    target = w.hip_line_target(v(sag_name), v(pike_name))
    source = f"{_src(sag_name)}; {_src(pike_name)}"
    dev = _value(metrics, "hip_line_deg")
    hold = _value(metrics, "hold_s")
    sag = _value(metrics, "hips_sagging_frac") or 0.0
    pike = _value(metrics, "hips_piked_frac") or 0.0
    out: list[Finding] = []
    if dev is None:
        why = w.HOLD_LINE_NOT_JUDGED if hold else w.HOLD_NEVER_IN_POSITION
        out.append(_none("hip_line", "hip_deviation_deg", "deg", target, why, source))
    else:
        a = assess(activity, "hip_line_deg", dev, overrides)

        def most_of_the_time(name: str) -> bool:
            return not photo and judge(activity, name, metrics.get(name), overrides) == "work_on"

        status: MetricStatus = "good"
        side = None
        if (a and a.status == "work_on" and a.side == "above") or most_of_the_time(
            "hips_sagging_frac"
        ):
            status, side = "work_on", "sagging"
        elif (a and a.status == "work_on" and a.side == "below") or most_of_the_time(
            "hips_piked_frac"
        ):
            status, side = "work_on", "piked"
        out.append(
            Finding(
                "hip_line",
                finding_status(status),
                "hip_deviation_deg",
                dev,
                "deg",
                target,
                w.hip_line(dev, status, side, sag, pike, photo),
                source,
                priority=10,
                frame=key_frame,
            )
        )
    target_s = v("plank_hold_target_s")
    if photo:
        out.append(
            _none("hold_time", "hold_s", "s", w.hold_target(target_s), w.HOLD_PHOTO,
                  _src("plank_hold_target_s"))
        )  # fmt: skip
    elif not hold:
        out.append(
            _none("hold_time", "hold_s", "s",
                  w.SIDE_HOLD_TARGET if side_plank else w.hold_target(target_s),
                  w.HOLD_NONE, _src("plank_hold_target_s"))
        )  # fmt: skip
    else:
        good_s = _value(metrics, "good_form_s") or 0.0
        not_judged = _value(metrics, "line_not_judged_frac") or 0.0
        out.append(
            Finding(
                "hold_time",
                "ok",
                "hold_s",
                hold,
                "s",
                w.SIDE_HOLD_TARGET if side_plank else w.hold_target(target_s, building=True),
                w.side_plank_hold(hold, good_s, sag, pike, not_judged)
                if side_plank
                else w.plank_hold(hold, good_s, sag, pike, not_judged, target_s),
                w.SIDE_HOLD_SOURCE if side_plank else _src("plank_hold_target_s"),
                priority=90,
            )
        )
    return out


# ---------------------------------------------------------------------------------------
# bird dog
BIRD_DOG_RULES: tuple[FindingRule, ...] = (
    FindingRule(
        "bird_dog_hold",
        "hold_s",
        "s",
        40,
        heuristic("bird_dog_hold_s"),
        ("bird_dog_hold_s",),
        lambda v: w.bird_dog_hold_target(v("bird_dog_hold_s")),
        lambda c: w.bird_dog_hold(c.x, c.status, c.v("bird_dog_hold_s"), c.context["n_short"]),
        source=_src("bird_dog_hold_s"),
    ),
    FindingRule(
        "bird_dog_trunk",
        "trunk_change_deg",
        "deg",
        20,
        heuristic("bird_dog_trunk_tol_deg"),
        ("bird_dog_trunk_tol_deg",),
        lambda v: w.bird_dog_trunk_target(v("bird_dog_trunk_tol_deg")),
        lambda c: w.bird_dog_trunk(c.x, c.status),
        source=_src("bird_dog_trunk_tol_deg"),
        when_missing="skip",
    ),
)


def _bird_dog_reach(
    metrics: Mapping[str, Metric], key_frames: Sequence[int], o: Overrides
) -> Finding:
    limb_tol = lookup(o)("bird_dog_limb_tol_deg")
    arm, leg = _value(metrics, "arm_deg"), _value(metrics, "leg_deg")
    judged = [judge("bird-dog", n, metrics.get(n), o) for n in ("arm_deg", "leg_deg")]
    if all(s is None for s in judged):
        return _none("bird_dog_reach", "arm_deg", "deg", "", w.BIRD_DOG_LIMBS_NOT_SEEN,
                     _src("bird_dog_limb_tol_deg"))  # fmt: skip
    status: MetricStatus = "work_on" if "work_on" in judged else "good"
    return Finding(
        "bird_dog_reach",
        finding_status(status),
        "arm_deg",
        arm,
        "deg",
        w.limb_target(limb_tol),
        w.bird_dog_reach(arm, leg, status),
        _src("bird_dog_limb_tol_deg"),
        priority=30,
        heuristic=heuristic("bird_dog_limb_tol_deg"),
        frame=key_frames[0] if key_frames else None,
    )


def bird_dog_findings(
    metrics: Mapping[str, Metric],
    sides: Sequence[str],
    hold_s: Sequence[float],
    key_frames: Sequence[int],
    overrides: Overrides = None,
) -> list[Finding]:
    """Findings for a bird-dog set.

    metrics : the set's metrics (``hold_s``, ``arm_deg``, ``leg_deg``,
        ``trunk_change_deg``: medians over the reaches; the arm and leg angles are
        signed, above horizontal). sides : the reaching arm of each rep (with the
        opposite leg), "left"/"right". hold_s : each rep's hold, for the counts.
    """
    v = lookup(overrides)
    n = len(sides)
    if n == 0:
        return [
            _none("bird_dog_reach", "arm_deg", "deg",
                  w.limb_target(v("bird_dog_limb_tol_deg"), both=False), w.BIRD_DOG_NO_REACH,
                  _src("bird_dog_limb_tol_deg")),
            _none("bird_dog_hold", "hold_s", "s",
                  w.bird_dog_hold_target(v("bird_dog_hold_s"), at_least=False),
                  w.BIRD_DOG_NO_REACH, _src("bird_dog_hold_s")),
        ]  # fmt: skip
    n_left = sum(1 for s in sides if s == "left")
    same = sum(1 for a, b in itertools.pairwise(sides) if a == b)
    out = [
        Finding(
            "bird_dog_alternate",
            "flag" if same and n >= 2 else "ok",
            "reps",
            n,
            "reps",
            w.BIRD_DOG_ALTERNATE_TARGET,
            w.bird_dog_alternate(n, n_left, same, sides[0]),
            w.BIRD_DOG_ALTERNATE_SOURCE,
            priority=60,
        )
    ]
    n_short = sum(judge("bird-dog", "hold_s", h, overrides) == "work_on" for h in hold_s)
    hold, trunk = (
        evaluate((r,), "bird-dog", metrics, overrides, {"n_short": n_short}) for r in BIRD_DOG_RULES
    )
    return [*out, *hold, _bird_dog_reach(metrics, key_frames, overrides), *trunk]
