"""Findings from rule tables: one small evaluator for every activity.

A :class:`FindingRule` says which metric a cue reads, which thresholds give its
target and sources, its priority, and which words say it; :func:`evaluate`
judges each metric once with :func:`formcheck.cues.judge.assess` and builds the
:class:`~formcheck.results.Finding` (ok / flag / not measurable). The tables are
:data:`formcheck.cues.running.RUNNING_RULES` and the ones in
:mod:`formcheck.cues.exercises`.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from formcheck.cues import thresholds as th
from formcheck.cues import words, words_running
from formcheck.cues.judge import Overrides, Side, assess, finding_status
from formcheck.results import Finding, Metric, MetricStatus

V = Callable[[str], float]


@dataclass(frozen=True, slots=True)
class Case:
    """What the words of one judged finding are chosen from."""

    x: float
    metric: Metric
    status: MetricStatus
    side: Side | None
    v: V
    metrics: Mapping[str, Metric]
    #: what else the words need (e.g. how many reps stopped short), from the caller
    context: Mapping[str, Any] = field(default_factory=dict)


def _not_measurable(m: Metric | None) -> str:
    return words_running.not_measurable(m.note if m is not None else "")


@dataclass(frozen=True, slots=True)
class FindingRule:
    """One cue checked against its target.

    metric : the metric it reads (its value is the finding's value).
    thresholds : the thresholds behind the target; their sources, each reference
        once, are the finding's source unless ``source`` is given.
    side : only a value past this side of the metric's rule counts (the glute
        bridge's top angle is judged for stopping short and for arching).
    when_missing : ``"skip"`` leaves the cue out when the metric was not measured;
        ``missing`` gives the words and ``missing_priority`` / ``missing_heuristic``
        (default: as measured) the rest of that not-measurable finding.
    frame : a key frame for the finding, from the metrics (None: no frame).
    label : what the metric is called in a sentence about its worst sustained stretch
        ("trunk lean"); the metric's :class:`~formcheck.results.Stretch`, when it has
        one, is put on the finding (its ranges, its key frame when the stretch is what
        is flagged) and named in the message.
    """

    cue: str
    metric: str
    unit: str
    priority: int
    heuristic: bool
    thresholds: tuple[str, ...]
    target: Callable[[V], str]
    message: Callable[[Case], str]
    side: Side | None = None
    source: str | None = None
    when_missing: Literal["not_measurable", "skip"] = "not_measurable"
    missing: Callable[[Metric | None], str] = _not_measurable
    missing_priority: int | None = None
    missing_heuristic: bool | None = None
    frame: Callable[[Case], int | None] | None = None
    label: str = ""

    def sources(self) -> str:
        return self.source if self.source is not None else sources(*self.thresholds)


def sources(*names: str) -> str:
    """The thresholds' sources, each reference once (sources often repeat a paper)."""

    def key(part: str) -> str:
        m = re.match(r"^(.*?\d{4})", part)  # author and year identify a paper
        return (m.group(1) if m else part.split(" (")[0]).strip()

    out: list[str] = []
    for n in names:
        for part in th.THRESHOLDS[n].source.split("; "):
            if all(key(part) != key(o) for o in out):
                out.append(part)
    return "; ".join(out)


def heuristic(*names: str) -> bool:
    """True when any of the thresholds has no validated cut-off behind it."""
    return any(th.THRESHOLDS[n].heuristic for n in names)


def lookup(overrides: Overrides) -> V:
    """The threshold lookup (name -> value) with the user's overrides."""
    o = dict(overrides) if overrides else None
    return lambda name: th.value(name, o)


def evaluate_one(
    r: FindingRule,
    activity: str,
    metrics: Mapping[str, Metric],
    overrides: Overrides,
    context: Mapping[str, Any] | None = None,
) -> Finding | None:
    """The finding of one rule (None when the metric is missing and the rule skips it)."""
    v = lookup(overrides)
    m = metrics.get(r.metric)
    a = assess(activity, r.metric, m, overrides, metrics) if m is not None else None
    if m is None or m.value is None or a is None:
        if r.when_missing == "skip":
            return None
        return Finding(
            r.cue,
            "not_measurable",
            r.metric,
            None,
            r.unit,
            r.target(v),
            r.missing(m),
            r.sources(),
            r.priority if r.missing_priority is None else r.missing_priority,
            r.heuristic if r.missing_heuristic is None else r.missing_heuristic,
        )
    status = a.status
    if r.side is not None and a.side != r.side:
        status = "good"  # past the other bound: another cue's finding
    case = Case(float(m.value), m, status, a.side, v, metrics, context or {})
    frame = r.frame(case) if r.frame is not None else None
    st = m.stretch
    if st is None:
        message = r.message(case)
    else:
        typical = assess(activity, r.metric, dataclasses.replace(m, stretch=None), overrides)
        by_stretch = status == "work_on" and (typical is None or typical.status != "work_on")
        label, (a0, b0) = r.label or r.metric, st.range_s
        if by_stretch:
            message = words_running.stretch_flag(label, case.x, st.value, r.unit, a0, b0)
            frame = st.key_frame if st.key_frame is not None else frame
        else:
            message = r.message(case)
            # the worst stretch is worth adding only when it is worse than the typical
            # value (a window's median can sit on the better side of the clip's)
            worse = (st.value - case.x) * (1.0 if a.side == "above" else -1.0) > 0
            if st.ranges_s and status == "work_on" and worse:
                message += words_running.stretch_also(label, case.x, st.value, r.unit, a0, b0)
                frame = st.key_frame if frame is None else frame
    if a.near and status == "watch":
        message = words.near_line(message)
    return Finding(
        r.cue,
        finding_status(status),
        r.metric,
        case.x,
        r.unit,
        r.target(v),
        message,
        r.sources(),
        r.priority,
        r.heuristic,
        frame,
        st.ranges_s if st is not None and status == "work_on" else (),
        st,
    )


def evaluate(
    rules: tuple[FindingRule, ...],
    activity: str,
    metrics: Mapping[str, Metric],
    overrides: Overrides = None,
    context: Mapping[str, Any] | None = None,
) -> list[Finding]:
    """One finding per rule, in the table's order (cues whose metric is missing and
    whose rule says ``"skip"`` are left out). ``context`` is passed to the words."""
    out = []
    for r in rules:
        f = evaluate_one(r, activity, metrics, overrides, context)
        if f is not None:
            out.append(f)
    return out
