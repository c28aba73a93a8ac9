"""Cool-down stretch findings: the hold (a dose, reported as progress) and bouncing
(the one fault a static stretch can have).

The analyzers (:mod:`formcheck.exercises.stretch`) pass their metrics, already
judged by :func:`formcheck.cues.judge.judge_metrics` (``bouncing_n`` against
``stretch_bounce_max_n``), and the bouncing episodes; the words are in
:mod:`formcheck.cues.words_stretches`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from formcheck.cues import words_stretches as w
from formcheck.cues.findings import heuristic, lookup
from formcheck.cues.judge import Overrides, finding_status
from formcheck.cues.thresholds import THRESHOLDS
from formcheck.results import Finding, Metric

#: A bouncing episode as the findings read it: (start s, end s, amplitude deg, rate Hz).
Bounce = tuple[float, float, float, float]


def _src(*names: str) -> str:
    return "; ".join(dict.fromkeys(THRESHOLDS[n].source for n in names))


def stretch_findings(
    activity: str,
    metrics: Mapping[str, Metric],
    bounces: Sequence[Bounce],
    per_side: bool,
    min_name: str,
    overrides: Overrides = None,
    first_side: str | None = None,
    frame: int | None = None,
    photo: bool = False,
) -> list[Finding]:
    """Findings for one stretch.

    metrics : ``hold_s`` (time in position, with ``left``/``right`` for a per-side
        stretch) and ``bouncing_n`` (judged). bounces : each bouncing episode.
    min_name : the threshold of the shortest hold on target (``stretch_hold_min_s``
        or, for the stretches dosed per side, ``stretch_hold_side_s``).
    first_side : the side held first (a per-side stretch), said, never faulted.
    frame : a key frame (the first bounce, else a frame of the hold).
    """
    v = lookup(overrides)
    min_s, target_s = v(min_name), v("stretch_hold_target_s")
    target = w.hold_target(min_s, target_s, per_side)
    hold = metrics.get("hold_s")
    total = None if hold is None else hold.value
    out: list[Finding] = []
    if photo or not total:
        why = w.HOLD_PHOTO if photo else w.NO_HOLD
        out.append(
            Finding("stretch_hold", "not_measurable", "hold_s", None, "s", target, why,
                    _src(min_name, "stretch_hold_target_s"), priority=90)
        )  # fmt: skip
    else:
        assert hold is not None
        if per_side:
            msg = w.stretch_hold_sides(hold.left or 0.0, hold.right or 0.0, min_s, first_side)
        else:
            msg = w.stretch_hold(total, min_s, target_s)
        out.append(
            Finding("stretch_hold", "ok", "hold_s", total, "s", target, msg,
                    _src(min_name, "stretch_hold_target_s"), priority=90)
        )  # fmt: skip
    names = ("stretch_bounce_min_deg", "stretch_bounce_min_hz", "stretch_bounce_min_swings")
    b_target = w.bounce_target(v(names[0]), v(names[1]))
    src = _src("stretch_bounce_max_n", *names)
    n = metrics.get("bouncing_n")
    if n is None or n.value is None:
        out.append(
            Finding("stretch_bouncing", "not_measurable", "bouncing_n", None, "bouncing",
                    b_target, w.BOUNCE_NOT_SEEN, src, priority=20)
        )  # fmt: skip
        return out
    items = [w.fmt_bounce(a, b, amp, rate) for a, b, amp, rate in bounces]
    out.append(
        Finding(
            "stretch_bouncing",
            finding_status(n.status),
            "bouncing_n",
            n.value,
            "bouncing",
            b_target,
            w.stretch_bouncing(items),
            src,
            priority=20,
            heuristic=any(heuristic(x) for x in names),
            frame=frame,
            ranges_s=tuple((a, b) for a, b, _, _ in bounces),
        )
    )
    return out
