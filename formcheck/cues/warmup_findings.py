"""Findings of a counted warm-up move (or the squat): its form check, tempo, dose, time.

The analyzer (:class:`formcheck.exercises.moves.DynamicMoveAnalyzer`) passes its
metrics, already judged by :func:`formcheck.cues.judge.judge_metrics`, and what
the words count per rep. Each move has one form check (a per-rep number judged
by its rule, :data:`formcheck.cues.thresholds_warmup.JUDGED`); the controlled
moves a tempo check (``rep_s`` against ``move_flung_max_s``); the dose (reps per
side, or the time of a timed move) is progress, never a fault.

Priorities: the form check first (20), then tempo (40), then the dose (90).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from formcheck.cues import words_warmup as w
from formcheck.cues.findings import heuristic, lookup
from formcheck.cues.judge import Overrides, finding_status, flag_bounds, judge, rule
from formcheck.cues.thresholds import THRESHOLDS
from formcheck.results import Finding, Metric


@dataclass(frozen=True, slots=True)
class RepNote:
    """What the findings read of one rep."""

    side: str | None
    form_value: float
    rep_s: float
    frame: int
    fault: str | None
    flung: bool


def _threshold_of(activity: str, metric: str) -> tuple[str, str] | None:
    """(threshold name, work_on side) of a one-bound rule."""
    r = rule(activity, metric)
    if r is None:
        return None
    if r.work_on_below is not None:
        return r.work_on_below.name, "below"
    if r.work_on_above is not None:
        return r.work_on_above.name, "above"
    return None


def move_findings(
    activity: str,
    metrics: Mapping[str, Metric],
    reps: Sequence[RepNote],
    form_metric: str,
    form_unit: str,
    sides: tuple[str, ...],
    dose_threshold: str | None,
    timed_threshold: str | None,
    overrides: Overrides = None,
) -> list[Finding]:
    """Findings for one counted move (see the module docstring)."""
    v = lookup(overrides)
    out: list[Finding] = []
    n = len(reps)
    form = _threshold_of(activity, form_metric)
    if form is not None:
        name, side = form
        lo, hi = flag_bounds(activity, form_metric, overrides)
        bound = lo if side == "below" else hi
        target = w.form_target(activity, float(bound or 0.0), form_unit, side)
        m = metrics.get(form_metric)
        if n == 0 or m is None or m.value is None:
            out.append(
                Finding("move_form", "not_measurable", form_metric, None, form_unit, target,
                        w.MOVE_NO_REP, THRESHOLDS[name].source, 20, heuristic(name))
            )  # fmt: skip
        else:
            status = judge(activity, form_metric, m, overrides)
            faulty = [r for r in reps if r.fault is not None]
            flag = status == "work_on"
            first = faulty[0].frame if faulty else reps[0].frame
            out.append(
                Finding(
                    "move_form",
                    finding_status(status),
                    form_metric,
                    m.value,
                    form_unit,
                    target,
                    w.form_message(activity, m.value, form_unit, n, len(faulty), flag),
                    THRESHOLDS[name].source,
                    priority=20,
                    heuristic=heuristic(name),
                    frame=first,
                )
            )
    tempo = _threshold_of(activity, "rep_s")
    if tempo is not None and n and form_metric != "rep_s":
        m = metrics.get("rep_s")
        status = judge(activity, "rep_s", m, overrides)
        n_flung = sum(r.flung for r in reps)
        if m is not None and m.value is not None:
            out.append(
                Finding(
                    "move_tempo",
                    finding_status(status),
                    "rep_s",
                    m.value,
                    "s",
                    w.tempo_target(v(tempo[0])),
                    w.tempo_message(m.value, n, n_flung, status == "work_on"),
                    THRESHOLDS[tempo[0]].source,
                    priority=40,
                    heuristic=heuristic(tempo[0]),
                )
            )
    if dose_threshold is not None:
        per_side = int(v(dose_threshold))
        counts = {s: sum(1 for r in reps if r.side == s) for s in sides} or {"all": n}
        out.append(
            Finding(
                "move_dose",
                "ok",
                "reps",
                n,
                "reps",
                w.dose_target(per_side, sides),
                w.dose_message(counts, per_side, activity)
                if sides
                else w.dose_message({"all": n}, per_side),
                THRESHOLDS[dose_threshold].source,
                priority=90,
            )
        )
    if timed_threshold is not None:
        active = metrics.get("active_s")
        target_s = v(timed_threshold)
        out.append(
            Finding(
                "move_time",
                "ok",
                "active_s",
                active.value if active is not None else None,
                "s",
                w.timed_target(target_s),
                w.timed_message(
                    active.value if active is not None and active.value is not None else 0.0,
                    target_s,
                    n,
                ),
                THRESHOLDS[timed_threshold].source,
                priority=90,
            )
        )
    return out
