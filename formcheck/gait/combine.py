"""One report from two side views: a clip filmed from the left and one from the right.

From one side the far leg is partly hidden and MediaPipe misplaces its heel and
toe (google-ai-edge/mediapipe#3496, #4969), so each clip measures its *near*
leg well. :func:`combine_sides` takes every two-sided metric's left value from
the clip that sees the left leg nearest (the runner facing image-left shows the
camera their left side) and the right value from the other clip, and recomputes
the value and the asymmetry from the two. One-sided metrics (cadence, trunk
lean ...) are the mean of the two clips, weighted by how many steps each had.
A combined value keeps the wider validated uncertainty of the two clips, and none when
either clip that measured it was not validated (:func:`formcheck.cues.accuracy.wider`).
"""

from __future__ import annotations

from formcheck.cues import words_running_notes as words
from formcheck.cues.accuracy import wider, with_accuracy
from formcheck.gait.summary import symmetry_index_pct
from formcheck.results import Accuracy, ActivityResult, Metric, Notice

#: Metrics measured per leg (left/right values).
TWO_SIDED = frozenset(
    {
        "overstride_leg_lengths",
        "shin_angle_at_contact_deg",
        "knee_flexion_at_contact_deg",
        "foot_strike_angle_deg",
        "contact_time_ms",
        "duty_factor_pct",
        "step_time_s",
    }
)
#: Two-sided timing metrics whose asymmetry is recomputed (metric -> asymmetry name).
ASYMMETRY = {
    "step_time_s": "step_time_asymmetry_pct",
    "contact_time_ms": "contact_time_asymmetry_pct",
}


def _near(result: ActivityResult) -> str | None:
    if result.view == "side-left":
        return "left"
    if result.view == "side-right":
        return "right"
    return None


def _merge_one(a: Metric, b: Metric) -> Metric:
    vals = [(m.value, m.n) for m in (a, b) if m.value is not None]
    if not vals:
        return a
    n = sum(k for _, k in vals)
    value = sum(v * k for v, k in vals) / n if n else vals[0][0]
    conf = a.confidence if a.value is not None else b.confidence
    return Metric(value, a.unit, None, n, None, None, conf, words.NOTE_COMBINED_MEAN)


def _accuracy(a: Metric, b: Metric) -> Accuracy | None:
    # from both clips: the wider; from one clip (the other measured nothing): its own
    if a.value is not None and b.value is not None:
        return wider(a.accuracy, b.accuracy)
    return a.accuracy if a.value is not None else b.accuracy


def combine_sides(first: ActivityResult, second: ActivityResult) -> ActivityResult:
    """Combine a left-side and a right-side running analysis into one result.

    Raises ValueError unless one clip is "side-left" and the other "side-right".
    Findings are recomputed by the caller from the combined metrics
    (:func:`formcheck.cues.running.running_findings`); events, frames and plots
    of the two clips are not merged (they live on different clocks).
    """
    near = {_near(first): first, _near(second): second}
    if set(near) != {"left", "right"}:
        raise ValueError("combine one clip filmed from the runner's left and one from the right")
    left_clip, right_clip = near["left"], near["right"]
    metrics: dict[str, Metric] = {}
    for name in sorted(set(left_clip.metrics) | set(right_clip.metrics)):
        a = left_clip.metrics.get(name)
        b = right_clip.metrics.get(name)
        if a is None or b is None:
            metrics[name] = a or b  # type: ignore[assignment]
            continue
        if name in TWO_SIDED:
            lv, rv = a.left, b.right
            vals = [v for v in (lv, rv) if v is not None]
            value = sum(vals) / len(vals) if vals else None
            conf = "high" if lv is not None and rv is not None else a.confidence
            metrics[name] = Metric(
                value,
                a.unit,
                None,
                a.n + b.n,
                lv,
                rv,
                conf,
                words.NOTE_COMBINED_LEGS,
            )
        else:
            metrics[name] = _merge_one(a, b)
        metrics[name] = with_accuracy(metrics[name], _accuracy(a, b))
    for base, asym in ASYMMETRY.items():
        m = metrics.get(base)
        if m is not None and m.left is not None and m.right is not None:
            si = symmetry_index_pct(m.left, m.right)
            metrics[asym] = Metric(
                si,
                "%",
                n=m.n,
                left=m.left,
                right=m.right,
                confidence="high",
                note=words.NOTE_COMBINED_SYMMETRY,
            )
    notices = [
        Notice("combined", words.NOTICE_COMBINED),
        *first.notices,
        *second.notices,
    ]
    return ActivityResult(activity="run", view="side-both", metrics=metrics, notices=notices)
