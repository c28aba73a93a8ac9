"""The plain result types every analyzer returns and every report reads.

These sit below the analyzers in the data flow (no imports from the rest of
formcheck): ``gait`` and ``exercises`` fill an :class:`ActivityResult`,
``cues`` adds :class:`Finding` s, ``report`` renders them, ``store`` saves them.
All values carry their unit; angles in degrees, times in seconds.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass, field
from typing import Literal

from formcheck.metric_extras import Accuracy, Stretch
from formcheck.metric_extras import json_num as _num

#: A finding's status: its cue on target, flagged, or not measurable in this clip.
Status = Literal["ok", "flag", "not_measurable"]
#: A number judged against its target (by :func:`formcheck.cues.judge.judge`, the only
#: judge): good, watch (inside the normal range but near its edge, or over a limit
#: that this clip cannot measure finely enough to flag), work_on (flagged).
MetricStatus = Literal["good", "watch", "work_on"]


@dataclass(frozen=True, slots=True)
class Metric:
    """One summary measurement.

    value : the summary (median over steps/reps unless ``detail`` says
        otherwise), or None when it could not be measured (``note`` says why).
    unit : e.g. ``"steps/min"``, ``"deg"``, ``"leg lengths"``, ``"ms"``.
    spread : half the interquartile range, same unit (None if n < 4).
    n : number of steps/reps/frames the value comes from.
    left, right : per-side values for two-sided metrics (None otherwise).
    confidence : "high", "medium" or "low" (landmark visibility, frame rate), or
        "validated" when ``accuracy`` gives the validated uncertainty instead of a guess
        (:func:`formcheck.cues.accuracy.with_accuracy`); "none" without a value.
    status : the value judged against its target (:func:`formcheck.cues.judge.judge`),
        None when the metric has no target or no value. Set by the analyzer, shown
        by every page and report, never judged again.
    accuracy : the validated uncertainty at this clip's frame rate
        (:mod:`formcheck.cues.accuracy`); None: not validated.
    stretch : the worst sustained stretch over time (:class:`Stretch`), for the metrics
        judged over time as well as by their typical value; None otherwise.
    """

    value: float | None
    unit: str
    spread: float | None = None
    n: int = 0
    left: float | None = None
    right: float | None = None
    confidence: str = "high"
    note: str = ""
    status: MetricStatus | None = None
    accuracy: Accuracy | None = None
    stretch: Stretch | None = None

    def to_dict(self) -> dict[str, object]:
        d: dict[str, object] = {"value": _num(self.value), "unit": self.unit}
        if self.spread is not None:
            d["spread"] = _num(self.spread)
        d["n"] = self.n
        if self.left is not None or self.right is not None:
            d["left"] = _num(self.left)
            d["right"] = _num(self.right)
        d["confidence"] = self.confidence
        if self.note:
            d["note"] = self.note
        if self.status is not None:
            d["status"] = self.status
        if self.accuracy is not None:
            d["accuracy"] = self.accuracy.to_dict()
        if self.stretch is not None:
            d["stretch"] = self.stretch.to_dict()
        return d


def not_measurable(unit: str, why: str) -> Metric:
    """A metric that cannot be measured from this clip, with the reason."""
    return Metric(None, unit, confidence="none", note=why)


def median_metric(xs: list[float | None], unit: str, why: str) -> Metric:
    """Median with half the interquartile range (n >= 4) of per-rep/step values, or
    :func:`not_measurable` with ``why`` when none is finite."""
    vals = sorted(float(x) for x in xs if x is not None and math.isfinite(x))
    if not vals:
        return not_measurable(unit, why)
    spread = None
    if len(vals) >= 4:
        q = statistics.quantiles(vals, n=4, method="inclusive")
        spread = (q[2] - q[0]) / 2
    return Metric(float(statistics.median(vals)), unit, spread=spread, n=len(vals))


@dataclass(frozen=True, slots=True)
class Event:
    """A moment in the clip: a foot contact, a toe-off, a rep top, a hold break.

    kind : e.g. ``"initial_contact"``, ``"toe_off"``, ``"rep_top"``, ``"hold_start"``.
    t_s : seconds from clip start. frame : index into the series.
    side : ``"left"``/``"right"`` for foot events, else None.
    """

    kind: str
    t_s: float
    frame: int
    side: str | None = None
    value: float | None = None
    label: str = ""

    def to_dict(self) -> dict[str, object]:
        d: dict[str, object] = {"kind": self.kind, "t_s": _num(self.t_s), "frame": self.frame}
        if self.side:
            d["side"] = self.side
        if self.value is not None:
            d["value"] = _num(self.value)
        if self.label:
            d["label"] = self.label
        return d


@dataclass(frozen=True, slots=True)
class FrameState:
    """Per-frame analyzer state, for review and live overlays.

    angles : name -> degrees (e.g. ``"trunk_lean_deg"``, ``"hip_line_deg"``).
    phase : analyzer phase ("up", "down", "hold", "stance_left" ...).
    form : per-frame form label ("good", "hips_sagging" ...) or None.
    cue : the short cue active at this frame, if any.
    """

    frame: int
    t_s: float
    phase: str | None = None
    form: str | None = None
    angles: dict[str, float] = field(default_factory=dict)
    cue: str | None = None
    reps: int | None = None
    hold_s: float | None = None

    def to_dict(self) -> dict[str, object]:
        d: dict[str, object] = {"frame": self.frame, "t_s": _num(self.t_s)}
        if self.phase is not None:
            d["phase"] = self.phase
        if self.form is not None:
            d["form"] = self.form
        if self.angles:
            d["angles"] = {k: _num(v) for k, v in self.angles.items()}
        if self.cue:
            d["cue"] = self.cue
        if self.reps is not None:
            d["reps"] = self.reps
        if self.hold_s is not None:
            d["hold_s"] = _num(self.hold_s)
        return d


#: Table columns that index or time a row (bookkeeping), not measurements to chart.
BOOKKEEPING_COLUMNS = frozenset(
    {
        "frame",
        "step",
        "rep",
        "index",
        "n",
        "side",
        "t_s",
        "time_s",
        "start_s",
        "end_s",
        "t_start_s",
        "t_end_s",
        "top_frame",
        "frame_top",
        "contact_frame",
    }
)


@dataclass(frozen=True, slots=True)
class Table:
    """A per-step or per-rep table: column names with units, rows of numbers/labels."""

    columns: tuple[str, ...]
    units: tuple[str, ...]
    rows: tuple[tuple[float | str | None, ...], ...]

    def time_column(self) -> int | None:
        """Index of the column giving each row's time in seconds, if any."""
        lower = [c.lower() for c in self.columns]
        for name in ("t_s", "time_s", "t_start_s", "start_s"):
            if name in lower:
                return lower.index(name)
        return None

    @staticmethod
    def is_measurement(column: str) -> bool:
        """False for bookkeeping columns (indices, times, sides)."""
        return column.lower() not in BOOKKEEPING_COLUMNS

    def __post_init__(self) -> None:
        if len(self.columns) != len(self.units):
            raise ValueError("one unit per column")
        for r in self.rows:
            if len(r) != len(self.columns):
                raise ValueError("row length differs from the columns")

    def to_dict(self) -> dict[str, object]:
        return {
            "columns": list(self.columns),
            "units": list(self.units),
            "rows": [[v if isinstance(v, str) else _num(v) for v in r] for r in self.rows],
        }


@dataclass(frozen=True, slots=True)
class Notice:
    """A capture-quality warning: several people, gaps, damage, slow motion...

    code : stable id (``"several_people"``, ``"gaps"``, ``"damaged"`` ...).
    ranges_s : time ranges it applies to, (start, end) in seconds.
    """

    code: str
    message: str
    ranges_s: tuple[tuple[float, float], ...] = ()

    def to_dict(self) -> dict[str, object]:
        d: dict[str, object] = {"code": self.code, "message": self.message}
        if self.ranges_s:
            d["ranges_s"] = [[_num(a), _num(b)] for a, b in self.ranges_s]
        return d


@dataclass(frozen=True, slots=True)
class Finding:
    """A cue checked against its target.

    cue : stable id (``"cadence"``, ``"overstride"``, ``"bridge_top_line"`` ...).
    status : ok / flag / not_measurable.
    metric : the metric name the value comes from.
    target : the target in words and numbers ("170-180 steps/min").
    message : feedback in formcheck's own words.
    source : where the cue and threshold come from: an article or paper by name
        ("Lieberman 2015").
    priority : lower is more important for a runner with a sore lower back.
    heuristic : True when the threshold has no validated cut-off behind it.
    frame : a key frame showing it, when there is one.
    ranges_s : when flagged, the time ranges (start, end) in seconds where it was past
        its flag for a sustained stretch (:class:`Stretch`), for the charts and the
        review's jumps (empty when not flagged: a stretch within the measurement's
        tolerance of the flag is in ``stretch`` only).
    stretch : the worst sustained stretch beside the typical ``value`` (None: the cue
        is judged on its typical value only).
    """

    cue: str
    status: Status
    metric: str | None
    value: float | None
    unit: str
    target: str
    message: str
    source: str
    priority: int = 50
    heuristic: bool = False
    frame: int | None = None
    ranges_s: tuple[tuple[float, float], ...] = ()
    stretch: Stretch | None = None

    def to_dict(self) -> dict[str, object]:
        d: dict[str, object] = {
            "cue": self.cue,
            "status": self.status,
            "metric": self.metric,
            "value": _num(self.value),
            "unit": self.unit,
            "target": self.target,
            "message": self.message,
            "source": self.source,
            "priority": self.priority,
            "heuristic": self.heuristic,
            "frame": self.frame,
        }
        if self.ranges_s:
            d["ranges_s"] = [[_num(a), _num(b)] for a, b in self.ranges_s]
        if self.stretch is not None:
            d["stretch"] = self.stretch.to_dict()
        return d


@dataclass(slots=True)
class ActivityResult:
    """What one analyzer found in one clip (or live window).

    frames : one :class:`FrameState` per series frame (may be empty for
        analyzers without per-frame state).
    tables : e.g. ``{"steps": Table(...)}`` or ``{"reps": Table(...)}``.
    series : named time series for plots, name -> (t_s list, values list, unit).
    """

    activity: str
    view: str
    metrics: dict[str, Metric] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    frames: list[FrameState] = field(default_factory=list)
    tables: dict[str, Table] = field(default_factory=dict)
    series: dict[str, tuple[tuple[float, ...], tuple[float, ...], str]] = field(
        default_factory=dict
    )
