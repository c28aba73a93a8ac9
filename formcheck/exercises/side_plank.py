"""Side plank (front view): hold time, hips lifted in line, and which side is down.

Seen from the front, the body runs across the picture from the propped-up
shoulders to the feet. The line is taken through the midpoints of the shoulders,
hips and ankles; the hips' signed deviation from the shoulder-ankle line is
+ when they drop towards the floor (sagging) and - when pushed up (piked). The
form labels (an asymmetric band: sagging judged tighter than hips a little high),
their hysteresis and the hold clock (time in position) are the plank's
(:class:`~formcheck.exercises.plank.PlankAnalyzer`), with ``side_plank_sag_max_deg``
and ``side_plank_pike_max_deg``.

The side is the one on the floor: the lower shoulder in the picture (y grows
downward), i.e. the supporting forearm's side. Holds on each side are timed
separately (a hold is labelled with its side).

References
----------
The cue (side plank): a straight line from the shoulders through the hips to
the feet, hips lifted; hold.
"""

from __future__ import annotations

from dataclasses import replace

from formcheck.cues import words_exercises as words
from formcheck.exercises.engine import Step, analyze_series, most_common
from formcheck.exercises.plank import PlankAnalyzer
from formcheck.exercises.posture import Posture
from formcheck.exercises.posture_geometry import landmark
from formcheck.pose.series import PoseSeries
from formcheck.results import ActivityResult, Metric
from formcheck.settings import Settings


class SidePlankAnalyzer(PlankAnalyzer):
    """Live side-plank analyzer (see the module docstring)."""

    activity = "side-plank"
    position = "side_lying"
    view_needed = "front"
    needed = ("shoulder", "hip", "ankle")
    prefix = "side_plank"
    cue_prefix = "side_"

    def __init__(self, settings: Settings | None = None) -> None:
        super().__init__(settings)
        self.side_log: list[str | None] = []

    def _points(self, p: Posture) -> tuple[tuple[float, float], ...]:
        return tuple(p.mid(part) for part in ("shoulder", "hip", "ankle"))

    def _line_judgeable(self, p: Posture) -> bool:
        return True  # judged face-on, where the side-lying position is recognised

    def _side(self, p: Posture) -> str | None:
        left = p.pts[landmark("left", "shoulder")][1]
        right = p.pts[landmark("right", "shoulder")][1]
        if left != left or right != right:  # NaN
            return None
        return "left" if left > right else "right"

    def _step(self, i: int, t_s: float, p: Posture, ok_now: bool) -> Step:
        step = super()._step(i, t_s, p, ok_now)
        side = self._side(p) if p.present else None
        self.side_log.append(side)
        if side is not None and step.angles:
            step.metrics["side_down_left"] = 1.0 if side == "left" else 0.0
        return step

    def _summary(self, res: ActivityResult) -> None:
        super()._summary(res)
        segs = self.clock.all_segments()
        by_side = {"left": 0.0, "right": 0.0}
        for s in segs:
            if s.label in by_side:
                by_side[s.label] += s.duration_s
        in_pos = [s for s, ok in zip(self.side_log, self.position_log, strict=True) if ok and s]
        main = most_common(in_pos) if in_pos else None
        if "hold_s" in res.metrics and res.metrics["hold_s"].value is not None:
            m = res.metrics["hold_s"]
            res.metrics["hold_s"] = Metric(
                m.value,
                m.unit,
                n=m.n,
                left=by_side["left"],
                right=by_side["right"],
                note=words.NOTE_SIDE_HOLD,
            )
        if main is not None:
            res.metrics["side_left_frac"] = Metric(
                in_pos.count("left") / len(in_pos),
                "fraction of time in position",
                note=words.NOTE_SIDE_LEFT,
            )
            res.findings = [
                replace(f, message=words.side_on_floor(f.message, main))
                if f.cue == "hip_line"
                else f
                for f in res.findings
            ]


def analyze(series: PoseSeries, settings: Settings) -> ActivityResult:
    """Batch entry: feed every frame to a :class:`SidePlankAnalyzer`."""
    return analyze_series(SidePlankAnalyzer(settings), series)
